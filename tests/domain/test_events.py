"""The log as a whole: every event names who recorded it and, where the fact has a date in
the world, when it took effect; replaying an aggregate's events rebuilds its state."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from typing import Any
from uuid import uuid4

from hypothesis import given
from hypothesis import strategies as st

from domain.application import CivicWeave
from domain.base import CivicAggregate
from domain.commitment import OPEN, Commitment, CommitmentNotOpenError
from domain.errors import InvalidInputError
from tests.domain.builders import ACTOR, build_record

#: Events whose fact has a date in the world, and so carry an ``effective`` date.
WORLD_DATED = {
    "Relationship.Formed",
    "Relationship.Rated",
    "Relationship.IntensityChanged",
    "Relationship.Ended",
    "Stakeholder.SectorChanged",
    "Meeting.Scheduled",
    "Meeting.AttendanceRecorded",
    "Meeting.AttendanceCorrected",
    "Meeting.DecisionRecorded",
    "Meeting.Held",
    "Plan.Agreed",
    "Measure.Observed",
    "Commitment.Made",
    "Commitment.ProgressReported",
    "Commitment.Renegotiated",
    "Commitment.Reassigned",
    "Commitment.Fulfilled",
    "Commitment.Missed",
    "Commitment.Withdrawn",
    "PeerNetwork.LocalityJoined",
    "PeerNetwork.LocalityLeft",
}


def domain_event_classes() -> set[type[Any]]:
    """Every event class the domain defines (not the bases eventsourcing derives)."""
    found: set[type[Any]] = set()
    unseen: list[type[Any]] = [CivicAggregate.Event]
    while unseen:
        cls = unseen.pop()
        unseen.extend(cls.__subclasses__())
        if cls.__module__.startswith("domain.") and cls.__name__ not in ("Event", "Created"):
            found.add(cls)
    return found


def event_name(cls: type[Any]) -> str:
    return cls.__qualname__


def test_every_event_class_declares_its_actor_and_effective_date() -> None:
    classes = domain_event_classes()

    assert len(classes) >= 35
    for cls in classes:
        fields = {field.name for field in dataclasses.fields(cls)}
        assert {"actor", "effective", "timestamp"} <= fields, cls.__qualname__


def test_a_whole_record_holds_every_kind_of_event(memory_app: CivicWeave) -> None:
    build_record(memory_app)

    every = {event_name(cls) for cls in domain_event_classes()}
    recorded = {
        event.topic.split(":")[1] for event in memory_app.recorder.select_notifications(start=1, limit=1000)
    }
    assert recorded == every


def test_every_event_of_the_record_names_its_actor(memory_app: CivicWeave) -> None:
    build_record(memory_app)

    for notification in memory_app.recorder.select_notifications(start=1, limit=1000):
        event = memory_app.mapper.to_domain_event(notification)
        assert event.actor in {ACTOR, "admin", "lead"}, notification.topic


def test_every_event_with_a_world_date_carries_it_as_effective(memory_app: CivicWeave) -> None:
    build_record(memory_app)

    for notification in memory_app.recorder.select_notifications(start=1, limit=1000):
        event = memory_app.mapper.to_domain_event(notification)
        name = event_name(type(event))
        if name in WORLD_DATED:
            assert type(event.effective) is date, name
        else:
            assert event.effective is None, name


def test_the_system_time_of_every_event_is_when_it_was_recorded(memory_app: CivicWeave) -> None:
    before = datetime.now(UTC)
    build_record(memory_app)
    after = datetime.now(UTC)

    timestamps = [
        memory_app.mapper.to_domain_event(n).timestamp
        for n in memory_app.recorder.select_notifications(start=1, limit=1000)
    ]
    assert timestamps == sorted(timestamps)
    assert before <= timestamps[0] and timestamps[-1] <= after


COMMANDS = st.lists(
    st.one_of(
        st.tuples(st.just("progress"), st.integers(min_value=-5, max_value=105)),
        st.tuples(st.just("renegotiate"), st.integers(min_value=-10, max_value=200)),
        st.tuples(st.just("reassign"), st.integers(min_value=0, max_value=2)),
        st.tuples(st.just("fulfil"), st.integers(min_value=-3, max_value=200)),
        st.tuples(st.just("miss"), st.integers(min_value=-3, max_value=200)),
        st.tuples(st.just("withdraw"), st.integers(min_value=-3, max_value=200)),
    ),
    max_size=12,
)


@given(COMMANDS)
def test_replaying_a_commitments_events_rebuilds_what_the_commands_made(
    commands: list[tuple[str, int]],
) -> None:
    made_on = date(2024, 3, 5)
    promisee = uuid4()
    people = [uuid4(), uuid4(), promisee]
    commitment = Commitment(
        locality_id=uuid4(),
        promisor_id=people[0],
        promisee_ids=(promisee,),
        to_change_group=False,
        what="Open the hub",
        made_on=made_on,
        due=date(2024, 6, 30),
        meeting_id=None,
        goal_id=None,
        actor=ACTOR,
        effective=made_on,
    )
    closings = 0
    for command, number in commands:
        on = date.fromordinal(made_on.toordinal() + number)
        was_open = commitment.status == OPEN
        try:
            if command == "progress":
                commitment.report_progress(
                    "note", percent=number, evidence="", meeting_id=None, actor=ACTOR, on=made_on
                )
            elif command == "renegotiate":
                commitment.renegotiate(on, "reason", meeting_id=None, actor=ACTOR, on=made_on)
            elif command == "reassign":
                commitment.reassign(people[number], "reason", actor=ACTOR, on=made_on)
            elif command == "fulfil":
                commitment.fulfil("", on=on, actor=ACTOR)
            elif command == "miss":
                commitment.miss("", on=on, actor=ACTOR)
            else:
                commitment.withdraw("reason", on=on, actor=ACTOR)
        except CommitmentNotOpenError:
            assert not was_open
        except InvalidInputError:
            assert was_open
        else:
            assert was_open
            closings += commitment.status != OPEN
    assert closings <= 1

    events = commitment.collect_events()
    replayed = None
    for event in events:
        replayed = event.mutate(replayed)

    assert replayed is not None
    assert vars(replayed) | {"_pending_events": []} == vars(commitment) | {"_pending_events": []}
    assert commitment.promisor_id not in commitment.promisee_ids
