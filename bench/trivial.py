"""The trivial endpoints HTTP figures are compared with: FastAPI, async routes, served by
uvicorn with the settings ``civicweave serve`` uses.

``GET /ping`` is nothing but the framework and the server. ``GET /bytes`` sends the file
named by ``BENCH_ANSWER`` (an answer of ours as it was sent, in the content coding
``BENCH_ANSWER_CODING``) as it is: what sending an answer of that size costs, whatever
made it."""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI, Response

app = FastAPI()
_ANSWER = Path(os.environ["BENCH_ANSWER"]).read_bytes() if os.environ.get("BENCH_ANSWER") else b""
_CODING = os.environ.get("BENCH_ANSWER_CODING", "gzip")


@app.get("/ping")
async def ping() -> dict[str, bool]:
    """Nothing but the framework and the server."""
    return {"ok": True}


@app.get("/bytes")
async def answer() -> Response:
    """The bytes of an answer, sent as they were kept."""
    return Response(_ANSWER, media_type="application/json", headers={"Content-Encoding": _CODING})
