"""Repeated reads answered before routing.

The network and figures routes (``service/api/network.py``) encode each answer once per
state of the record and remember it (``service.encoded``). Once one has been answered, the same GET
(same path and query) is answered here, without FastAPI's routing, dependencies and
thread hop, which cost several times the sending of the cached bytes. It is answered
here only when everything the route would check still holds:

- the token was checked by this process less than ``auth.RECHECK_SECONDS`` ago, and it
  may read the locality (the same ``Principal`` rules as the route's dependencies);
- the views have not moved since the answer was remembered (one read of the view
  position: a new fact anywhere sends the request on to the route, which re-remembers
  the answer if the locality itself did not change);
- an answer for "today" (no ``as_of``) was made today.

Anything else (the first request, a new fact, an unknown or revoked token, as recorded
at a moment) goes on to the route as usual, which answers or refuses it.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from projections.store import SqliteDatabase
from service.auth import bearer_token
from service.encoded import respond_if_made
from service.runtime import Runtime


class AnswerRepeats:
    """ASGI middleware: answers a remembered GET from the cache, or passes it on."""

    def __init__(self, app: ASGIApp, runtime: Runtime) -> None:
        self.app = app
        self.runtime = runtime
        # SQLite: read the view position on the event loop (a read of a local file that
        # waits for no lock under the write-ahead log, cheaper than a hop to a thread).
        # PostgreSQL: a round trip, which must not hold up the loop.
        self.local_views = isinstance(runtime.views.db, SqliteDatabase)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET":
            answer = await self._answer(scope)
            if answer is not None:
                await answer(scope, receive, send)
                return
        await self.app(scope, receive, send)

    async def _answer(self, scope: Scope) -> Any:
        runtime = self.runtime
        remembered = runtime.repeats.recall(scope["path"], scope.get("query_string", b""))
        if remembered is None:
            return None
        token = bearer_token(Headers(scope=scope).get("authorization"))
        principal = None if token is None else runtime.tokens.recently_checked(token)
        if principal is None or not principal.may_read(remembered.slug):
            return None
        if remembered.today is not None and remembered.today != runtime.reader.today():
            return None
        encoded = runtime.encoded.peek(remembered.key)
        if encoded is None:
            return None
        if self.local_views:
            position = runtime.views.position()
        else:
            position = await run_in_threadpool(runtime.views.position)
        if position != remembered.view_position:
            return None
        answer = respond_if_made(Request(scope), encoded)
        if answer is not None:  # else the first client to ask for another coding: the route compresses
            scope["route"] = remembered.route
        return answer
