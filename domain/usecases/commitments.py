"""Use cases of commitments: make one, then progress, renegotiate, reassign, fulfil,
miss or withdraw it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from uuid import UUID

from domain.base import not_before, text
from domain.commitment import Commitment
from domain.errors import InvalidInputError
from domain.meeting import Meeting, MeetingCancelledError
from domain.plan import Plan
from domain.usecases.core import Receipt
from domain.usecases.meetings import MeetingUseCases


class CommitmentUseCases(MeetingUseCases):
    def _meeting(self, locality: str, meeting_id: UUID | None) -> Meeting | None:
        if meeting_id is None:
            return None
        meeting = self.load(Meeting, meeting_id, locality=locality)
        if meeting.status == "cancelled":
            raise MeetingCancelledError(meeting.id)
        return meeting

    def _goal(self, locality: str, plan_id: UUID | None, goal_id: UUID | None) -> UUID | None:
        if goal_id is None:
            return None
        if plan_id is None:
            raise InvalidInputError("plan_id", "name the plan the goal belongs to")
        if goal_id not in self.load(Plan, plan_id, locality=locality).goals:
            raise InvalidInputError("goal_id", f"goal {goal_id} is not a goal of plan {plan_id}")
        return goal_id

    def make_commitment(
        self,
        locality: str,
        *,
        promisor_id: UUID,
        what: str,
        due: date,
        promisee_ids: Iterable[UUID] = (),
        to_change_group: bool = False,
        made_on: date | None = None,
        meeting_id: UUID | None = None,
        plan_id: UUID | None = None,
        goal_id: UUID | None = None,
        actor: str,
    ) -> Receipt:
        (promisor,) = self._registered(locality, (promisor_id,))
        promisees = self._registered(locality, promisee_ids)
        if promisor in promisees:
            raise InvalidInputError("promisee_ids", "a stakeholder cannot make a commitment to itself")
        if not promisees and not to_change_group:
            raise InvalidInputError(
                "promisee_ids", "name at least one promisee, or make it to the Change Group"
            )
        meeting = self._meeting(locality, meeting_id)
        made = made_on or (meeting.held_on if meeting else self.today())
        commitment = Commitment(
            locality_id=self.locality(locality).id,
            promisor_id=promisor,
            promisee_ids=promisees,
            to_change_group=bool(to_change_group),
            what=text("what", what),
            made_on=made,
            due=not_before("due", due, made, "the date the commitment was made"),
            meeting_id=meeting_id,
            goal_id=self._goal(locality, plan_id, goal_id),
            actor=actor,
            effective=made,
        )
        return self.commit(commitment)

    def _open(self, locality: str, commitment_id: UUID, expected_version: int | None) -> Commitment:
        return self.load(Commitment, commitment_id, locality=locality, expected_version=expected_version)

    def report_progress(
        self,
        locality: str,
        commitment_id: UUID,
        *,
        note: str,
        percent: int | None = None,
        evidence: str = "",
        meeting_id: UUID | None = None,
        on: date | None = None,
        actor: str,
        expected_version: int | None = None,
    ) -> Receipt:
        commitment = self._open(locality, commitment_id, expected_version)
        meeting = self._meeting(locality, meeting_id)
        when = on or (meeting.held_on if meeting else self.today())
        commitment.report_progress(
            note, percent=percent, evidence=evidence, meeting_id=meeting_id, actor=actor, on=when
        )
        return self.commit(commitment)

    def renegotiate(
        self,
        locality: str,
        commitment_id: UUID,
        *,
        due: date,
        reason: str,
        meeting_id: UUID | None = None,
        on: date | None = None,
        actor: str,
        expected_version: int | None = None,
    ) -> Receipt:
        commitment = self._open(locality, commitment_id, expected_version)
        meeting = self._meeting(locality, meeting_id)
        when = on or (meeting.held_on if meeting else self.today())
        commitment.renegotiate(due, reason, meeting_id=meeting_id, actor=actor, on=when)
        return self.commit(commitment)

    def reassign(
        self,
        locality: str,
        commitment_id: UUID,
        *,
        promisor_id: UUID,
        reason: str,
        on: date | None = None,
        actor: str,
        expected_version: int | None = None,
    ) -> Receipt:
        commitment = self._open(locality, commitment_id, expected_version)
        (promisor,) = self._registered(locality, (promisor_id,))
        commitment.reassign(promisor, reason, actor=actor, on=on or self.today())
        return self.commit(commitment)

    def fulfil(
        self,
        locality: str,
        commitment_id: UUID,
        *,
        evidence: str = "",
        on: date | None = None,
        actor: str,
        expected_version: int | None = None,
    ) -> Receipt:
        commitment = self._open(locality, commitment_id, expected_version)
        commitment.fulfil(evidence, on=on or self.today(), actor=actor)
        return self.commit(commitment)

    def mark_missed(
        self,
        locality: str,
        commitment_id: UUID,
        *,
        reason: str = "",
        on: date | None = None,
        actor: str,
        expected_version: int | None = None,
    ) -> Receipt:
        commitment = self._open(locality, commitment_id, expected_version)
        commitment.miss(reason, on=on or self.today(), actor=actor)
        return self.commit(commitment)

    def withdraw(
        self,
        locality: str,
        commitment_id: UUID,
        *,
        reason: str,
        on: date | None = None,
        actor: str,
        expected_version: int | None = None,
    ) -> Receipt:
        commitment = self._open(locality, commitment_id, expected_version)
        commitment.withdraw(reason, on=on or self.today(), actor=actor)
        return self.commit(commitment)
