"""From a database URL to eventsourcing's environment, and the per-person key store
that lives in the same database as the log."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import unquote, urlsplit
from uuid import UUID, uuid4

from eventsourcing.persistence import IntegrityError

from domain.errors import ConflictError, InvalidInputError

DEFAULT_DATABASE_URL = "sqlite:///./civicweave.db"
#: Taken (PostgreSQL) by whoever creates tables beside the log: processes starting together
#: would otherwise run the same CREATE ... IF NOT EXISTS at once, which fails in the catalog.
SCHEMA_LOCK = "SELECT pg_advisory_xact_lock(7317)"


def environment(database_url: str) -> dict[str, str]:
    """The eventsourcing settings for ``sqlite:///PATH``, ``sqlite://`` (in memory,
    shared across threads), ``postgresql://USER:PASSWORD@HOST:PORT/DB`` or ``memory://``.

    >>> environment("sqlite:///./x.db")["SQLITE_DBNAME"]
    './x.db'
    >>> environment("postgresql://postgres@127.0.0.1:5432/civicweave")["POSTGRES_DBNAME"]
    'civicweave'
    """
    parts = urlsplit(database_url)
    if parts.scheme == "sqlite":
        path = database_url[len("sqlite:///") :] if database_url.startswith("sqlite:///") else ""
        if path in ("", ":memory:"):
            path = f"file:civicweave-{uuid4().hex}?mode=memory&cache=shared"
        return {
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": path,
            "SQLITE_LOCK_TIMEOUT": "10",
        }
    if parts.scheme in ("postgresql", "postgres", "postgresql+psycopg"):
        return {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": parts.path.lstrip("/") or "civicweave",
            "POSTGRES_HOST": parts.hostname or "127.0.0.1",
            "POSTGRES_PORT": str(parts.port or 5432),
            "POSTGRES_USER": unquote(parts.username or "postgres"),
            "POSTGRES_PASSWORD": unquote(parts.password or ""),
        }
    if parts.scheme == "memory":
        return {"PERSISTENCE_MODULE": "eventsourcing.popo"}
    raise InvalidInputError(
        "CIVICWEAVE_DATABASE_URL",
        f"{database_url!r}: use sqlite:///PATH, postgresql://... or memory://",
    )


@contextmanager
def clashes_as_conflicts() -> Iterator[None]:
    """A clash with what is stored (a version or an id taken) as the use cases report it."""
    try:
        yield
    except IntegrityError:
        raise ConflictError(
            "someone else changed this record at the same moment; reload it and try again"
        ) from None


def sqlite_file(env: Any) -> str | None:
    """The path of the SQLite file of an eventsourcing environment; None for PostgreSQL,
    an in-memory SQLite database (which no other process or connection file can open) or
    the in-memory store."""
    if env.get("PERSISTENCE_MODULE") != "eventsourcing.sqlite":
        return None
    path = str(env.get("SQLITE_DBNAME") or "")
    return None if not path or path.startswith(("file:", ":memory:")) else path


class SqlKeyStore:
    """Per-person keys in a table beside the event log (SQLite or PostgreSQL).

    Erasure deletes the row; SQLite is told to overwrite deleted content
    (``secure_delete``) so that the key does not linger in free pages.
    """

    def __init__(self, datastore: Any, *, placeholder: str) -> None:
        self._datastore = datastore
        self._p = placeholder
        self._sqlite = placeholder == "?"
        with self._transaction() as cursor:
            if not self._sqlite:
                cursor.execute(SCHEMA_LOCK)
            cursor.execute(
                "CREATE TABLE IF NOT EXISTS civicweave_person_keys (subject TEXT PRIMARY KEY, key TEXT NOT NULL)"
            )

    def _transaction(self) -> Any:
        return self._datastore.transaction(commit=True)

    def put(self, subject: UUID, key: str) -> None:
        with self._transaction() as cursor:
            cursor.execute(
                f"INSERT INTO civicweave_person_keys (subject, key) VALUES ({self._p}, {self._p})",
                (str(subject), key),
            )

    def get(self, subject: UUID) -> str | None:
        with self._transaction() as cursor:
            cursor.execute(
                f"SELECT key FROM civicweave_person_keys WHERE subject = {self._p}", (str(subject),)
            )
            row = cursor.fetchone()
        return None if row is None else str(row["key"] if not isinstance(row, tuple) else row[0])

    def items(self) -> Iterator[tuple[UUID, str]]:
        with self._transaction() as cursor:
            cursor.execute("SELECT subject, key FROM civicweave_person_keys ORDER BY subject")
            rows = cursor.fetchall()
        for row in rows:
            subject, key = (row["subject"], row["key"]) if not isinstance(row, tuple) else row
            yield UUID(str(subject)), str(key)

    def put_many(self, keys: Iterable[tuple[UUID, str]]) -> None:
        with self._transaction() as cursor:
            self.put_many_in(cursor, keys)

    def put_many_in(self, cursor: Any, keys: Iterable[tuple[UUID, str]]) -> None:
        """``put_many`` in a transaction the caller holds on this store's database (a bulk
        import saves a batch's keys in the transaction of its events)."""
        cursor.executemany(
            f"INSERT INTO civicweave_person_keys (subject, key) VALUES ({self._p}, {self._p})",
            [(str(subject), key) for subject, key in keys],
        )

    def destroy(self, subject: UUID) -> bool:
        existed = self.get(subject) is not None
        with self._transaction() as cursor:
            if self._sqlite:
                cursor.execute("PRAGMA secure_delete = ON")
            cursor.execute(f"DELETE FROM civicweave_person_keys WHERE subject = {self._p}", (str(subject),))
        return existed
