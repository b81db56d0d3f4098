"""The durable read models: SQL tables beside the log, written only by the projector.

SQLite keeps them in a file of their own next to the event store (so API writes and
projection writes do not queue behind one lock); PostgreSQL keeps them in the same
database as the events, in tables prefixed ``view_``. Each batch of facts, the rows
they change and the tracking position are committed in one transaction: a fact is
applied exactly once, across crashes and restarts.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any, NamedTuple, Protocol
from urllib.parse import urlsplit
from uuid import uuid4

from domain.persistence import SCHEMA_LOCK, environment, sqlite_file

#: The secondary indexes of the facts, by name. A rebuild drops them and builds them once
#: at its end (much faster than keeping them row by row); opening the views creates any
#: that are missing, so a rebuild that died half-way leaves none missing at the next start.
FACT_INDEXES = {
    "view_facts_aggregate": "CREATE INDEX IF NOT EXISTS view_facts_aggregate ON view_facts (aggregate_id, position)",
    "view_facts_locality": "CREATE INDEX IF NOT EXISTS view_facts_locality ON view_facts (locality_id, position)",
}
#: The page cache of the connection that writes a rebuild into SQLite (KiB).
REBUILD_CACHE_KIB = 256 * 1024
DEFAULT_CACHE_SIZE = -2000  # SQLite's own default: 2,000 KiB
SCHEMA = (
    "CREATE TABLE IF NOT EXISTS view_tracking (view TEXT PRIMARY KEY, position BIGINT NOT NULL)",
    """CREATE TABLE IF NOT EXISTS view_facts (
        position BIGINT PRIMARY KEY, locality_id TEXT NOT NULL, aggregate_id TEXT NOT NULL,
        aggregate_type TEXT NOT NULL, version INTEGER NOT NULL, event_type TEXT NOT NULL,
        actor TEXT NOT NULL, recorded_at TEXT NOT NULL, effective TEXT, data TEXT NOT NULL)""",
    *FACT_INDEXES.values(),
    """CREATE TABLE IF NOT EXISTS view_aggregates (
        aggregate_id TEXT PRIMARY KEY, locality_id TEXT NOT NULL, aggregate_type TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS view_localities (
        locality_id TEXT PRIMARY KEY, slug TEXT UNIQUE NOT NULL, name TEXT NOT NULL, region TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS view_stakeholders (
        id TEXT PRIMARY KEY, locality_id TEXT NOT NULL, kind TEXT NOT NULL, sector TEXT NOT NULL,
        name TEXT NOT NULL, status TEXT NOT NULL, version INTEGER NOT NULL, position BIGINT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS view_stakeholders_locality ON view_stakeholders (locality_id, name)",
    """CREATE TABLE IF NOT EXISTS view_commitments (
        id TEXT PRIMARY KEY, locality_id TEXT NOT NULL, promisor_id TEXT NOT NULL, what TEXT NOT NULL,
        made_on TEXT NOT NULL, original_due TEXT NOT NULL, due TEXT NOT NULL, status TEXT NOT NULL,
        closed_on TEXT, renegotiations INTEGER NOT NULL, meeting_id TEXT, version INTEGER NOT NULL,
        position BIGINT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS view_commitments_locality ON view_commitments (locality_id, due)",
    """CREATE TABLE IF NOT EXISTS view_peer_networks (
        network_id TEXT PRIMARY KEY, slug TEXT UNIQUE NOT NULL, name TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS view_peer_members (
        network_id TEXT NOT NULL, version INTEGER NOT NULL, locality_slug TEXT NOT NULL,
        joined_on TEXT NOT NULL, left_on TEXT, PRIMARY KEY (network_id, version))""",
    # A locality's folded state as of one of its facts (projections.snapshots).
    """CREATE TABLE IF NOT EXISTS view_snapshots (
        locality_id TEXT PRIMARY KEY, position BIGINT NOT NULL, format TEXT NOT NULL, data BYTEA NOT NULL)""",
)


class Cursor(Protocol):
    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any: ...

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> Any: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...


class Announced(NamedTuple):
    """What the projector announces after a batch: the views' position, and whether the
    batch changed any stakeholder."""

    position: int
    stakeholders: bool


class ViewDatabase(Protocol):
    """A place for the read models. SQL is written with ``?`` placeholders."""

    exclusive_lock: str
    #: Whether the positions the projector commits are announced to listeners.
    announces: bool

    def transaction(self) -> Any: ...

    def read(self) -> Any:
        """A transaction that only reads."""
        ...

    def rebuilding(self, started: bool) -> None:
        """This thread starts (or has ended) writing a rebuild's worth of rows."""
        ...

    def announce(self, cursor: Any, position: int, *, stakeholders: bool) -> None:
        """Tell the processes that listen (``listening``), once this transaction commits,
        that the views have reached ``position``, and whether the batch changed any
        stakeholder."""
        ...

    def listening(self) -> AbstractContextManager[Iterator[Announced | None] | None]:
        """What is announced from now on, each as it comes (None, once a second while
        nothing is); None where nothing is announced (SQLite)."""
        ...

    def close(self) -> None: ...


class SqliteDatabase:
    """A SQLite database for tables beside the log; one connection per thread."""

    #: Taken by a writer that must be alone (BEGIN IMMEDIATE already serialises writers).
    exclusive_lock = ""
    announces = False

    def __init__(self, path: str, schema: Sequence[str] = SCHEMA) -> None:
        self.path = path
        self._uri = path.startswith("file:")
        self._local = threading.local()
        self._keeper = self._connect() if self._uri else None  # keeps an in-memory database alive
        with self.transaction() as cursor:
            for statement in schema:
                cursor.execute(statement)

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(
            self.path, uri=self._uri, timeout=30, isolation_level=None, check_same_thread=False
        )
        connection.execute("PRAGMA busy_timeout = 30000")
        if not self._uri:
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = NORMAL")
        connection.execute("PRAGMA secure_delete = ON")
        return connection

    def transaction(self) -> AbstractContextManager[sqlite3.Cursor]:
        return self._begin("BEGIN IMMEDIATE")

    def read(self) -> AbstractContextManager[sqlite3.Cursor]:
        """A transaction that only reads: on a file (WAL) it neither waits for the writer
        nor makes it wait. An in-memory database's shared cache locks whole tables, and
        a reader there would fail rather than wait: there it begins as a writer does."""
        return self._begin("BEGIN IMMEDIATE" if self._uri else "BEGIN")

    def rebuilding(self, started: bool) -> None:
        """While a rebuild runs, a page cache of 256 MB for this thread's connection (the
        default is 2 MB): the keys of the aggregates, random UUIDs, are inserted all over
        their index, which otherwise is read back from disk page by page (a third of a
        rebuild's inserts). Back to the default, and the memory given back, at its end."""
        with self._begin("BEGIN") as cursor:
            cursor.execute(f"PRAGMA cache_size = {-REBUILD_CACHE_KIB if started else DEFAULT_CACHE_SIZE}")
        if not started:
            with self._begin("BEGIN") as cursor:
                cursor.execute("PRAGMA shrink_memory")

    @contextmanager
    def _begin(self, statement: str) -> Iterator[sqlite3.Cursor]:
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            connection = self._local.connection = self._connect()
        cursor = connection.cursor()
        cursor.execute(statement)
        try:
            yield cursor
        except BaseException:
            connection.rollback()
            raise
        connection.commit()

    def announce(self, cursor: Any, position: int, *, stakeholders: bool) -> None:
        """Nothing: SQLite cannot tell other processes (they read the tracking table)."""

    @contextmanager
    def listening(self) -> Iterator[Iterator[Announced | None] | None]:
        yield None

    def close(self) -> None:
        if self._keeper is not None:
            self._keeper.close()


class _PgCursor:
    """A psycopg cursor that takes ``?`` placeholders, as sqlite3 does."""

    def __init__(self, cursor: Any) -> None:
        self._cursor = cursor

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self._cursor.execute(sql.replace("?", "%s"), params)

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> Any:
        return self._cursor.executemany(sql.replace("?", "%s"), rows)

    def fetchone(self) -> Any:
        return self._cursor.fetchone()

    def fetchall(self) -> list[Any]:
        return list(self._cursor.fetchall())

    @property
    def description(self) -> Any:
        return self._cursor.description

    @property
    def rowcount(self) -> int:
        return int(self._cursor.rowcount)


#: The channel on which the projector announces each position it commits (PostgreSQL).
VIEWS_CHANNEL = "civicweave_views"


class PostgresDatabase:
    """Tables in the PostgreSQL database of the log, through a small connection pool."""

    #: Taken by a writer that must be alone, e.g. the projector if two were started.
    exclusive_lock = "SELECT pg_advisory_xact_lock(7318)"
    announces = True

    def __init__(self, conninfo: str, schema: Sequence[str] = SCHEMA, *, max_size: int = 4) -> None:
        from psycopg_pool import ConnectionPool

        self.conninfo = conninfo
        self.pool = ConnectionPool(conninfo, min_size=1, max_size=max_size, open=True)
        with self.transaction() as cursor:
            cursor.execute(SCHEMA_LOCK)  # one process creates the schema at a time
            for statement in schema:
                cursor.execute(statement)

    @contextmanager
    def transaction(self) -> Iterator[_PgCursor]:
        with (
            self.pool.connection() as connection,
            connection.transaction(),
            connection.cursor() as cursor,
        ):
            yield _PgCursor(cursor)

    def read(self) -> AbstractContextManager[_PgCursor]:
        return self.transaction()

    def rebuilding(self, started: bool) -> None:
        """Nothing to do: the server's shared buffers are PostgreSQL's own to size."""

    def announce(self, cursor: Any, position: int, *, stakeholders: bool) -> None:
        """NOTIFY, delivered when the transaction commits (never before, never if not)."""
        cursor.execute("SELECT pg_notify(?, ?)", (VIEWS_CHANNEL, f"{position} {int(stakeholders)}"))

    @contextmanager
    def listening(self) -> Iterator[Iterator[Announced | None] | None]:
        """A connection of its own that LISTENs; what it hears, one announcement at a
        time (None each second without one). Whatever commits after this is entered is heard."""
        import psycopg

        with psycopg.connect(self.conninfo, autocommit=True) as connection:
            connection.execute(f"LISTEN {VIEWS_CHANNEL}")

            def heard() -> Iterator[Announced | None]:
                while True:
                    announced = None
                    for notification in connection.notifies(timeout=1.0, stop_after=1):
                        position, stakeholders = notification.payload.split()
                        announced = Announced(int(position), stakeholders == "1")
                    yield announced

            yield heard()

    def close(self) -> None:
        self.pool.close()


def open_database(
    database_url: str, schema: Sequence[str], *, suffix: str = ""
) -> SqliteDatabase | PostgresDatabase:
    """A database for tables that belong with the event store at ``database_url``: the
    same PostgreSQL database; for SQLite the same file, or a sibling file named with
    ``suffix``; a fresh in-memory database for in-memory stores."""
    env = environment(database_url)
    if env["PERSISTENCE_MODULE"] == "eventsourcing.postgres":
        parts = urlsplit(database_url)
        return PostgresDatabase(f"postgresql://{parts.netloc}{parts.path}", schema)
    path = sqlite_file(env)
    if path is None:
        return SqliteDatabase(f"file:civicweave{suffix}-{uuid4().hex}?mode=memory&cache=shared", schema)
    if suffix:
        stem, dot, extension = path.rpartition(".")
        path = f"{stem}{suffix}.{extension}" if dot and "/" not in extension else f"{path}{suffix}"
    return SqliteDatabase(path, schema)


def open_views(database_url: str) -> SqliteDatabase | PostgresDatabase:
    """The read-model database that belongs with the event store at ``database_url``."""
    return open_database(database_url, SCHEMA, suffix="-views")


def tracked_position(cursor: Cursor, view: str = "civicweave") -> int:
    cursor.execute("SELECT position FROM view_tracking WHERE view = ?", (view,))
    row = cursor.fetchone()
    return int(row[0]) if row else 0
