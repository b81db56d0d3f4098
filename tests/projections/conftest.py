"""Fixtures for the projections' tests: a locality whose stakeholders and ties carry the
dates the tests reason about, and its read side (projector, views and reader) on a
views database of its own."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

import pytest

from domain.application import CivicWeave
from projections.projector import Projector
from projections.reader import Reader
from projections.state import LocalityState
from projections.store import ViewDatabase, open_views
from projections.views import Views

SLUG = "riverside"
ACTOR = "facilitator"
#: Every stakeholder of the tests is in the network from this day unless told otherwise.
SINCE = date(2024, 1, 1)
#: The reader's "today": after every date the tests record, so defaults never depend on the clock.
TODAY = date(2030, 1, 1)

#: The durable tables a projection writes, with the columns that order their rows.
DURABLE_TABLES = {
    "view_facts": "position",
    "view_aggregates": "aggregate_id",
    "view_localities": "locality_id",
    "view_stakeholders": "id",
    "view_commitments": "id",
}


def table_rows(db: ViewDatabase, table: str, order: str | None = None) -> list[tuple[Any, ...]]:
    with db.transaction() as cursor:
        cursor.execute(f"SELECT * FROM {table} ORDER BY {order or DURABLE_TABLES[table]}")
        return [tuple(row) for row in cursor.fetchall()]


def durable_rows(db: ViewDatabase) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every durable table except tracking, in a fixed order."""
    return {table: table_rows(db, table) for table in DURABLE_TABLES}


class ReadSide:
    """An application's views on one views database: the projector that writes them,
    and the views and reader that serve them."""

    def __init__(self, app: CivicWeave, views_url: str, *, batch_size: int = 1000) -> None:
        self.app = app
        self.db = open_views(views_url)
        self.projector = Projector(app, self.db, batch_size=batch_size)
        self.views = Views(self.db)
        self.reader = Reader(self.views, today=lambda: TODAY)

    def state(self, slug: str = SLUG) -> LocalityState:
        """The locality's state once the projector has caught up with the log."""
        self.projector.catch_up()
        return self.views.state(slug)

    def close(self) -> None:
        self.db.close()


@dataclass
class Town:
    """Riverside, built command by command through the real application."""

    app: CivicWeave
    slug: str = SLUG
    positions: list[int] = field(default_factory=list)

    def _kept(self, receipt: Any) -> UUID:
        self.positions.append(receipt.position)
        return receipt.id  # type: ignore[no-any-return]

    def stakeholder(self, name: str, sector: str, *, kind: str = "organisation", since: date = SINCE) -> UUID:
        return self._kept(
            self.app.register_stakeholder(
                self.slug, kind=kind, sector=sector, name=name, since=since, actor=ACTOR
            )
        )

    def tie(
        self,
        source: UUID,
        target: UUID,
        *,
        kind: str = "collaborates",
        intensity: int = 2,
        valid_from: date = SINCE,
    ) -> UUID:
        return self._kept(
            self.app.form_relationship(
                self.slug,
                source_id=source,
                target_id=target,
                kind=kind,
                intensity=intensity,
                valid_from=valid_from,
                actor=ACTOR,
            )
        )

    def meeting(
        self, held_on: date, *attendees: UUID, kind: str = "change_group", title: str = "Change Group"
    ) -> UUID:
        meeting_id = self._kept(
            self.app.schedule_meeting(self.slug, kind=kind, title=title, held_on=held_on, actor=ACTOR)
        )
        if attendees:
            self._kept(self.app.record_attendance(self.slug, meeting_id, attendees, actor=ACTOR))
        return meeting_id

    def promise(
        self,
        promisor: UUID,
        *to: UUID,
        due: date,
        made_on: date | None = None,
        meeting: UUID | None = None,
        what: str = "Open the community hub two evenings a week",
    ) -> UUID:
        """A commitment made on ``made_on``, else on the day of its meeting."""
        return self._kept(
            self.app.make_commitment(
                self.slug,
                promisor_id=promisor,
                promisee_ids=to,
                to_change_group=not to,
                what=what,
                made_on=made_on,
                due=due,
                meeting_id=meeting,
                actor=ACTOR,
            )
        )


@pytest.fixture
def town(memory_app: CivicWeave) -> Town:
    """The locality "riverside", registered, with nobody in it yet, in memory."""
    memory_app.register_locality(SLUG, "Riverside", "North West", actor="admin")
    return Town(memory_app)


@pytest.fixture
def read_side(memory_app: CivicWeave) -> Iterator[ReadSide]:
    """The read side of the in-memory application, on an in-memory views database."""
    side = ReadSide(memory_app, "sqlite://")
    yield side
    side.close()
