"""Use cases of meetings: schedule, attendance, decisions, notes, hold, cancel."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from uuid import UUID, uuid4

from domain.base import MAX_NAME, choice, text
from domain.locality import locality_id
from domain.meeting import Meeting
from domain.stakeholder import Stakeholder
from domain.usecases.core import Core, Receipt
from domain.vocabulary import MeetingKind


class MeetingUseCases(Core):
    def _registered(self, locality: str, stakeholder_ids: Iterable[UUID]) -> tuple[UUID, ...]:
        """The ids, each checked to be a stakeholder of the locality that is not merged away."""
        keys = tuple(dict.fromkeys(stakeholder_ids))
        active, within = self.active_stakeholders, locality_id(locality)
        for key in keys:
            if not active.knows(key, within):
                epoch = active.epoch
                self.load(Stakeholder, key, locality=locality).require_active()
                active.remember(key, within, epoch)
        return keys

    def _new_meeting(
        self, locality: str, *, kind: str, title: str, held_on: date, place: str, actor: str
    ) -> Meeting:
        return Meeting(
            locality_id=self.locality(locality).id,
            kind=choice("kind", kind, MeetingKind),
            title=text("title", title, max_length=MAX_NAME),
            held_on=held_on,
            place=text("place", place, max_length=MAX_NAME, required=False),
            actor=actor,
            effective=held_on,
        )

    def schedule_meeting(
        self, locality: str, *, kind: str, title: str, held_on: date, place: str = "", actor: str
    ) -> Receipt:
        return self.commit(
            self._new_meeting(locality, kind=kind, title=title, held_on=held_on, place=place, actor=actor)
        )

    def record_attendance(
        self,
        locality: str,
        meeting_id: UUID,
        stakeholder_ids: Iterable[UUID],
        *,
        actor: str,
        expected_version: int | None = None,
    ) -> Receipt:
        meeting = self.load(Meeting, meeting_id, locality=locality, expected_version=expected_version)
        meeting.record_attendance(self._registered(locality, stakeholder_ids), actor=actor)
        return self.commit(meeting)

    def correct_attendance(
        self,
        locality: str,
        meeting_id: UUID,
        *,
        added: Iterable[UUID] = (),
        removed: Iterable[UUID] = (),
        reason: str,
        actor: str,
        expected_version: int | None = None,
    ) -> Receipt:
        meeting = self.load(Meeting, meeting_id, locality=locality, expected_version=expected_version)
        meeting.correct_attendance(self._registered(locality, added), tuple(removed), reason, actor=actor)
        return self.commit(meeting)

    def record_decision(
        self,
        locality: str,
        meeting_id: UUID,
        *,
        text: str,
        agreed_by: Iterable[UUID] = (),
        actor: str,
    ) -> Receipt:
        meeting = self.load(Meeting, meeting_id, locality=locality)
        meeting.record_decision(uuid4(), text, tuple(agreed_by), actor=actor)
        return self.commit(meeting)

    def record_notes(self, locality: str, meeting_id: UUID, notes: str, *, actor: str) -> Receipt:
        meeting = self.load(Meeting, meeting_id, locality=locality)
        meeting.record_notes(notes, actor=actor)
        return self.commit(meeting)

    def hold_meeting(self, locality: str, meeting_id: UUID, *, actor: str, on: date | None = None) -> Receipt:
        meeting = self.load(Meeting, meeting_id, locality=locality)
        meeting.hold(on or meeting.held_on, actor=actor)
        return self.commit(meeting)

    def cancel_meeting(self, locality: str, meeting_id: UUID, *, reason: str, actor: str) -> Receipt:
        meeting = self.load(Meeting, meeting_id, locality=locality)
        meeting.cancel(reason, actor=actor)
        return self.commit(meeting)
