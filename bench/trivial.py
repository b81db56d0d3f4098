"""The trivial endpoints HTTP figures are compared with: FastAPI, served by uvicorn with
the settings ``civicweave serve`` uses (several processes each on a socket of its own,
by ``service.workers``, as civicweave's API processes are).

``GET /ping`` is nothing but the framework and the server. ``GET /bytes`` sends the file
named by ``BENCH_ANSWER`` (an answer of ours as it was sent, in the content coding
``BENCH_ANSWER_CODING``) as it is: what sending an answer of that size costs, whatever
made it. ``POST /write`` is the least a durable write does: a JSON body of a commitment's
shape validated by a pydantic model, then one row inserted in a transaction of its own,
by FastAPI's thread pool, into ``BENCH_WRITE_DB`` (a SQLite file in WAL mode, as the
log is kept, or a PostgreSQL URL); no authentication, log, version check or views."""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

from fastapi import FastAPI, Response
from pydantic import BaseModel, Field

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


class Written(BaseModel):
    """The shape of a commitment's body, so that validation costs what ours does."""

    promisor_id: UUID
    promisee_ids: list[UUID] = Field(min_length=1)
    what: str = Field(min_length=1, max_length=500)
    due: date | None = None


_TABLE = "CREATE TABLE IF NOT EXISTS written (id TEXT PRIMARY KEY, version INTEGER, topic TEXT, state BYTEA)"
_local = threading.local()
_writer = threading.Lock()  # SQLite: one writer at a time, rather than busy-waiting on its lock


def _insert_sqlite(key: str, state: bytes) -> None:
    connection: sqlite3.Connection | None = getattr(_local, "connection", None)
    if connection is None:
        connection = sqlite3.connect(os.environ["BENCH_WRITE_DB"], isolation_level=None)
        connection.execute("PRAGMA busy_timeout = 30000")
        with _writer:  # each thread's first connection: the file set up by one at a time
            connection.execute("PRAGMA journal_mode = WAL")  # as eventsourcing opens the log
            connection.execute(_TABLE)
        _local.connection = connection
    with _writer:
        connection.execute("BEGIN IMMEDIATE")
        try:
            connection.execute("INSERT INTO written VALUES (?, 1, 'bench:Written', ?)", (key, state))
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")


def _insert_postgres(key: str, state: bytes) -> None:
    import psycopg

    connection: psycopg.Connection[Any] | None = getattr(_local, "connection", None)
    if connection is None:
        connection = psycopg.connect(os.environ["BENCH_WRITE_DB"], autocommit=True)
        with connection.transaction():  # two processes creating one table at once would clash
            connection.execute("SELECT pg_advisory_xact_lock(7262)")
            connection.execute(_TABLE)
        _local.connection = connection
    connection.execute("INSERT INTO written VALUES (%s, 1, 'bench:Written', %s)", (key, state))


_insert = (
    _insert_postgres if os.environ.get("BENCH_WRITE_DB", "").startswith("postgresql") else _insert_sqlite
)


@app.post("/write", status_code=201)
def write(body: Written) -> dict[str, str]:
    """One row in its own transaction, by FastAPI's thread pool (as civicweave's writes)."""
    key = str(uuid4())
    _insert(key, json.dumps(body.model_dump(mode="json")).encode())
    return {"id": key}
