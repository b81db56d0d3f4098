"""An action plan a Change Group coproduces and agrees, its goals, and the measures of
those goals with their observations over time."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain.base import MAX_NAME, CivicAggregate, text
from domain.errors import InvalidInputError, InvalidStateError
from domain.vocabulary import MeasureKind

DRAFT, AGREED = "draft", "agreed"


class Plan(CivicAggregate):
    class Drafted(CivicAggregate.Created):
        title: str
        summary: str

    class GoalAdded(CivicAggregate.Event):
        goal_id: UUID
        title: str
        description: str

        def apply(self, aggregate: Any) -> None:
            aggregate.goals = {**aggregate.goals, self.goal_id: (self.title, self.description)}

    class Agreed(CivicAggregate.Event):
        meeting_id: UUID
        agreed_by: tuple[UUID, ...]

        def apply(self, aggregate: Any) -> None:
            aggregate.status = AGREED
            aggregate.agreed_at = self.meeting_id

    class Revised(CivicAggregate.Event):
        """A revision reopens the plan as a draft, to be agreed again."""

        title: str
        summary: str
        reason: str

        def apply(self, aggregate: Any) -> None:
            aggregate.title, aggregate.summary, aggregate.status = self.title, self.summary, DRAFT
            aggregate.revision += 1

    @event(Drafted)
    def __init__(
        self, locality_id: UUID, title: str, summary: str, actor: str, effective: date | None
    ) -> None:
        self.locality_id = locality_id
        self.title, self.summary = title, summary
        self.goals: dict[UUID, tuple[str, str]] = {}
        self.status = DRAFT
        self.agreed_at: UUID | None = None
        self.revision = 1

    def add_goal(self, goal_id: UUID, title: str, description: str, *, actor: str) -> None:
        self.record(
            self.GoalAdded,
            actor=actor,
            goal_id=goal_id,
            title=text("title", title, max_length=MAX_NAME),
            description=text("description", description, required=False),
        )

    def agree(self, meeting_id: UUID, agreed_by: tuple[UUID, ...], *, actor: str, on: date) -> None:
        if self.status == AGREED:
            raise InvalidStateError(f"plan {self.id} is already agreed; revise it to change it")
        if not self.goals:
            raise InvalidInputError("goals", "add at least one goal before the plan is agreed")
        if not agreed_by:
            raise InvalidInputError("agreed_by", "name who agreed the plan")
        self.record(
            self.Agreed,
            actor=actor,
            effective=on,
            meeting_id=meeting_id,
            agreed_by=tuple(sorted(set(agreed_by), key=str)),
        )

    def revise(self, title: str, summary: str, reason: str, *, actor: str) -> None:
        self.record(
            self.Revised,
            actor=actor,
            title=text("title", title, max_length=MAX_NAME),
            summary=text("summary", summary, required=False),
            reason=text("reason", reason),
        )


class Measure(CivicAggregate):
    """A measure of a goal: quantitative (unit, baseline, target) or qualitative
    (stories and evidence), with an optional shared code (e.g. an ASCOT item)."""

    class Defined(CivicAggregate.Created):
        plan_id: UUID
        goal_id: UUID
        name: str
        kind: str
        unit: str
        baseline: Decimal | None
        target: Decimal | None
        shared_code: str

    class Observed(CivicAggregate.Event):
        observation_id: UUID
        on: date
        value: Decimal | None
        story: str
        evidence: str

        def apply(self, aggregate: Any) -> None:
            aggregate.observations = (*aggregate.observations, (self.on, self.value, self.story))

    @event(Defined)
    def __init__(
        self,
        locality_id: UUID,
        plan_id: UUID,
        goal_id: UUID,
        name: str,
        kind: str,
        unit: str,
        baseline: Decimal | None,
        target: Decimal | None,
        shared_code: str,
        actor: str,
        effective: date | None,
    ) -> None:
        self.locality_id, self.plan_id, self.goal_id = locality_id, plan_id, goal_id
        self.name, self.kind, self.unit, self.shared_code = name, kind, unit, shared_code
        self.baseline, self.target = baseline, target
        self.observations: tuple[tuple[date, Decimal | None, str], ...] = ()

    def observe(
        self,
        observation_id: UUID,
        *,
        on: date,
        value: Decimal | None,
        story: str,
        evidence: str,
        actor: str,
    ) -> None:
        if self.kind == MeasureKind.QUANTITATIVE.value and value is None:
            raise InvalidInputError("value", "a quantitative measure needs a value")
        if self.kind == MeasureKind.QUALITATIVE.value and not story.strip():
            raise InvalidInputError("story", "a qualitative measure needs a story or evidence")
        self.record(
            self.Observed,
            actor=actor,
            effective=on,
            observation_id=observation_id,
            on=on,
            value=value,
            story=text("story", story, required=False, max_length=20_000),
            evidence=text("evidence", evidence, required=False),
        )
