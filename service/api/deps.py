"""The dependencies every route shares, as ``Annotated`` aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request

from domain.application import CivicWeave
from domain.errors import InvalidInputError
from domain.locality import valid_slug
from projections.reader import Reader
from projections.views import UnknownLocalityError
from service.auth import AuthError, Principal
from service.runtime import Runtime


def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


def get_app(runtime: RuntimeDep) -> CivicWeave:
    return runtime.app


def get_reader(runtime: RuntimeDep) -> Reader:
    return runtime.reader


AppDep = Annotated[CivicWeave, Depends(get_app)]
ReaderDep = Annotated[Reader, Depends(get_reader)]


def authenticate(runtime: RuntimeDep, authorization: Annotated[str | None, Header()] = None) -> Principal:
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthError("no bearer token")
    return runtime.tokens.authenticate(token.strip())


PrincipalDep = Annotated[Principal, Depends(authenticate)]


def _visible(slug: str, principal: Principal) -> str:
    valid_slug("slug", slug)
    if not principal.can_see(slug):
        raise UnknownLocalityError(slug)  # another locality's existence must not leak
    return slug


def readable_locality(slug: str, principal: PrincipalDep, runtime: RuntimeDep) -> str:
    """The slug of a locality this token may read."""
    _visible(slug, principal)
    principal.require_read(slug)
    runtime.views.locality(slug)
    return slug


def writable_locality(slug: str, principal: PrincipalDep, runtime: RuntimeDep) -> str:
    """The slug of a locality this token may change."""
    _visible(slug, principal)
    principal.require_write(slug)
    runtime.app.locality(slug)
    return slug


ReadSlug = Annotated[str, Depends(readable_locality)]
WriteSlug = Annotated[str, Depends(writable_locality)]


def actor(principal: PrincipalDep) -> str:
    """Who is recorded on the events this request causes: the token's name."""
    return principal.name


ActorDep = Annotated[str, Depends(actor)]


def if_match(
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
