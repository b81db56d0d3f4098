"""Relationships: the ties between a locality's stakeholders, valid over an interval of time."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response, status
from pydantic import BaseModel, ConfigDict, Field

from domain.errors import NotFoundError
from domain.vocabulary import TRUST_DIMENSIONS, VALUE_DIMENSIONS, RelationshipKind, Source
from projections.state import LocalityState, RelationshipState, at
from service.api.deps import IfMatchDep, ReaderDep, ReadSlug, WriteDep
from service.api.localities import etag
from service.api.schemas import Page, PageParams, WritePublic
from service.api.writes import written

router = APIRouter(prefix="/localities/{slug}/relationships", tags=["relationships"])

Intensity = Annotated[
    int,
    Field(strict=True, ge=1, le=4, description="1 awareness, 2 cooperation, 3 coordination, 4 integration"),
]
Rating = Annotated[int, Field(strict=True, ge=1, le=4)]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RelationshipCreate(_Body):
    source_id: UUID
    target_id: UUID
    kind: RelationshipKind
    intensity: Intensity
    source: Source = Field(Source.DECLARED, description="How the tie became known")
    directed: bool | None = Field(None, description="Default: funds, commissions, refers_to, member_of")
    valid_from: date | None = Field(None, description="When the tie began (default: today)")


class RatingCreate(_Body):
    rater: str = Field(min_length=1, max_length=200, description="Who gave the rating")
    trust: list[Rating] = Field(min_length=3, max_length=3, description=", ".join(TRUST_DIMENSIONS))
    value: list[Rating] = Field(min_length=3, max_length=3, description=", ".join(VALUE_DIMENSIONS))
    on: date | None = Field(None, description="When it was rated (default: today)")


class IntensityChange(_Body):
    intensity: Intensity
    on: date | None = Field(None, description="When it changed (default: today)")


class RelationshipEnd(_Body):
    valid_to: date | None = Field(None, description="When the tie ended (default: today)")
    reason: str = Field(min_length=1, max_length=4000)


class RelationshipFilters(PageParams):
    kind: RelationshipKind | None = None
    stakeholder: UUID | None = Field(None, description="Ties with this stakeholder at either end")
    valid_on: date | None = Field(None, description="Only ties valid on this day (default: all)")


class IntensitySpell(BaseModel):
    since: date
    intensity: int


class RatingPublic(BaseModel):
    rater: str
    trust: float = Field(description="Mean of the trust ratings, 1-4")
    value: float = Field(description="Mean of the value ratings, 1-4")
    on: date


class RelationshipPublic(BaseModel):
    id: str
    source_id: str
    source_name: str
    target_id: str
    target_name: str
    kind: str
    directed: bool
    intensity: int = Field(description="On valid_on if asked, else today (the first, before the tie began)")
    intensities: list[IntensitySpell]
    valid_from: date
    valid_to: date | None
    ratings: list[RatingPublic]
    version: int


@router.get("", response_model=Page[RelationshipPublic])
def list_relationships(
    slug: ReadSlug, filters: Annotated[RelationshipFilters, Query()], reader: ReaderDep
) -> Page[RelationshipPublic]:
    """A page of the locality's relationships, filtered by kind, stakeholder or the day they are valid."""
    state = reader.state(slug)
    wanted = str(filters.stakeholder) if filters.stakeholder is not None else None
    # A copy: the projector may fold new facts into this state while it is read.
    rows = sorted(list(state.relationships.values()), key=lambda row: (row.valid_from, row.id))
    matching = [
        row
        for row in rows
        if (filters.kind is None or row.kind == filters.kind.value)
        and (wanted is None or wanted in (row.source, row.target))
        and (filters.valid_on is None or row.valid(filters.valid_on))
    ]
    page = matching[filters.offset : filters.offset + filters.limit]
    day = filters.valid_on or reader.today()
    return Page[RelationshipPublic](
        data=[_public(state, row, day) for row in page],
        count=len(matching),
        limit=filters.limit,
        offset=filters.offset,
    )


@router.post("", response_model=WritePublic, status_code=status.HTTP_201_CREATED)
def form_relationship(write: WriteDep, body: RelationshipCreate) -> Response:
    """Record a tie between two active stakeholders of the locality."""
    receipt = write.app.form_relationship(
        write.slug,
        source_id=body.source_id,
        target_id=body.target_id,
        kind=body.kind.value,
        intensity=body.intensity,
        source=body.source.value,
        directed=body.directed,
        valid_from=body.valid_from,
        actor=write.actor,
    )
    return written(write.runtime, receipt, created=True)


@router.get("/{relationship_id}", response_model=RelationshipPublic)
def get_relationship(
    slug: ReadSlug, relationship_id: UUID, reader: ReaderDep, response: Response
) -> RelationshipPublic:
    """One relationship: its ends, intensity over time, valid interval and ratings."""
    state = reader.state(slug)
    row = state.relationships.get(str(relationship_id))
    if row is None:
        raise NotFoundError("relationship", relationship_id)
    public = _public(state, row, reader.today())
    etag(response, public.version)
    return public


@router.post("/{relationship_id}/ratings", response_model=WritePublic, status_code=status.HTTP_201_CREATED)
def rate_relationship(
    write: WriteDep,
    relationship_id: UUID,
    body: RatingCreate,
) -> Response:
    """Rate the trust and value of a current relationship (PARTNER's three dimensions of each)."""
    receipt = write.app.rate_relationship(
        write.slug,
        relationship_id,
        rater=body.rater,
        trust=tuple(body.trust),
        value=tuple(body.value),
        on=body.on,
        actor=write.actor,
    )
    return written(write.runtime, receipt, created=True)


@router.post("/{relationship_id}/intensity", response_model=WritePublic)
def change_intensity(
    write: WriteDep,
    relationship_id: UUID,
    body: IntensityChange,
    expected: IfMatchDep,
) -> Response:
    """Change how intense a current relationship is, from a given date."""
    receipt = write.app.change_intensity(
        write.slug, relationship_id, body.intensity, on=body.on, actor=write.actor, expected_version=expected
    )
    return written(write.runtime, receipt)


@router.post("/{relationship_id}/end", response_model=WritePublic)
def end_relationship(
    write: WriteDep,
    relationship_id: UUID,
    body: RelationshipEnd,
    expected: IfMatchDep,
) -> Response:
    """End a relationship on a date; it stays in the record, valid until then."""
    receipt = write.app.end_relationship(
        write.slug,
        relationship_id,
        valid_to=body.valid_to,
        reason=body.reason,
        actor=write.actor,
        expected_version=expected,
    )
    return written(write.runtime, receipt)


def _public(state: LocalityState, row: RelationshipState, day: date) -> RelationshipPublic:
    names = state.stakeholders
    return RelationshipPublic(
        id=row.id,
        source_id=row.source,
        source_name=names[row.source].name,
        target_id=row.target,
        target_name=names[row.target].name,
        kind=row.kind,
        directed=row.directed,
        intensity=at(row.intensity, day) or row.intensity[0][1],
        intensities=[IntensitySpell(since=since, intensity=value) for since, value in row.intensity],
        valid_from=row.valid_from,
        valid_to=row.valid_to,
        ratings=[
            RatingPublic(rater=rater, trust=trust, value=value, on=on)
            for rater, (trust, value, on) in sorted(row.ratings.items())
        ],
        # One fact per event, and each event adds one to the aggregate's version.
        version=len(row.events),
    )
