"""The projector: follows the application's notification log in order and writes the
durable read models, one batch and its tracking position per transaction.

It runs in one process only (the worker, or the single-process server). SQLite has no
live subscription, so the projector polls; on PostgreSQL it also LISTENs to the
channel eventsourcing NOTIFYs on every append, and polls as a periodic nudge.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import sqlite3
import threading
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import closing
from datetime import date, datetime
from itertools import islice
from typing import Any
from uuid import UUID

from domain.application import CivicWeave
from domain.bulk import collector_paused
from domain.persistence import sqlite_file
from domain.stakeholder import Stakeholder
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
#: While following the log, the chain is extended at most this often (seconds): on SQLite
#: it lives in the log's file, and each extension's write transaction held up the next
#: group of commands (at every batch under a write load: -12% commands/s, +10% p99).
CHAIN_AT_MOST_EVERY = 0.1
#: Processes that read and decode a rebuild's batches ahead of the projector (at most one
#: per core): with two on two cores, a rebuild is about half as long again as fast.
READERS = 2


#: A fact's row (position, locality, aggregate id, aggregate type, version, event type,
#: actor, recorded at (ISO), effective date (ISO), data as stored); the locality is None
#: where the event does not name it (all but an aggregate's first).
FactRow = tuple[int, str | None, str, str, int, str, str, str, str | None, str]
#: One notification read and decoded: its fact's row, the sealed personal details, and
#: the data as values for the events that change other rows (None for the rest).
EventRow = tuple[FactRow, str, dict[str, Any] | None]
#: A batch read ahead: the positions it was read from and to (inclusive), and every
#: notification between them there was then.
ReadAhead = tuple[int, int, list[EventRow]]
_CHANGES = frozenset(ROW_WRITERS) | {ERASURE}
STAKEHOLDER = Stakeholder.__name__  # a fact's aggregate type


def stakeholders_changed(cursor: Cursor, after: int, up_to: int) -> list[UUID]:
    """The stakeholders that the facts after ``after``, up to ``up_to``, changed."""
    cursor.execute(
        "SELECT DISTINCT aggregate_id FROM view_facts WHERE position > ? AND position <= ? AND aggregate_type = ?",
        (after, up_to, STAKEHOLDER),
    )
    return [UUID(str(row[0])) for row in cursor.fetchall()]


def decode(decoder: StoredEventDecoder, notifications: Sequence[Any]) -> list[EventRow]:
    """The notifications as the facts table and the row writers need them: pure, so a
    process of its own can do it for a rebuild while this one writes."""
    decoded: list[EventRow] = []
    for notification, (aggregate_type, event_type, data) in zip(
        notifications, decoder.decode_all(notifications), strict=True
    ):
        recorded_at, actor, effective, locality_id, sealed = take_standard(data)
        row = (
            notification.id,
            locality_id,
            str(notification.originator_id),
            aggregate_type,
            notification.originator_version,
            event_type,
            actor,
            recorded_at,
            effective,
            data_text(data),
        )
        decoded.append((row, sealed, data if (aggregate_type, event_type) in _CHANGES else None))
    return decoded


_READING: list[tuple[CivicWeave, StoredEventDecoder]] = []  # in the reader process: its app and decoder


def _read_and_decode(env: dict[str, str], start: int, stop: int) -> ReadAhead:
    """In a reader process: the notifications from ``start`` to ``stop``, decoded."""
    if not _READING:
        # The tables are there (the projector's app made them); two readers making them at
        # once would clash in PostgreSQL's catalog ("tuple concurrently updated").
        app = CivicWeave({**env, "CREATE_TABLE": "false"})
        _READING.append((app, StoredEventDecoder(app.mapper)))
    app, decoder = _READING[0]
    with collector_paused():
        notifications = app.recorder.select_notifications(start=start, limit=stop - start + 1, stop=stop)
        return start, stop, decode(decoder, notifications)


class ReadingAhead:
    """Processes of their own that read and decode a rebuild's next batches while the
    projector writes the last one: reading and decoding are two thirds of a rebuild's
    work, and the interpreter runs one thread at a time. Only for stores another process
    can open."""

    def __init__(self, env: dict[str, str], *, processes: int) -> None:
        self._env = env
        self._pool = ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("spawn"))

    @staticmethod
    def possible(env: Any) -> bool:
        return env.get("PERSISTENCE_MODULE") == "eventsourcing.postgres" or sqlite_file(env) is not None

    def read(self, start: int, stop: int) -> Future[ReadAhead]:
        return self._pool.submit(_read_and_decode, self._env, start, stop)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


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
        read_ahead: bool = True,
    ) -> None:
        """``read_ahead``: a rebuild reads and decodes in a process of its own where it can."""
        self.app = app
        self.read_ahead = read_ahead
        self.views = views
        self.chain = chain
        self.batch_size = batch_size
        self._localities: dict[str, str] = {}
        self._position: int | None = None  # the views' position after this projector's last batch
        self._decoder = StoredEventDecoder(app.mapper)
        self._wake = threading.Event()
        #: Called with the new position after each batch is committed (e.g. ``Views.advanced``).
        self.on_applied: Callable[[int], None] | None = None
        #: Called after each batch is committed with the stakeholders it changed (e.g.
        #: ``ActiveStakeholders.forget``: a change made by another process is heard of here).
        self.on_stakeholders_changed: Callable[[list[UUID]], None] | None = None

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

    def run_once(
        self, *, batch_size: int | None = None, ahead: ReadAhead | None = None, chain: bool = True
    ) -> int:
        """Project the next batch of notifications (and chain them, for tamper evidence,
        unless ``chain`` is false); returns how many were applied to the views.
        ``ahead``: the batch, if it was read already (used only if it starts where the
        views are)."""
        # A batch makes rows and hashes, not cyclic garbage: collections cost a rebuild ~25%.
        with collector_paused():
            before = self._position
            applied = self._project_batch(batch_size or self.batch_size, ahead)
            if self._position != before and self._position is not None and self.on_applied is not None:
                self.on_applied(self._position)  # before chaining: a waiting write may answer now
            if chain and self.chain is not None:
                self.chain.extend()
        return applied

    def _project_batch(self, batch_size: int, ahead: ReadAhead | None) -> int:
        with self.views.transaction() as cursor:
            if self.views.exclusive_lock:
                cursor.execute(self.views.exclusive_lock)
            tracked = tracked_position(cursor, VIEW)
            if self._position is not None and tracked > self._position:
                self._applied_elsewhere(cursor, self._position, tracked)
            self._position = tracked
            start = tracked + 1
            if ahead is not None and ahead[0] <= start <= ahead[1] + 1:
                # It holds every notification from where the views are up to its end (more
                # after its end are read with the next batch).
                decoded = [each for each in ahead[2] if each[0][0] >= start]
            else:
                notifications = self.app.recorder.select_notifications(start=start, limit=batch_size)
                decoded = decode(self._decoder, notifications)
            if not decoded:
                return 0
            created: list[tuple[str, str, str]] = []
            rows, changes = self._facts(cursor, decoded, created)
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
                (VIEW, decoded[-1][0][0]),
            )
            changed = [UUID(row[2]) for row, _, _ in decoded if row[3] == STAKEHOLDER]
            # To API processes that listen (Views.listen); they read which stakeholders only if any.
            self.views.announce(cursor, decoded[-1][0][0], stakeholders=bool(changed))
        self._position = decoded[-1][0][0]
        if self.on_stakeholders_changed is not None:
            self.on_stakeholders_changed(changed)
        if erased:
            self._leave_no_copies()
        return len(decoded)

    def _applied_elsewhere(self, cursor: Cursor, after: int, up_to: int) -> None:
        """Another projector (a second one, started by mistake: they take turns) applied
        the notifications after ``after`` up to ``up_to``: those this one tells of are told."""
        if self.on_stakeholders_changed is not None:
            self.on_stakeholders_changed(stakeholders_changed(cursor, after, up_to))

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
            if rebuilding and self.read_ahead and ReadingAhead.possible(self.app.env):
                total += self._rebuild_reading_ahead(batch_size)
            while applied := self.run_once(batch_size=batch_size):
                total += applied
        finally:
            if rebuilding:
                with self.views.transaction() as cursor:
                    for statement in FACT_INDEXES.values():
                        cursor.execute(statement)
                self.views.rebuilding(False)
        return total

    def _rebuild_reading_ahead(self, batch_size: int) -> int:
        """Project while processes of their own read and decode the next batches; returns
        how many were applied. What is left (or all, if those processes cannot be had) is
        then read here."""
        processes = max(1, min(READERS, (os.cpu_count() or 1)))
        try:
            reader = ReadingAhead(dict(self.app.env), processes=processes)
        except (OSError, RuntimeError):
            log.warning("rebuilding without reading ahead", exc_info=True)
            return 0
        total = 0
        try:
            end = self.app.recorder.max_notification_id() or 0
            starts = iter(range(self.position() + 1, end + 1, batch_size))
            ahead = deque(reader.read(start, start + batch_size - 1) for start in islice(starts, processes))
            while ahead:
                batch = ahead.popleft().result()
                for start in islice(starts, 1):
                    ahead.append(reader.read(start, start + batch_size - 1))
                total += self.run_once(batch_size=batch_size, ahead=batch)
            return total
        except Exception:  # e.g. a reader process died: catch_up reads the rest itself
            log.warning("reading ahead stopped; rebuilding on without it", exc_info=True)
            return total
        finally:
            reader.close()

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
        self.views.rebuilding(True)
        return True

    def run_forever(self, stop: threading.Event, *, poll_seconds: float = 0.5) -> None:
        """Follow the log until ``stop``. The hash chain is extended by a thread of its
        own, woken after each batch: chaining a batch took longer than projecting it on
        PostgreSQL, and the writes waiting for the next batch waited for that too."""
        listener = self._listen(stop)
        chain_due = threading.Event()
        chainer = self._chaining(stop, chain_due, poll_seconds)
        try:
            while not stop.is_set():
                try:
                    if self.run_once(chain=chainer is None):
                        chain_due.set()
                        continue
                except Exception:  # a bad batch must not stop the worker; it is retried
                    log.exception("projection batch failed; retrying")
                    stop.wait(poll_seconds)
                self._wake.wait(poll_seconds)
                self._wake.clear()
        finally:
            chain_due.set()
            for thread in (listener, chainer):
                if thread is not None:
                    thread.join(timeout=5)

    def _chaining(
        self, stop: threading.Event, due: threading.Event, poll_seconds: float
    ) -> threading.Thread | None:
        chain = self.chain
        if chain is None:
            return None

        def extend() -> None:
            while not stop.is_set():
                due.wait(poll_seconds)
                due.clear()
                try:
                    with collector_paused():
                        chain.extend()
                except Exception:  # retried at the next batch or poll
                    log.exception("extending the hash chain failed; retrying")
                stop.wait(CHAIN_AT_MOST_EVERY)

        thread = threading.Thread(target=extend, name="chain", daemon=True)
        thread.start()
        return thread

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
        self, cursor: Cursor, decoded: Sequence[EventRow], created: list[tuple[str, str, str]]
    ) -> tuple[list[tuple[Any, ...]], list[tuple[Fact, str | None]]]:
        """The rows of the notifications' facts; and the facts that change other rows (or
        erase a person), each with the person's unsealed name where it has one. A new
        aggregate's (id, locality, type) is added to ``created``."""
        rows: list[tuple[Any, ...]] = []
        changes: list[tuple[Fact, str | None]] = []
        localities = self._localities
        for row, sealed, data in decoded:
            aggregate_id = row[2]
            locality_id = row[1]
            if locality_id is not None:
                localities[aggregate_id] = locality_id
                created.append((aggregate_id, locality_id, row[3]))
            else:
                locality_id = localities.get(aggregate_id) or self._locality_of(cursor, aggregate_id)
                row = (row[0], locality_id, *row[2:])
            rows.append(row)
            if data is not None:
                position, _, _, aggregate_type, version, event_type, actor, recorded_at, effective, _ = row
                fact = Fact(
                    position,
                    locality_id,
                    aggregate_id,
                    aggregate_type,
                    version,
                    event_type,
                    actor,
                    recorded_at=datetime.fromisoformat(recorded_at),
                    effective=date.fromisoformat(effective) if effective else None,
                    data=data,
                )
                changes.append((fact, self._name(aggregate_id, sealed)))
        return rows, changes

    def _name(self, person: str, sealed: str) -> str | None:
        """The person's unsealed name, if the event has one."""
        if not sealed:
            return None
        details = self.app.personal.unseal(UUID(person), sealed)
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
