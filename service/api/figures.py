"""Accountability and participation figures of a locality (METRICS.md), on any date and
as recorded at any moment."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from projections.network import DEFAULT_WINDOW_DAYS
from service.api.deps import ReaderDep, ReadSlug
from service.api.network import AsOfQuery, RecordedAtQuery, SinceQuery, WindowDaysQuery, invalid_query

router = APIRouter(prefix="/localities/{slug}", tags=["figures"])


class CommitmentFiguresPublic(BaseModel):
    """The figures of a set of commitments; a rate is None when nothing counts towards it."""

    made: int
    fulfilled: int
    missed: int
    withdrawn: int
    open: int = Field(description="Not yet due, due_soon included")
    due_soon: int = Field(description="Due within 14 days")
    overdue: int
    kept_rate: float | None = Field(description="fulfilled / (fulfilled + missed + overdue)")
    on_time_rate: float | None = Field(description="Fulfilled by the original due date / fulfilled")
    renegotiations: int
    median_slippage_days: float | None = Field(description="Fulfilment minus original due date")
    median_days_to_fulfil: float | None
    followed_up: float | None = Field(description="Share made at a meeting with progress at a later one")


class PromisorFiguresPublic(CommitmentFiguresPublic):
    name: str


class AccountabilityPublic(BaseModel):
    as_of: date
    since: date | None
    locality: CommitmentFiguresPublic
    by_promisor: dict[str, PromisorFiguresPublic] = Field(description="Keyed by stakeholder id")
    by_sector: dict[str, CommitmentFiguresPublic] = Field(description="By the promisor's sector")


class WindowPublic(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    from_: date = Field(alias="from")
    to: date


class AttendancePublic(BaseModel):
    attendances: int
    distinct_attendees: int


class ParticipationPublic(BaseModel):
    as_of: date
    window: WindowPublic
    meetings_held: int
    change_group_meetings_held: int
    attendances: int
    distinct_attendees: int
    by_sector: dict[str, AttendancePublic]
    lived_experience_share: float | None = Field(
        description="Attendances by citizen / lived-experience stakeholders / all attendances"
    )
    sectors_at_the_table: list[str] = Field(description="Sectors attending Change Group meetings")
    sectors_missing_from_the_table: list[str]


def _period(reader: ReaderDep, as_of: date | None, since: date | None) -> date:
    day = as_of or reader.today()
    if since is not None and since > day:
        raise invalid_query("since", f"must not be after as_of ({day})")
    return day


@router.get("/accountability", response_model=AccountabilityPublic)
def accountability(
    slug: ReadSlug,
    reader: ReaderDep,
    as_of: AsOfQuery = None,
    since: SinceQuery = None,
    recorded_at: RecordedAtQuery = None,
) -> dict[str, Any]:
    """Commitments made, kept, late, missed and withdrawn: for the locality, per promisor and per sector."""
    day = _period(reader, as_of, since)
    return reader.accountability(slug, as_of=day, since=since, recorded_at=recorded_at)


@router.get("/participation", response_model=ParticipationPublic)
def participation(
    slug: ReadSlug,
    reader: ReaderDep,
    as_of: AsOfQuery = None,
    since: SinceQuery = None,
    window_days: WindowDaysQuery = DEFAULT_WINDOW_DAYS,
    recorded_at: RecordedAtQuery = None,
) -> dict[str, Any]:
    """Meetings, attendances and sectors at the table, since a date or over the window up to as_of."""
    day = _period(reader, as_of, since)
    return reader.participation(
        slug, as_of=day, since=since, window_days=window_days, recorded_at=recorded_at
    )
