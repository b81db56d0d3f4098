"""Rebuilding the views from the log gives exactly what incremental updates gave: random
sequences of commands, driven through the real application, projected after every
command and then once from zero into a fresh views database."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any
from uuid import UUID

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.application import CivicWeave
from domain.errors import CivicWeaveError
from domain.persistence import environment
from domain.vocabulary import DEFAULT_SECTORS, MeetingKind, RelationshipKind
from tests.projections.conftest import ACTOR, SLUG, ReadSide, durable_rows

BASE = date(2024, 1, 1)
AS_OF = (date(2024, 3, 1), date(2024, 9, 1), date(2025, 3, 1))
RELATIONSHIP_KINDS = [k.value for k in RelationshipKind]
MEETING_KINDS = [k.value for k in MeetingKind]


def day(offset: int) -> date:
    return BASE + timedelta(days=offset)


index = st.integers(0, 30)
offset = st.integers(0, 400)
rating = st.tuples(*[st.integers(1, 4)] * 3)

register = st.tuples(st.just("register"), st.integers(0, len(DEFAULT_SECTORS) - 1), st.booleans(), offset)
form = st.tuples(
    st.just("form"), index, index, st.integers(0, len(RELATIONSHIP_KINDS) - 1), st.integers(1, 4), offset
)
meeting = st.tuples(
    st.just("meeting"),
    st.integers(0, len(MEETING_KINDS) - 1),
    offset,
    st.lists(index, min_size=1, max_size=5),
    st.sampled_from(["scheduled", "held", "cancelled"]),
)
promise = st.tuples(
    st.just("promise"), index, st.lists(index, max_size=3), offset, st.integers(0, 120), st.integers(-1, 30)
)
# The commands that add records come twice, so that scripts have records to change.
commands = st.one_of(
    register,
    register,
    form,
    form,
    meeting,
    meeting,
    promise,
    promise,
    st.tuples(st.just("rate"), index, st.integers(0, 2), rating, rating, offset),
    st.tuples(st.just("intensity"), index, st.integers(1, 4), offset),
    st.tuples(st.just("end"), index, offset),
    st.tuples(st.just("correct"), index, index, index),
    st.tuples(st.just("progress"), index, st.integers(-1, 30), offset),
    st.tuples(st.just("renegotiate"), index, st.integers(1, 200), offset),
    st.tuples(st.just("reassign"), index, index, offset),
    st.tuples(st.just("close"), index, st.sampled_from(["fulfil", "miss", "withdraw"]), offset),
    st.tuples(st.just("merge"), index, index),
    st.tuples(st.just("archive"), index),
    st.tuples(st.just("sector"), index, st.integers(0, len(DEFAULT_SECTORS) - 1), offset),
    st.tuples(st.just("erase"), index),
)


class Driver:
    """Turns drawn commands into calls on the application, choosing existing records by
    index; the domain refuses the commands that break its rules, and they write nothing."""

    def __init__(self, app: CivicWeave) -> None:
        self.app = app
        self.stakeholders: list[UUID] = []
        self.active: list[UUID] = []  # neither merged away nor archived
        self.people: list[UUID] = []
        self.relationships: list[UUID] = []
        self.meetings: list[UUID] = []
        self.commitments: list[UUID] = []

    @staticmethod
    def _pick(records: list[UUID], i: int) -> UUID | None:
        return records[i % len(records)] if records else None

    def run(self, command: tuple[Any, ...]) -> None:
        name, *args = command
        with contextlib.suppress(CivicWeaveError):
            getattr(self, f"_{name}")(*args)

    def _register(self, sector: int, person: bool, since: int) -> None:
        n = len(self.stakeholders)
        receipt = self.app.register_stakeholder(
            SLUG,
            kind="person" if person else "organisation",
            sector=DEFAULT_SECTORS[sector],
            name=f"Person {n}" if person else f"Organisation {n}",
            since=day(since),
            actor=ACTOR,
        )
        self.stakeholders.append(receipt.id)
        self.active.append(receipt.id)
        if person:
            self.people.append(receipt.id)

    def _form(self, a: int, b: int, kind: int, intensity: int, valid_from: int) -> None:
        source, target = self._pick(self.active, a), self._pick(self.active, b)
        if source is None or target is None:
            return
        receipt = self.app.form_relationship(
            SLUG,
            source_id=source,
            target_id=target,
            kind=RELATIONSHIP_KINDS[kind],
            intensity=intensity,
            valid_from=day(valid_from),
            actor=ACTOR,
        )
        self.relationships.append(receipt.id)

    def _rate(self, r: int, rater: int, trust: tuple[int, ...], value: tuple[int, ...], on: int) -> None:
        if (rel := self._pick(self.relationships, r)) is not None:
            self.app.rate_relationship(
                SLUG, rel, rater=f"rater {rater}", trust=trust, value=value, on=day(on), actor=ACTOR
            )

    def _intensity(self, r: int, intensity: int, on: int) -> None:
        if (rel := self._pick(self.relationships, r)) is not None:
            self.app.change_intensity(SLUG, rel, intensity, on=day(on), actor=ACTOR)

    def _end(self, r: int, valid_to: int) -> None:
        if (rel := self._pick(self.relationships, r)) is not None:
            self.app.end_relationship(SLUG, rel, reason="Funding ended", valid_to=day(valid_to), actor=ACTOR)

    def _meeting(self, kind: int, held_on: int, attendees: list[int], status: str) -> None:
        meeting = self.app.schedule_meeting(
            SLUG, kind=MEETING_KINDS[kind], title="Meeting", held_on=day(held_on), actor=ACTOR
        ).id
        self.meetings.append(meeting)
        chosen = [s for i in attendees if (s := self._pick(self.active, i)) is not None]
        if chosen:
            self.run(("attend", meeting, chosen))
        if status == "held":
            self.app.hold_meeting(SLUG, meeting, actor=ACTOR)
        elif status == "cancelled":
            self.app.cancel_meeting(SLUG, meeting, reason="Snow", actor=ACTOR)

    def _attend(self, meeting: UUID, attendees: list[UUID]) -> None:
        self.app.record_attendance(SLUG, meeting, attendees, actor=ACTOR)

    def _correct(self, m: int, add: int, remove: int) -> None:
        meeting = self._pick(self.meetings, m)
        if meeting is None or not self.active:
            return
        attendees = sorted(self.app.repository.get(meeting).attendees, key=str)
        removed = [attendees[remove % len(attendees)]] if attendees else []
        added = [s for s in [self._pick(self.active, add)] if s not in attendees]
        self.app.correct_attendance(
            SLUG, meeting, added=added, removed=removed, reason="Apologies sent", actor=ACTOR
        )

    def _promise(self, p: int, to: list[int], made_on: int, due_in: int, m: int) -> None:
        promisor = self._pick(self.active, p)
        if promisor is None:
            return
        promisees = {s for i in to if (s := self._pick(self.active, i)) not in (None, promisor)}
        meeting = self._pick(self.meetings, m) if m >= 0 else None
        made = self.app.repository.get(meeting).held_on if meeting else day(made_on)
        receipt = self.app.make_commitment(
            SLUG,
            promisor_id=promisor,
            promisee_ids=sorted(promisees, key=str),
            to_change_group=not promisees,
            what="Run a drop-in",
            made_on=made,
            due=made + timedelta(days=due_in),
            meeting_id=meeting,
            actor=ACTOR,
        )
        self.commitments.append(receipt.id)

    def _progress(self, c: int, m: int, on: int) -> None:
        if (commitment := self._pick(self.commitments, c)) is None:
            return
        meeting = self._pick(self.meetings, m) if m >= 0 else None
        self.app.report_progress(
            SLUG,
            commitment,
            note="Going well",
            meeting_id=meeting,
            on=None if meeting else day(on),
            actor=ACTOR,
        )

    def _renegotiate(self, c: int, due_in: int, on: int) -> None:
        if (commitment := self._pick(self.commitments, c)) is None:
            return
        made = self.app.repository.get(commitment).made_on
        self.app.renegotiate(
            SLUG,
            commitment,
            due=made + timedelta(days=due_in),
            reason="Budget moved",
            on=day(on),
            actor=ACTOR,
        )

    def _reassign(self, c: int, s: int, on: int) -> None:
        commitment, promisor = self._pick(self.commitments, c), self._pick(self.active, s)
        if commitment is not None and promisor is not None:
            self.app.reassign(
                SLUG, commitment, promisor_id=promisor, reason="Handed over", on=day(on), actor=ACTOR
            )

    def _close(self, c: int, how: str, on: int) -> None:
        if (commitment := self._pick(self.commitments, c)) is None:
            return
        if how == "fulfil":
            self.app.fulfil(SLUG, commitment, evidence="Done", on=day(on), actor=ACTOR)
        elif how == "miss":
            self.app.mark_missed(SLUG, commitment, reason="No time", on=day(on), actor=ACTOR)
        else:
            self.app.withdraw(SLUG, commitment, reason="Not needed", on=day(on), actor=ACTOR)

    def _merge(self, a: int, b: int) -> None:
        duplicate, into = self._pick(self.active, a), self._pick(self.active, b)
        if duplicate is not None and into is not None:
            self.app.merge_stakeholder(SLUG, duplicate, into, reason="Same body", actor=ACTOR)
            self.active.remove(duplicate)

    def _archive(self, a: int) -> None:
        if (stakeholder := self._pick(self.active, a)) is not None:
            self.app.archive_stakeholder(SLUG, stakeholder, reason="Wound up", actor=ACTOR)
            self.active.remove(stakeholder)

    def _sector(self, a: int, sector: int, on: int) -> None:
        if (stakeholder := self._pick(self.active, a)) is not None:
            self.app.change_sector(SLUG, stakeholder, DEFAULT_SECTORS[sector], on=day(on), actor=ACTOR)

    def _erase(self, a: int) -> None:
        if (person := self._pick(self.people, a)) is not None:
            self.app.erase_person(SLUG, person, reason="Asked to be forgotten", actor="admin")


def readings(side: ReadSide) -> Iterator[tuple[str, Any]]:
    """Everything a user reads from the in-memory state: the figures of every graph,
    accountability and participation, on a few dates, as JSON (so NaN equals NaN)."""
    reader = side.reader
    for as_of in AS_OF:
        for graph in ("combined", "directed_tie", "commitment"):
            yield f"figures {graph} {as_of}", reader.figures(SLUG, graph=graph, as_of=as_of)
        yield f"accountability {as_of}", reader.accountability(SLUG, as_of=as_of)
        yield f"participation {as_of}", reader.participation(SLUG, as_of=as_of)


def as_json(side: ReadSide) -> dict[str, str]:
    return {name: json.dumps(value, sort_keys=True, default=str) for name, value in readings(side)}


# Hypothesis's failure report trips a DeprecationWarning of mypy_extensions, which
# filterwarnings = error would turn into an INTERNALERROR hiding the falsifying example.
@pytest.mark.filterwarnings("ignore:mypy_extensions.TypedDict is deprecated:DeprecationWarning")
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(script=st.lists(commands, min_size=10, max_size=50), batch_size=st.integers(1, 4))
def test_a_rebuild_from_the_log_equals_the_views_updated_after_every_command(
    script: list[tuple[Any, ...]], batch_size: int
) -> None:
    app = CivicWeave(environment("sqlite://"))
    incremental = ReadSide(app, "sqlite://", batch_size=batch_size)
    rebuilt: ReadSide | None = None
    try:
        app.register_locality(SLUG, "Riverside", "North West", actor="admin")
        driver = Driver(app)
        for sector, person in (
            ("public", False),
            ("health", False),
            ("vcse", False),
            ("lived_experience", True),
        ):
            driver.run(("register", DEFAULT_SECTORS.index(sector), person, 0))
        incremental.state()
        for command in script:
            driver.run(command)
            incremental.state()

        rebuilt = ReadSide(app, "sqlite://")
        rebuilt_state = rebuilt.state()

        assert durable_rows(rebuilt.db) == durable_rows(incremental.db)
        assert rebuilt_state == incremental.state()
        assert as_json(rebuilt) == as_json(incremental)
    finally:
        incremental.close()
        if rebuilt is not None:
            rebuilt.close()
        app.close()
