"""The PostgreSQL recorder of ``domain.recorders`` (importing eventsourcing.postgres needs psycopg)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore

from domain.encoding import Row


def _quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _insert_arrays(datastore: PostgresDatastore, table: str, ids: str) -> str:
    """The library's insert of the events of one transaction, the arrays of their fields
    unnested; ``ids`` is the placeholder of the ids' array, cast to the column's type."""
    return (
        f"INSERT INTO {_quoted(datastore.schema)}.{_quoted(table)} "
        "(originator_id, originator_version, topic, state) "
        f"SELECT * FROM unnest({ids}, %b::bigint[], %b::text[], %b::bytea[]) "
        "RETURNING notification_id"
    )


class PostgresBatchRecorder(PostgresApplicationRecorder):
    """Sends the events as four arrays (ids, versions, topics, states) in binary.

    The statement is the library's: one ``INSERT ... SELECT FROM unnest(...) RETURNING
    notification_id`` after its table lock and NOTIFY, so the ids come back in the order
    of the events; only the composite-type array, dumped as text, is replaced. A bulk
    import's rows (``insert_rows``) give the ids as hex, read as UUIDs by the server.
    """

    def __init__(self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events") -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        id_type = datastore.originator_id_type
        self._insert_arrays_statement = _insert_arrays(datastore, events_table_name, f"%b::{id_type}[]")
        # To the store's id type as the library's recorder gives it a UUID (text: with dashes).
        self._insert_rows_statement = _insert_arrays(datastore, events_table_name, f"%b::uuid[]::{id_type}[]")

    def _insert_stored_events(self, curs: Any, stored_events: Sequence[StoredEvent], **_: Any) -> None:
        self._insert_columns(
            curs,
            [
                [s.originator_id for s in stored_events],
                [s.originator_version for s in stored_events],
                [s.topic for s in stored_events],
                [s.state for s in stored_events],
            ],
        )

    def _insert_columns(self, curs: Any, columns: list[list[Any]], statement: str | None = None) -> None:
        self._lock_table(curs)
        self._notify_channel(curs)
        curs.execute(statement or self._insert_arrays_statement, columns)

    def insert_rows(self, rows: Sequence[Row], *, first: Callable[[Any], None] | None = None) -> None:
        """Insert the rows, after what ``first`` writes with the cursor, in a transaction,
        as ``insert_events`` inserts stored events, but in one round trip: the library's
        waits for the insert, then for the commit, and a thread that saves a batch while
        the importer's builds the next waits up to the interpreter's switch interval
        (5 ms) for the interpreter after each."""
        if not rows and first is None:
            return
        columns = [list(column) for column in zip(*rows, strict=True)] if rows else [[], [], [], []]
        error: Exception | None = None
        with self.datastore.get_connection() as conn:
            try:
                # The refusal leaves through the pipeline: caught inside it, the pipeline's
                # own exit met the aborted state and raised "pipeline aborted" instead.
                with conn.pipeline() as pipeline, conn.cursor() as curs:
                    curs.execute("BEGIN")
                    if first is not None:
                        first(curs)
                    self._insert_columns(curs, columns, self._insert_rows_statement)
                    curs.execute("COMMIT")
                    pipeline.sync()
            except Exception as raised:
                error = raised
            if error is not None:
                conn.rollback()  # the transaction left open by the statement refused
                raise error


def postgres_batch_recorder(recorder: object) -> PostgresApplicationRecorder:
    """A batch recorder for the table of ``recorder``, on its datastore."""
    if type(recorder) is not PostgresApplicationRecorder:
        raise TypeError(f"not eventsourcing's PostgreSQL application recorder: {type(recorder).__name__}")
    return PostgresBatchRecorder(recorder.datastore, events_table_name=recorder.events_table_name)
