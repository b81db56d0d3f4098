"""Reading the views: the durable tables, and each locality's state held in memory by
tailing the facts table (so every API process serves the same views the single
projector writes)."""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from projections.facts import Fact
from projections.folds import apply
from projections.projector import VIEW
from projections.state import LocalityState
from projections.store import Cursor, ViewDatabase, tracked_position

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


class Views:
    def __init__(self, db: ViewDatabase) -> None:
        self.db = db
        self._states: dict[str, LocalityState] = {}
        self._seen = 0
        self._lock = threading.Lock()

    # Following the projector

    def position(self) -> int:
        """How far the projector has got in the application's log."""
        with self.db.transaction() as cursor:
            return tracked_position(cursor, VIEW)

    def wait_for(self, position: int | None, *, timeout: float = 2.0) -> bool:
        """Wait (bounded) until the views include ``position``; False if they still lag."""
        if position is None:
            return True
        deadline = time.monotonic() + timeout
        delay = 0.002
        while self.position() < position:
            if time.monotonic() >= deadline:
                return False
            time.sleep(delay)
            delay = min(delay * 2, 0.05)
        return True

    def refresh(self) -> None:
        """Fold the facts written since the last refresh into the in-memory states."""
        with self._lock, self.db.transaction() as cursor:
            cursor.execute(
                f"SELECT {FACT_COLUMNS} FROM view_facts WHERE position > ? ORDER BY position",
                (self._seen,),
            )
            facts = [Fact.from_row(tuple(r)) for r in cursor.fetchall()]
            if not facts:
                return
            names = _person_names(cursor, facts)
        with self._lock:
            # Copy on write: a state already handed to a reader is never changed under it.
            changed: dict[str, LocalityState] = {}
            for fact in facts:
                if fact.position <= self._seen:
                    continue
                state = changed.get(fact.locality_id)
                if state is None:
                    current = self._states.get(fact.locality_id)
                    state = copy.deepcopy(current) if current else LocalityState(id=fact.locality_id)
                    changed[fact.locality_id] = state
                apply(state, fact, name=names.get(fact.aggregate_id))
                self._seen = fact.position
            self._states.update(changed)

    # Localities

    def localities(self) -> list[LocalityRow]:
        with self.db.transaction() as cursor:
            cursor.execute("SELECT locality_id, slug, name, region FROM view_localities ORDER BY slug")
            return [LocalityRow(*map(str, row)) for row in cursor.fetchall()]

    def locality(self, slug: str) -> LocalityRow:
        with self.db.transaction() as cursor:
            cursor.execute(
                "SELECT locality_id, slug, name, region FROM view_localities WHERE slug = ?",
                (slug,),
            )
            row = cursor.fetchone()
        if row is None:
            raise UnknownLocalityError(slug)
        return LocalityRow(*map(str, row))

    def state(self, slug: str) -> LocalityState:
        """The locality's current state, as far as the projector has got."""
        locality = self.locality(slug)
        self.refresh()
        return self._states.get(locality.id) or LocalityState(id=locality.id, slug=slug)

    def as_recorded(self, slug: str, recorded_at: datetime) -> LocalityState:
        """What the record said at ``recorded_at`` (system time): the facts recorded by then.

        A naive ``recorded_at`` is taken to be UTC, the zone the log records in.
        """
        locality = self.locality(slug)
        # recorded_at is stored as UTC ISO text: compare like with like, or text order is not time order.
        moment = recorded_at.astimezone(UTC) if recorded_at.tzinfo else recorded_at.replace(tzinfo=UTC)
        with self.db.transaction() as cursor:
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
        with self.db.transaction() as cursor:
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
        with self.db.transaction() as cursor:
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
        with self.db.transaction() as cursor:
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
