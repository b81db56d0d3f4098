"""Limits on what a request may send, and the security headers every answer carries.

A request body larger than ``Settings.request_limit_bytes`` gets 413: at once when its
``Content-Length`` says so (the app never runs), and otherwise as soon as the bytes
streamed in pass the limit, so a chunked upload cannot get round it by not saying its
length. Every 413 is the same JSON error (a page shows it as an HTML page).

Every answer is sent with ``X-Content-Type-Options: nosniff``, ``Referrer-Policy:
no-referrer`` and ``X-Frame-Options: DENY`` unless it set its own, and every answer that
is not an HTML page and has no Content-Security-Policy of its own gets ``default-src
'none'; frame-ancestors 'none'`` (the pages set their own, with a nonce).
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
#: For JSON, CSV, XML and the like: nothing in them may load, run or be framed.
NOTHING_POLICY = "default-src 'none'; frame-ancestors 'none'"


class BodyTooLargeError(HTTPException):
    """Raised while the body streams in; an HTTPException, so that FastAPI passes it on
    rather than calling it a body it could not parse (400)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body is larger than the limit of {limit} bytes")


def too_large(limit: int) -> JSONResponse:
    return JSONResponse({"detail": BodyTooLargeError(limit).detail, "error": "too_large"}, status_code=413)


def _declared_length(scope: Scope) -> int | None:
    value = Headers(scope=scope).get("content-length", "")
    return int(value) if value.isdigit() else None


def _with_security_headers(message: Message) -> None:
    headers = MutableHeaders(scope=message)
    for name, value in SECURITY_HEADERS.items():
        headers.setdefault(name, value)
    is_page = headers.get("content-type", "").lower().startswith("text/html")
    if not is_page and "content-security-policy" not in headers:
        headers["Content-Security-Policy"] = NOTHING_POLICY


class Limits:
    """ASGI middleware: refuses a body declared too large, and adds the security headers."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                _with_security_headers(message)
            await send(message)

        declared = _declared_length(scope)
        if declared is not None and declared > self.max_body_bytes:
            await too_large(self.max_body_bytes)(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)


class CountedBody:
    """ASGI middleware: raises BodyTooLargeError once the streamed body passes the limit.

    It must sit inside every ``BaseHTTPMiddleware``: those read the body in a task group,
    which would wrap the error in an ExceptionGroup that FastAPI answers with 400.
    """

    def __init__(self, app: ASGIApp, *, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        received = 0

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    raise BodyTooLargeError(self.max_body_bytes)
            return message

        await self.app(scope, counted_receive, send)


def install(app: FastAPI, max_body_bytes: int) -> None:
    """Limit request bodies and add the security headers; call it after every other
    ``add_middleware``, so that ``Limits`` is outside them all and ``CountedBody`` inside."""

    async def answer_too_large(_: Request, __: Exception) -> JSONResponse:
        return too_large(max_body_bytes)

    app.add_exception_handler(BodyTooLargeError, answer_too_large)
    app.add_middleware(Limits, max_body_bytes=max_body_bytes)
    app.user_middleware.append(Middleware(CountedBody, max_body_bytes=max_body_bytes))
