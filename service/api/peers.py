"""Peer networks: localities comparing aggregate figures, never each other's stakeholders.

An administrator establishes a network and records localities joining and leaving it.
The comparison, trends and shared measures of a network are for administrators and for
every token (peer, lead or facilitator) of a locality that is a member today; to anyone
else the network does not exist (404). A viewer sees its own locality's numbers exactly
and every other locality's counts below 5 as "fewer than 5".
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response, status
from pydantic import BaseModel, ConfigDict, Field

from domain.peer_network import PeerNetworkNotFoundError
from projections.comparison import (
    PeerNetworkView,
    comparison,
    comparison_csv,
    default_quarters,
    peer_network,
    peer_networks,
    period,
    shared_measures,
    trends,
)
from service.api.deps import ActorDep, PrincipalDep, ReaderDep, RuntimeDep
from service.api.network import Day, day_query, invalid_query
from service.api.schemas import WritePublic
from service.api.writes import written
from service.auth import Principal, Role

router = APIRouter(prefix="/peer-networks", tags=["peer networks"])

FromQuery = Annotated[
    Day | None, day_query("The period's first day; default a year before its end", alias="from")
]
ToQuery = Annotated[Day | None, day_query("The period's last day; default today", alias="to")]
Cell = int | float | str | None


class PeerNetworkCreate(BaseModel):
    slug: str = Field(min_length=1, max_length=60, examples=["north-west"])
    name: str = Field(min_length=1, max_length=200, examples=["North West peers"])


class MemberCreate(BaseModel):
    locality: str = Field(min_length=1, max_length=60, examples=["riverside"])
    on: Day | None = Field(None, description="The day it joins; default today")


class MemberLeave(BaseModel):
    on: Day | None = Field(
        None, description="The day it leaves (no longer a member from then); default today"
    )


class SpellPublic(BaseModel):
    locality: str
    joined: date
    left: date | None


class PeerNetworkPublic(BaseModel):
    slug: str
    name: str
    members: list[str] = Field(description="The member localities today")
    spells: list[SpellPublic] = Field(description="Every spell of membership, past and present")


class NetworkRefPublic(BaseModel):
    slug: str
    name: str


class PeriodPublic(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    from_: date = Field(alias="from")
    to: date


class FigurePublic(BaseModel):
    key: str
    label: str
    count: bool = Field(description='A count: below 5 it is "fewer than 5" to other localities')


class LocalityFiguresPublic(BaseModel):
    slug: str
    name: str
    own: bool = Field(description="The viewer's own locality, shown exactly")
    as_of: date = Field(description="Its last day of membership in the period: the figures' date")
    values: dict[str, Cell]
    ranks: dict[str, int | None]


class ComparisonPublic(BaseModel):
    network: NetworkRefPublic
    period: PeriodPublic
    viewer: str | None
    suppressed_below: int
    suppressed_as: str
    ranking: str
    figures: list[FigurePublic]
    localities: list[LocalityFiguresPublic]
    median: dict[str, Cell]


class QuarterPublic(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    label: str = Field(examples=["2025-Q1"])
    from_: date = Field(alias="from")
    to: date
    member: bool | None = None


class SeriesPublic(BaseModel):
    label: str
    count: bool
    values: list[Cell]
    median: list[Cell]
    ranks: list[int | None]


class TrendsPublic(BaseModel):
    network: NetworkRefPublic
    locality: str
    own: bool
    suppressed_below: int
    suppressed_as: str
    quarters: list[QuarterPublic]
    series: dict[str, SeriesPublic]


class SharedLocalityPublic(BaseModel):
    slug: str
    name: str
    own: bool
    baseline: str | None
    target: str | None
    values: list[str | None] = Field(description="The latest value observed in each quarter while a member")


class SharedMeasurePublic(BaseModel):
    code: str = Field(examples=["ASCOF-1A"])
    median: list[str | None]
    localities: list[SharedLocalityPublic]


class SharedMeasuresPublic(BaseModel):
    network: NetworkRefPublic
    period: PeriodPublic
    quarters: list[QuarterPublic]
    measures: list[SharedMeasurePublic]


def _may_see(principal: Principal, network: PeerNetworkView, today: date) -> bool:
    if principal.role is Role.ADMINISTRATOR:
        return True
    return principal.locality is not None and network.member_on(principal.locality, today)


def _visible(slug: str, principal: Principal, reader: ReaderDep) -> PeerNetworkView:
    """The network, if this token may see it; else "not found", so its existence does not leak."""
    network = peer_network(reader.views, slug)
    if not _may_see(principal, network, reader.today()):
        raise PeerNetworkNotFoundError(slug)
    return network


def _public(network: PeerNetworkView, today: date) -> PeerNetworkPublic:
    return PeerNetworkPublic(
        slug=network.slug,
        name=network.name,
        members=[slug for slug in network.spells if network.member_on(slug, today)],
        spells=[
            SpellPublic(locality=slug, joined=joined, left=left)
            for slug, spells in network.spells.items()
            for joined, left in spells
        ],
    )


@router.post("", response_model=WritePublic, status_code=status.HTTP_201_CREATED)
def create_peer_network(body: PeerNetworkCreate, principal: PrincipalDep, runtime: RuntimeDep) -> Response:
    """Establish a peer network (administrators only)."""
    principal.require_admin()
    return written(
        runtime, runtime.app.create_peer_network(body.slug, body.name, actor=principal.name), created=True
    )


@router.get("", response_model=list[PeerNetworkPublic])
def list_peer_networks(principal: PrincipalDep, reader: ReaderDep) -> list[PeerNetworkPublic]:
    """The peer networks this token's locality is a member of today (every one, for an administrator)."""
    today = reader.today()
    return [_public(n, today) for n in peer_networks(reader.views) if _may_see(principal, n, today)]


@router.post("/{slug}/members", response_model=WritePublic, status_code=status.HTTP_201_CREATED)
def join(
    slug: str, body: MemberCreate, principal: PrincipalDep, actor: ActorDep, runtime: RuntimeDep
) -> Response:
    """Record a locality joining the network (administrators only)."""
    principal.require_admin()
    return written(
        runtime, runtime.app.join_peer_network(slug, body.locality, on=body.on, actor=actor), created=True
    )


@router.post("/{slug}/members/{locality}/leave", response_model=WritePublic)
def leave(
    slug: str,
    locality: str,
    principal: PrincipalDep,
    actor: ActorDep,
    runtime: RuntimeDep,
    body: MemberLeave | None = None,
) -> Response:
    """Record a locality leaving the network (administrators only)."""
    principal.require_admin()
    on = body.on if body is not None else None
    return written(runtime, runtime.app.leave_peer_network(slug, locality, on=on, actor=actor))


@router.get(
    "/{slug}/comparison",
    response_model=ComparisonPublic,
    responses={200: {"content": {"text/csv": {}}, "description": "JSON, or CSV with format=csv"}},
)
def compare(
    slug: str,
    principal: PrincipalDep,
    reader: ReaderDep,
    start: FromQuery = None,
    end: ToQuery = None,
    format_: Annotated[Literal["json", "csv"], Query(alias="format", description="json or csv")] = "json",
) -> Any:
    """Each member locality's figures for the period, the network median and each one's rank."""
    network = _visible(slug, principal, reader)
    first, last = period(start, end, reader.today())
    result = comparison(reader, network, start=first, end=last, viewer=principal.locality)
    if format_ == "csv":
        name = f"{network.slug}-comparison-{first.isoformat()}-{last.isoformat()}.csv"
        return Response(
            comparison_csv(result),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
    return result


@router.get("/{slug}/trends", response_model=TrendsPublic)
def trend(
    slug: str,
    principal: PrincipalDep,
    reader: ReaderDep,
    locality: Annotated[str | None, Query(description="A member locality; default the token's own")] = None,
    start: FromQuery = None,
    end: ToQuery = None,
) -> dict[str, Any]:
    """Each figure per quarter for a locality against the network median (the last four quarters by default)."""
    network = _visible(slug, principal, reader)
    chosen = locality or principal.locality
    if chosen is None:
        raise invalid_query("locality", "name the locality whose trends to show")
    first, last = _quarters(reader, start, end)
    return trends(reader, network, chosen, start=first, end=last, viewer=principal.locality)


@router.get("/{slug}/shared-measures", response_model=SharedMeasuresPublic)
def shared(
    slug: str, principal: PrincipalDep, reader: ReaderDep, start: FromQuery = None, end: ToQuery = None
) -> dict[str, Any]:
    """Measures with the same shared code (e.g. an ASCOF item) across member localities, per quarter."""
    network = _visible(slug, principal, reader)
    first, last = _quarters(reader, start, end)
    return shared_measures(reader, network, start=first, end=last, viewer=principal.locality)


def _quarters(reader: ReaderDep, start: date | None, end: date | None) -> tuple[date, date]:
    last = end or reader.today()
    return period(start or default_quarters(last)[0], last, reader.today())
