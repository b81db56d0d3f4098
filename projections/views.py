"""Reading the views: the durable tables, and each locality's state held in memory by
tailing the facts table (so every API process serves the same views the single
projector writes)."""

from __future__ import annotations

import gc
import logging
import queue
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from domain.bulk import collector_paused
from projections import snapshots
from projections.facts import Fact
from projections.folds import apply
from projections.following import Following
from projections.projector import VIEW
from projections.state import LocalityState
from projections.store import Cursor, ViewDatabase, tracked_position

log = logging.getLogger(__name__)

#: Facts read and folded at a time while a locality loads (bounds the rows held at once).
FOLD_CHUNK = 10_000
FACT_COLUMNS = "position, locality_id, aggregate_id, aggregate_type, version, event_type, actor, recorded_at, effective, data"


@dataclass(frozen=True)
class LocalityRow:
    id: str
    slug: str
    name: str
    region: str


class UnknownLocalityError(LookupError):
    def __init__(self, slug: str) -> None:
        self.slug = slug
        super().__init__(f"locality {slug} not found")


class Views(Following):
    def __init__(self, db: ViewDatabase, *, snapshot_every: int = snapshots.SNAPSHOT_EVERY) -> None:
        """``snapshot_every``: facts folded into a locality before its state is kept as a
        snapshot (by a thread of its own); 0 keeps none."""
        super().__init__(db)
        self.snapshot_every = snapshot_every
        self._unsnapped: dict[str, int] = {}  # locality id -> facts folded since its last snapshot
        self._snapshots: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        self._snapshotter: threading.Thread | None = None
        self._states: dict[str, LocalityState] = {}
        self._read_up_to: dict[str, int] = {}  # locality id -> the view position its state includes
        self._ids: dict[str, str] = {}  # slug -> id of every locality seen: none is ever removed
        self._locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    def refresh(self) -> None:
        """Fold the facts written since into the state of every locality (loading them all)."""
        for row in self.localities():
            self._current(row.id)

    def _current(self, locality_id: str) -> tuple[LocalityState, int]:
        """The locality's state with every fact the projector has written for it folded
        in, and the view position it includes (all of the locality's facts up to it).

        Each locality is loaded when it is first read, not all at start: a restarted
        server answers for a locality once that locality's facts are folded, and holds
        in memory only the localities that are read. The fold goes into a fork of the
        state (copy on write): a state already handed to a reader never changes under it.
        """
        seen = self.position()  # no lock: while nothing new is projected, readers do not queue
        with self._lock:
            current = self._states.get(locality_id)
            read_up_to = self._read_up_to.get(locality_id, -1)
            if current is not None and read_up_to >= seen:
                return current, read_up_to
            lock = self._locks.setdefault(locality_id, threading.Lock())
        with lock:
            current = self._states.get(locality_id)
            # Folding makes rows, not garbage: with the collector running, half a fold's time
            # went to collections, each walking every row held so far.
            with collector_paused():
                loaded = None if current else self._snapshot(locality_id)
                state = current or loaded or LocalityState(id=locality_id)
                forked, folded = False, 0
                while True:
                    # A page per transaction, folded outside it: the projector is never kept waiting.
                    with self.db.read() as cursor:
                        tracked = tracked_position(cursor, VIEW)  # the facts below are all there is up to it
                        cursor.execute(
                            f"SELECT {FACT_COLUMNS} FROM view_facts WHERE locality_id = ? AND position > ? "
                            "ORDER BY position LIMIT ?",
                            (locality_id, state.position, FOLD_CHUNK),
                        )
                        facts = [Fact.from_row(tuple(r)) for r in cursor.fetchall()]
                        names = _person_names(cursor, facts)
                    if not facts:
                        break
                    if current is not None and not forked:
                        state, forked = current.fork(), True
                    for fact in facts:
                        apply(state, fact, name=names.get(fact.aggregate_id))
                    folded += len(facts)
                if loaded is not None or folded >= FOLD_CHUNK:
                    # Long-lived rows by the million: kept out of every later collection (which
                    # would walk them all, the first one for the next request to pay for). They
                    # are still freed when no longer referenced; rows hold no reference cycles.
                    gc.freeze()
            with self._lock:
                self._states[locality_id] = state
                self._read_up_to[locality_id] = tracked
                unsnapped = self._unsnapped[locality_id] = self._unsnapped.get(locality_id, 0) + folded
            if self.snapshot_every and unsnapped >= self.snapshot_every:
                self._keep_soon(locality_id)
            return state, tracked

    # Snapshots: a restarted server starts a locality from its last one

    def _snapshot(self, locality_id: str) -> LocalityState | None:
        if not self.snapshot_every:
            return None
        with self.db.read() as cursor:
            return snapshots.read(cursor, locality_id)

    def _keep_soon(self, locality_id: str) -> None:
        """Keep the locality's state as its snapshot, in a thread of its own (pickling a
        large locality takes a moment; the read that folded it does not wait for that)."""
        with self._lock:
            self._unsnapped[locality_id] = 0
            if self._snapshotter is None:
                self._snapshotter = threading.Thread(target=self._keep_queued, name="snapshots", daemon=True)
                self._snapshotter.start()
        self._snapshots.put(locality_id)

    def _keep_queued(self) -> None:
        while (locality_id := self._snapshots.get()) is not None:
            try:
                self.keep(locality_id)
            except Exception:  # the next fold of the locality tries again
                log.warning("could not keep a snapshot of locality %s", locality_id, exc_info=True)
                with self._lock:
                    self._unsnapped[locality_id] = self.snapshot_every

    def keep(self, locality_id: str) -> bool:
        """Keep the locality's current state as its snapshot now; False if it has no
        facts yet, or an erasure came after it."""
        state, _ = self._current(locality_id)
        return bool(state.position) and snapshots.write(self.db, state)

    def close(self) -> None:
        """Finish the snapshots under way (a server stopping keeps what it folded)."""
        with self._lock:
            snapshotter, self._snapshotter = self._snapshotter, None
        if snapshotter is not None:
            self._snapshots.put(None)
            snapshotter.join()

    # Localities

    def localities(self) -> list[LocalityRow]:
        with self.db.read() as cursor:
            cursor.execute("SELECT locality_id, slug, name, region FROM view_localities ORDER BY slug")
            return [LocalityRow(*map(str, row)) for row in cursor.fetchall()]

    def locality(self, slug: str) -> LocalityRow:
        with self.db.read() as cursor:
            cursor.execute(
                "SELECT locality_id, slug, name, region FROM view_localities WHERE slug = ?",
                (slug,),
            )
            row = cursor.fetchone()
        if row is None:
            raise UnknownLocalityError(slug)
        return LocalityRow(*map(str, row))

    def locality_id(self, slug: str) -> str:
        """The locality's id; raises UnknownLocalityError if the views have no such locality.

        A locality, once registered, is never removed, and its id never changes: each
        process asks the views only once per locality.
        """
        found = self._ids.get(slug)
        if found is None:
            found = self._ids[slug] = self.locality(slug).id
        return found

    def state(self, slug: str) -> LocalityState:
        """The locality's current state, as far as the projector has got."""
        return self.state_and_position(slug)[0]

    def state_and_position(self, slug: str) -> tuple[LocalityState, int]:
        """The locality's current state, and the view position it includes: while the
        views stay at that position, the state is current."""
        locality_id = self.locality_id(slug)
        state, position = self._current(locality_id)
        return (state if state.position else LocalityState(id=locality_id, slug=slug)), position

    def as_recorded(self, slug: str, recorded_at: datetime) -> LocalityState:
        """What the record said at ``recorded_at`` (system time): the facts recorded by then.

        A naive ``recorded_at`` is taken to be UTC, the zone the log records in.
        """
        locality = self.locality(slug)
        # recorded_at is stored as UTC ISO text: compare like with like, or text order is not time order.
        moment = recorded_at.astimezone(UTC) if recorded_at.tzinfo else recorded_at.replace(tzinfo=UTC)
        with self.db.read() as cursor:
            cursor.execute(
                f"SELECT {FACT_COLUMNS} FROM view_facts WHERE locality_id = ? AND recorded_at <= ? ORDER BY position",
                (locality.id, moment.isoformat()),
            )
            facts = [Fact.from_row(tuple(r)) for r in cursor.fetchall()]
            names = _person_names(cursor, facts)
        state = LocalityState(id=locality.id)
        for fact in facts:
            apply(state, fact, name=names.get(fact.aggregate_id))
        return state

    # Facts: audit trails and the feed

    def history(self, aggregate_id: str) -> list[Fact]:
        with self.db.read() as cursor:
            cursor.execute(
                f"SELECT {FACT_COLUMNS} FROM view_facts WHERE aggregate_id = ? ORDER BY position",
                (aggregate_id,),
            )
            return [Fact.from_row(tuple(r)) for r in cursor.fetchall()]

    def facts(
        self, locality_id: str, *, after: int = 0, limit: int = 100, event_type: str | None = None
    ) -> list[Fact]:
        sql = f"SELECT {FACT_COLUMNS} FROM view_facts WHERE locality_id = ? AND position > ?"
        params: list[Any] = [locality_id, after]
        if event_type:
            sql += " AND (event_type = ? OR aggregate_type || '.' || event_type = ?)"
            params += [event_type, event_type]
        with self.db.read() as cursor:
            cursor.execute(sql + " ORDER BY position LIMIT ?", (*params, limit))
            return [Fact.from_row(tuple(r)) for r in cursor.fetchall()]

    # The durable lists

    def rows(
        self,
        table: str,
        locality_id: str,
        *,
        where: Iterable[tuple[str, Any]] = (),
        order: str = "id",
        limit: int = 50,
        offset: int = 0,
    ) -> tuple[list[dict[str, Any]], int]:
        """A page of a durable table (``view_stakeholders`` or ``view_commitments``) and the total."""
        if table not in ("view_stakeholders", "view_commitments"):
            raise ValueError(table)
        clauses = ["locality_id = ?"]
        params: list[Any] = [locality_id]
        for clause, value in where:
            clauses.append(clause)
            params.append(value)
        condition = " AND ".join(clauses)
        with self.db.read() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE {condition}", params)
            total = int(cursor.fetchone()[0])
            cursor.execute(
                f"SELECT * FROM {table} WHERE {condition} ORDER BY {order} LIMIT ? OFFSET ?",
                (*params, limit, offset),
            )
            columns = [c[0] for c in cursor.description]
            return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()], total


def _person_names(cursor: Cursor, facts: list[Fact]) -> dict[str, str]:
    """Unsealed names of the persons these facts register or rename (kept only in the stakeholder rows)."""
    wanted = sorted(
        {f.aggregate_id for f in facts if f.aggregate_type == "Stakeholder" and f.data.get("name") == ""}
    )
    names: dict[str, str] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        cursor.execute(
            f"SELECT id, name FROM view_stakeholders WHERE id IN ({', '.join('?' * len(chunk))})",
            chunk,
        )
        names.update({str(i): str(n) for i, n in cursor.fetchall()})
    return names
