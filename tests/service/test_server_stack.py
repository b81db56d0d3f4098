"""The HTTP server the install gives: uvicorn with its C parser (httptools) and libuv's
event loop (uvloop). With h11 and asyncio's own loop instead, HTTP parsing and the loop
were a third of a request's interpreter time (bench/RESULTS.md): a dependency dropped from
pyproject.toml, or a uvicorn that stopped choosing them, would halve the reads quietly."""

from __future__ import annotations

import sys
from collections.abc import Callable

import pytest
import uvicorn

from service.workers import Serving


def _loaded(config: uvicorn.Config) -> uvicorn.Config:
    config.load()
    return config


@pytest.mark.parametrize(
    "config",
    [
        pytest.param(lambda: Serving("127.0.0.1", 0, "warning").config(), id="serve --workers N"),
        # as `civicweave serve` runs one process: uvicorn.run's defaults
        pytest.param(lambda: uvicorn.Config("service.app:create_app", factory=True), id="serve"),
    ],
)
def test_requests_are_parsed_by_httptools(config: Callable[[], uvicorn.Config]) -> None:
    loaded = _loaded(config())
    assert loaded.http_protocol_class.__name__ == "HttpToolsProtocol"


@pytest.mark.skipif(sys.platform == "win32", reason="uvloop is not made for Windows")
def test_the_event_loop_is_uvloop() -> None:
    config = _loaded(Serving("127.0.0.1", 0, "warning").config())
    factory = config.get_loop_factory()
    assert factory is not None and factory.__module__ == "uvloop"
