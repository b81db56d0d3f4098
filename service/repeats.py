"""Repeated reads answered before routing.

The network and figures routes (``service/api/network.py``) encode each answer once per
state of the record (``service.encoded``). Once one has been answered, the same GET
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

import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date
from typing import Any

from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from projections.reader import Reader
from service.auth import AuthError, ForbiddenError, Principal, TokenStore
from service.encoded import EncodedCache, respond

#: Distinct (path, query) answers remembered per process; each refers to the cache, holds no bytes.
MAX_REMEMBERED = 4096


@dataclass(frozen=True)
class Remembered:
    slug: str
    key: Hashable  # of the encoded answer in the EncodedCache
    view_position: int  # the views' position when the answer was known to be current
    today: date | None  # the day an answer "as of today" was made for; None if as_of was given
    route: Any  # the route that made it, for the metrics' labels


class Repeats:
    """The answers the routes remember, by (path, query string)."""

    def __init__(self) -> None:
        self._remembered: OrderedDict[tuple[str, bytes], Remembered] = OrderedDict()
        self._lock = threading.Lock()

    def remember(self, request: Request, remembered: Remembered) -> None:
        where = (request.url.path, request.scope.get("query_string", b""))
        with self._lock:
            self._remembered[where] = remembered
            self._remembered.move_to_end(where)
            while len(self._remembered) > MAX_REMEMBERED:
                self._remembered.popitem(last=False)

    def recall(self, path: str, query: bytes) -> Remembered | None:
        with self._lock:
            return self._remembered.get((path, query))


@dataclass
class Sources:
    """Where the middleware looks: what the runtime holds."""

    repeats: Repeats
    encoded: EncodedCache
    tokens: TokenStore
    reader: Reader
    local_views: bool  # the views are SQLite beside the process, not a server away


class AnswerRepeats:
    """ASGI middleware: answers a remembered GET from the cache, or passes it on."""

    def __init__(self, app: ASGIApp, sources: Sources) -> None:
        self.app = app
        self.sources = sources

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET":
            answer = await self._answer(scope)
            if answer is not None:
                await answer(scope, receive, send)
                return
        await self.app(scope, receive, send)

    async def _answer(self, scope: Scope) -> Any:
        sources = self.sources
        remembered = sources.repeats.recall(scope["path"], scope.get("query_string", b""))
        if remembered is None:
            return None
        principal = _principal(sources.tokens, Headers(scope=scope).get("authorization", ""))
        if principal is None or not _may_read(principal, remembered.slug):
            return None
        if remembered.today is not None and remembered.today != sources.reader.today():
            return None
        encoded = sources.encoded.peek(remembered.key)
        if encoded is None:
            return None
        # SQLite: read the view position on the event loop (a read of a local file that
        # waits for no lock under the write-ahead log, cheaper than a hop to a thread).
        # PostgreSQL: a round trip, which must not hold up the loop.
        if sources.local_views:
            position = sources.reader.views.position()
        else:
            position = await run_in_threadpool(sources.reader.views.position)
        if position != remembered.view_position:
            return None
        scope["route"] = remembered.route
        return respond(Request(scope), encoded)


def _principal(tokens: TokenStore, authorization: str) -> Principal | None:
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return tokens.recently_checked(token.strip())


def _may_read(principal: Principal, slug: str) -> bool:
    if not principal.can_see(slug):
        return False
    try:
        principal.require_read(slug)
    except (AuthError, ForbiddenError):
        return False
    return True
