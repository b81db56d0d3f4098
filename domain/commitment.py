"""A commitment: a promise a stakeholder (the promisor) makes to others or to the
Change Group, usually at a meeting, with a due date, and what then happened to it."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain.base import CivicAggregate, not_before, text
from domain.errors import InvalidInputError, InvalidStateError

OPEN, FULFILLED, MISSED, WITHDRAWN = "open", "fulfilled", "missed", "withdrawn"


class CommitmentNotOpenError(InvalidStateError):
    def __init__(self, commitment_id: UUID, status: str) -> None:
        self.status = status
        super().__init__(
            f"commitment {commitment_id} is already {status}: only an open commitment can change"
        )


class Commitment(CivicAggregate):
    class Made(CivicAggregate.Created):
        """Version 2 added ``goal_id`` (the goal of the action plan the commitment serves)."""

        class_version = 2
        promisor_id: UUID
        promisee_ids: tuple[UUID, ...]
        to_change_group: bool
        what: str
        made_on: date
        due: date
        meeting_id: UUID | None
        goal_id: UUID | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["goal_id"] = None

    class ProgressReported(CivicAggregate.Event):
        note: str
        percent: int | None
        evidence: str
        meeting_id: UUID | None

        def apply(self, aggregate: Any) -> None:
            aggregate.progress = (*aggregate.progress, (self.note, self.percent))

    class Renegotiated(CivicAggregate.Event):
        due: date
        reason: str
        meeting_id: UUID | None

        def apply(self, aggregate: Any) -> None:
            aggregate.due = self.due
            aggregate.renegotiations += 1

    class Reassigned(CivicAggregate.Event):
        promisor_id: UUID
        reason: str

        def apply(self, aggregate: Any) -> None:
            aggregate.promisor_id = self.promisor_id

    class Fulfilled(CivicAggregate.Event):
        evidence: str
        on: date

        def apply(self, aggregate: Any) -> None:
            aggregate.status, aggregate.closed_on = FULFILLED, self.on

    class Missed(CivicAggregate.Event):
        reason: str
        on: date

        def apply(self, aggregate: Any) -> None:
            aggregate.status, aggregate.closed_on = MISSED, self.on

    class Withdrawn(CivicAggregate.Event):
        reason: str
        on: date

        def apply(self, aggregate: Any) -> None:
            aggregate.status, aggregate.closed_on = WITHDRAWN, self.on

    @event(Made)
    def __init__(
        self,
        locality_id: UUID,
        promisor_id: UUID,
        promisee_ids: tuple[UUID, ...],
        to_change_group: bool,
        what: str,
        made_on: date,
        due: date,
        meeting_id: UUID | None,
        goal_id: UUID | None,
        actor: str,
        effective: date | None,
    ) -> None:
        self.locality_id = locality_id
        self.promisor_id = promisor_id
        self.promisee_ids = tuple(promisee_ids)
        self.to_change_group = to_change_group
        self.what, self.made_on, self.original_due, self.due = what, made_on, due, due
        self.meeting_id, self.goal_id = meeting_id, goal_id
        self.status = OPEN
        self.closed_on: date | None = None
        self.renegotiations = 0
        self.progress: tuple[tuple[str, int | None], ...] = ()

    def _require_open(self) -> None:
        if self.status != OPEN:
            raise CommitmentNotOpenError(self.id, self.status)

    def report_progress(
        self,
        note: str,
        *,
        percent: int | None,
        evidence: str,
        meeting_id: UUID | None,
        actor: str,
        on: date,
    ) -> None:
        self._require_open()
        not_before("on", on, self.made_on, "the date the commitment was made")
        if percent is not None and (isinstance(percent, bool) or not 0 <= percent <= 100):
            raise InvalidInputError("percent", "must be a whole number from 0 to 100, or left out")
        self.record(
            self.ProgressReported,
            actor=actor,
            effective=on,
            note=text("note", note),
            percent=percent,
            evidence=text("evidence", evidence, required=False),
            meeting_id=meeting_id,
        )

    def renegotiate(self, due: date, reason: str, *, meeting_id: UUID | None, actor: str, on: date) -> None:
        self._require_open()
        reason = text("reason", reason)
        not_before("on", on, self.made_on, "the date the commitment was made")
        not_before("due", due, self.made_on, "the date the commitment was made")
        if due == self.due:
            raise InvalidInputError("due", f"the commitment is already due on {due.isoformat()}")
        self.record(
            self.Renegotiated,
            actor=actor,
            effective=on,
            due=due,
            reason=reason,
            meeting_id=meeting_id,
        )

    def reassign(self, promisor_id: UUID, reason: str, *, actor: str, on: date) -> None:
        self._require_open()
        not_before("on", on, self.made_on, "the date the commitment was made")
        if promisor_id == self.promisor_id:
            raise InvalidInputError("promisor_id", "the commitment is already this stakeholder's")
        if promisor_id in self.promisee_ids:
            raise InvalidInputError(
                "promisor_id", "a promisee cannot become the promisor: it would promise itself"
            )
        self.record(
            self.Reassigned,
            actor=actor,
            effective=on,
            promisor_id=promisor_id,
            reason=text("reason", reason),
        )

    def fulfil(self, evidence: str, *, on: date, actor: str) -> None:
        self._require_open()
        not_before("on", on, self.made_on, "the date the commitment was made")
        self.record(
            self.Fulfilled,
            actor=actor,
            effective=on,
            evidence=text("evidence", evidence, required=False),
            on=on,
        )

    def miss(self, reason: str, *, on: date, actor: str) -> None:
        self._require_open()
        not_before("on", on, self.made_on, "the date the commitment was made")
        self.record(
            self.Missed,
            actor=actor,
            effective=on,
            reason=text("reason", reason, required=False),
            on=on,
        )

    def withdraw(self, reason: str, *, on: date, actor: str) -> None:
        self._require_open()
        not_before("on", on, self.made_on, "the date the commitment was made")
        self.record(self.Withdrawn, actor=actor, effective=on, reason=text("reason", reason), on=on)
