"""Commitments: who promised what to whom, by when, and what then happened to it.

The board (``GET /commitments``) pages the durable commitments table; a commitment's
state is computed against today, as METRICS.md defines it. Every lifecycle change
takes ``If-Match`` with the version read, so two people cannot overwrite each other.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Response, status
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from domain.errors import InvalidInputError, NotFoundError
from projections.facts import Fact
from projections.state import CommitmentState, LocalityState, at
from service.api.deps import IfMatchDep, ReaderDep, ReadSlug, WriteDep
from service.api.localities import etag
from service.api.schemas import Page, PageParams, WritePublic
from service.api.writes import written

router = APIRouter(prefix="/localities/{slug}/commitments", tags=["commitments"])

#: A commitment due within this many days is "due soon" (METRICS.md).
DUE_SOON_DAYS = 14
MAX_IDS = 500
NO_NUL = r"^[^\x00]*$"  # PostgreSQL text cannot hold NUL, and the views are text

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=NO_NUL)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000, pattern=NO_NUL)]
OptionalText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000, pattern=NO_NUL)]
CommitmentStateName = Literal["open", "due_soon", "overdue", "fulfilled", "missed", "withdrawn"]
PageQuery = Annotated[PageParams, Query()]


class Strict(BaseModel):
    """A request body: an unknown field is an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid")


class CommitmentCreate(Strict):
    promisor_id: UUID
    promisee_ids: list[UUID] = Field(default_factory=list, max_length=MAX_IDS)
    to_change_group: bool = Field(False, description="Made to the Change Group as a whole")
    what: Text
    due: date
    made_on: date | None = Field(None, description="Default: the day of the meeting, else today")
    meeting_id: UUID | None = None
    plan_id: UUID | None = Field(None, description="Needed with goal_id: the plan the goal belongs to")
    goal_id: UUID | None = None


class ProgressCreate(Strict):
    note: Text
    percent: int | None = Field(None, ge=0, le=100, strict=True)
    evidence: OptionalText = ""
    meeting_id: UUID | None = None
    on: date | None = Field(None, description="Default: the day of the meeting, else today")


class RenegotiationCreate(Strict):
    due: date
    reason: Text
    meeting_id: UUID | None = None


class ReassignmentCreate(Strict):
    promisor_id: UUID
    reason: Text


class FulfilmentCreate(Strict):
    evidence: OptionalText = ""
    on: date | None = Field(None, description="Default: today")


class MissedCreate(Strict):
    reason: OptionalText = ""
    on: date | None = Field(None, description="Default: today")


class WithdrawalCreate(Strict):
    reason: Text
    on: date | None = Field(None, description="Default: today")


class StakeholderRef(BaseModel):
    id: UUID
    name: str
    sector: str


class CommitmentPublic(BaseModel):
    id: UUID
    what: str
    promisor: StakeholderRef
    made_on: date
    original_due: date
    due: date = Field(description="The due date in force now")
    state: CommitmentStateName = Field(description="Its state today (METRICS.md)")
    renegotiations: int
    meeting_id: UUID | None
    version: int


class RenegotiationPublic(BaseModel):
    on: date
    due: date
    reason: str
    meeting_id: UUID | None
    recorded_by: str


class ProgressPublic(BaseModel):
    on: date
    note: str
    percent: int | None
    evidence: str
    meeting_id: UUID | None
    recorded_by: str


class CommitmentDetailPublic(CommitmentPublic):
    promisees: list[StakeholderRef]
    to_change_group: bool
    goal_id: UUID | None
    closed_on: date | None
    renegotiated: list[RenegotiationPublic]
    progress: list[ProgressPublic]


def stakeholder_ref(state: LocalityState, stakeholder_id: str, day: date) -> StakeholderRef:
    """A stakeholder's id, name and sector on ``day``, as the views know them."""
    row = state.stakeholders.get(stakeholder_id)
    if row is None:
        return StakeholderRef(id=UUID(stakeholder_id), name="", sector="")
    return StakeholderRef(id=UUID(row.id), name=row.name, sector=state.sector_of(row.id, day))


def board_state(status: str, due: date, today: date) -> str:
    """open, due_soon, overdue, fulfilled, missed or withdrawn: the filters below, in Python."""
    if status != "open":
        return status
    if due < today:
        return "overdue"
    return "due_soon" if due <= today + timedelta(days=DUE_SOON_DAYS) else "open"


def _state_filter(state: str, today: date) -> list[tuple[str, Any]]:
    soon = (today + timedelta(days=DUE_SOON_DAYS)).isoformat()
    if state == "open":
        return [("status = ?", "open"), ("due > ?", soon)]
    if state == "due_soon":
        return [("status = ?", "open"), ("due >= ?", today.isoformat()), ("due <= ?", soon)]
    if state == "overdue":
        return [("status = ?", "open"), ("due < ?", today.isoformat())]
    return [("status = ?", state)]


@router.get("", response_model=Page[CommitmentPublic])
def list_commitments(
    slug: ReadSlug,
    reader: ReaderDep,
    page: PageQuery,
    state: Annotated[CommitmentStateName | None, Query(description="The state today")] = None,
    promisor: Annotated[UUID | None, Query(description="The promisor's id")] = None,
    sector: Annotated[str | None, Query(max_length=60, description="The promisor's sector")] = None,
    due_before: Annotated[date | None, Query(description="Due strictly before this day")] = None,
    due_after: Annotated[date | None, Query(description="Due strictly after this day")] = None,
    meeting: Annotated[UUID | None, Query(description="Made at this meeting")] = None,
) -> Page[CommitmentPublic]:
    """The commitments board, soonest due first, filtered by state today, promisor, sector, due date or meeting."""
    today = reader.today()
    locality = reader.state(slug)
    where = _state_filter(state, today) if state else []
    if promisor is not None:
        where.append(("promisor_id = ?", str(promisor)))
    if sector is not None:
        if sector not in locality.sectors:
            raise InvalidInputError("sector", f"{sector!r} is not a sector of {slug}")
        where.append(("promisor_id IN (SELECT id FROM view_stakeholders WHERE sector = ?)", sector))
    if due_before is not None:
        where.append(("due < ?", due_before.isoformat()))
    if due_after is not None:
        where.append(("due > ?", due_after.isoformat()))
    if meeting is not None:
        where.append(("meeting_id = ?", str(meeting)))
    rows, count = reader.views.rows(
        "view_commitments", locality.id, where=where, order="due, id", limit=page.limit, offset=page.offset
    )
    data = [_row(row, locality, today) for row in rows]
    return Page(data=data, count=count, limit=page.limit, offset=page.offset)


def _row(row: dict[str, Any], locality: LocalityState, today: date) -> CommitmentPublic:
    due = date.fromisoformat(str(row["due"]))
    return CommitmentPublic(
        id=row["id"],
        what=row["what"],
        promisor=stakeholder_ref(locality, str(row["promisor_id"]), today),
        made_on=row["made_on"],
        original_due=row["original_due"],
        due=due,
        state=board_state(str(row["status"]), due, today),  # type: ignore[arg-type]
        renegotiations=row["renegotiations"],
        meeting_id=row["meeting_id"],
        version=row["version"],
    )


@router.post("", response_model=WritePublic, status_code=status.HTTP_201_CREATED)
def make_commitment(write: WriteDep, body: CommitmentCreate) -> Response:
    """Record a commitment: a promisor's promise to promisees or to the Change Group, with a due date."""
    receipt = write.app.make_commitment(write.slug, **body.model_dump(), actor=write.actor)
    return written(write.runtime, receipt, created=True)


@router.get("/{commitment_id}", response_model=CommitmentDetailPublic)
def get_commitment(
    slug: ReadSlug, commitment_id: UUID, reader: ReaderDep, response: Response
) -> CommitmentDetailPublic:
    """One commitment: its state today, due dates, renegotiations, progress and who is involved."""
    locality = reader.state(slug)
    commitment = locality.commitments.get(str(commitment_id))
    if commitment is None:
        raise NotFoundError("commitment", commitment_id)
    facts = reader.views.history(commitment.id)
    detail = _detail(commitment, facts, locality, reader.today())
    etag(response, detail.version)
    return detail


def _detail(
    commitment: CommitmentState, facts: list[Fact], locality: LocalityState, today: date
) -> CommitmentDetailPublic:
    def ref(stakeholder_id: str) -> StakeholderRef:
        return stakeholder_ref(locality, stakeholder_id, today)

    def made_at(fact: Fact) -> UUID | None:
        meeting = fact.data.get("meeting_id")
        return UUID(meeting) if meeting else None

    def kind(event_type: str) -> list[Fact]:
        return [fact for fact in facts if fact.event_type == event_type]

    return CommitmentDetailPublic(
        id=UUID(commitment.id),
        what=commitment.what,
        promisor=ref(at(commitment.promisor, today) or commitment.promisor[-1][1]),
        promisees=[ref(key) for key in commitment.promisees],
        to_change_group=commitment.to_change_group,
        made_on=commitment.made_on,
        original_due=commitment.original_due,
        due=at(commitment.due, today) or commitment.original_due,
        state=commitment.state(today, due_soon_days=DUE_SOON_DAYS) or "open",  # type: ignore[arg-type]
        closed_on=commitment.outcome[1] if commitment.outcome else None,
        renegotiations=len(kind("Renegotiated")),
        meeting_id=UUID(commitment.meeting_id) if commitment.meeting_id else None,
        goal_id=UUID(commitment.goal_id) if commitment.goal_id else None,
        version=facts[-1].version,
        renegotiated=[
            RenegotiationPublic(
                on=f.when,
                due=f.data["due"],
                reason=f.data["reason"],
                meeting_id=made_at(f),
                recorded_by=f.actor,
            )
            for f in kind("Renegotiated")
        ],
        progress=[
            ProgressPublic(
                on=f.when,
                note=f.data["note"],
                percent=f.data["percent"],
                evidence=f.data["evidence"],
                meeting_id=made_at(f),
                recorded_by=f.actor,
            )
            for f in kind("ProgressReported")
        ],
    )


@router.post("/{commitment_id}/progress", response_model=WritePublic)
def report_progress(
    write: WriteDep,
    commitment_id: UUID,
    body: ProgressCreate,
    expected: IfMatchDep,
) -> Response:
    """Report progress on an open commitment, optionally at a meeting and with a percentage."""
    app = write.app
    receipt = app.report_progress(
        write.slug, commitment_id, **body.model_dump(), actor=write.actor, expected_version=expected
    )
    return written(write.runtime, receipt)


@router.post("/{commitment_id}/renegotiations", response_model=WritePublic)
def renegotiate(
    write: WriteDep,
    commitment_id: UUID,
    body: RenegotiationCreate,
    expected: IfMatchDep,
) -> Response:
    """Agree a new due date for an open commitment, saying why; the original due date is kept."""
    receipt = write.app.renegotiate(
        write.slug, commitment_id, **body.model_dump(), actor=write.actor, expected_version=expected
    )
    return written(write.runtime, receipt)


@router.post("/{commitment_id}/reassignment", response_model=WritePublic)
def reassign(
    write: WriteDep,
    commitment_id: UUID,
    body: ReassignmentCreate,
    expected: IfMatchDep,
) -> Response:
    """Hand an open commitment to another stakeholder of the locality, saying why."""
    receipt = write.app.reassign(
        write.slug, commitment_id, **body.model_dump(), actor=write.actor, expected_version=expected
    )
    return written(write.runtime, receipt)


@router.post("/{commitment_id}/fulfilment", response_model=WritePublic)
def fulfil(
    write: WriteDep,
    commitment_id: UUID,
    body: FulfilmentCreate,
    expected: IfMatchDep,
) -> Response:
    """Record that an open commitment was kept, with evidence."""
    receipt = write.app.fulfil(
        write.slug, commitment_id, **body.model_dump(), actor=write.actor, expected_version=expected
    )
    return written(write.runtime, receipt)


@router.post("/{commitment_id}/missed", response_model=WritePublic)
def mark_missed(
    write: WriteDep,
    commitment_id: UUID,
    body: MissedCreate,
    expected: IfMatchDep,
) -> Response:
    """Record that an open commitment was not kept."""
    receipt = write.app.mark_missed(
        write.slug, commitment_id, **body.model_dump(), actor=write.actor, expected_version=expected
    )
    return written(write.runtime, receipt)


@router.post("/{commitment_id}/withdrawal", response_model=WritePublic)
def withdraw(
    write: WriteDep,
    commitment_id: UUID,
    body: WithdrawalCreate,
    expected: IfMatchDep,
) -> Response:
    """Withdraw an open commitment, saying why (withdrawn ones are shown, not counted in the kept rate)."""
    receipt = write.app.withdraw(
        write.slug, commitment_id, **body.model_dump(), actor=write.actor, expected_version=expected
    )
    return written(write.runtime, receipt)
