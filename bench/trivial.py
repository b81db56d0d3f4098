"""The trivial endpoints HTTP figures are compared with: FastAPI, async routes, served by
uvicorn with the settings ``civicweave serve`` uses.

``GET /ping`` is nothing but the framework and the server. ``GET /bytes`` sends the file
named by ``BENCH_ANSWER`` (an answer of ours as it was sent, its content coding the
file's suffix: ``.br`` or ``.gz``) as it is: what sending an answer of that size costs,
whatever made it."""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI, Response

app = FastAPI()
_FILE = Path(os.environ["BENCH_ANSWER"]) if os.environ.get("BENCH_ANSWER") else None
_ANSWER = _FILE.read_bytes() if _FILE else b""
_CODING = {".br": "br", ".gz": "gzip"}.get(_FILE.suffix, "gzip") if _FILE else "gzip"


@app.get("/ping")
async def ping() -> dict[str, bool]:
    """Nothing but the framework and the server."""
    return {"ok": True}


@app.get("/bytes")
async def answer() -> Response:
    """The bytes of an answer, sent as they were kept."""
    return Response(_ANSWER, media_type="application/json", headers={"Content-Encoding": _CODING})
