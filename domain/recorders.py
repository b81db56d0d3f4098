"""Application recorders that insert a transaction's stored events in one statement.

eventsourcing's SQLite recorder runs one ``execute`` per event to learn its notification
id (the rowid), and its PostgreSQL recorder sends the events as an array of a composite
type, which psycopg dumps as text field by field (about 17 µs an event). These keep the
same tables, the same notification ids in the same order, the same locking (SQLite: the
write lock of the transaction; PostgreSQL: the table lock and NOTIFY of the library) and
the same errors; only the way the rows travel to the database changes.

Bulk imports use them (``batch_events``), over the application's own connection pool;
commands keep eventsourcing's recorders. The PostgreSQL recorder is in
``domain.recorders_postgres``: importing it needs psycopg.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from contextlib import suppress
from typing import Any
from uuid import UUID

from eventsourcing.persistence import ApplicationRecorder, EventStore, JSONTranscoder, Mapper, StoredEvent
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor, SQLiteTransaction

from domain.encoding import BulkMapper, BulkTranscoder, Row


def batch_events(mapper: Mapper[UUID], recorder: ApplicationRecorder) -> EventStore[UUID]:
    """An event store writing to ``recorder``'s table with a batch recorder, if there is
    one for its database (else with ``recorder`` itself), and encoding as ``mapper`` does,
    with ``BulkMapper`` and ``BulkTranscoder`` in place of eventsourcing's mapper and JSON transcoder."""
    if type(mapper.transcoder) is JSONTranscoder:
        mapper = BulkMapper(BulkTranscoder(mapper.transcoder), mapper.compressor, mapper.cipher)
    batch: ApplicationRecorder = recorder
    if type(recorder) is SQLiteApplicationRecorder:
        batch = SQLiteBatchRecorder(recorder.datastore, recorder.events_table_name)
    elif type(recorder).__module__ == "eventsourcing.postgres":
        from domain.recorders_postgres import postgres_batch_recorder

        batch = postgres_batch_recorder(recorder)
    return EventStore(mapper=mapper, recorder=batch)


class SQLiteBatchRecorder(SQLiteApplicationRecorder):
    """Inserts with one ``executemany``; the notification ids are the rowids it gave.

    The transaction holds SQLite's write lock from the first insert to the commit, so
    the rows of one ``executemany`` take consecutive rowids, each one past the largest
    (the table has no AUTOINCREMENT): the last of them is the largest rowid after it.
    ``insert_uncommitted`` leaves that transaction open for a bulk import to commit on
    another thread (``domain.batches``); the write lock is held until then.
    """

    def _insert_events(
        self,
        c: SQLiteCursor,
        stored_events: Sequence[StoredEvent],
        **_: Any,
    ) -> Sequence[int] | None:
        return self._inserted(
            c,
            [
                (
                    s.originator_id.hex if isinstance(s.originator_id, UUID) else s.originator_id,
                    s.originator_version,
                    s.topic,
                    s.state,
                )
                for s in stored_events
            ],
        )

    def _inserted(self, c: SQLiteCursor, params: Sequence[tuple[str, int, str, bytes]]) -> list[int]:
        """Insert the rows of ``params`` (the id as hex) and return their notification ids."""
        if not params:
            return []
        c.executemany(self.insert_events_statement, params)
        last = int(self._max_notification_id(c))
        return list(range(last - len(params) + 1, last + 1))

    def insert_uncommitted(
        self, rows: Sequence[Row], *, first: Callable[[SQLiteCursor], None] | None = None
    ) -> Callable[[], None]:
        """Insert the rows, after what ``first`` writes, in a transaction left open on
        the writer connection (the errors as ``insert_events`` raises them), and return
        what commits it, from any thread, and gives the connection back to the pool."""
        pool = self.datastore.pool
        connection = pool.get_connection(is_writer=True)
        transaction = SQLiteTransaction(connection, commit=True)
        try:
            cursor = transaction.__enter__()
            try:
                if first is not None:
                    first(cursor)
                self._inserted(cursor, rows)
            finally:
                cursor.sqlite_cursor.close()
        except BaseException as error:
            try:
                transaction.__exit__(type(error), error, error.__traceback__)  # rolls back, raises
            finally:
                pool.put_connection(connection)
            raise

        def commit() -> None:
            try:
                transaction.__exit__(None, None, None)
            except BaseException:
                with suppress(sqlite3.Error):  # a commit refused (busy, I/O) leaves it open
                    connection.rollback()
                raise
            finally:
                pool.put_connection(connection)

        return commit
