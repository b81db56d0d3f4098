"""The projector: follows the application's notification log in order and writes the
durable read models, one batch and its tracking position per transaction.

It runs in one process only (the worker, or the single-process server). SQLite has no
live subscription, so the projector polls; on PostgreSQL it also LISTENs to the
channel eventsourcing NOTIFYs on every append, and polls as a periodic nudge.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable, Sequence
from contextlib import closing
from datetime import date, datetime
from typing import Any
from uuid import UUID

from domain.application import CivicWeave
from domain.bulk import collector_paused
from projections import snapshots
from projections.chain import SCHEMA as CHAIN_SCHEMA
from projections.chain import Chain
from projections.facts import Fact, StoredEventDecoder, data_text, take_standard
from projections.folds import ERASED_NAME
from projections.rows import ROW_WRITERS
from projections.snapshots import ERASURE
from projections.store import (
    FACT_INDEXES,
    Cursor,
    PostgresDatabase,
    ViewDatabase,
    open_database,
    open_views,
    tracked_position,
)

log = logging.getLogger(__name__)

VIEW = "civicweave"
#: Notifications projected per transaction: larger batches commit less often (a rebuild of a
#: million events is a quarter faster at 5,000 than at 1,000); a live projector's batches are small anyway.
BATCH_SIZE = 5000
#: A catch-up of at least this many notifications, more than the views already hold, is a
#: rebuild: the facts' secondary indexes are dropped and built once at its end, and its
#: batches are bigger (each commit writes the pages it touched once, however many rows).
REBUILD_AT = 50_000
REBUILD_BATCH_SIZE = 25_000


def open_projector(app: CivicWeave, database_url: str) -> Projector:
    """The projector of the store at ``database_url``: its views and its hash chain."""
    return Projector(
        app, open_views(database_url), chain=Chain(app, open_database(database_url, CHAIN_SCHEMA))
    )


class Projector:
    def __init__(
        self,
        app: CivicWeave,
        views: ViewDatabase,
        *,
        chain: Chain | None = None,
        batch_size: int = BATCH_SIZE,
    ) -> None:
        self.app = app
        self.views = views
        self.chain = chain
        self.batch_size = batch_size
        self._localities: dict[str, str] = {}
        self._position = 0
        self._decoder = StoredEventDecoder(app.mapper)
        self._wake = threading.Event()
        #: Called with the new position after each batch is committed (e.g. ``Views.advanced``).
        self.on_applied: Callable[[int], None] | None = None

    def close(self) -> None:
        self.views.close()
        if self.chain is not None:
            self.chain.db.close()

    def position(self) -> int:
        with self.views.transaction() as cursor:
            return tracked_position(cursor, VIEW)

    def nudge(self) -> None:
        """Wake the projector now (after a write in this process)."""
        self._wake.set()

    def run_once(self, *, batch_size: int | None = None) -> int:
        """Project the next batch of notifications (and chain them, for tamper evidence);
        returns how many were applied to the views."""
        # A batch makes rows and hashes, not cyclic garbage: collections cost a rebuild ~25%.
        with collector_paused():
            applied = self._project_batch(batch_size or self.batch_size)
            if applied and self.on_applied is not None:
                self.on_applied(self._position)  # before chaining: a waiting write may answer now
            if self.chain is not None:
                self.chain.extend()
        return applied

    def _project_batch(self, batch_size: int) -> int:
        with self.views.transaction() as cursor:
            if self.views.exclusive_lock:
                cursor.execute(self.views.exclusive_lock)
            start = tracked_position(cursor, VIEW) + 1
            notifications = self.app.recorder.select_notifications(start=start, limit=batch_size)
            if not notifications:
                return 0
            created: list[tuple[str, str, str]] = []
            rows, changes = self._facts(cursor, notifications, created)
            cursor.executemany(
                "INSERT INTO view_aggregates (aggregate_id, locality_id, aggregate_type) VALUES (?, ?, ?) "
                "ON CONFLICT (aggregate_id) DO NOTHING",
                created,
            )
            self._write(cursor, rows, changes)
            erasures = [fact for fact, _ in changes if (fact.aggregate_type, fact.event_type) == ERASURE]
            for locality_id in {fact.locality_id for fact in erasures}:
                snapshots.forget(cursor, locality_id)  # a snapshot may hold the erased name
            erased = [fact.aggregate_id for fact in erasures]
            for subject in erased:
                # Again, before the batch counts as applied: if the process that recorded the
                # erasure died before destroying the key, the key is destroyed here.
                self.app.personal.erase(UUID(subject))
            cursor.execute(
                "INSERT INTO view_tracking (view, position) VALUES (?, ?) "
                "ON CONFLICT (view) DO UPDATE SET position = excluded.position",
                (VIEW, notifications[-1].id),
            )
        self._position = notifications[-1].id
        if erased:
            self._leave_no_copies()
        return len(notifications)

    def _leave_no_copies(self) -> None:
        """After an erasure: no old copy of the scrubbed name or the destroyed key may stay in
        the database files. SQLite overwrites deleted content (secure_delete) but keeps old
        pages in its write-ahead logs until a checkpoint; PostgreSQL keeps dead row versions
        until VACUUM, and only VACUUM FULL (which writes each table anew) leaves no bytes of
        them behind."""
        try:
            if isinstance(self.views, PostgresDatabase):
                with self.views.pool.connection() as connection:
                    connection.autocommit = True  # VACUUM cannot run in a transaction
                    try:
                        connection.execute("SET lock_timeout = '30s'")
                        for table in ("view_stakeholders", "view_snapshots", "civicweave_person_keys"):
                            connection.execute(f"VACUUM FULL {table}")
                    finally:
                        connection.execute("RESET lock_timeout")
                        connection.autocommit = False
                return
            for path in (getattr(self.views, "path", ""), str(self.app.env.get("SQLITE_DBNAME") or "")):
                if path and not path.startswith(("file:", ":memory:")):
                    with closing(sqlite3.connect(path, timeout=30, isolation_level=None)) as lite:
                        busy = lite.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
                    if busy:
                        log.warning("readers kept the write-ahead log of %s from being emptied", path)
        except Exception:  # the batch is applied; the next erasure cleans up again
            log.warning("old copies of erased data may remain in the database files", exc_info=True)

    def catch_up(self) -> int:
        """Project every notification not yet applied; returns how many there were."""
        rebuilding = self._start_rebuild()
        batch_size = max(self.batch_size, REBUILD_BATCH_SIZE) if rebuilding else self.batch_size
        total = 0
        try:
            while applied := self.run_once(batch_size=batch_size):
                total += applied
        finally:
            if rebuilding:
                with self.views.transaction() as cursor:
                    for statement in FACT_INDEXES.values():
                        cursor.execute(statement)
        return total

    def _start_rebuild(self) -> bool:
        """Drop the facts' secondary indexes if the log holds a rebuild's worth of
        notifications the views have not applied yet; returns whether it did."""
        with self.views.transaction() as cursor:
            if self.views.exclusive_lock:
                cursor.execute(self.views.exclusive_lock)
            position = tracked_position(cursor, VIEW)
            backlog = (self.app.recorder.max_notification_id() or 0) - position
            if backlog < max(REBUILD_AT, position):
                return False
            for name in FACT_INDEXES:
                cursor.execute(f"DROP INDEX IF EXISTS {name}")
        return True

    def run_forever(self, stop: threading.Event, *, poll_seconds: float = 0.5) -> None:
        listener = self._listen(stop)
        try:
            while not stop.is_set():
                try:
                    if self.run_once():
                        continue
                except Exception:  # a bad batch must not stop the worker; it is retried
                    log.exception("projection batch failed; retrying")
                    stop.wait(poll_seconds)
                self._wake.wait(poll_seconds)
                self._wake.clear()
        finally:
            if listener is not None:
                listener.join(timeout=2)

    def _listen(self, stop: threading.Event) -> threading.Thread | None:
        channel = getattr(self.app.recorder, "channel_name", None)
        datastore = getattr(self.app.recorder, "datastore", None)
        if channel is None or datastore is None or not hasattr(datastore, "pool"):
            return None
        thread = threading.Thread(target=self._listen_loop, args=(datastore, channel, stop), daemon=True)
        thread.start()
        return thread

    def _listen_loop(self, datastore: Any, channel: str, stop: threading.Event) -> None:
        import psycopg
        from psycopg import sql

        info = datastore.pool.conninfo if hasattr(datastore.pool, "conninfo") else None
        kwargs = datastore.pool.kwargs if hasattr(datastore.pool, "kwargs") else {}
        try:
            with psycopg.connect(info or "", autocommit=True, **kwargs) as connection:
                connection.execute(sql.SQL("LISTEN {0}").format(sql.Identifier(channel)))
                while not stop.is_set():
                    for _ in connection.notifies(timeout=1.0, stop_after=1):
                        self._wake.set()
        except Exception:  # polling still runs: the nudge is an optimisation
            log.warning("LISTEN on %s failed; projecting by polling only", channel, exc_info=True)

    def _facts(
        self, cursor: Cursor, notifications: Sequence[Any], created: list[tuple[str, str, str]]
    ) -> tuple[list[tuple[Any, ...]], list[tuple[Fact, str | None]]]:
        """The rows of the notifications' facts; and the facts that change other rows (or
        erase a person), each with the person's unsealed name where it has one. A new
        aggregate's (id, locality, type) is added to ``created``."""
        rows: list[tuple[Any, ...]] = []
        changes: list[tuple[Fact, str | None]] = []
        localities = self._localities
        for notification, decoded in zip(notifications, self._decoder.decode_all(notifications), strict=True):
            aggregate_type, event_type, data = decoded
            aggregate_id = str(notification.originator_id)
            recorded_at, actor, effective, locality_id, sealed = take_standard(data)
            if locality_id is not None:
                localities[aggregate_id] = locality_id
                created.append((aggregate_id, locality_id, aggregate_type))
            else:
                locality_id = localities.get(aggregate_id) or self._locality_of(cursor, aggregate_id)
            position, version = notification.id, notification.originator_version
            row = (position, locality_id, aggregate_id, aggregate_type, version, event_type, actor)
            rows.append((*row, recorded_at, effective, data_text(data)))
            if (aggregate_type, event_type) in ROW_WRITERS or (aggregate_type, event_type) == ERASURE:
                fact = Fact(
                    *row,
                    recorded_at=datetime.fromisoformat(recorded_at),
                    effective=date.fromisoformat(effective) if effective else None,
                    data=data,
                )
                changes.append((fact, self._name(notification.originator_id, sealed)))
        return rows, changes

    def _name(self, person: UUID, sealed: str) -> str | None:
        """The person's unsealed name, if the event has one."""
        if not sealed:
            return None
        details = self.app.personal.unseal(person, sealed)
        return ERASED_NAME if details is None else str(details["name"])

    def _locality_of(self, cursor: Cursor, aggregate_id: str) -> str:
        if aggregate_id not in self._localities:
            cursor.execute("SELECT locality_id FROM view_aggregates WHERE aggregate_id = ?", (aggregate_id,))
            row = cursor.fetchone()
            if row is None:
                raise LookupError(f"event of unknown aggregate {aggregate_id}")
            self._localities[aggregate_id] = str(row[0])
        return self._localities[aggregate_id]

    def _write(
        self, cursor: Cursor, rows: Sequence[tuple[Any, ...]], changes: Sequence[tuple[Fact, str | None]]
    ) -> None:
        for fact, name in changes:
            write = ROW_WRITERS.get((fact.aggregate_type, fact.event_type))
            if write is not None:
                write(cursor, fact, name)
        cursor.executemany(
            "INSERT INTO view_facts (position, locality_id, aggregate_id, aggregate_type, version, event_type, "
            "actor, recorded_at, effective, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
