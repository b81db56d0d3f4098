"""The app's flat routes and their index (service.routing): the same operations and
OpenAPI document as FastAPI's own ``include_router``, and every request meets the route
the router's own dispatch would have chosen."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st
from starlette.routing import BaseRoute, Match, Mount
from starlette.staticfiles import StaticFiles

from service import api, pages
from service.api.schemas import ERROR_RESPONSES
from service.app import create_app
from service.routing import RouteIndex, include_flat, install_index
from service.settings import Settings


def _stock(scope: dict[str, Any], routes: list[BaseRoute]) -> BaseRoute | None:
    """The route a Starlette router's own loop picks: the first full match."""
    for route in routes:
        match, _ = route.matches(dict(scope))
        if match == Match.FULL:
            return route
    return None


def _indexed(scope: dict[str, Any], index: RouteIndex) -> BaseRoute | None:
    for route in index.candidates(scope["path"]):
        match, _ = route.matches(dict(scope))
        if match == Match.FULL:
            return route
    return None


def _scope(method: str, path: str) -> dict[str, Any]:
    return {"type": "http", "method": method, "path": path, "root_path": "", "headers": []}


def _example(template: str, value: str) -> str:
    """A path the template fits, each parameter given ``value`` (a path parameter two segments)."""
    return re.sub(
        r"\{[^}:]+:path\}", f"{value}/{value}", re.sub(r"\{[^}:]+(:(?!path)[^}]+)?\}", value, template)
    )


def test_the_api_is_documented_as_included_routers_document_it(tmp_path: Path) -> None:
    stock = FastAPI(title="civicweave")
    for router in api.ROUTERS:
        stock.include_router(router, prefix=api.PREFIX, responses=ERROR_RESPONSES)
    for router in pages.ROUTERS:
        stock.include_router(router, include_in_schema=False)
    flat = FastAPI(title="civicweave")
    api.include(flat)
    pages.include(flat)
    assert flat.openapi() == stock.openapi()
    assert not any(isinstance(route, APIRouter) for route in flat.router.routes)


def test_a_router_with_settings_of_its_own_is_refused() -> None:
    router = APIRouter(prefix="/x", responses={418: {"description": "a teapot"}})
    with pytest.raises(ValueError, match="give its settings to its routes"):
        include_flat(FastAPI(), [router])


def test_every_route_of_the_app_is_found_as_the_router_finds_it(tmp_path: Path) -> None:
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path}/civicweave.db"))
    index = app.router.middleware_stack
    assert isinstance(index, RouteIndex)
    routes = list(app.router.routes)
    checked = 0
    for route in routes:
        template = getattr(route, "path", None)
        if template is None or isinstance(route, Mount):
            continue
        for method in [*sorted(getattr(route, "methods", None) or {"GET"}), "PATCH"]:
            for value in ("riverside", "new", "123", "3f1c2d4e-0000-4000-8000-000000000001"):
                scope = _scope(method, _example(template, value))
                assert _indexed(scope, index) is _stock(scope, routes), scope
                checked += 1
    assert checked > 400
    static = _scope("GET", "/static/civicweave.css")
    assert _indexed(static, index) is _stock(static, routes) is not None


_SEGMENTS = st.sampled_from(["a", "b", "items", "new", "latest", "1", "x.csv", "", "deep"])


def _tricky_app() -> FastAPI:
    """Routes whose order decides: literal before parameter, parameter before literal,
    a path parameter, a segment part literal, a mount, the same path by two methods."""
    app = FastAPI()

    def answer(name: str) -> Any:
        def endpoint() -> dict[str, str]:
            return {"route": name}

        return endpoint

    for number, (method, path) in enumerate(
        [
            ("GET", "/{kind}/latest"),
            ("GET", "/items/new"),
            ("GET", "/items/latest"),
            ("GET", "/items/{item}"),
            ("POST", "/items/{item}"),
            ("GET", "/items/{item}/new"),
            ("GET", "/{any}/new"),
            ("GET", "/a/{name}.csv"),
            ("GET", "/a/{rest:path}"),
            ("GET", "/{first}/{second}/deep"),
            ("GET", "/b"),
            ("PUT", "/b/"),
            ("GET", "/items/{number:int}"),
        ]
    ):
        app.add_api_route(path, answer(f"{number} {method} {path}"), methods=[method])
    return app


def _answers(client: TestClient, method: str, path: str) -> tuple[int, str, str | None]:
    response = client.request(method, f"http://testserver{path}", follow_redirects=False)
    return response.status_code, response.text, response.headers.get("location")


@settings(max_examples=300, deadline=None)
@given(
    segments=st.lists(_SEGMENTS, min_size=0, max_size=4),
    method=st.sampled_from(["GET", "POST", "PUT", "DELETE"]),
)
def test_any_request_gets_the_answer_the_router_alone_gives(segments: list[str], method: str) -> None:
    path = "/" + "/".join(segments)
    assert _answers(INDEXED, method, path) == _answers(STOCK, method, path)
    # and the index alone, before any falling back to the router's own dispatch
    index = INDEXED.app.router.middleware_stack  # type: ignore[attr-defined]
    routes = list(index.router.routes)
    assert _indexed(_scope(method, path), index) is _stock(_scope(method, path), routes)


def test_a_route_added_after_the_first_request_is_found(tmp_path: Path) -> None:
    app = _tricky_app()
    install_index(app)
    app.mount("/files", StaticFiles(directory=tmp_path), name="files")
    (tmp_path / "f.txt").write_text("kept")
    with TestClient(app) as client:
        assert client.get("/b").json() == {"route": "10 GET /b"}

        @app.get("/c/{name}")
        def late(name: str) -> dict[str, str]:
            return {"late": name}

        assert client.get("/c/one").json() == {"late": "one"}
        assert client.get("/files/f.txt").text == "kept"


STOCK = TestClient(_tricky_app())
_app = _tricky_app()
install_index(_app)
INDEXED = TestClient(_app)


def test_behind_a_proxy_a_root_path_is_not_part_of_the_route() -> None:
    app = _tricky_app()
    install_index(app)
    with TestClient(app, root_path="/civic") as client:
        assert client.get("/civic/items/latest").json() == {"route": "0 GET /{kind}/latest"}
        assert client.get("/civic/items/x.csv/new").json() == {"route": "5 GET /items/{item}/new"}
