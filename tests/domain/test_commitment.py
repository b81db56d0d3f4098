"""A commitment: a promise a stakeholder makes, usually at a meeting, with a due date;
then progressed, renegotiated, reassigned, and finally fulfilled, missed or withdrawn."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import UUID, uuid4

import pytest

from domain.commitment import (
    FULFILLED,
    MISSED,
    OPEN,
    WITHDRAWN,
    Commitment,
    CommitmentNotOpenError,
)
from domain.errors import (
    ConflictError,
    InvalidInputError,
    InvalidStateError,
    NotFoundError,
    StaleVersionError,
)
from domain.meeting import MeetingCancelledError
from domain.stakeholder import StakeholderInactiveError
from tests.domain.builders import ACTOR, Testville, build_testville, events_of, last_event

MADE = date(2024, 3, 5)
DUE = date(2024, 6, 30)


def commitment(town: Testville, key: UUID) -> Commitment:
    return town.app.load(Commitment, key, locality=town.slug)


def make(town: Testville, **options: Any) -> UUID:
    fields: dict[str, Any] = {
        "promisor_id": town.council,
        "promisee_ids": [town.food_bank],
        "what": "Open the community hub two evenings a week",
        "made_on": MADE,
        "due": DUE,
    }
    fields.update(options)
    return town.app.make_commitment(town.slug, actor=ACTOR, **fields).id


def test_a_stakeholder_promises_something_to_others_by_a_date(testville: Testville) -> None:
    key = make(testville, promisee_ids=[testville.food_bank, testville.mary])

    made = commitment(testville, key)
    assert (made.promisor_id, set(made.promisee_ids)) == (
        testville.council,
        {testville.food_bank, testville.mary},
    )
    assert (made.what, made.made_on, made.due, made.original_due) == (
        "Open the community hub two evenings a week",
        MADE,
        DUE,
        DUE,
    )
    assert (made.status, made.closed_on, made.renegotiations, made.progress) == (OPEN, None, 0, ())
    assert (made.meeting_id, made.goal_id, made.to_change_group) == (None, None, False)
    (event,) = events_of(testville.app, key)
    assert isinstance(event, Commitment.Made)
    assert (event.actor, event.effective) == (ACTOR, MADE)


def test_a_commitment_can_be_made_to_the_change_group(testville: Testville) -> None:
    key = make(testville, promisee_ids=[], to_change_group=True)

    made = commitment(testville, key)
    assert made.to_change_group
    assert made.promisee_ids == ()


def test_a_commitment_needs_a_promisee_or_the_change_group(testville: Testville) -> None:
    with pytest.raises(InvalidInputError, match="at least one promisee, or make it to the Change") as e:
        make(testville, promisee_ids=[])
    assert e.value.field == "promisee_ids"


def test_a_stakeholder_cannot_promise_itself(testville: Testville) -> None:
    with pytest.raises(InvalidInputError, match="cannot make a commitment to itself") as e:
        make(testville, promisee_ids=[testville.food_bank, testville.council])
    assert e.value.field == "promisee_ids"


def test_the_promisor_and_promisees_are_registered_stakeholders_of_the_locality(
    testville: Testville,
) -> None:
    hillside = build_testville(testville.app, "hillside")

    with pytest.raises(NotFoundError, match="stakeholder"):
        make(testville, promisor_id=uuid4())
    with pytest.raises(NotFoundError, match=f"stakeholder {hillside.mary} not found"):
        make(testville, promisee_ids=[testville.mary, hillside.mary])
    with pytest.raises(NotFoundError):
        make(testville, promisor_id=hillside.council)


def test_a_merged_away_stakeholder_cannot_make_or_receive_a_promise(testville: Testville) -> None:
    testville.app.merge_stakeholder(
        testville.slug, testville.housing, testville.council, reason="Same", actor=ACTOR
    )

    with pytest.raises(StakeholderInactiveError):
        make(testville, promisor_id=testville.housing)
    with pytest.raises(StakeholderInactiveError):
        make(testville, promisee_ids=[testville.housing])


def test_a_commitment_says_what_is_promised(testville: Testville) -> None:
    with pytest.raises(InvalidInputError, match=r"^what: must not be empty$"):
        make(testville, what="  ")


def test_a_due_date_cannot_precede_the_date_it_was_made(testville: Testville) -> None:
    with pytest.raises(
        InvalidInputError,
        match=r"2024-03-04 is before the date the commitment was made \(2024-03-05\)",
    ) as e:
        make(testville, due=date(2024, 3, 4))
    assert e.value.field == "due"


def test_a_commitment_may_be_due_the_day_it_is_made(testville: Testville) -> None:
    key = make(testville, due=MADE)

    assert commitment(testville, key).due == MADE


def test_a_commitment_made_at_a_meeting_is_made_on_the_day_of_the_meeting(
    testville: Testville,
) -> None:
    meeting = testville.meeting(testville.council, held_on=date(2024, 2, 20))

    key = make(testville, made_on=None, meeting_id=meeting)

    made = commitment(testville, key)
    assert (made.meeting_id, made.made_on) == (meeting, date(2024, 2, 20))
    assert events_of(testville.app, key)[0].effective == date(2024, 2, 20)


def test_a_commitment_made_without_a_date_or_meeting_is_made_today(testville: Testville) -> None:
    key = make(testville, made_on=None, due=date(2999, 1, 1))

    assert commitment(testville, key).made_on == testville.app.today()


def test_no_commitment_is_made_at_a_cancelled_meeting(testville: Testville) -> None:
    meeting = testville.meeting(testville.council)
    testville.app.cancel_meeting(testville.slug, meeting, reason="Snow", actor=ACTOR)

    with pytest.raises(MeetingCancelledError):
        make(testville, meeting_id=meeting)


def test_the_meeting_of_a_commitment_is_one_of_this_locality(testville: Testville) -> None:
    hillside = build_testville(testville.app, "hillside")

    with pytest.raises(NotFoundError, match="meeting"):
        make(testville, meeting_id=hillside.meeting())


def test_a_commitment_can_serve_a_goal_of_the_action_plan(testville: Testville) -> None:
    plan = testville.app.draft_plan(testville.slug, title="Healthy Testville", actor=ACTOR).id
    goal = testville.app.add_goal(testville.slug, plan, title="Fewer lonely people", actor=ACTOR).id

    key = make(testville, plan_id=plan, goal_id=goal)

    assert commitment(testville, key).goal_id == goal


def test_a_goal_is_named_with_its_plan(testville: Testville) -> None:
    plan = testville.app.draft_plan(testville.slug, title="Healthy Testville", actor=ACTOR).id

    with pytest.raises(InvalidInputError, match="name the plan the goal belongs to") as no_plan:
        make(testville, goal_id=uuid4())
    with pytest.raises(InvalidInputError, match="is not a goal of plan") as wrong_goal:
        make(testville, plan_id=plan, goal_id=uuid4())

    assert no_plan.value.field == "plan_id"
    assert wrong_goal.value.field == "goal_id"


def test_progress_is_reported_with_a_note_and_a_percentage(testville: Testville) -> None:
    key = make(testville)
    meeting = testville.meeting(testville.council, held_on=date(2024, 4, 2))

    testville.app.report_progress(
        testville.slug,
        key,
        note="Hall booked",
        percent=40,
        evidence="Booking ref 12",
        actor=ACTOR,
        on=date(2024, 3, 20),
    )
    testville.app.report_progress(
        testville.slug, key, note="Volunteers found", meeting_id=meeting, actor=ACTOR
    )

    assert commitment(testville, key).progress == (("Hall booked", 40), ("Volunteers found", None))
    first, second = events_of(testville.app, key)[1:]
    assert isinstance(first, Commitment.ProgressReported)
    assert (first.evidence, first.actor, first.effective) == ("Booking ref 12", ACTOR, date(2024, 3, 20))
    assert (second.meeting_id, second.effective) == (meeting, date(2024, 4, 2))


@pytest.mark.parametrize("percent", [-1, 101, True])
def test_progress_is_a_percentage_from_zero_to_a_hundred(testville: Testville, percent: int) -> None:
    key = make(testville)

    with pytest.raises(InvalidInputError, match="from 0 to 100, or left out") as e:
        testville.app.report_progress(testville.slug, key, note="x", percent=percent, actor=ACTOR)
    assert e.value.field == "percent"


def test_progress_needs_a_note(testville: Testville) -> None:
    key = make(testville)

    with pytest.raises(InvalidInputError) as e:
        testville.app.report_progress(testville.slug, key, note="", actor=ACTOR)
    assert e.value.field == "note"


def test_a_commitment_is_renegotiated_to_a_new_due_date_for_a_reason(testville: Testville) -> None:
    key = make(testville)

    testville.app.renegotiate(
        testville.slug,
        key,
        due=date(2024, 9, 30),
        reason="Hall closed for repairs",
        actor="lead",
        on=date(2024, 6, 1),
    )

    renegotiated = commitment(testville, key)
    assert (renegotiated.due, renegotiated.original_due, renegotiated.renegotiations) == (
        date(2024, 9, 30),
        DUE,
        1,
    )
    event = last_event(testville.app, key)
    assert isinstance(event, Commitment.Renegotiated)
    assert (event.reason, event.actor, event.effective) == (
        "Hall closed for repairs",
        "lead",
        date(2024, 6, 1),
    )


def test_a_renegotiation_needs_a_reason(testville: Testville) -> None:
    key = make(testville)

    with pytest.raises(InvalidInputError, match=r"^reason: must not be empty$") as e:
        testville.app.renegotiate(testville.slug, key, due=date(2024, 9, 30), reason=" ", actor=ACTOR)
    assert e.value.field == "reason"
    assert commitment(testville, key).due == DUE


def test_a_renegotiated_due_date_cannot_precede_the_date_it_was_made(testville: Testville) -> None:
    key = make(testville)

    with pytest.raises(InvalidInputError, match="before the date the commitment was made") as e:
        testville.app.renegotiate(testville.slug, key, due=date(2024, 3, 1), reason="Earlier", actor=ACTOR)
    assert e.value.field == "due"


def test_a_renegotiation_must_move_the_due_date(testville: Testville) -> None:
    key = make(testville)

    with pytest.raises(InvalidInputError, match="already due on 2024-06-30") as e:
        testville.app.renegotiate(testville.slug, key, due=DUE, reason="Same", actor=ACTOR)
    assert e.value.field == "due"


def test_a_commitment_is_reassigned_to_another_promisor(testville: Testville) -> None:
    key = make(testville)

    testville.app.reassign(
        testville.slug,
        key,
        promisor_id=testville.housing,
        reason="Housing owns the hall",
        actor=ACTOR,
        on=date(2024, 4, 1),
    )

    assert commitment(testville, key).promisor_id == testville.housing
    event = last_event(testville.app, key)
    assert isinstance(event, Commitment.Reassigned)
    assert (event.reason, event.actor, event.effective) == (
        "Housing owns the hall",
        ACTOR,
        date(2024, 4, 1),
    )


def test_a_commitment_is_not_reassigned_to_its_promisor(testville: Testville) -> None:
    key = make(testville)

    with pytest.raises(InvalidInputError, match="already this stakeholder's") as e:
        testville.app.reassign(testville.slug, key, promisor_id=testville.council, reason="x", actor=ACTOR)
    assert e.value.field == "promisor_id"


def test_a_commitment_is_not_reassigned_to_one_of_its_promisees(testville: Testville) -> None:
    key = make(testville, promisee_ids=[testville.food_bank])

    with pytest.raises(InvalidInputError, match="would promise itself") as e:
        testville.app.reassign(testville.slug, key, promisor_id=testville.food_bank, reason="x", actor=ACTOR)
    assert e.value.field == "promisor_id"
    assert commitment(testville, key).promisor_id == testville.council


def test_a_commitment_is_reassigned_only_to_an_active_stakeholder_of_the_locality(
    testville: Testville,
) -> None:
    hillside = build_testville(testville.app, "hillside")
    testville.app.archive_stakeholder(testville.slug, testville.housing, reason="Closed", actor=ACTOR)
    key = make(testville)

    with pytest.raises(NotFoundError):
        testville.app.reassign(testville.slug, key, promisor_id=hillside.council, reason="x", actor=ACTOR)
    with pytest.raises(StakeholderInactiveError):
        testville.app.reassign(testville.slug, key, promisor_id=testville.housing, reason="x", actor=ACTOR)


def test_a_reassignment_needs_a_reason(testville: Testville) -> None:
    key = make(testville)

    with pytest.raises(InvalidInputError) as e:
        testville.app.reassign(testville.slug, key, promisor_id=testville.housing, reason="", actor=ACTOR)
    assert e.value.field == "reason"


def test_a_fulfilled_commitment_is_closed_on_the_day_with_evidence(testville: Testville) -> None:
    key = make(testville)

    testville.app.fulfil(
        testville.slug, key, evidence="Hub open since May", on=date(2024, 5, 14), actor="lead"
    )

    fulfilled = commitment(testville, key)
    assert (fulfilled.status, fulfilled.closed_on) == (FULFILLED, date(2024, 5, 14))
    event = last_event(testville.app, key)
    assert isinstance(event, Commitment.Fulfilled)
    assert (event.evidence, event.on, event.actor, event.effective) == (
        "Hub open since May",
        date(2024, 5, 14),
        "lead",
        date(2024, 5, 14),
    )


def test_a_missed_commitment_is_closed_with_an_optional_reason(testville: Testville) -> None:
    key = make(testville)

    testville.app.mark_missed(testville.slug, key, on=date(2024, 7, 1), actor=ACTOR)

    missed = commitment(testville, key)
    assert (missed.status, missed.closed_on) == (MISSED, date(2024, 7, 1))
    event = last_event(testville.app, key)
    assert isinstance(event, Commitment.Missed)
    assert (event.reason, event.actor, event.effective) == ("", ACTOR, date(2024, 7, 1))


def test_a_withdrawn_commitment_is_closed_for_a_reason(testville: Testville) -> None:
    key = make(testville)

    testville.app.withdraw(testville.slug, key, reason="Funding cut", on=date(2024, 4, 1), actor=ACTOR)

    withdrawn = commitment(testville, key)
    assert (withdrawn.status, withdrawn.closed_on) == (WITHDRAWN, date(2024, 4, 1))
    event = last_event(testville.app, key)
    assert isinstance(event, Commitment.Withdrawn)
    assert (event.reason, event.effective) == ("Funding cut", date(2024, 4, 1))


def test_a_withdrawal_needs_a_reason(testville: Testville) -> None:
    key = make(testville)

    with pytest.raises(InvalidInputError) as e:
        testville.app.withdraw(testville.slug, key, reason="", on=date(2024, 4, 1), actor=ACTOR)
    assert e.value.field == "reason"


def close(town: Testville, key: UUID, how: str, on: date) -> object:
    """Fulfil, miss or withdraw the commitment on the date."""
    if how == FULFILLED:
        return town.app.fulfil(town.slug, key, on=on, actor=ACTOR)
    if how == MISSED:
        return town.app.mark_missed(town.slug, key, on=on, actor=ACTOR)
    return town.app.withdraw(town.slug, key, reason="Funding cut", on=on, actor=ACTOR)


@pytest.mark.parametrize("how", [FULFILLED, MISSED, WITHDRAWN])
def test_a_commitment_cannot_be_closed_before_it_was_made(testville: Testville, how: str) -> None:
    key = make(testville)

    with pytest.raises(InvalidInputError, match="before the date the commitment was made") as e:
        close(testville, key, how, date(2024, 3, 4))
    assert e.value.field == "on"


CLOSINGS: dict[str, Callable[[Testville, UUID], object]] = {
    how: lambda t, key, how=how: close(t, key, how, date(2024, 5, 1))
    for how in (FULFILLED, MISSED, WITHDRAWN)
}

CHANGES: dict[str, Callable[[Testville, UUID], object]] = {
    **CLOSINGS,
    "progressed": lambda t, key: t.app.report_progress(t.slug, key, note="x", actor=ACTOR),
    "renegotiated": lambda t, key: t.app.renegotiate(
        t.slug, key, due=date(2024, 12, 1), reason="x", actor=ACTOR
    ),
    "reassigned": lambda t, key: t.app.reassign(t.slug, key, promisor_id=t.housing, reason="x", actor=ACTOR),
}


@pytest.mark.parametrize("closed", sorted(CLOSINGS))
@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_closed_commitment_cannot_change(testville: Testville, closed: str, change: str) -> None:
    key = make(testville)
    CLOSINGS[closed](testville, key)

    with pytest.raises(CommitmentNotOpenError, match=f"is already {closed}: only an open") as e:
        CHANGES[change](testville, key)
    assert isinstance(e.value, InvalidStateError)
    assert isinstance(e.value, ConflictError)
    assert e.value.status == closed
    assert len(events_of(testville.app, key)) == 2


def test_a_fulfilled_commitment_cannot_be_fulfilled_again(testville: Testville) -> None:
    key = make(testville)
    testville.app.fulfil(testville.slug, key, on=date(2024, 5, 1), actor=ACTOR)

    with pytest.raises(CommitmentNotOpenError, match="already fulfilled"):
        testville.app.fulfil(testville.slug, key, on=date(2024, 5, 2), actor=ACTOR)
    assert commitment(testville, key).closed_on == date(2024, 5, 1)


def test_a_change_based_on_an_old_version_is_stale_and_changes_nothing(testville: Testville) -> None:
    key = make(testville)
    read = commitment(testville, key).version
    testville.app.report_progress(testville.slug, key, note="Started", actor=ACTOR)

    with pytest.raises(StaleVersionError, match=r"commitment .* is at version 2, not 1: it was changed") as e:
        testville.app.fulfil(testville.slug, key, on=date(2024, 5, 1), actor=ACTOR, expected_version=read)
    assert isinstance(e.value, ConflictError)
    assert "reload and try again" in str(e.value)
    assert commitment(testville, key).status == OPEN


def test_a_change_based_on_the_current_version_is_saved(testville: Testville) -> None:
    key = make(testville)

    receipt = testville.app.fulfil(testville.slug, key, on=date(2024, 5, 1), actor=ACTOR, expected_version=1)

    assert receipt.version == 2


def test_a_commitment_of_another_locality_is_not_found(testville: Testville) -> None:
    hillside = build_testville(testville.app, "hillside")
    theirs = hillside.commitment()

    with pytest.raises(NotFoundError, match=f"commitment {theirs} not found"):
        testville.app.fulfil(testville.slug, theirs, on=date(2024, 5, 1), actor=ACTOR)
    assert hillside.app.load(Commitment, theirs, locality="hillside").status == OPEN
