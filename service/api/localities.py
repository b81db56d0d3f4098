"""Localities: the places doing the work."""

from __future__ import annotations

from fastapi import APIRouter, Response, status
from pydantic import BaseModel, Field

from service.api.deps import AppDep, IfMatchDep, PrincipalDep, ReadSlug, RuntimeDep, WriteDep
from service.api.schemas import WritePublic
from service.api.writes import written

router = APIRouter(prefix="/localities", tags=["localities"])


class LocalityCreate(BaseModel):
    slug: str = Field(min_length=1, max_length=60, examples=["riverside"])
    name: str = Field(min_length=1, max_length=200)
    region: str = Field("", max_length=200)


class LocalityUpdate(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    region: str = Field("", max_length=200)


class SectorCreate(BaseModel):
    sector: str = Field(min_length=1, max_length=60, examples=["youth"])
    label: str = Field(min_length=1, max_length=200, examples=["Youth organisations"])


class LocalityPublic(BaseModel):
    id: str
    slug: str
    name: str
    region: str
    sectors: list[str]
    version: int


def etag(response: Response, version: int) -> None:
    response.headers["ETag"] = f'"{version}"'


@router.get("", response_model=list[LocalityPublic])
def list_localities(principal: PrincipalDep, runtime: RuntimeDep, app: AppDep) -> list[LocalityPublic]:
    """The localities this token can see."""
    rows = [row for row in runtime.views.localities() if principal.can_see(row.slug)]
    return [_public(app, row.slug) for row in rows]


@router.post("", response_model=WritePublic, status_code=status.HTTP_201_CREATED)
def create_locality(body: LocalityCreate, principal: PrincipalDep, runtime: RuntimeDep) -> Response:
    """Register a locality (administrators only)."""
    principal.require_admin()
    receipt = runtime.app.register_locality(body.slug, body.name, body.region, actor=principal.name)
    return written(runtime, receipt, created=True)


@router.get("/{slug}", response_model=LocalityPublic)
def get_locality(slug: ReadSlug, app: AppDep, response: Response) -> LocalityPublic:
    """One locality, with its sectors (the default list and its own)."""
    public = _public(app, slug)
    etag(response, public.version)
    return public


@router.patch("/{slug}", response_model=WritePublic)
def rename_locality(
    write: WriteDep,
    body: LocalityUpdate,
    expected: IfMatchDep,
) -> Response:
    """Rename a locality or change its region."""
    receipt = write.app.rename_locality(
        write.slug, body.name, body.region, actor=write.actor, expected_version=expected
    )
    return written(write.runtime, receipt)


@router.post("/{slug}/sectors", response_model=WritePublic, status_code=status.HTTP_201_CREATED)
def add_sector(write: WriteDep, body: SectorCreate) -> Response:
    """Add a sector of the locality's own to the default list."""
    return written(
        write.runtime,
        write.app.add_sector(write.slug, body.sector, body.label, actor=write.actor),
        created=True,
    )


def _public(app: AppDep, slug: str) -> LocalityPublic:
    locality = app.locality(slug)
    return LocalityPublic(
        id=str(locality.id),
        slug=locality.slug,
        name=locality.name,
        region=locality.region,
        sectors=list(locality.sectors),
        version=locality.version,
    )
