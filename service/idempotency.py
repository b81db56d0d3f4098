"""Safe retries: a POST with an ``Idempotency-Key`` header is carried out once per token
and key; a retry gets the first answer again (header ``Idempotent-Replayed: true``).

The key is claimed before the request runs, so two identical requests racing each
other cannot both write: the second gets 409 until the first has finished.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from fastapi import Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.types import ASGIApp, Receive, Scope, Send

from service.auth import bearer_token, digest

MAX_KEY_LENGTH = 200

#: What a retried import is answered: an import's report names the people it added, and a
#: kept copy would outlive their erasure, so it is not kept (the import is still done once).
_UNKEPT_REPORT = (
    '{"detail": "this import was already carried out with this Idempotency-Key; its report is '
    'not kept, as it may name people: see the record for what it added", "error": "replayed"}'
)


@dataclass(frozen=True)
class Earlier:
    method: str
    path: str
    status: int | None
    body: str | None


class IdempotencyStore:
    def __init__(self, db: Any) -> None:
        self.db = db

    def claim(self, token_hash: str, key: str, method: str, path: str) -> Earlier | None:
        """Claim the key for this request (None), or say what an earlier request with it
        did (``status`` None: it is still running)."""
        with self.db.transaction() as cursor:
            cursor.execute(
                "INSERT INTO civicweave_idempotency (token_hash, key, method, path, created_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (token_hash, key) DO NOTHING",
                (token_hash, key, method, path, datetime.now(UTC).isoformat()),
            )
            if cursor.rowcount == 1:
                return None
            cursor.execute(
                "SELECT method, path, status, body FROM civicweave_idempotency WHERE token_hash = ? AND key = ?",
                (token_hash, key),
            )
            method_, path_, status, body = cursor.fetchone()
        return Earlier(str(method_), str(path_), status, body)

    def finish(self, token_hash: str, key: str, status: int, body: str) -> None:
        with self.db.transaction() as cursor:
            cursor.execute(
                "UPDATE civicweave_idempotency SET status = ?, body = ? WHERE token_hash = ? AND key = ?",
                (status, body, token_hash, key),
            )

    def release(self, token_hash: str, key: str) -> None:
        with self.db.transaction() as cursor:
            cursor.execute(
                "DELETE FROM civicweave_idempotency WHERE token_hash = ? AND key = ?", (token_hash, key)
            )


def _bearer_hash(request: Request) -> str | None:
    token = bearer_token(request.headers.get("authorization"))
    return None if token is None else digest(token)


async def middleware(request: Request, call_next: RequestResponseEndpoint) -> Response:
    """Replays the first answer to a retried POST with the same ``Idempotency-Key``."""
    key = request.headers.get("idempotency-key")
    token_hash = _bearer_hash(request)
    if request.method != "POST" or key is None or token_hash is None:
        return await call_next(request)
    if not key.strip() or len(key) > MAX_KEY_LENGTH:
        return JSONResponse(
            {"detail": f"Idempotency-Key must be 1 to {MAX_KEY_LENGTH} characters", "error": "invalid"},
            status_code=422,
        )
    store: IdempotencyStore = request.app.state.idempotency
    path = request.url.path
    earlier = await run_in_threadpool(store.claim, token_hash, key, request.method, path)
    if earlier is not None:
        return _replay(earlier, path)
    try:
        response = await call_next(request)
        body = b"".join([chunk async for chunk in response.body_iterator])  # type: ignore[attr-defined]
    except BaseException:
        await run_in_threadpool(store.release, token_hash, key)
        raise
    if response.status_code >= 500:
        await run_in_threadpool(store.release, token_hash, key)
    else:
        kept = _UNKEPT_REPORT if "/import/" in path else body.decode()
        await run_in_threadpool(store.finish, token_hash, key, response.status_code, kept)
    headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
    return Response(body, status_code=response.status_code, headers=headers)


class Idempotency:
    """ASGI middleware: a POST with an ``Idempotency-Key`` goes through ``middleware``;
    every other request passes straight on (a ``BaseHTTPMiddleware`` costs every request
    it sees a task and a copy of its answer)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.keyed = BaseHTTPMiddleware(app, dispatch=middleware)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] == "POST"
            and any(name == b"idempotency-key" for name, _ in scope["headers"])
        ):
            await self.keyed(scope, receive, send)
        else:
            await self.app(scope, receive, send)


def _replay(earlier: Earlier, path: str) -> Response:
    if earlier.path != path:
        return JSONResponse(
            {
                "detail": f"this Idempotency-Key was already used for {earlier.path}; use a new key",
                "error": "invalid",
            },
            status_code=422,
        )
    if earlier.status is None:
        return JSONResponse(
            {
                "detail": "a request with this Idempotency-Key is still being carried out; retry shortly",
                "error": "conflict",
            },
            status_code=409,
        )
    return Response(
        earlier.body or "",
        status_code=earlier.status,
        media_type="application/json",
        headers={"Idempotent-Replayed": "true"},
    )
