"""An action plan: drafted, given goals, agreed at a meeting by its attendees, revised;
and the measures of its goals, observed over time."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest

from domain.errors import (
    ConflictError,
    InvalidInputError,
    InvalidStateError,
    NotFoundError,
    StaleVersionError,
)
from domain.meeting import MeetingCancelledError
from domain.plan import AGREED, DRAFT, Measure, Plan
from tests.domain.builders import ACTOR, Testville, build_testville, events_of, last_event


def plan(town: Testville, key: UUID) -> Plan:
    return town.app.load(Plan, key, locality=town.slug)


def measure(town: Testville, key: UUID) -> Measure:
    return town.app.load(Measure, key, locality=town.slug)


def draft_with_goal(town: Testville) -> tuple[UUID, UUID]:
    plan_id = town.app.draft_plan(town.slug, title="Healthy Testville", actor=ACTOR).id
    goal_id = town.app.add_goal(town.slug, plan_id, title="Fewer lonely people", actor=ACTOR).id
    return plan_id, goal_id


def define(town: Testville, plan_id: UUID, goal_id: UUID, **options: Any) -> UUID:
    fields: dict[str, Any] = {"name": "People in touch weekly", "kind": "quantitative", "unit": "people"}
    fields.update(options)
    return town.app.define_measure(town.slug, plan_id=plan_id, goal_id=goal_id, actor=ACTOR, **fields).id


def test_a_plan_is_drafted_with_a_title_and_summary(testville: Testville) -> None:
    key = testville.app.draft_plan(
        testville.slug, title="Healthy Testville", summary="Our first plan", actor=ACTOR
    ).id

    drafted = plan(testville, key)
    assert (drafted.title, drafted.summary, drafted.status, drafted.revision) == (
        "Healthy Testville",
        "Our first plan",
        DRAFT,
        1,
    )
    assert (drafted.goals, drafted.agreed_at) == ({}, None)
    (event,) = events_of(testville.app, key)
    assert isinstance(event, Plan.Drafted)
    assert (event.actor, event.effective) == (ACTOR, None)


def test_a_plan_needs_a_title(testville: Testville) -> None:
    with pytest.raises(InvalidInputError, match=r"^title: must not be empty$"):
        testville.app.draft_plan(testville.slug, title="", actor=ACTOR)


def test_a_goal_is_added_and_its_id_returned(testville: Testville) -> None:
    plan_id = testville.app.draft_plan(testville.slug, title="Healthy Testville", actor=ACTOR).id

    receipt = testville.app.add_goal(
        testville.slug, plan_id, title="Fewer lonely people", description="Over-65s", actor=ACTOR
    )

    assert plan(testville, plan_id).goals == {receipt.id: ("Fewer lonely people", "Over-65s")}
    assert receipt.version == 2
    added = last_event(testville.app, plan_id)
    assert isinstance(added, Plan.GoalAdded)
    assert (added.goal_id, added.actor) == (receipt.id, ACTOR)


def test_a_goal_needs_a_title(testville: Testville) -> None:
    plan_id = testville.app.draft_plan(testville.slug, title="Healthy Testville", actor=ACTOR).id

    with pytest.raises(InvalidInputError) as e:
        testville.app.add_goal(testville.slug, plan_id, title=" ", actor=ACTOR)
    assert e.value.field == "title"


def test_a_plan_of_another_locality_is_not_found(testville: Testville) -> None:
    hillside = build_testville(testville.app, "hillside")
    theirs, _ = draft_with_goal(hillside)

    with pytest.raises(NotFoundError, match=f"plan {theirs} not found"):
        testville.app.add_goal(testville.slug, theirs, title="Ours now", actor=ACTOR)


def test_a_plan_is_agreed_at_a_meeting_by_its_attendees(testville: Testville) -> None:
    plan_id, _ = draft_with_goal(testville)
    meeting = testville.meeting(testville.council, testville.mary, held_on=date(2024, 4, 9))

    testville.app.agree_plan(
        testville.slug,
        plan_id,
        meeting_id=meeting,
        agreed_by=[testville.mary, testville.council],
        actor="lead",
    )

    agreed = plan(testville, plan_id)
    assert (agreed.status, agreed.agreed_at) == (AGREED, meeting)
    event = last_event(testville.app, plan_id)
    assert isinstance(event, Plan.Agreed)
    assert set(event.agreed_by) == {testville.council, testville.mary}
    assert (event.actor, event.effective) == ("lead", date(2024, 4, 9))


def test_only_attendees_of_the_meeting_can_agree_the_plan(testville: Testville) -> None:
    plan_id, _ = draft_with_goal(testville)
    meeting = testville.meeting(testville.council)

    with pytest.raises(InvalidInputError, match="only attendees of the meeting") as e:
        testville.app.agree_plan(
            testville.slug, plan_id, meeting_id=meeting, agreed_by=[testville.mary], actor=ACTOR
        )
    assert e.value.field == "agreed_by"
    assert plan(testville, plan_id).status == DRAFT


def test_a_plan_is_agreed_by_someone(testville: Testville) -> None:
    plan_id, _ = draft_with_goal(testville)
    meeting = testville.meeting(testville.council)

    with pytest.raises(InvalidInputError, match="name who agreed the plan") as e:
        testville.app.agree_plan(testville.slug, plan_id, meeting_id=meeting, agreed_by=[], actor=ACTOR)
    assert e.value.field == "agreed_by"


def test_a_plan_needs_a_goal_before_it_is_agreed(testville: Testville) -> None:
    plan_id = testville.app.draft_plan(testville.slug, title="Empty", actor=ACTOR).id
    meeting = testville.meeting(testville.council)

    with pytest.raises(InvalidInputError, match="at least one goal") as e:
        testville.app.agree_plan(
            testville.slug, plan_id, meeting_id=meeting, agreed_by=[testville.council], actor=ACTOR
        )
    assert e.value.field == "goals"


def test_a_plan_is_not_agreed_at_a_cancelled_meeting(testville: Testville) -> None:
    plan_id, _ = draft_with_goal(testville)
    meeting = testville.meeting(testville.council)
    testville.app.cancel_meeting(testville.slug, meeting, reason="Snow", actor=ACTOR)

    with pytest.raises(MeetingCancelledError):
        testville.app.agree_plan(
            testville.slug, plan_id, meeting_id=meeting, agreed_by=[testville.council], actor=ACTOR
        )
    assert plan(testville, plan_id).status == DRAFT


def test_a_plan_is_agreed_at_a_meeting_of_its_own_locality(testville: Testville) -> None:
    hillside = build_testville(testville.app, "hillside")
    plan_id, _ = draft_with_goal(testville)
    theirs = hillside.meeting(hillside.council)

    with pytest.raises(NotFoundError, match="meeting"):
        testville.app.agree_plan(
            testville.slug, plan_id, meeting_id=theirs, agreed_by=[hillside.council], actor=ACTOR
        )


def test_an_agreed_plan_is_revised_before_it_is_agreed_again(testville: Testville) -> None:
    plan_id, _ = draft_with_goal(testville)
    meeting = testville.meeting(testville.council)
    agree = {"meeting_id": meeting, "agreed_by": [testville.council], "actor": ACTOR}
    testville.app.agree_plan(testville.slug, plan_id, **agree)

    with pytest.raises(InvalidStateError, match="already agreed; revise it") as e:
        testville.app.agree_plan(testville.slug, plan_id, **agree)
    assert isinstance(e.value, ConflictError)

    testville.app.revise_plan(
        testville.slug, plan_id, title="Healthy Testville 2", reason="New data", actor=ACTOR
    )
    revised = plan(testville, plan_id)
    assert (revised.title, revised.status, revised.revision) == ("Healthy Testville 2", DRAFT, 2)
    event = last_event(testville.app, plan_id)
    assert isinstance(event, Plan.Revised)
    assert (event.reason, event.actor) == ("New data", ACTOR)

    testville.app.agree_plan(testville.slug, plan_id, **agree)
    assert plan(testville, plan_id).status == AGREED


def test_a_revision_needs_a_reason(testville: Testville) -> None:
    plan_id, _ = draft_with_goal(testville)

    with pytest.raises(InvalidInputError) as e:
        testville.app.revise_plan(testville.slug, plan_id, title="New", reason="", actor=ACTOR)
    assert e.value.field == "reason"


def test_a_revision_based_on_an_old_version_is_stale(testville: Testville) -> None:
    plan_id, _ = draft_with_goal(testville)

    with pytest.raises(StaleVersionError, match=r"plan .* is at version 2, not 1"):
        testville.app.revise_plan(
            testville.slug, plan_id, title="New", reason="x", actor=ACTOR, expected_version=1
        )


def test_a_quantitative_measure_has_a_unit_a_baseline_and_a_target(testville: Testville) -> None:
    plan_id, goal_id = draft_with_goal(testville)

    key = define(testville, plan_id, goal_id, baseline="120", target=200.5, shared_code="ascot-1a")

    defined = measure(testville, key)
    assert (defined.plan_id, defined.goal_id, defined.kind, defined.unit) == (
        plan_id,
        goal_id,
        "quantitative",
        "people",
    )
    assert (defined.baseline, defined.target) == (Decimal("120"), Decimal("200.5"))
    assert defined.shared_code == "ASCOT-1A"
    (event,) = events_of(testville.app, key)
    assert isinstance(event, Measure.Defined)
    assert event.actor == ACTOR


def test_a_quantitative_measure_needs_a_unit(testville: Testville) -> None:
    plan_id, goal_id = draft_with_goal(testville)

    with pytest.raises(InvalidInputError, match=r"needs a unit, e.g. 'people'") as e:
        define(testville, plan_id, goal_id, unit=" ")
    assert e.value.field == "unit"


def test_a_qualitative_measure_needs_no_unit(testville: Testville) -> None:
    plan_id, goal_id = draft_with_goal(testville)

    key = define(testville, plan_id, goal_id, kind="qualitative", unit="")

    assert (measure(testville, key).kind, measure(testville, key).baseline) == ("qualitative", None)


def test_the_kind_of_measure_is_quantitative_or_qualitative(testville: Testville) -> None:
    plan_id, goal_id = draft_with_goal(testville)

    with pytest.raises(InvalidInputError, match="use one of: quantitative, qualitative") as e:
        define(testville, plan_id, goal_id, kind="vibes")
    assert e.value.field == "kind"


def test_a_measure_is_of_a_goal_of_its_plan(testville: Testville) -> None:
    plan_id, _ = draft_with_goal(testville)
    other_plan, other_goal = draft_with_goal(testville)

    with pytest.raises(InvalidInputError, match="is not a goal of plan") as e:
        define(testville, plan_id, other_goal)
    assert e.value.field == "goal_id"
    with pytest.raises(NotFoundError):
        define(testville, uuid4(), other_goal)
    assert other_plan != plan_id


@pytest.mark.parametrize(
    ("baseline", "message"), [("many", "'many' is not a number"), ("NaN", "finite"), ("inf", "finite")]
)
def test_a_baseline_is_a_finite_number(testville: Testville, baseline: str, message: str) -> None:
    plan_id, goal_id = draft_with_goal(testville)

    with pytest.raises(InvalidInputError, match=message) as e:
        define(testville, plan_id, goal_id, baseline=baseline)
    assert e.value.field == "baseline"


def test_a_quantitative_measure_is_observed_with_a_value_on_a_date(testville: Testville) -> None:
    plan_id, goal_id = draft_with_goal(testville)
    key = define(testville, plan_id, goal_id)

    testville.app.record_observation(
        testville.slug, key, on=date(2024, 6, 1), value="131.5", evidence="Survey", actor=ACTOR
    )
    testville.app.record_observation(testville.slug, key, on=date(2024, 9, 1), value=140, actor=ACTOR)

    assert measure(testville, key).observations == (
        (date(2024, 6, 1), Decimal("131.5"), ""),
        (date(2024, 9, 1), Decimal("140"), ""),
    )
    observed = events_of(testville.app, key)[1]
    assert isinstance(observed, Measure.Observed)
    assert (observed.evidence, observed.actor, observed.effective) == (
        "Survey",
        ACTOR,
        date(2024, 6, 1),
    )


def test_a_quantitative_observation_needs_a_number(testville: Testville) -> None:
    plan_id, goal_id = draft_with_goal(testville)
    key = define(testville, plan_id, goal_id)

    with pytest.raises(InvalidInputError, match="needs a value") as missing:
        testville.app.record_observation(testville.slug, key, on=date(2024, 6, 1), actor=ACTOR)
    with pytest.raises(InvalidInputError, match="not a number") as wrong:
        testville.app.record_observation(testville.slug, key, on=date(2024, 6, 1), value="lots", actor=ACTOR)
    assert missing.value.field == wrong.value.field == "value"


def test_a_qualitative_measure_is_observed_with_a_story(testville: Testville) -> None:
    plan_id, goal_id = draft_with_goal(testville)
    key = define(testville, plan_id, goal_id, kind="qualitative", unit="")

    testville.app.record_observation(
        testville.slug, key, on=date(2024, 6, 1), story="Mrs B now comes every week", actor=ACTOR
    )

    assert measure(testville, key).observations == ((date(2024, 6, 1), None, "Mrs B now comes every week"),)
    with pytest.raises(InvalidInputError, match="needs a story or evidence") as e:
        testville.app.record_observation(testville.slug, key, on=date(2024, 7, 1), story=" ", actor=ACTOR)
    assert e.value.field == "story"


def test_a_measure_of_another_locality_is_not_found(testville: Testville) -> None:
    hillside = build_testville(testville.app, "hillside")
    theirs = define(hillside, *draft_with_goal(hillside))

    with pytest.raises(NotFoundError, match=f"measure {theirs} not found"):
        testville.app.record_observation(testville.slug, theirs, on=date(2024, 6, 1), value=1, actor=ACTOR)
