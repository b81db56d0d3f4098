"""The large read-only answers (a locality's network and its figures), encoded once per
state of the record and then served from memory.

Building the network of a 2,000-stakeholder locality and validating it through its
model takes a second or more and gives megabytes of JSON; a dashboard or an integration
asks for the same answer many times between two changes of the record. So the answer is
validated and serialized once for each (locality, query, log position), compressed once
for each content coding a client asks for (brotli for clients that accept ``br``, as
browsers do, else gzip: the 6.9 MB network of 2,000 stakeholders is 0.52 MB in brotli,
1.0 MB gzipped), and carries an ``ETag``, so that a client that already has it gets
``304 Not Modified``. Concurrent requests for an answer not yet encoded wait for one
encoding, not 16.
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
from typing import Any, Literal

import brotli
from fastapi import Request, Response
from pydantic import BaseModel, TypeAdapter

#: Answers smaller than this are sent as they are: compression would save little and cost a header.
COMPRESS_FROM_BYTES = 1024
#: Fast enough to encode megabytes on a miss (~30 ms a MB), nearly as small as level 9.
GZIP_LEVEL = 5
#: Brotli: quality 5 (~18 ms a MB; 11 would take seconds) with a 16 MB window (the whole answer).
BROTLI_QUALITY, BROTLI_WINDOW = 5, 24
#: The memory the encoded answers of one process may hold.
DEFAULT_MAX_BYTES = 256 * 1024 * 1024

Coding = Literal["br", "gzip"]
#: In the order chosen between codings a client accepts equally.
CODINGS: tuple[Coding, ...] = ("br", "gzip")
_COMPRESS: dict[Coding, Callable[[bytes], bytes]] = {
    "br": lambda body: brotli.compress(body, quality=BROTLI_QUALITY, lgwin=BROTLI_WINDOW),
    "gzip": lambda body: gzip.compress(body, GZIP_LEVEL, mtime=0),
}


class Encoded:
    """An answer's JSON, its ETag, and its compressed forms, each made the first time a
    client asks for it (a browser's answer is never gzipped, a script's never brotli'd)."""

    def __init__(self, body: bytes, etag: str, *, compress: bool = True) -> None:
        self.body = body
        self.etag = etag
        self.compressible = compress and len(body) >= COMPRESS_FROM_BYTES
        self._coded: dict[Coding, bytes] = {}
        self._lock = threading.Lock()
        #: Told the size of each compressed form made: the cache holding this counts it.
        self.grew: Callable[[int], None] = lambda size: None

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(coded) for coded in self._coded.values())

    def has(self, coding: Coding) -> bool:
        """Whether the ``coding`` form is made (sending it then costs no compression)."""
        return coding in self._coded

    def coded(self, coding: Coding) -> bytes:
        """The body in ``coding``, compressed once however many ask at the same time."""
        found = self._coded.get(coding)
        if found is None:
            with self._lock:
                found = self._coded.get(coding)
                if found is None:
                    found = self._coded[coding] = _COMPRESS[coding](self.body)
                    self.grew(len(found))
        return found


def encode(model: type[BaseModel], data: Any, *, compress: bool = True) -> Encoded:
    """The JSON FastAPI would send for ``data`` through ``model`` (validated, by alias)."""
    adapter = _adapter(model)
    body = adapter.dump_json(adapter.validate_python(data), by_alias=True)
    return Encoded(body, f'"{hashlib.blake2b(body, digest_size=12).hexdigest()}"', compress=compress)


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
            encoded.grew = lambda size: self._grew(key, encoded, size)
            self._drop_oldest()

    @property
    def size(self) -> int:
        """The bytes held: every answer's JSON and the compressed forms made of it."""
        return self._bytes

    def _grew(self, key: Hashable, encoded: Encoded, size: int) -> None:
        with self._lock:
            if self._entries.get(key) is encoded:  # not dropped meanwhile (its size went with it)
                self._bytes += size
                self._drop_oldest()

    def _drop_oldest(self) -> None:
        while self._bytes > self.max_bytes and self._entries:
            _, dropped = self._entries.popitem(last=False)
            self._bytes -= dropped.size


def respond(request: Request, encoded: Encoded) -> Response:
    """The encoded answer as the client asked for it: 304 if it has it, compressed in the
    coding it prefers among those it accepts, else as it is."""
    answer = _respond(request, encoded, compress=True)
    assert answer is not None  # compressing allowed: there is always an answer
    return answer


def respond_if_made(request: Request, encoded: Encoded) -> Response | None:
    """``respond``'s answer if it needs no compressing (a tenth of a second for megabytes:
    not on the event loop), else None."""
    return _respond(request, encoded, compress=False)


def _respond(request: Request, encoded: Encoded, *, compress: bool) -> Response | None:
    headers = {"ETag": encoded.etag, "Vary": "Accept-Encoding", "Cache-Control": "private, no-cache"}
    if encoded.etag in _etags(request.headers.get("if-none-match", "")):
        return Response(status_code=304, headers=headers)
    coding = preferred_coding(request.headers.get("accept-encoding", "")) if encoded.compressible else None
    if coding is None:
        return Response(encoded.body, media_type="application/json", headers=headers)
    if not compress and not encoded.has(coding):
        return None
    headers["Content-Encoding"] = coding
    return Response(encoded.coded(coding), media_type="application/json", headers=headers)


def _etags(header: str) -> set[str]:
    return {tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()}


def preferred_coding(header: str) -> Coding | None:
    """The coding of ours an ``Accept-Encoding`` header weighs highest, brotli first between
    equals; None if it accepts neither (``gzip;q=0`` refuses gzip, ``*`` stands for both).

    >>> preferred_coding("gzip, deflate, br, zstd"), preferred_coding("gzip, deflate")
    ('br', 'gzip')
    >>> preferred_coding("br;q=0.5, gzip"), preferred_coding("br;q=0, gzip;q=0"), preferred_coding("*")
    ('gzip', None, 'br')
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
    weighed = [(weights.get(coding, weights.get("*", 0.0)), coding) for coding in CODINGS]
    best = max(weighed, key=lambda pair: pair[0])  # the first of equals: brotli
    return best[1] if best[0] > 0 else None
