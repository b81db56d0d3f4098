"""How a bulk import's batches reach the database: each in one transaction, in order,
the database's part of one overlapping the building of the next.

``BatchWriter`` (the in-memory store) saves a batch before ``write`` returns. On SQLite
the batch, with its people's keys, is inserted in the importer's thread (a clash is
raised at the row that caused it) and its commit, whose fsync of the WAL is about a
sixth of an import's time and holds no interpreter, runs on a thread while the importer
builds the next batch. On PostgreSQL the whole save, the keys in the transaction of the
events too, runs on that thread: psycopg waits for the server (a third of the import)
without the interpreter. One batch is in flight
at a time and the next starts after it, so the batches saved are always the first ones
handed over. ``saved`` waits for the batch in flight and counts only what was
committed, so nothing it counted is rolled back; a batch that fails stops the writer:
every later ``write`` or ``wait`` raises its error.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any, cast
from uuid import UUID

from eventsourcing.persistence import AggregateRecorder, StoredEvent

from domain.bulk import quick_handoffs
from domain.encoding import Row
from domain.persistence import SqlKeyStore, clashes_as_conflicts
from domain.privacy import KeyStore
from domain.recorders import SQLiteBatchRecorder

if TYPE_CHECKING:  # importing it needs psycopg
    from domain.recorders_postgres import PostgresBatchRecorder

Keys = Sequence[tuple[UUID, str]]


def batch_writer(recorder: AggregateRecorder, keys: KeyStore) -> BatchWriter:
    """The writer for ``recorder``'s database."""
    if isinstance(recorder, SQLiteBatchRecorder):
        return SQLiteBatchWriter(recorder, keys)
    if type(recorder).__module__ == "domain.recorders_postgres":  # importing it needs psycopg
        return PostgresBatchWriter(cast("PostgresBatchRecorder", recorder), keys)
    return BatchWriter(recorder, keys)


class BatchWriter:
    """Writes a batch's people's keys, then its events, in a transaction each."""

    def __init__(self, recorder: AggregateRecorder, keys: KeyStore) -> None:
        self._recorder = recorder
        self._keys = keys
        self._saved = 0

    @property
    def saved(self) -> int:
        """The records of the batches saved."""
        return self._saved

    def write(self, records: int, rows: Sequence[Row], keys: Keys) -> None:
        """Save a batch of ``records`` (aggregates) with the ``rows`` of their events and
        their people's ``keys``."""
        self._save(records, rows, keys)

    def wait(self) -> None:
        """Return once every batch written is saved; the error of one that could not be."""

    def _save(self, records: int, rows: Sequence[Row], keys: Keys) -> None:
        if keys:  # most batches (ties, meetings, organisations) have none: no transaction
            self._keys.put_many(keys)
        with clashes_as_conflicts():
            self._insert(rows)
        self._saved += records

    def _insert(self, rows: Sequence[Row]) -> None:
        self._recorder.insert_events([StoredEvent(UUID(row[0]), row[1], row[2], row[3]) for row in rows])


class _Background(BatchWriter):
    """A writer that finishes each batch on a thread, one at a time."""

    def __init__(self, recorder: AggregateRecorder, keys: KeyStore) -> None:
        super().__init__(recorder, keys)
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    @property
    def saved(self) -> int:
        self._join()
        return self._saved

    def wait(self) -> None:
        self._join()
        if self._error is not None:
            raise self._error

    def _start(self, finish: Callable[[], None]) -> None:
        self._thread = threading.Thread(target=self._run, args=(finish,), name="bulk import writer")
        self._thread.start()

    def _run(self, finish: Callable[[], None]) -> None:
        try:
            with quick_handoffs():
                finish()
        except BaseException as error:  # raised in the importer's thread by its next write or wait
            self._error = error

    def _join(self) -> None:
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def _keys_first(self, keys: Keys) -> Callable[[Any], None] | None:
        """What writes ``keys`` in the transaction of the batch's events, given its
        cursor, when they are kept in the store's database (none left behind by a batch
        refused, and no transaction of their own); else they are stored now."""
        store = self._keys
        if keys and isinstance(store, SqlKeyStore):
            return partial(store.put_many_in, keys=keys)
        if keys:
            store.put_many(keys)
        return None


class SQLiteBatchWriter(_Background):
    """Inserts each batch, with its people's keys, in the importer's thread (a clash is
    raised at the row that caused it) and commits it on a thread while the next batch is
    built."""

    def __init__(self, recorder: SQLiteBatchRecorder, keys: KeyStore) -> None:
        super().__init__(recorder, keys)
        self._batch_recorder = recorder

    def write(self, records: int, rows: Sequence[Row], keys: Keys) -> None:
        self.wait()
        first = self._keys_first(keys)
        with clashes_as_conflicts():
            commit = self._batch_recorder.insert_uncommitted(rows, first=first)
        self._start(lambda: self._committed(commit, records))

    def _committed(self, commit: Callable[[], None], records: int) -> None:
        commit()
        self._saved += records


class PostgresBatchWriter(_Background):
    """Saves each batch on a thread while the next one is built: psycopg waits for the
    server (the insert, then the commit) without the interpreter. A clash with what is
    stored is raised by the next ``write`` or by ``wait``."""

    def __init__(self, recorder: PostgresBatchRecorder, keys: KeyStore) -> None:
        super().__init__(recorder, keys)
        self._batch_recorder = recorder

    def write(self, records: int, rows: Sequence[Row], keys: Keys) -> None:
        self.wait()
        self._start(lambda: self._save(records, rows, keys))

    def _save(self, records: int, rows: Sequence[Row], keys: Keys) -> None:
        first = self._keys_first(keys)
        with clashes_as_conflicts():
            self._batch_recorder.insert_rows(rows, first=first)
        self._saved += records
