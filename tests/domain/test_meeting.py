"""A meeting: scheduled, attended by registered stakeholders of its locality, with
decisions and notes; then held or cancelled."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

import pytest

from domain.commitment import Commitment
from domain.errors import (
    ConflictError,
    InvalidInputError,
    InvalidStateError,
    NotFoundError,
    StaleVersionError,
)
from domain.meeting import CANCELLED, HELD, SCHEDULED, Meeting, MeetingCancelledError
from domain.stakeholder import StakeholderInactiveError
from domain.usecases.commitments import CommitmentDraft, DecisionDraft
from tests.domain.builders import ACTOR, Testville, build_testville, events_of, last_event

HELD_ON = date(2024, 3, 5)


def meeting(town: Testville, key: UUID) -> Meeting:
    return town.app.load(Meeting, key, locality=town.slug)


def schedule(town: Testville, **options: str) -> UUID:
    return town.app.schedule_meeting(
        town.slug,
        kind=options.get("kind", "change_group"),
        title=options.get("title", "Change Group, March"),
        held_on=HELD_ON,
        place=options.get("place", "Town hall"),
        actor=ACTOR,
    ).id


def test_a_meeting_is_scheduled_for_a_date(testville: Testville) -> None:
    key = schedule(testville, kind="workshop", title="Asset mapping", place="Library")

    scheduled = meeting(testville, key)
    assert (scheduled.kind, scheduled.title, scheduled.place) == ("workshop", "Asset mapping", "Library")
    assert (scheduled.held_on, scheduled.status) == (HELD_ON, SCHEDULED)
    assert scheduled.attendees == frozenset()
    (event,) = events_of(testville.app, key)
    assert isinstance(event, Meeting.Scheduled)
    assert (event.actor, event.effective) == (ACTOR, HELD_ON)


def test_the_kind_of_meeting_is_one_of_the_list(testville: Testville) -> None:
    with pytest.raises(InvalidInputError, match="use one of: change_group, workshop,") as e:
        schedule(testville, kind="party")
    assert e.value.field == "kind"


def test_a_meeting_needs_a_title(testville: Testville) -> None:
    with pytest.raises(InvalidInputError, match=r"^title: must not be empty$"):
        schedule(testville, title="")


def test_attendance_of_registered_stakeholders_is_recorded(testville: Testville) -> None:
    key = schedule(testville)

    testville.app.record_attendance(
        testville.slug, key, [testville.council, testville.mary, testville.council], actor=ACTOR
    )
    testville.app.record_attendance(testville.slug, key, [testville.food_bank], actor=ACTOR)

    assert meeting(testville, key).attendees == {testville.council, testville.mary, testville.food_bank}
    recorded = events_of(testville.app, key)[1]
    assert isinstance(recorded, Meeting.AttendanceRecorded)
    assert sorted(recorded.stakeholder_ids) == sorted([testville.council, testville.mary])
    assert (recorded.actor, recorded.effective) == (ACTOR, HELD_ON)


def test_attendance_is_only_of_registered_stakeholders(testville: Testville) -> None:
    key = schedule(testville)
    stranger = uuid4()

    with pytest.raises(NotFoundError, match=f"stakeholder {stranger} not found"):
        testville.app.record_attendance(testville.slug, key, [testville.council, stranger], actor=ACTOR)
    assert meeting(testville, key).attendees == frozenset()


def test_attendance_is_only_of_stakeholders_of_this_locality(testville: Testville) -> None:
    hillside = build_testville(testville.app, "hillside")
    key = schedule(testville)

    with pytest.raises(NotFoundError, match=f"stakeholder {hillside.mary} not found"):
        testville.app.record_attendance(testville.slug, key, [hillside.mary], actor=ACTOR)


def test_a_meeting_is_not_a_stakeholder_that_can_attend(testville: Testville) -> None:
    key = schedule(testville)

    with pytest.raises(NotFoundError, match="stakeholder"):
        testville.app.record_attendance(testville.slug, key, [key], actor=ACTOR)


def test_a_merged_away_stakeholder_cannot_attend(testville: Testville) -> None:
    testville.app.merge_stakeholder(
        testville.slug, testville.housing, testville.council, reason="Same", actor=ACTOR
    )
    key = schedule(testville)

    with pytest.raises(StakeholderInactiveError):
        testville.app.record_attendance(testville.slug, key, [testville.housing], actor=ACTOR)


def test_attendance_must_add_someone_not_already_attending(testville: Testville) -> None:
    key = testville.meeting(testville.council)

    with pytest.raises(InvalidInputError, match="not already recorded as attending") as e:
        testville.app.record_attendance(testville.slug, key, [testville.council], actor=ACTOR)
    assert e.value.field == "stakeholder_ids"
    with pytest.raises(InvalidInputError):
        testville.app.record_attendance(testville.slug, key, [], actor=ACTOR)


def test_attendance_based_on_an_old_version_is_stale(testville: Testville) -> None:
    key = testville.meeting(testville.council)

    with pytest.raises(StaleVersionError, match=r"meeting .* is at version 2, not 1"):
        testville.app.record_attendance(
            testville.slug, key, [testville.mary], actor=ACTOR, expected_version=1
        )


def test_a_meeting_of_another_locality_is_not_found(testville: Testville) -> None:
    hillside = build_testville(testville.app, "hillside")
    theirs = hillside.meeting()

    with pytest.raises(NotFoundError, match=f"meeting {theirs} not found"):
        testville.app.record_attendance(testville.slug, theirs, [testville.council], actor=ACTOR)
    with pytest.raises(NotFoundError):
        testville.app.hold_meeting(testville.slug, theirs, actor=ACTOR)


def test_attendance_is_corrected_by_a_new_event_with_a_reason(testville: Testville) -> None:
    key = testville.meeting(testville.council, testville.nhs_trust)

    testville.app.correct_attendance(
        testville.slug,
        key,
        added=[testville.mary],
        removed=[testville.nhs_trust],
        reason="The trust sent apologies",
        actor="lead",
    )

    assert meeting(testville, key).attendees == {testville.council, testville.mary}
    corrected = last_event(testville.app, key)
    assert isinstance(corrected, Meeting.AttendanceCorrected)
    assert list(corrected.added) == [testville.mary]
    assert list(corrected.removed) == [testville.nhs_trust]
    assert (corrected.reason, corrected.actor, corrected.effective) == (
        "The trust sent apologies",
        "lead",
        HELD_ON,
    )
    assert len(events_of(testville.app, key)) == 3


def test_only_recorded_attendees_can_be_removed(testville: Testville) -> None:
    key = testville.meeting(testville.council)

    with pytest.raises(InvalidInputError, match=f"not recorded as attending: {testville.mary}") as e:
        testville.app.correct_attendance(
            testville.slug, key, removed=[testville.mary], reason="Wrong", actor=ACTOR
        )
    assert e.value.field == "removed"


def test_a_correction_must_change_something(testville: Testville) -> None:
    key = testville.meeting(testville.council)

    with pytest.raises(InvalidInputError, match="changes nothing") as e:
        testville.app.correct_attendance(
            testville.slug, key, added=[testville.council], reason="Again", actor=ACTOR
        )
    assert e.value.field == "added"


def test_a_correction_needs_a_reason(testville: Testville) -> None:
    key = testville.meeting(testville.council)

    with pytest.raises(InvalidInputError) as e:
        testville.app.correct_attendance(
            testville.slug, key, removed=[testville.council], reason="", actor=ACTOR
        )
    assert e.value.field == "reason"


def test_a_correction_adds_only_registered_stakeholders_of_this_locality(
    testville: Testville,
) -> None:
    hillside = build_testville(testville.app, "hillside")
    key = testville.meeting(testville.council)

    with pytest.raises(NotFoundError):
        testville.app.correct_attendance(
            testville.slug, key, added=[hillside.council], reason="Came too", actor=ACTOR
        )


def test_a_decision_is_agreed_by_attendees(testville: Testville) -> None:
    key = testville.meeting(testville.council, testville.mary, testville.food_bank)

    testville.app.record_decision(
        testville.slug,
        key,
        text="Open the hub on Tuesdays",
        agreed_by=[testville.council, testville.mary],
        actor=ACTOR,
    )

    ((decision_id, wording, agreed_by),) = meeting(testville, key).decisions
    assert wording == "Open the hub on Tuesdays"
    assert set(agreed_by) == {testville.council, testville.mary}
    decided = last_event(testville.app, key)
    assert isinstance(decided, Meeting.DecisionRecorded)
    assert decided.decision_id == decision_id
    assert (decided.actor, decided.effective) == (ACTOR, HELD_ON)


def test_only_attendees_can_agree_a_decision(testville: Testville) -> None:
    key = testville.meeting(testville.council)

    with pytest.raises(InvalidInputError, match="only attendees of the meeting") as e:
        testville.app.record_decision(
            testville.slug, key, text="Do it", agreed_by=[testville.council, testville.mary], actor=ACTOR
        )
    assert e.value.field == "agreed_by"
    assert meeting(testville, key).decisions == ()


def test_a_decision_needs_wording(testville: Testville) -> None:
    key = testville.meeting(testville.council)

    with pytest.raises(InvalidInputError) as e:
        testville.app.record_decision(testville.slug, key, text=" ", actor=ACTOR)
    assert e.value.field == "text"


def test_notes_of_a_meeting_are_recorded_and_replaced(testville: Testville) -> None:
    key = schedule(testville)

    testville.app.record_notes(testville.slug, key, "First draft", actor=ACTOR)
    testville.app.record_notes(testville.slug, key, "Agreed notes", actor="lead")

    assert meeting(testville, key).notes == "Agreed notes"
    noted = last_event(testville.app, key)
    assert isinstance(noted, Meeting.NotesRecorded)
    assert noted.actor == "lead"


def test_notes_must_say_something(testville: Testville) -> None:
    key = schedule(testville)

    with pytest.raises(InvalidInputError) as e:
        testville.app.record_notes(testville.slug, key, "", actor=ACTOR)
    assert e.value.field == "notes"


def test_a_meeting_is_held_on_its_date_or_another(testville: Testville) -> None:
    on_the_day = schedule(testville)
    postponed = schedule(testville)

    testville.app.hold_meeting(testville.slug, on_the_day, actor=ACTOR)
    testville.app.hold_meeting(testville.slug, postponed, actor=ACTOR, on=date(2024, 3, 12))

    assert (meeting(testville, on_the_day).status, meeting(testville, on_the_day).held_on) == (
        HELD,
        HELD_ON,
    )
    assert meeting(testville, postponed).held_on == date(2024, 3, 12)
    held = last_event(testville.app, postponed)
    assert isinstance(held, Meeting.Held)
    assert (held.actor, held.effective) == (ACTOR, date(2024, 3, 12))


def test_a_meeting_is_held_only_once(testville: Testville) -> None:
    key = schedule(testville)
    testville.app.hold_meeting(testville.slug, key, actor=ACTOR)

    with pytest.raises(InvalidStateError, match="is held, not scheduled") as e:
        testville.app.hold_meeting(testville.slug, key, actor=ACTOR)
    assert isinstance(e.value, ConflictError)


def test_a_held_meeting_still_takes_attendance_and_decisions(testville: Testville) -> None:
    key = schedule(testville)
    testville.app.hold_meeting(testville.slug, key, actor=ACTOR)

    testville.app.record_attendance(testville.slug, key, [testville.council], actor=ACTOR)
    testville.app.record_decision(
        testville.slug, key, text="Meet monthly", agreed_by=[testville.council], actor=ACTOR
    )

    assert len(meeting(testville, key).decisions) == 1


def test_a_cancelled_meeting_records_nothing_more(testville: Testville) -> None:
    key = testville.meeting(testville.council)

    testville.app.cancel_meeting(testville.slug, key, reason="Snow", actor="lead")

    assert meeting(testville, key).status == CANCELLED
    cancelled = last_event(testville.app, key)
    assert isinstance(cancelled, Meeting.Cancelled)
    assert (cancelled.reason, cancelled.actor) == ("Snow", "lead")
    attempts = [
        lambda: testville.app.record_attendance(testville.slug, key, [testville.mary], actor=ACTOR),
        lambda: testville.app.correct_attendance(
            testville.slug, key, removed=[testville.council], reason="x", actor=ACTOR
        ),
        lambda: testville.app.record_decision(testville.slug, key, text="x", actor=ACTOR),
        lambda: testville.app.record_notes(testville.slug, key, "x", actor=ACTOR),
    ]
    for attempt in attempts:
        with pytest.raises(MeetingCancelledError, match="was cancelled: nothing more"):
            attempt()
    with pytest.raises(InvalidStateError, match="is cancelled, not scheduled"):
        testville.app.hold_meeting(testville.slug, key, actor=ACTOR)


def test_a_cancellation_needs_a_reason(testville: Testville) -> None:
    key = schedule(testville)

    with pytest.raises(InvalidInputError) as e:
        testville.app.cancel_meeting(testville.slug, key, reason="", actor=ACTOR)
    assert e.value.field == "reason"


def test_only_a_scheduled_meeting_can_be_cancelled(testville: Testville) -> None:
    held = schedule(testville)
    testville.app.hold_meeting(testville.slug, held, actor=ACTOR)
    cancelled = schedule(testville)
    testville.app.cancel_meeting(testville.slug, cancelled, reason="Snow", actor=ACTOR)

    for key in (held, cancelled):
        with pytest.raises(InvalidStateError, match="only a scheduled meeting can be cancelled"):
            testville.app.cancel_meeting(testville.slug, key, reason="Again", actor=ACTOR)


def test_recording_a_whole_meeting_saves_it_and_its_commitments_in_one_write(testville: Testville) -> None:
    app, a, b = testville.app, testville.council, testville.food_bank
    before = app.recorder.max_notification_id() or 0
    recorded = app.record_meeting(
        testville.slug,
        kind="change_group",
        title="Winter plan",
        held_on=date(2026, 1, 5),
        attendee_ids=[a, b],
        decisions=[DecisionDraft("Open a warm space", (a,))],
        commitments=[CommitmentDraft(a, "Open the hall", date(2026, 2, 1), (b,))],
        actor="fran",
    )
    meeting = app.load(Meeting, recorded.meeting.id)
    assert meeting.status == "held" and meeting.attendees == {a, b} and len(meeting.decisions) == 1
    (made,) = recorded.commitments
    assert app.load(Commitment, made.id).meeting_id == meeting.id
    assert (app.recorder.max_notification_id() or 0) == before + 5  # scheduled, attended, held, decided, made


def test_a_bad_commitment_in_a_recorded_meeting_writes_nothing_and_names_the_part(
    testville: Testville,
) -> None:
    app, a, b = testville.app, testville.council, testville.food_bank
    before = app.recorder.max_notification_id()
    with pytest.raises(InvalidInputError) as raised:
        app.record_meeting(
            testville.slug,
            kind="change_group",
            title="Winter plan",
            held_on=date(2026, 1, 5),
            attendee_ids=[a, b],
            commitments=[
                CommitmentDraft(a, "Open the hall", date(2026, 2, 1), (b,)),
                CommitmentDraft(b, "Too early", date(2025, 12, 1), (a,)),
            ],
            actor="fran",
        )
    assert raised.value.field == "commitments.1.due"
    assert app.recorder.max_notification_id() == before
