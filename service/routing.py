"""The app's routes, flat, and an index that finds a request's route among them.

FastAPI (0.165) matches a request against the app's routes one by one, and an included
router is a route of its own: a request is matched against each router it passes, and
against the routes of the one it picks twice, once to pick it and once inside it, each
time saving and restoring keys of the request's scope. With the API's fifteen routers
and the pages' eleven, that was a third of the CPU time of the cheapest request
(``/health``: 0.79 ms, against 0.19 ms for a lone FastAPI route) and a tenth of a
command's.

So the routes are added to the app itself (``include_flat``: each route as the router
declared it, under the prefix, as FastAPI's ``include_router`` did before 0.160), and
the app's router looks a request's path up in a tree of path segments (``RouteIndex``)
before matching: only the routes whose template can fit the path are matched, in their
order, as the router would have matched them. Whatever that does not settle (no route
matches; a method not allowed; a trailing slash to redirect; a websocket; FastAPI's own
telemetry following the request) goes to the router's own dispatch, unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute, Match, Route
from starlette.types import ASGIApp, Receive, Scope, Send


def include_flat(
    app: FastAPI,
    routers: Iterable[APIRouter],
    *,
    prefix: str = "",
    responses: Mapping[int | str, dict[str, Any]] | None = None,
    include_in_schema: bool = True,
) -> None:
    """Add each router's routes to ``app`` itself, under ``prefix``: what
    ``app.include_router(router, prefix=..., responses=..., include_in_schema=...)`` gives
    (the same paths, operations and OpenAPI document), without a level of routing."""
    for router in routers:
        if router.dependencies or router.responses or router.callbacks:
            raise ValueError(f"router {router.prefix!r}: give its settings to its routes, not to it")
        for route in router.routes:
            if not isinstance(route, APIRoute):
                raise TypeError(f"router {router.prefix!r} holds {route!r}, not an APIRoute")
            app.router.add_api_route(
                prefix + route.path,
                route.endpoint,
                response_model=route.response_model,
                status_code=route.status_code,
                tags=route.tags,
                dependencies=route.dependencies,
                summary=route.summary,
                description=route.description,
                response_description=route.response_description,
                responses={**(responses or {}), **route.responses},
                deprecated=route.deprecated,
                methods=route.methods,
                operation_id=route.operation_id,
                response_model_include=route.response_model_include,
                response_model_exclude=route.response_model_exclude,
                response_model_by_alias=route.response_model_by_alias,
                response_model_exclude_unset=route.response_model_exclude_unset,
                response_model_exclude_defaults=route.response_model_exclude_defaults,
                response_model_exclude_none=route.response_model_exclude_none,
                include_in_schema=route.include_in_schema and include_in_schema,
                response_class=route.response_class,
                name=route.name,
                route_class_override=type(route),
                callbacks=route.callbacks,
                openapi_extra=route.openapi_extra,
                generate_unique_id_function=route.generate_unique_id_function,
            )


@dataclass
class _Node:
    """Routes by the segments of their templates: a literal segment leads to ``literal``,
    a parameter (``{slug}``, ``{id:int}``, ``{name}.csv``) to ``parameter``."""

    literal: dict[str, _Node] = field(default_factory=dict)
    parameter: _Node | None = None
    ends: list[int] = field(default_factory=list)  # the routes whose template ends here
    rest: list[int] = field(default_factory=list)  # ... whose ``{x:path}`` takes the rest from here

    def add(self, segments: Sequence[str], number: int) -> None:
        node = self
        for segment in segments:
            if ":path}" in segment:  # a path parameter takes any number of segments, slashes and all
                node.rest.append(number)
                return
            if "{" in segment:
                node.parameter = node.parameter or _Node()
                node = node.parameter
            else:
                node = node.literal.setdefault(segment, _Node())
        node.ends.append(number)

    def find(self, segments: Sequence[str], start: int, found: list[int]) -> None:
        """Add to ``found`` every route whose template can fit ``segments[start:]``."""
        found.extend(self.rest)
        if start == len(segments):
            found.extend(self.ends)
            return
        child = self.literal.get(segments[start])
        if child is not None:
            child.find(segments, start + 1, found)
        if self.parameter is not None:
            self.parameter.find(segments, start + 1, found)


@dataclass(frozen=True)
class _Index:
    """The tree of a list of routes, and the routes it cannot place (mounts, hosts),
    which every request is matched against."""

    routes: tuple[BaseRoute, ...]
    tree: _Node
    anywhere: tuple[int, ...]

    @classmethod
    def of(cls, routes: tuple[BaseRoute, ...]) -> _Index:
        tree, anywhere = _Node(), []
        for number, route in enumerate(routes):
            if type(route) is Route or isinstance(route, APIRoute):
                tree.add(route.path.split("/")[1:], number)
            else:
                anywhere.append(number)
        return cls(routes, tree, tuple(anywhere))


class RouteIndex:
    """The dispatch of an app's router, narrowed first by the request's path.

    Installed as the router's ``middleware_stack`` (what a Starlette router calls, its own
    dispatch at the bottom): a request is matched only against the routes its path can
    fit, in the router's order, so it meets the route the router would have chosen; when
    none of them matches fully, the router's own dispatch takes the request as before.
    The tree is rebuilt when the router's routes change in number or in their last one
    (routes are added, by ``add_api_route``, ``include_router`` or ``mount``, at the end)."""

    def __init__(self, router: APIRouter, dispatch: ASGIApp) -> None:
        self.router = router
        self.dispatch = dispatch
        self._index = _Index.of(())

    def candidates(self, path: str) -> list[BaseRoute]:
        """The routes ``path`` can fit, in the router's order."""
        index, routes = self._index, self.router.routes
        if len(routes) != len(index.routes) or (routes and routes[-1] is not index.routes[-1]):
            index = self._index = _Index.of(tuple(routes))  # one assignment: a reader sees all of it or none
        found = list(index.anywhere)
        if path.startswith("/"):
            index.tree.find(path.split("/")[1:], 0, found)
        else:
            found = list(range(len(index.routes)))
        return [index.routes[number] for number in sorted(found)]  # each route is in one place only

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("fastapi.telemetry") is None:
            for route in self.candidates(_route_path(scope)):
                match, child_scope = route.matches(scope)
                if match == Match.FULL:
                    scope.setdefault("router", self.router)
                    scope.update(child_scope)
                    await route.handle(scope, receive, send)
                    return
        await self.dispatch(scope, receive, send)


def _route_path(scope: Scope) -> str:
    """The path routes are matched against: ``scope["path"]`` less a ``root_path`` it
    starts with (as Starlette's routes see it)."""
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    if root and path.startswith(root) and (path == root or path[len(root)] == "/"):
        return path[len(root) :]
    return path


def install_index(app: FastAPI) -> RouteIndex:
    """Put a ``RouteIndex`` in front of ``app``'s router's dispatch."""
    index = RouteIndex(app.router, app.router.middleware_stack)
    app.router.middleware_stack = index
    return index
