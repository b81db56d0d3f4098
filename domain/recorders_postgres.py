"""The PostgreSQL recorder of ``domain.recorders`` (importing eventsourcing.postgres needs psycopg)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore


def _quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


class PostgresBatchRecorder(PostgresApplicationRecorder):
    """Sends the events as four arrays (ids, versions, topics, states) in binary.

    The statement is the library's: one ``INSERT ... SELECT FROM unnest(...) RETURNING
    notification_id`` after its table lock and NOTIFY, so the ids come back in the order
    of the events; only the composite-type array, dumped as text, is replaced.
    """

    def __init__(self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events") -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        id_type = datastore.originator_id_type
        self._insert_arrays_statement = (
            f"INSERT INTO {_quoted(datastore.schema)}.{_quoted(events_table_name)} "
            "(originator_id, originator_version, topic, state) "
            "SELECT * FROM unnest("
            f"%b::{id_type}[], %b::bigint[], %b::text[], %b::bytea[]) "
            "RETURNING notification_id"
        )

    def _insert_stored_events(self, curs: Any, stored_events: Sequence[StoredEvent], **_: Any) -> None:
        self._lock_table(curs)
        self._notify_channel(curs)
        curs.execute(
            self._insert_arrays_statement,
            (
                [s.originator_id for s in stored_events],
                [s.originator_version for s in stored_events],
                [s.topic for s in stored_events],
                [s.state for s in stored_events],
            ),
        )


def postgres_batch_recorder(recorder: object) -> PostgresApplicationRecorder:
    """A batch recorder for the table of ``recorder``, on its datastore."""
    if type(recorder) is not PostgresApplicationRecorder:
        raise TypeError(f"not eventsourcing's PostgreSQL application recorder: {type(recorder).__name__}")
    return PostgresBatchRecorder(recorder.datastore, events_table_name=recorder.events_table_name)
