"""Tamper evidence: a hash chain over each locality's events.

Each link is SHA-256 over the previous link of the same locality and the event's stored
bytes (position, topic, aggregate id and version, state). The links live beside the log
(never in the rebuildable views), so ``verify`` can recompute them from the stored events
and name the first event that no longer matches. A locality's head (its last link) can be
published: whoever kept it can later check that nothing before it changed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from domain.application import CivicWeave
from projections.store import Cursor, ViewDatabase

SCHEMA = (
    """CREATE TABLE IF NOT EXISTS civicweave_chain (
        position BIGINT PRIMARY KEY, locality_id TEXT NOT NULL, aggregate_id TEXT NOT NULL, link TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS civicweave_chain_locality ON civicweave_chain (locality_id, position)",
    # Each new aggregate's locality is looked up by its id: without this, chaining is quadratic.
    "CREATE INDEX IF NOT EXISTS civicweave_chain_aggregate ON civicweave_chain (aggregate_id)",
)
GENESIS = "0" * 64
BATCH = 1000


def link(previous: str, notification: Any) -> str:
    digest = hashlib.sha256()
    for part in (
        previous.encode(),
        str(notification.id).encode(),
        notification.topic.encode(),
        str(notification.originator_id).encode(),
        str(notification.originator_version).encode(),
    ):
        digest.update(part)
        digest.update(b"\x1f")
    digest.update(bytes(notification.state))
    return digest.hexdigest()


@dataclass(frozen=True)
class Verification:
    verified: int
    first_mismatch: int | None = None
    aggregate_id: str | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.first_mismatch is None

    def __str__(self) -> str:
        if self.ok:
            return f"{self.verified} events verified"
        return f"event {self.first_mismatch} (aggregate {self.aggregate_id}) does not match: {self.reason}"


class Chain:
    def __init__(self, app: CivicWeave, db: ViewDatabase) -> None:
        self.app = app
        self.db = db

    def extend(self) -> int:
        """Chain the events appended since the last link; returns how many.

        The events are read before the chain's transaction begins: reading takes a
        connection from the application's pool, whose writer may be waiting for the
        database lock that transaction holds (on SQLite, a deadlock until timeouts).
        """
        total = 0
        while True:
            with self.db.transaction() as cursor:
                start = self._start(cursor)
            notifications = self.app.recorder.select_notifications(start=start, limit=BATCH)
            with self.db.transaction() as cursor:
                if self.db.exclusive_lock:
                    cursor.execute(self.db.exclusive_lock.replace("7318", "7319"))
                if self._start(cursor) != start:
                    continue  # another process chained them meanwhile
                heads: dict[str, str] = {}
                localities: dict[str, str] = {}  # of the aggregates in this batch
                rows: list[tuple[int, str, str, str]] = []
                for notification in notifications:
                    aggregate_id = str(notification.originator_id)
                    locality_id = localities.get(aggregate_id) or self._locality(cursor, notification)
                    localities[aggregate_id] = locality_id
                    previous = heads.get(locality_id) or self._head(cursor, locality_id)
                    heads[locality_id] = link(previous, notification)
                    rows.append((notification.id, locality_id, aggregate_id, heads[locality_id]))
                cursor.executemany(
                    "INSERT INTO civicweave_chain (position, locality_id, aggregate_id, link) VALUES (?, ?, ?, ?)",
                    rows,
                )
            total += len(rows)
            if len(notifications) < BATCH:
                return total

    @staticmethod
    def _start(cursor: Cursor) -> int:
        cursor.execute("SELECT MAX(position) FROM civicweave_chain")
        return int(cursor.fetchone()[0] or 0) + 1

    def _locality(self, cursor: Cursor, notification: Any) -> str:
        aggregate_id = str(notification.originator_id)
        cursor.execute(
            "SELECT locality_id FROM civicweave_chain WHERE aggregate_id = ? LIMIT 1", (aggregate_id,)
        )
        row = cursor.fetchone()
        if row is not None:
            return str(row[0])
        event = self.app.mapper.to_domain_event(notification)
        return str(getattr(event, "locality_id", None) or aggregate_id)

    @staticmethod
    def _head(cursor: Cursor, locality_id: str) -> str:
        cursor.execute(
            "SELECT link FROM civicweave_chain WHERE locality_id = ? ORDER BY position DESC LIMIT 1",
            (locality_id,),
        )
        row = cursor.fetchone()
        return str(row[0]) if row else GENESIS

    def head(self, locality_id: str) -> dict[str, Any]:
        """The locality's latest link: publish it so that others can check the past later."""
        with self.db.transaction() as cursor:
            cursor.execute(
                "SELECT position, link, (SELECT COUNT(*) FROM civicweave_chain WHERE locality_id = ?) "
                "FROM civicweave_chain WHERE locality_id = ? ORDER BY position DESC LIMIT 1",
                (locality_id, locality_id),
            )
            row = cursor.fetchone()
        if row is None:
            return {"locality_id": locality_id, "position": 0, "link": GENESIS, "events": 0}
        return {
            "locality_id": locality_id,
            "position": int(row[0]),
            "link": str(row[1]),
            "events": int(row[2]),
        }

    def verify(self, locality_id: str | None = None) -> Verification:
        """Recompute every link (of one locality, or all) from the stored events."""
        heads: dict[str, str] = {}
        verified = 0
        after = 0
        while True:
            with self.db.transaction() as cursor:
                cursor.execute(
                    "SELECT position, locality_id, aggregate_id, link FROM civicweave_chain WHERE position > ? "
                    "ORDER BY position LIMIT ?",
                    (after, BATCH),
                )
                links = cursor.fetchall()
            if not links:
                return Verification(verified)
            stored = {
                n.id: n
                for n in self.app.recorder.select_notifications(
                    start=links[0][0], limit=BATCH, stop=links[-1][0]
                )
            }
            for position, locality, aggregate_id, expected in links:
                after = int(position)
                previous = heads.get(locality, GENESIS)
                notification = stored.get(position)
                if notification is None:
                    if locality_id in (None, locality):
                        return Verification(
                            verified, position, aggregate_id, "the event is missing from the log"
                        )
                    continue
                heads[locality] = link(previous, notification)
                if locality_id not in (None, locality):
                    continue
                if heads[locality] != expected or str(notification.originator_id) != aggregate_id:
                    return Verification(
                        verified,
                        position,
                        aggregate_id,
                        "its stored bytes have changed since they were chained",
                    )
                verified += 1
