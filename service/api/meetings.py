"""Meetings: Change Group meetings, workshops, conversations and network events, with
attendance, decisions and notes; and ``POST /meetings/record``, a whole meeting in one
request."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Body, Query, Response, status
from pydantic import BaseModel, Field, StringConstraints

from domain.errors import NotFoundError
from domain.usecases.commitments import CommitmentDraft, DecisionDraft
from domain.vocabulary import MeetingKind
from projections.facts import Fact
from projections.state import LocalityState, MeetingState
from service.api.commitments import (
    MAX_IDS,
    NO_NUL,
    CommitmentStateName,
    Name,
    PageQuery,
    StakeholderRef,
    Strict,
    Text,
    stakeholder_ref,
)
from service.api.deps import IfMatchDep, ReaderDep, ReadSlug, WriteDep
from service.api.localities import etag
from service.api.schemas import Page, WritePublic
from service.api.writes import written

router = APIRouter(prefix="/localities/{slug}/meetings", tags=["meetings"])

MeetingStatus = Literal["scheduled", "held", "cancelled"]
Place = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200, pattern=NO_NUL)]
Notes = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20_000, pattern=NO_NUL)
]
Ids = Annotated[list[UUID], Field(max_length=MAX_IDS)]


class MeetingCreate(Strict):
    kind: MeetingKind
    title: Name
    held_on: date
    place: Place = ""


class AttendanceCreate(Strict):
    stakeholder_ids: Annotated[list[UUID], Field(min_length=1, max_length=MAX_IDS)]


class AttendanceCorrection(Strict):
    added: Ids = Field(default_factory=list)
    removed: Ids = Field(default_factory=list)
    reason: Text


class DecisionCreate(Strict):
    text: Text
    agreed_by: Ids = Field(default_factory=list, description="Attendees who agreed it")


class NotesUpdate(Strict):
    notes: Notes


class MeetingHold(Strict):
    on: date | None = Field(None, description="Default: the planned day")


class MeetingCancel(Strict):
    reason: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000, pattern=NO_NUL)
    ]


class CommitmentAtMeeting(Strict):
    promisor_id: UUID
    promisee_ids: Ids = Field(default_factory=list)
    to_change_group: bool = False
    what: Text
    due: date = Field(description="On or after the day of the meeting")


class MeetingRecord(MeetingCreate):
    """A meeting that was held, all at once: who came, what was decided, who promised what."""

    attendee_ids: Ids = Field(default_factory=list)
    decisions: Annotated[list[DecisionCreate], Field(max_length=100)] = Field(default_factory=list)
    commitments: Annotated[list[CommitmentAtMeeting], Field(max_length=200)] = Field(default_factory=list)


class MeetingRecordedPublic(WritePublic):
    commitments: list[WritePublic] = Field(description="The commitments made, in the order sent")


class MeetingPublic(BaseModel):
    id: UUID
    kind: MeetingKind
    title: str
    held_on: date
    place: str
    status: MeetingStatus
    attendee_count: int
    decision_count: int


class DecisionPublic(BaseModel):
    id: UUID
    text: str
    agreed_by: list[StakeholderRef]


class CommitmentMadePublic(BaseModel):
    id: UUID
    what: str
    promisor: StakeholderRef
    due: date
    state: CommitmentStateName


class MeetingDetailPublic(MeetingPublic):
    attendees: list[StakeholderRef] = Field(description="With their sector on the day of the meeting")
    decisions: list[DecisionPublic]
    notes: str
    commitments: list[CommitmentMadePublic] = Field(description="The commitments made at it")
    version: int


@router.get("", response_model=Page[MeetingPublic])
def list_meetings(
    slug: ReadSlug,
    reader: ReaderDep,
    page: PageQuery,
    kind: MeetingKind | None = None,
    status: MeetingStatus | None = None,
    from_: Annotated[date | None, Query(alias="from", description="Held on or after this day")] = None,
    to: Annotated[date | None, Query(description="Held on or before this day")] = None,
) -> Page[MeetingPublic]:
    """The locality's meetings, latest first, filtered by kind, status or dates."""
    meetings = [
        meeting
        for meeting in reader.state(slug).meetings.values()
        if (kind is None or meeting.kind == kind)
        and (status is None or meeting.status == status)
        and (from_ is None or meeting.held_on >= from_)
        and (to is None or meeting.held_on <= to)
    ]
    meetings.sort(key=lambda meeting: (meeting.held_on, meeting.id), reverse=True)
    chosen = meetings[page.offset : page.offset + page.limit]
    return Page(data=[_summary(m) for m in chosen], count=len(meetings), limit=page.limit, offset=page.offset)


def _summary(meeting: MeetingState) -> MeetingPublic:
    return MeetingPublic(
        id=UUID(meeting.id),
        kind=MeetingKind(meeting.kind),
        title=meeting.title,
        held_on=meeting.held_on,
        place=meeting.place,
        status=meeting.status,  # type: ignore[arg-type]
        attendee_count=len(meeting.attendees),
        decision_count=len(meeting.decisions),
    )


@router.post("", response_model=WritePublic, status_code=status.HTTP_201_CREATED)
def schedule_meeting(write: WriteDep, body: MeetingCreate) -> Response:
    """Schedule a meeting."""
    receipt = write.app.schedule_meeting(
        write.slug,
        kind=body.kind.value,
        title=body.title,
        held_on=body.held_on,
        place=body.place,
        actor=write.actor,
    )
    return written(write.runtime, receipt, created=True)


@router.post("/record", response_model=MeetingRecordedPublic, status_code=status.HTTP_201_CREATED)
def record_meeting(write: WriteDep, body: MeetingRecord) -> Response:
    """Record a held meeting with its attendance, decisions and commitments, in one atomic write.

    Every part is checked (each attendee, promisor and promisee an active stakeholder of the
    locality, decisions agreed by attendees, each commitment made to promisees or the Change
    Group and due on or after the meeting) and the meeting and its commitments are saved in
    one transaction: a bad part gives 422 naming it (e.g. ``commitments.1.due``) and nothing
    at all is written.
    """
    recorded = write.app.record_meeting(
        write.slug,
        kind=body.kind.value,
        title=body.title,
        held_on=body.held_on,
        place=body.place,
        attendee_ids=body.attendee_ids,
        decisions=[DecisionDraft(d.text, tuple(d.agreed_by)) for d in body.decisions],
        commitments=[
            CommitmentDraft(c.promisor_id, c.what, c.due, tuple(c.promisee_ids), c.to_change_group)
            for c in body.commitments
        ],
        actor=write.actor,
    )
    commitments = [write.runtime.written(receipt) for receipt in recorded.commitments]
    return written(write.runtime, recorded.meeting, created=True, commitments=commitments)


@router.get("/{meeting_id}", response_model=MeetingDetailPublic)
def get_meeting(
    slug: ReadSlug, meeting_id: UUID, reader: ReaderDep, response: Response
) -> MeetingDetailPublic:
    """One meeting: attendees with their sectors, decisions, notes, and the commitments made at it."""
    locality = reader.state(slug)
    meeting = locality.meetings.get(str(meeting_id))
    if meeting is None:
        raise NotFoundError("meeting", meeting_id)
    detail = _detail(meeting, reader.views.history(meeting.id), locality, reader.today())
    etag(response, detail.version)
    return detail


def _detail(
    meeting: MeetingState, facts: list[Fact], locality: LocalityState, today: date
) -> MeetingDetailPublic:
    def ref(stakeholder_id: str) -> StakeholderRef:
        return stakeholder_ref(locality, stakeholder_id, meeting.held_on)

    notes = [fact.data["notes"] for fact in facts if fact.event_type == "NotesRecorded"]
    made = sorted(
        (c for c in locality.commitments.values() if c.meeting_id == meeting.id), key=lambda c: c.events[0]
    )
    return MeetingDetailPublic(
        **_summary(meeting).model_dump(),
        attendees=sorted((ref(key) for key in meeting.attendees), key=lambda a: (a.name, str(a.id))),
        decisions=[
            DecisionPublic(id=d["id"], text=d["text"], agreed_by=[ref(key) for key in d["agreed_by"]])
            for d in meeting.decisions
        ],
        notes=notes[-1] if notes else "",
        commitments=[
            CommitmentMadePublic(
                id=UUID(c.id),
                what=c.what,
                promisor=stakeholder_ref(locality, c.promisor[-1][1], today),
                due=c.due[-1][1],
                state=c.state(today) or "open",  # type: ignore[arg-type]
            )
            for c in made
        ],
        version=facts[-1].version,
    )


@router.post("/{meeting_id}/attendance", response_model=WritePublic)
def record_attendance(
    write: WriteDep,
    meeting_id: UUID,
    body: AttendanceCreate,
    expected: IfMatchDep,
) -> Response:
    """Record stakeholders as attending the meeting."""
    receipt = write.app.record_attendance(
        write.slug, meeting_id, body.stakeholder_ids, actor=write.actor, expected_version=expected
    )
    return written(write.runtime, receipt)


@router.post("/{meeting_id}/attendance/corrections", response_model=WritePublic)
def correct_attendance(
    write: WriteDep,
    meeting_id: UUID,
    body: AttendanceCorrection,
    expected: IfMatchDep,
) -> Response:
    """Correct the attendance: add or remove attendees, saying why (the earlier record stays)."""
    receipt = write.app.correct_attendance(
        write.slug,
        meeting_id,
        added=body.added,
        removed=body.removed,
        reason=body.reason,
        actor=write.actor,
        expected_version=expected,
    )
    return written(write.runtime, receipt)


@router.post("/{meeting_id}/decisions", response_model=WritePublic)
def record_decision(
    write: WriteDep,
    meeting_id: UUID,
    body: DecisionCreate,
) -> Response:
    """Record a decision taken at the meeting, and the attendees who agreed it."""
    receipt = write.app.record_decision(
        write.slug, meeting_id, text=body.text, agreed_by=body.agreed_by, actor=write.actor
    )
    return written(write.runtime, receipt)


@router.put("/{meeting_id}/notes", response_model=WritePublic)
def record_notes(
    write: WriteDep,
    meeting_id: UUID,
    body: NotesUpdate,
) -> Response:
    """Replace the meeting's notes (earlier notes stay in its history)."""
    receipt = write.app.record_notes(write.slug, meeting_id, body.notes, actor=write.actor)
    return written(write.runtime, receipt)


@router.post("/{meeting_id}/hold", response_model=WritePublic)
def hold_meeting(
    write: WriteDep,
    meeting_id: UUID,
    body: Annotated[MeetingHold | None, Body()] = None,
) -> Response:
    """Record that a scheduled meeting was held (on its planned day unless ``on`` says otherwise)."""
    on = body.on if body else None
    receipt = write.app.hold_meeting(write.slug, meeting_id, on=on, actor=write.actor)
    return written(write.runtime, receipt)


@router.post("/{meeting_id}/cancel", response_model=WritePublic)
def cancel_meeting(
    write: WriteDep,
    meeting_id: UUID,
    body: MeetingCancel,
) -> Response:
    """Cancel a scheduled meeting, saying why; nothing more can be recorded at it."""
    receipt = write.app.cancel_meeting(write.slug, meeting_id, reason=body.reason, actor=write.actor)
    return written(write.runtime, receipt)
