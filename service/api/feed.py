"""The record itself: a paged feed of a locality's facts for integrations, and the audit
trail of one commitment, stakeholder or meeting.

Facts hold no personal data: a person's details stay sealed in the log, so neither the
feed nor a trail's changes ever carry a person's name.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from domain.base import event_types
from domain.errors import NotFoundError
from projections.facts import Fact
from projections.reader import Reader
from service.api.deps import ReaderDep, ReadSlug
from service.api.network import invalid_query

router = APIRouter(prefix="/localities/{slug}/events", tags=["events"])
history_router = APIRouter(prefix="/localities/{slug}", tags=["history"])

#: Positions are 64-bit integers in both stores: anything larger cannot be asked for.
MAX_POSITION = 2**63 - 1
MAX_LIMIT = 1000


class EventPublic(BaseModel):
    position: int = Field(description="Position in the application's log: ask for after=position")
    aggregate_type: str = Field(examples=["Commitment"])
    aggregate_id: str
    version: int = Field(description="The aggregate's version after this event")
    event: str = Field(examples=["Fulfilled"])
    actor: str = Field(description="Who recorded it: the name of the token used")
    recorded_at: datetime = Field(description="System time: when it was recorded")
    effective: date | None = Field(description="Valid time, where it differs from recorded_at")
    data: dict[str, Any] = Field(description="What the event said (no personal data)")


class EventsPublic(BaseModel):
    data: list[EventPublic]
    next_after: int | None = Field(
        description="The last position of this page, to ask for after; null when the page is empty"
    )
    count: int = Field(description="How many events this page holds")


class MeetingRefPublic(BaseModel):
    id: str
    title: str
    held_on: date


class HistoryEntryPublic(BaseModel):
    position: int
    aggregate_type: str
    aggregate_id: str
    version: int
    event: str
    summary: str = Field(description="One sentence saying what happened")
    actor: str
    recorded_at: datetime
    effective: date | None
    meeting: MeetingRefPublic | None = Field(description="The meeting it happened at, if any")
    changes: dict[str, Any] = Field(description="What the event said")


class HistoryPublic(BaseModel):
    data: list[HistoryEntryPublic] = Field(description="Oldest first")
    count: int


def _event_type(asked: str) -> str:
    """The name as the facts spell it: "Fulfilled" (of any aggregate) or "Commitment.Fulfilled"."""
    wanted = asked.strip().lower()
    for name in sorted(event_types()):
        short = name.rpartition(".")[2]
        if wanted == name.lower():
            return name
        if wanted == short.lower():
            return short
    raise invalid_query(
        "type", f"unknown event type {asked!r}; use one of: {', '.join(sorted(event_types()))}"
    )


def _public(fact: Fact) -> EventPublic:
    return EventPublic(
        position=fact.position,
        aggregate_type=fact.aggregate_type,
        aggregate_id=fact.aggregate_id,
        version=fact.version,
        event=fact.event_type,
        actor=fact.actor,
        recorded_at=fact.recorded_at,
        effective=fact.effective,
        data=fact.data,
    )


@router.get("", response_model=EventsPublic)
def events(
    slug: ReadSlug,
    reader: ReaderDep,
    after: Annotated[int, Query(ge=0, le=MAX_POSITION, description="Only events after this position")] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 100,
    event_type: Annotated[
        str | None,
        Query(
            alias="type", max_length=100, description='Only this event: "Fulfilled" or "Commitment.Fulfilled"'
        ),
    ] = None,
) -> EventsPublic:
    """A page of the locality's events in log order, for integrations: continue with after=next_after."""
    wanted = _event_type(event_type) if event_type else None
    locality_id = reader.views.locality(slug).id
    facts = reader.views.facts(locality_id, after=after, limit=limit, event_type=wanted)
    return EventsPublic(
        data=[_public(fact) for fact in facts],
        next_after=facts[-1].position if facts else None,
        count=len(facts),
    )


def _trail(reader: Reader, slug: str, aggregate_type: str, aggregate_id: UUID) -> dict[str, Any]:
    """The trail of an aggregate of this type in this locality; 404 for anything else."""
    entries = reader.history(slug, str(aggregate_id))
    if not entries or entries[0]["aggregate_type"] != aggregate_type:
        raise NotFoundError(aggregate_type.lower(), aggregate_id)
    return {"data": entries, "count": len(entries)}


@history_router.get("/commitments/{commitment_id}/history", response_model=HistoryPublic)
def commitment_history(slug: ReadSlug, reader: ReaderDep, commitment_id: UUID) -> dict[str, Any]:
    """The audit trail of a commitment: each change, who recorded it, when, and at which meeting."""
    return _trail(reader, slug, "Commitment", commitment_id)


@history_router.get("/stakeholders/{stakeholder_id}/history", response_model=HistoryPublic)
def stakeholder_history(slug: ReadSlug, reader: ReaderDep, stakeholder_id: UUID) -> dict[str, Any]:
    """The audit trail of a stakeholder: registration, sector, assets, merges and archiving."""
    return _trail(reader, slug, "Stakeholder", stakeholder_id)


@history_router.get("/meetings/{meeting_id}/history", response_model=HistoryPublic)
def meeting_history(slug: ReadSlug, reader: ReaderDep, meeting_id: UUID) -> dict[str, Any]:
    """The audit trail of a meeting: scheduling, attendance and its corrections, decisions, notes."""
    return _trail(reader, slug, "Meeting", meeting_id)
