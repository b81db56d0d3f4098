"""The large read-only answers (a locality's network and its figures), encoded once per
state of the record and then served from memory.

Building the network of a 2,000-stakeholder locality and validating it through its
model takes a second or more and gives megabytes of JSON; a dashboard or an integration
asks for the same answer many times between two changes of the record. So the answer is
validated and serialized once for each (locality, query, log position), gzipped once
(clients send ``Accept-Encoding: gzip``; the JSON of ids compresses to a sixth), and
carries an ``ETag``, so that a client that already has it gets ``304 Not Modified``.
Concurrent requests for an answer not yet encoded wait for one encoding, not 16.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from fastapi import Request, Response
from pydantic import BaseModel, TypeAdapter

#: Answers smaller than this are sent as they are: gzip would save little and cost a header.
GZIP_FROM_BYTES = 1024
#: Fast enough to encode megabytes on a miss (~30 ms a MB), nearly as small as level 9.
GZIP_LEVEL = 5
#: The memory the encoded answers of one process may hold.
DEFAULT_MAX_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True)
class Encoded:
    body: bytes
    gzipped: bytes | None
    etag: str

    @property
    def size(self) -> int:
        return len(self.body) + len(self.gzipped or b"")


def encode(model: type[BaseModel], data: Any, *, compress: bool = True) -> Encoded:
    """The JSON FastAPI would send for ``data`` through ``model`` (validated, by alias)."""
    adapter = _adapter(model)
    body = adapter.dump_json(adapter.validate_python(data), by_alias=True)
    gzipped = gzip.compress(body, GZIP_LEVEL, mtime=0) if compress and len(body) >= GZIP_FROM_BYTES else None
    return Encoded(body, gzipped, f'"{hashlib.blake2b(body, digest_size=12).hexdigest()}"')


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


@cache
def _adapter(model: type[BaseModel]) -> TypeAdapter[Any]:
    return TypeAdapter(model)


class EncodedCache:
    """Encoded answers by key, least recently used dropped first past ``max_bytes``."""

    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[Hashable, Encoded] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self._encoding: dict[Hashable, threading.Lock] = {}

    def get(self, key: Hashable, produce: Callable[[], Encoded]) -> Encoded:
        """The answer for ``key``, produced at most once however many ask at the same time."""
        found = self.peek(key)
        if found is not None:
            return found
        with self._lock:
            lock = self._encoding.setdefault(key, threading.Lock())
        with lock:
            found = self.peek(key)  # encoded by whoever held the lock before us
            if found is None:
                found = produce()
                self._store(key, found)
        with self._lock:
            self._encoding.pop(key, None)
        return found

    def peek(self, key: Hashable) -> Encoded | None:
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
            return found

    def _store(self, key: Hashable, encoded: Encoded) -> None:
        if encoded.size > self.max_bytes:
            return
        with self._lock:
            self._entries[key] = encoded
            self._bytes += encoded.size
            while self._bytes > self.max_bytes:
                _, dropped = self._entries.popitem(last=False)
                self._bytes -= dropped.size


def respond(request: Request, encoded: Encoded) -> Response:
    """The encoded answer as the client asked for it: 304 if it has it, gzipped if it accepts that."""
    headers = {"ETag": encoded.etag, "Vary": "Accept-Encoding", "Cache-Control": "private, no-cache"}
    if encoded.etag in _etags(request.headers.get("if-none-match", "")):
        return Response(status_code=304, headers=headers)
    if encoded.gzipped is not None and accepts_gzip(request.headers.get("accept-encoding", "")):
        headers["Content-Encoding"] = "gzip"
        return Response(encoded.gzipped, media_type="application/json", headers=headers)
    return Response(encoded.body, media_type="application/json", headers=headers)


def _etags(header: str) -> set[str]:
    return {tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()}


def accepts_gzip(header: str) -> bool:
    """Whether an ``Accept-Encoding`` header admits gzip (``gzip;q=0`` refuses it).

    >>> accepts_gzip("gzip, deflate, br"), accepts_gzip("br;q=1, gzip;q=0"), accepts_gzip("*")
    (True, False, True)
    """
    weights: dict[str, float] = {}
    for part in header.lower().split(","):
        coding, _, params = part.strip().partition(";")
        quality = 1.0
        name, _, value = params.strip().partition("=")
        if name.strip() == "q":
            try:
                quality = float(value)
            except ValueError:
                quality = 0.0
        weights[coding.strip()] = quality
    return weights.get("gzip", weights.get("*", 0.0)) > 0
