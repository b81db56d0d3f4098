"""Every route of the app, and its paths filled in with real ids, for the tests that must
cover them all (the access matrix, erasure, fuzzing)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from fastapi.routing import iter_route_contexts

#: Served by FastAPI or Starlette themselves, not by civicweave.
NOT_OURS = ("/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc", "/static")
PARAMETER = re.compile(r"{([a-z_]+)(?::path)?}")


@dataclass(frozen=True, order=True)
class Endpoint:
    method: str
    path: str

    def __str__(self) -> str:
        return f"{self.method} {self.path}"

    def filled(self, values: Mapping[str, Any]) -> str:
        """The path with each ``{name}`` replaced by ``values[name]`` (KeyError if it has none)."""
        return PARAMETER.sub(lambda found: str(values[found.group(1)]), self.path)

    @property
    def is_page(self) -> bool:
        return not self.path.startswith(("/api/", "/health", "/ready", "/metrics"))


def endpoints(app: FastAPI) -> Iterator[Endpoint]:
    """Every method and path the app answers, except FastAPI's docs and the static files."""
    for route in iter_route_contexts(app.routes):
        path = str(route.path)
        if path in NOT_OURS:
            continue
        for method in sorted(route.methods or ()):
            if method != "HEAD":
                yield Endpoint(method, path)
