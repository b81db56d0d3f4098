"""Use cases of commitments: make one, then progress, renegotiate, reassign, fulfil,
miss or withdraw it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import date
from uuid import UUID, uuid4

from domain.base import not_before, text
from domain.commitment import Commitment
from domain.errors import InvalidInputError, NotFoundError
from domain.locality import locality_id
from domain.meeting import Meeting, MeetingCancelledError
from domain.plan import Plan
from domain.stakeholder import StakeholderInactiveError
from domain.usecases.core import Receipt
from domain.usecases.meetings import MeetingUseCases


@dataclass(frozen=True)
class DecisionDraft:
    text: str
    agreed_by: tuple[UUID, ...] = ()


@dataclass(frozen=True)
class CommitmentDraft:
    promisor_id: UUID
    what: str
    due: date
    promisee_ids: tuple[UUID, ...] = ()
    to_change_group: bool = False


@dataclass(frozen=True)
class MeetingRecorded:
    meeting: Receipt
    commitments: list[Receipt]


@contextmanager
def _part(prefix: str) -> Iterator[None]:
    """Name the part of a bigger command in any input error raised within."""
    try:
        yield
    except InvalidInputError as error:
        raise InvalidInputError(f"{prefix}.{error.field}", error.message) from None
    except (NotFoundError, StakeholderInactiveError) as error:
        raise InvalidInputError(prefix, str(error)) from None


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
        meeting = self._meeting(locality, meeting_id)
        made = made_on or (meeting.held_on if meeting else self.today())
        commitment = self._new_commitment(
            locality,
            promisor_id=promisor_id,
            what=what,
            due=due,
            promisee_ids=promisee_ids,
            to_change_group=to_change_group,
            made_on=made,
            meeting_id=meeting_id,
            goal_id=self._goal(locality, plan_id, goal_id),
            actor=actor,
        )
        return self.commit(commitment)

    def _new_commitment(
        self,
        locality: str,
        *,
        promisor_id: UUID,
        what: str,
        due: date,
        promisee_ids: Iterable[UUID],
        to_change_group: bool,
        made_on: date,
        meeting_id: UUID | None,
        goal_id: UUID | None,
        actor: str,
    ) -> Commitment:
        """A new commitment, every invariant checked, not yet saved."""
        (promisor,) = self._registered(locality, (promisor_id,))
        promisees = self._registered(locality, promisee_ids)
        if promisor in promisees:
            raise InvalidInputError("promisee_ids", "a stakeholder cannot make a commitment to itself")
        if not promisees and not to_change_group:
            raise InvalidInputError(
                "promisee_ids", "name at least one promisee, or make it to the Change Group"
            )
        return Commitment(
            # The promisor was found in this locality, so it exists: no need to load it.
            locality_id=locality_id(locality),
            promisor_id=promisor,
            promisee_ids=promisees,
            to_change_group=bool(to_change_group),
            what=text("what", what),
            made_on=made_on,
            due=not_before("due", due, made_on, "the date the commitment was made"),
            meeting_id=meeting_id,
            goal_id=goal_id,
            actor=actor,
            effective=made_on,
        )

    def _check_each(self, locality: str, field: str, stakeholder_ids: Iterable[UUID]) -> None:
        for index, key in enumerate(stakeholder_ids):
            with _part(f"{field}.{index}"):
                self._registered(locality, (key,))

    def record_meeting(
        self,
        locality: str,
        *,
        kind: str,
        title: str,
        held_on: date,
        place: str = "",
        attendee_ids: Iterable[UUID] = (),
        decisions: Sequence[DecisionDraft] = (),
        commitments: Sequence[CommitmentDraft] = (),
        actor: str,
    ) -> MeetingRecorded:
        """A held meeting with its attendance, decisions and the commitments made at it,
        saved in ONE atomic write: any broken rule raises (naming the part, e.g.
        ``commitments.1.due``) and nothing at all is written."""
        meeting = self._new_meeting(
            locality, kind=kind, title=title, held_on=held_on, place=place, actor=actor
        )
        attendee_ids = tuple(attendee_ids)
        self._check_each(locality, "attendee_ids", attendee_ids)
        attendees = self._registered(locality, attendee_ids)
        if attendees:
            meeting.record_attendance(attendees, actor=actor)
        meeting.hold(held_on, actor=actor)
        for number, decision in enumerate(decisions):
            with _part(f"decisions.{number}"):
                meeting.record_decision(uuid4(), decision.text, tuple(decision.agreed_by), actor=actor)
        made = []
        for number, draft in enumerate(commitments):
            with _part(f"commitments.{number}.promisor_id"):
                self._registered(locality, (draft.promisor_id,))
            self._check_each(locality, f"commitments.{number}.promisee_ids", draft.promisee_ids)
            with _part(f"commitments.{number}"):
                made.append(
                    self._new_commitment(
                        locality,
                        **asdict(draft),
                        made_on=held_on,
                        meeting_id=meeting.id,
                        goal_id=None,
                        actor=actor,
                    )
                )
        receipt = self.commit(meeting, *made)
        return MeetingRecorded(
            meeting=receipt,
            commitments=[Receipt(c.id, c.version, receipt.position) for c in made],
        )

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
