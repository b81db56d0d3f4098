"""A meeting: a Change Group meeting, workshop, conversation or network event, with
attendance, decisions and notes."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain.base import MAX_NAME, CivicAggregate, text
from domain.errors import InvalidInputError, InvalidStateError

SCHEDULED, HELD, CANCELLED = "scheduled", "held", "cancelled"


class MeetingCancelledError(InvalidStateError):
    def __init__(self, meeting_id: UUID) -> None:
        super().__init__(f"meeting {meeting_id} was cancelled: nothing more can be recorded at it")


class Meeting(CivicAggregate):
    class Scheduled(CivicAggregate.Created):
        kind: str
        title: str
        held_on: date
        place: str

    class AttendanceRecorded(CivicAggregate.Event):
        stakeholder_ids: tuple[UUID, ...]

        def apply(self, aggregate: Any) -> None:
            aggregate.attendees = aggregate.attendees | frozenset(self.stakeholder_ids)

    class AttendanceCorrected(CivicAggregate.Event):
        added: tuple[UUID, ...]
        removed: tuple[UUID, ...]
        reason: str

        def apply(self, aggregate: Any) -> None:
            aggregate.attendees = (aggregate.attendees - frozenset(self.removed)) | frozenset(self.added)

    class DecisionRecorded(CivicAggregate.Event):
        decision_id: UUID
        text: str
        agreed_by: tuple[UUID, ...]

        def apply(self, aggregate: Any) -> None:
            aggregate.decisions = (
                *aggregate.decisions,
                (self.decision_id, self.text, tuple(self.agreed_by)),
            )

    class NotesRecorded(CivicAggregate.Event):
        notes: str

        def apply(self, aggregate: Any) -> None:
            aggregate.notes = self.notes

    class Held(CivicAggregate.Event):
        held_on: date

        def apply(self, aggregate: Any) -> None:
            aggregate.status, aggregate.held_on = HELD, self.held_on

    class Cancelled(CivicAggregate.Event):
        reason: str

        def apply(self, aggregate: Any) -> None:
            aggregate.status = CANCELLED

    @event(Scheduled)
    def __init__(
        self,
        locality_id: UUID,
        kind: str,
        title: str,
        held_on: date,
        place: str,
        actor: str,
        effective: date | None,
    ) -> None:
        self.locality_id = locality_id
        self.kind, self.title, self.held_on, self.place = kind, title, held_on, place
        self.status = SCHEDULED
        self.attendees: frozenset[UUID] = frozenset()
        self.decisions: tuple[tuple[UUID, str, tuple[UUID, ...]], ...] = ()
        self.notes = ""

    def _require_not_cancelled(self) -> None:
        if self.status == CANCELLED:
            raise MeetingCancelledError(self.id)

    def record_attendance(self, stakeholder_ids: tuple[UUID, ...], *, actor: str) -> None:
        self._require_not_cancelled()
        new = tuple(sorted(set(stakeholder_ids) - self.attendees, key=str))
        if not new:
            raise InvalidInputError(
                "stakeholder_ids", "name at least one stakeholder not already recorded as attending"
            )
        self.record(self.AttendanceRecorded, actor=actor, effective=self.held_on, stakeholder_ids=new)

    def correct_attendance(
        self, added: tuple[UUID, ...], removed: tuple[UUID, ...], reason: str, *, actor: str
    ) -> None:
        self._require_not_cancelled()
        add = tuple(sorted(set(added) - self.attendees, key=str))
        absent = set(removed) - self.attendees
        if absent:
            raise InvalidInputError(
                "removed", f"not recorded as attending: {', '.join(sorted(map(str, absent)))}"
            )
        if not add and not removed:
            raise InvalidInputError("added", "the correction changes nothing")
        self.record(
            self.AttendanceCorrected,
            actor=actor,
            effective=self.held_on,
            added=add,
            removed=tuple(sorted(set(removed), key=str)),
            reason=text("reason", reason),
        )

    def record_decision(
        self, decision_id: UUID, wording: str, agreed_by: tuple[UUID, ...], *, actor: str
    ) -> None:
        self._require_not_cancelled()
        strangers = set(agreed_by) - self.attendees
        if strangers:
            raise InvalidInputError("agreed_by", "only attendees of the meeting can agree a decision at it")
        self.record(
            self.DecisionRecorded,
            actor=actor,
            effective=self.held_on,
            decision_id=decision_id,
            text=text("text", wording),
            agreed_by=tuple(sorted(set(agreed_by), key=str)),
        )

    def record_notes(self, notes: str, *, actor: str) -> None:
        self._require_not_cancelled()
        self.record(self.NotesRecorded, actor=actor, notes=text("notes", notes, max_length=20_000))

    def hold(self, held_on: date, *, actor: str) -> None:
        if self.status != SCHEDULED:
            raise InvalidStateError(f"meeting {self.id} is {self.status}, not scheduled")
        self.record(self.Held, actor=actor, effective=held_on, held_on=held_on)

    def cancel(self, reason: str, *, actor: str) -> None:
        if self.status != SCHEDULED:
            raise InvalidStateError(
                f"meeting {self.id} is {self.status}: only a scheduled meeting can be cancelled"
            )
        self.record(self.Cancelled, actor=actor, reason=text("reason", reason, max_length=MAX_NAME * 5))
