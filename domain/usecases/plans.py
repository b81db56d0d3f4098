"""Use cases of action plans, their goals, and the measures of those goals."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation
from uuid import UUID, uuid4

from domain.base import MAX_NAME, choice, text
from domain.errors import InvalidInputError
from domain.meeting import CANCELLED, Meeting, MeetingCancelledError
from domain.plan import Measure, Plan
from domain.usecases.core import Core, Receipt
from domain.vocabulary import MeasureKind


def _number(field: str, value: Decimal | float | int | str | None) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise InvalidInputError(field, f"{value!r} is not a number") from None
    if not number.is_finite():
        raise InvalidInputError(field, "must be a finite number")
    return number


class PlanUseCases(Core):
    def draft_plan(self, locality: str, *, title: str, summary: str = "", actor: str) -> Receipt:
        plan = Plan(
            locality_id=self.locality(locality).id,
            title=text("title", title, max_length=MAX_NAME),
            summary=text("summary", summary, required=False),
            actor=actor,
            effective=None,
        )
        return self.commit(plan)

    def add_goal(
        self, locality: str, plan_id: UUID, *, title: str, description: str = "", actor: str
    ) -> Receipt:
        """Add a goal; the receipt's id is the new goal's id."""
        plan = self.load(Plan, plan_id, locality=locality)
        goal_id = uuid4()
        plan.add_goal(goal_id, title, description, actor=actor)
        receipt = self.commit(plan)
        return Receipt(goal_id, receipt.version, receipt.position)

    def agree_plan(
        self,
        locality: str,
        plan_id: UUID,
        *,
        meeting_id: UUID,
        agreed_by: Iterable[UUID],
        actor: str,
        expected_version: int | None = None,
    ) -> Receipt:
        plan = self.load(Plan, plan_id, locality=locality, expected_version=expected_version)
        meeting = self.load(Meeting, meeting_id, locality=locality)
        if meeting.status == CANCELLED:
            raise MeetingCancelledError(meeting.id)
        agreed = tuple(agreed_by)
        if set(agreed) - meeting.attendees:
            raise InvalidInputError("agreed_by", "only attendees of the meeting can agree the plan at it")
        plan.agree(meeting.id, agreed, actor=actor, on=meeting.held_on)
        return self.commit(plan)

    def revise_plan(
        self,
        locality: str,
        plan_id: UUID,
        *,
        title: str,
        summary: str = "",
        reason: str,
        actor: str,
        expected_version: int | None = None,
    ) -> Receipt:
        plan = self.load(Plan, plan_id, locality=locality, expected_version=expected_version)
        plan.revise(title, summary, reason, actor=actor)
        return self.commit(plan)

    def define_measure(
        self,
        locality: str,
        *,
        plan_id: UUID,
        goal_id: UUID,
        name: str,
        kind: str,
        unit: str = "",
        baseline: Decimal | float | str | None = None,
        target: Decimal | float | str | None = None,
        shared_code: str = "",
        actor: str,
    ) -> Receipt:
        plan = self.load(Plan, plan_id, locality=locality)
        if goal_id not in plan.goals:
            raise InvalidInputError("goal_id", f"goal {goal_id} is not a goal of plan {plan_id}")
        kind = choice("kind", kind, MeasureKind)
        if kind == MeasureKind.QUANTITATIVE.value and not unit.strip():
            raise InvalidInputError("unit", "a quantitative measure needs a unit, e.g. 'people' or '%'")
        measure = Measure(
            locality_id=plan.locality_id,
            plan_id=plan.id,
            goal_id=goal_id,
            name=text("name", name, max_length=MAX_NAME),
            kind=kind,
            unit=text("unit", unit, max_length=40, required=False),
            baseline=_number("baseline", baseline),
            target=_number("target", target),
            shared_code=text("shared_code", shared_code, max_length=40, required=False).upper(),
            actor=actor,
            effective=None,
        )
        return self.commit(measure)

    def record_observation(
        self,
        locality: str,
        measure_id: UUID,
        *,
        on: date,
        value: Decimal | float | str | None = None,
        story: str = "",
        evidence: str = "",
        actor: str,
    ) -> Receipt:
        measure = self.load(Measure, measure_id, locality=locality)
        measure.observe(
            uuid4(),
            on=on,
            value=_number("value", value),
            story=story,
            evidence=evidence,
            actor=actor,
        )
        return self.commit(measure)
