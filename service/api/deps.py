"""The dependencies every route shares, as ``Annotated`` aliases.

The ones that only look something up in memory are ``async``: FastAPI runs a plain
``def`` dependency in a worker thread, and a hop to a thread and back for each of them
cost more than the rest of a cached read. The dependencies of dependencies take the
runtime from the request rather than from ``RuntimeDep``: FastAPI solves a dependency's
own dependencies each time it meets it, cached or not, so the runtime asked for at each
level was solved four times for a write (a tenth of its routing and dependencies).
A route that changes a locality asks for one ``WriteDep`` (the runtime, the slug and the
actor together) rather than one dependency for each.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, Request, Security
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from domain.application import CivicWeave
from domain.errors import InvalidInputError
from domain.locality import valid_slug
from projections.reader import Reader
from projections.views import UnknownLocalityError
from service.auth import AuthError, Principal
from service.runtime import Runtime


def _runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


async def get_runtime(request: Request) -> Runtime:
    return _runtime(request)


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


async def get_app(request: Request) -> CivicWeave:
    return _runtime(request).app


async def get_reader(request: Request) -> Reader:
    return _runtime(request).reader


AppDep = Annotated[CivicWeave, Depends(get_app)]
ReaderDep = Annotated[Reader, Depends(get_reader)]


#: How a request names its token, for the OpenAPI document (``/docs`` asks for it once);
#: a missing or malformed header is answered by ``authenticate``, as every other error is.
BEARER = HTTPBearer(
    scheme_name="bearer", description="A token made by `civicweave token create`", auto_error=False
)


async def authenticate(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Security(BEARER)]
) -> Principal:
    runtime = _runtime(request)
    token = credentials.credentials.strip() or None if credentials else None
    if token is None:
        raise AuthError("no bearer token")
    principal = runtime.tokens.recently_checked(token)
    if principal is None:
        principal = await run_in_threadpool(runtime.tokens.authenticate, token)
    request.state.principal = principal  # for ``actor``
    return principal


PrincipalDep = Annotated[Principal, Depends(authenticate)]


def _visible(slug: str, principal: Principal) -> str:
    valid_slug("slug", slug)
    if not principal.can_see(slug):
        raise UnknownLocalityError(slug)  # another locality's existence must not leak
    return slug


async def _exists(runtime: Runtime, slug: str, lookup: Callable[[str], object]) -> None:
    """Raises the lookup's not-found error, the first time; a locality is never removed."""
    if slug not in runtime.known_localities:
        await run_in_threadpool(lookup, slug)
        runtime.known_localities.add(slug)


async def readable_locality(slug: str, principal: PrincipalDep, request: Request) -> str:
    """The slug of a locality this token may read."""
    runtime = _runtime(request)
    _visible(slug, principal)
    principal.require_read(slug)
    await _exists(runtime, slug, runtime.views.locality_id)
    return slug


ReadSlug = Annotated[str, Depends(readable_locality)]


@dataclass(frozen=True, slots=True)
class Write:
    """A write to a locality this token may change: the runtime it goes through, the
    locality's slug, and who is recorded on its events (the token's name)."""

    runtime: Runtime
    slug: str
    actor: str

    @property
    def app(self) -> CivicWeave:
        return self.runtime.app


async def write_to_locality(slug: str, principal: PrincipalDep, request: Request) -> Write:
    """A locality this token may change, with the runtime and the actor, in one dependency.
    FastAPI's own work for each dependency of a route (its cache key, scopes, call) was a
    quarter of the interpreter's time for a command; one rather than three for these took
    a command from 0.97-1.04 to 0.91-0.96 ms of the server's CPU (bench/RESULTS.md)."""
    runtime = _runtime(request)
    _visible(slug, principal)
    principal.require_write(slug)
    await _exists(runtime, slug, runtime.app.locality)
    return Write(runtime, slug, principal.name)


WriteDep = Annotated[Write, Depends(write_to_locality)]


async def actor(request: Request) -> str:
    """Who is recorded on the events this request causes: the token's name.

    The principal is the one ``authenticate`` found for this request (a route that
    changes a locality has it checked first); asking for ``PrincipalDep`` here would
    have FastAPI solve ``authenticate``'s own dependencies again."""
    principal: Principal | None = getattr(request.state, "principal", None)
    if principal is None:
        principal = await authenticate(request, await BEARER(request))
    return principal.name


ActorDep = Annotated[str, Depends(actor)]


async def if_match(
    if_match: Annotated[
        str | None, Header(description="The version you read, for optimistic concurrency")
    ] = None,
) -> int | None:
    """The expected version from an ``If-Match`` header (``3``, ``"3"`` or ``W/"3"``)."""
    if if_match is None or if_match.strip() == "*":
        return None
    value = if_match.strip().removeprefix("W/").strip('"')
    if not value.isdigit():
        raise InvalidInputError("If-Match", 'give the version number you read, e.g. If-Match: "3"')
    return int(value)


IfMatchDep = Annotated[int | None, Depends(if_match)]
