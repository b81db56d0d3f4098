"""Stakeholders: who is in a locality's network, in which sector, and the assets they bring."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Annotated, Literal
from uuid import UUID, uuid4

from fastapi import APIRouter, Body, Query, Response, status
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from domain.errors import InvalidInputError, NotFoundError
from domain.stakeholder import Stakeholder
from domain.vocabulary import AssetCategory, StakeholderKind
from projections.state import StakeholderState
from service.api.deps import IfMatchDep, PrincipalDep, ReaderDep, ReadSlug, RuntimeDep, WriteDep
from service.api.localities import etag
from service.api.schemas import Page, PageParams, WritePublic
from service.api.writes import written
from service.auth import Role

router = APIRouter(prefix="/localities/{slug}/stakeholders", tags=["stakeholders"])
assets_router = APIRouter(prefix="/localities/{slug}/assets", tags=["assets"])

#: The roles that see a stakeholder's contact details and notes.
SEES_DETAILS = frozenset({Role.ADMINISTRATOR, Role.FACILITATOR, Role.LEAD})

Name = Annotated[str, Field(min_length=1, max_length=200)]
Reason = Annotated[str, Field(min_length=1, max_length=4000, description="Why; kept in the record")]
SECTOR_HELP = "One of the locality's sectors (GET /localities/{slug} lists them), e.g. vcse, health"


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class StakeholderCreate(_Body):
    kind: StakeholderKind
    sector: str = Field(min_length=1, max_length=60, description=SECTOR_HELP, examples=["vcse"])
    name: Name
    contact: str = Field("", max_length=400)
    notes: str = Field("", max_length=4000)
    since: date | None = Field(None, description="When they joined the network (default: today)")


class StakeholderUpdate(_Body):
    """Details to change; a field left out (or null) keeps its value, "" clears contact or notes."""

    name: Name | None = None
    contact: str | None = Field(None, max_length=400)
    notes: str | None = Field(None, max_length=4000)

    @model_validator(mode="after")
    def _something_to_change(self) -> StakeholderUpdate:
        if self.name is None and self.contact is None and self.notes is None:
            raise ValueError("give at least one of name, contact, notes")
        return self


class SectorChange(_Body):
    sector: str = Field(min_length=1, max_length=60, description=SECTOR_HELP)
    on: date | None = Field(None, description="When the change took effect (default: today)")


class AssetCreate(_Body):
    category: AssetCategory
    description: str = Field(min_length=1, max_length=1000)


class StakeholderMerge(_Body):
    into_id: UUID = Field(description="The stakeholder that this duplicate becomes part of")
    reason: Reason


class ReasonGiven(_Body):
    reason: Reason


def _without_nul(value: str) -> str:
    if "\x00" in value:  # PostgreSQL refuses it in a query parameter
        raise ValueError("must not contain NUL characters")
    return value


class StakeholderFilters(PageParams):
    sector: str | None = Field(None, max_length=60)
    kind: StakeholderKind | None = None
    status: Literal["active", "merged", "archived"] = "active"
    q: Annotated[str, AfterValidator(_without_nul)] | None = Field(
        None, max_length=200, description="Part of the name, any case"
    )


class StakeholderPublic(BaseModel):
    id: str
    kind: str
    sector: str
    name: str
    status: str
    version: int


class AssetPublic(BaseModel):
    id: str
    category: str
    description: str


class SectorSpell(BaseModel):
    since: date
    sector: str


class StakeholderDetailPublic(StakeholderPublic):
    since: date
    sectors: list[SectorSpell] = Field(description="The sector over time, earliest first")
    merged_into: str | None
    erased: bool
    assets: list[AssetPublic]
    contact: str | None = Field(description="Null for roles that may not see it")
    notes: str | None = Field(description="Null for roles that may not see it")


class AssetWritePublic(WritePublic):
    asset_id: str = Field(description="The id of the new asset")


class MappedAssetPublic(AssetPublic):
    stakeholder_id: str
    stakeholder_name: str
    sector: str


class AssetMapPublic(BaseModel):
    count: int
    by_category: dict[str, int] = Field(description="Every category, with 0 where none is mapped")
    by_sector: dict[str, int] = Field(description="Every sector of the locality, with 0 where none")
    data: list[MappedAssetPublic]


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@router.get("", response_model=Page[StakeholderPublic])
def list_stakeholders(
    slug: ReadSlug, filters: Annotated[StakeholderFilters, Query()], runtime: RuntimeDep
) -> Page[StakeholderPublic]:
    """A page of the locality's stakeholders, by name, filtered by sector, kind, status or name."""
    views = runtime.views
    if filters.sector is not None and filters.sector not in (sectors := views.state(slug).sectors):
        raise InvalidInputError(
            "sector", f"{filters.sector!r} is not allowed; use one of: {', '.join(sectors)}"
        )
    where: list[tuple[str, object]] = [("status = ?", filters.status)]
    if filters.sector is not None:
        where.append(("sector = ?", filters.sector))
    if filters.kind is not None:
        where.append(("kind = ?", filters.kind.value))
    if filters.q:
        # LOWER on both sides: SQLite lowers only ASCII letters, and must do so alike.
        where.append(("LOWER(name) LIKE LOWER(?) ESCAPE '\\'", _like(filters.q)))
    rows, count = views.rows(
        "view_stakeholders",
        views.locality(slug).id,
        where=where,
        order="LOWER(name), id",
        limit=filters.limit,
        offset=filters.offset,
    )
    data = [StakeholderPublic.model_validate(row) for row in rows]
    return Page[StakeholderPublic](data=data, count=count, limit=filters.limit, offset=filters.offset)


@router.post("", response_model=WritePublic, status_code=status.HTTP_201_CREATED)
def register_stakeholder(write: WriteDep, body: StakeholderCreate) -> Response:
    """Register an organisation, a group or a person in one of the locality's sectors."""
    receipt = write.app.register_stakeholder(
        write.slug,
        kind=body.kind.value,
        sector=body.sector,
        name=body.name,
        contact=body.contact,
        notes=body.notes,
        since=body.since,
        actor=write.actor,
    )
    return written(write.runtime, receipt, created=True)


@router.get("/{stakeholder_id}", response_model=StakeholderDetailPublic)
def get_stakeholder(
    slug: ReadSlug,
    stakeholder_id: UUID,
    principal: PrincipalDep,
    runtime: RuntimeDep,
    reader: ReaderDep,
    response: Response,
) -> StakeholderDetailPublic:
    """One stakeholder: sector over time, status, assets; contact and notes for those who may see them."""
    aggregate = runtime.app.load(Stakeholder, stakeholder_id, locality=slug)
    state = reader.state(slug)
    row = state.stakeholders.get(str(stakeholder_id))
    if row is None:  # the views have not reached its registration yet
        raise NotFoundError("stakeholder", stakeholder_id)
    details = runtime.app.stakeholder_details(aggregate) if principal.role in SEES_DETAILS else None
    etag(response, aggregate.version)
    return _detail(row, state.sector_of(row.id, reader.today()), aggregate.version, details)


def _detail(
    row: StakeholderState, sector: str, version: int, details: dict[str, str] | None
) -> StakeholderDetailPublic:
    return StakeholderDetailPublic(
        id=row.id,
        kind=row.kind,
        sector=sector,
        name=row.name,
        status=row.status,
        version=version,
        since=row.since,
        sectors=[SectorSpell(since=day, sector=value) for day, value in row.sector],
        merged_into=row.merged_into,
        erased=row.erased,
        assets=[
            AssetPublic(id=key, category=category, description=description)
            for key, (category, description) in row.assets.items()
        ],
        contact=details["contact"] if details is not None else None,
        notes=details["notes"] if details is not None else None,
    )


@router.patch("/{stakeholder_id}", response_model=WritePublic)
def change_details(
    write: WriteDep,
    stakeholder_id: UUID,
    body: StakeholderUpdate,
    expected: IfMatchDep,
) -> Response:
    """Change a stakeholder's name, contact details or notes."""
    app = write.app
    current = app.load(Stakeholder, stakeholder_id, locality=write.slug, expected_version=expected)
    # The fields left out keep the values of the very version read here.
    details = {**app.stakeholder_details(current), **body.model_dump(exclude_none=True)}
    receipt = app.change_stakeholder_details(
        write.slug, stakeholder_id, actor=write.actor, expected_version=current.version, **details
    )
    return written(write.runtime, receipt)


@router.post("/{stakeholder_id}/sector", response_model=WritePublic)
def change_sector(
    write: WriteDep,
    stakeholder_id: UUID,
    body: SectorChange,
    expected: IfMatchDep,
) -> Response:
    """Move a stakeholder to another sector, from a given date."""
    receipt = write.app.change_sector(
        write.slug, stakeholder_id, body.sector, actor=write.actor, on=body.on, expected_version=expected
    )
    return written(write.runtime, receipt)


@router.post("/{stakeholder_id}/assets", response_model=AssetWritePublic, status_code=status.HTTP_201_CREATED)
def record_asset(
    write: WriteDep,
    stakeholder_id: UUID,
    body: AssetCreate,
) -> Response:
    """Record an asset the stakeholder brings (a venue, volunteers, funding, ...)."""
    asset_id = uuid4()
    receipt = write.app.record_asset(
        write.slug,
        stakeholder_id,
        category=body.category.value,
        description=body.description,
        actor=write.actor,
        asset_id=asset_id,
    )
    return written(write.runtime, receipt, created=True, asset_id=str(asset_id))


@router.delete("/{stakeholder_id}/assets/{asset_id}", response_model=WritePublic)
def retire_asset(
    write: WriteDep,
    stakeholder_id: UUID,
    asset_id: UUID,
    body: Annotated[ReasonGiven | None, Body()] = None,
    reason: Annotated[str | None, Query(max_length=4000, description="Why, if not in the body")] = None,
) -> Response:
    """Retire an asset the stakeholder no longer brings; give the reason in the body or the query."""
    given = body.reason if body is not None else reason
    if given is None:
        raise InvalidInputError("reason", "say why the asset is retired, in the body or as ?reason=")
    receipt = write.app.retire_asset(write.slug, stakeholder_id, asset_id, reason=given, actor=write.actor)
    return written(write.runtime, receipt)


@router.post("/{stakeholder_id}/merge", response_model=WritePublic)
def merge_stakeholder(
    write: WriteDep,
    stakeholder_id: UUID,
    body: StakeholderMerge,
    expected: IfMatchDep,
) -> Response:
    """Merge this duplicate into another stakeholder of the locality."""
    receipt = write.app.merge_stakeholder(
        write.slug,
        stakeholder_id,
        body.into_id,
        reason=body.reason,
        actor=write.actor,
        expected_version=expected,
    )
    return written(write.runtime, receipt)


@router.post("/{stakeholder_id}/archive", response_model=WritePublic)
def archive_stakeholder(
    write: WriteDep,
    stakeholder_id: UUID,
    body: ReasonGiven,
    expected: IfMatchDep,
) -> Response:
    """Archive a stakeholder who is no longer part of the network."""
    receipt = write.app.archive_stakeholder(
        write.slug, stakeholder_id, reason=body.reason, actor=write.actor, expected_version=expected
    )
    return written(write.runtime, receipt)


@router.post("/{stakeholder_id}/erase", response_model=WritePublic)
def erase_person(
    write: WriteDep,
    stakeholder_id: UUID,
    body: ReasonGiven,
    principal: PrincipalDep,
) -> Response:
    """Erase a person's personal data for good (administrators only)."""
    principal.require_admin()
    receipt = write.app.erase_person(write.slug, stakeholder_id, reason=body.reason, actor=write.actor)
    return written(write.runtime, receipt)


@assets_router.get("", response_model=AssetMapPublic)
def asset_map(slug: ReadSlug, reader: ReaderDep) -> AssetMapPublic:
    """What the active stakeholders bring: every asset, counted by category and by sector."""
    state = reader.state(slug)
    today = reader.today()
    # Copies: the projector may fold new facts into this state while it is read.
    stakeholders = [row for row in list(state.stakeholders.values()) if row.status == "active"]
    data = [
        MappedAssetPublic(
            id=key,
            category=category,
            description=description,
            stakeholder_id=row.id,
            stakeholder_name=row.name,
            sector=state.sector_of(row.id, today),
        )
        for row in stakeholders
        for key, (category, description) in list(row.assets.items())
    ]
    data.sort(key=lambda asset: (asset.category, asset.stakeholder_name.lower(), asset.id))
    by_category = Counter({category.value: 0 for category in AssetCategory})
    by_category.update(asset.category for asset in data)
    by_sector = Counter(dict.fromkeys(state.sectors, 0))
    by_sector.update(asset.sector for asset in data)
    return AssetMapPublic(
        count=len(data), by_category=dict(by_category), by_sector=dict(by_sector), data=data
    )
