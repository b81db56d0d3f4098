"""Domain and service errors mapped to HTTP, in one place.

Every error answer is JSON ``{"detail": "<what is wrong and what to do>", "error": "<kind>"}``
(plus ``"field"`` where one field is at fault): never a 500 for anything a client can send.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from domain.errors import ConflictError, InvalidInputError, NotFoundError
from projections.views import UnknownLocalityError
from service.auth import AuthError, ForbiddenError

log = logging.getLogger(__name__)


def _answer(status: int, error: str, detail: str, **extra: object) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse({"detail": detail, "error": error, **extra}, status_code=status, headers=headers)


def _validation_message(exc: RequestValidationError) -> tuple[str, list[dict[str, object]]]:
    problems = []
    for error in exc.errors():
        location = ".".join(str(part) for part in error.get("loc", ()) if part != "body")
        problems.append({"field": location, "message": error.get("msg", "invalid")})
    text = "; ".join(f"{p['field']}: {p['message']}" for p in problems)
    return text or "the request is not valid", problems


def install(app: FastAPI) -> None:
    @app.exception_handler(NotFoundError)
    async def not_found(_: Request, exc: NotFoundError) -> JSONResponse:
        return _answer(404, "not_found", str(exc))

    @app.exception_handler(UnknownLocalityError)
    async def unknown_locality(_: Request, exc: UnknownLocalityError) -> JSONResponse:
        return _answer(404, "not_found", str(exc))

    @app.exception_handler(InvalidInputError)
    async def invalid(_: Request, exc: InvalidInputError) -> JSONResponse:
        return _answer(422, "invalid", str(exc), field=exc.field)

    @app.exception_handler(ConflictError)
    async def conflict(_: Request, exc: ConflictError) -> JSONResponse:
        return _answer(409, "conflict", str(exc))

    @app.exception_handler(AuthError)
    async def unauthenticated(_: Request, exc: AuthError) -> JSONResponse:
        return _answer(401, "unauthenticated", f"{exc}: send 'Authorization: Bearer <token>'")

    @app.exception_handler(ForbiddenError)
    async def forbidden(_: Request, exc: ForbiddenError) -> JSONResponse:
        return _answer(403, "forbidden", str(exc))

    @app.exception_handler(RequestValidationError)
    async def unprocessable(_: Request, exc: RequestValidationError) -> JSONResponse:
        text, problems = _validation_message(exc)
        return _answer(422, "invalid", text, problems=problems)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return _answer(exc.status_code, "http", str(exc.detail))
