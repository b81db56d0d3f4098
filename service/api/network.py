"""The network: a locality's graphs on a date as node-link JSON, their figures
(METRICS.md), and the ties gained and lost between two dates.

Every view can be asked as of a date (valid time) and as recorded at a moment (system
time). The query parameters defined here are shared by the other read-only routers.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from projections.network import DEFAULT_WINDOW_DAYS, GraphKind, node_link
from service.api.deps import ReaderDep, ReadSlug, RuntimeDep
from service.encoded import Remembered, encode, respond
from service.runtime import Runtime

router = APIRouter(prefix="/localities/{slug}/network", tags=["network"])

#: Dates outside these bounds would overflow date arithmetic (windows, due dates): 422.
EARLIEST, LATEST = date(1900, 1, 1), date(2999, 12, 31)


def _utc(moment: datetime | None) -> datetime | None:
    """A naive moment is taken as UTC, the zone the log records in."""
    if moment is None:
        return None
    if not EARLIEST.year <= moment.year <= LATEST.year:
        raise ValueError(f"give a moment between {EARLIEST} and {LATEST}")
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


Day = Annotated[date, Field(ge=EARLIEST, le=LATEST)]


def day_query(description: str, *, alias: str | None = None) -> Any:
    return Query(alias=alias, description=f"{description} (YYYY-MM-DD, {EARLIEST.year} to {LATEST.year})")


AsOfQuery = Annotated[Day | None, day_query("Valid time: the view on this date; default today")]
SinceQuery = Annotated[Day | None, day_query("Only what was made or held from this date on")]
RecordedAtQuery = Annotated[
    datetime | None,
    AfterValidator(_utc),
    Query(description="System time: as the record stood at this moment (ISO 8601; naive means UTC)"),
]
WindowDaysQuery = Annotated[
    int,
    Query(ge=1, le=3650, description="The window: meetings held in this many days up to as_of count"),
]
GraphQuery = Annotated[GraphKind, Query(description="Which graph of the locality (METRICS.md)")]


def invalid_query(name: str, message: str) -> RequestValidationError:
    """A 422 naming the query parameter, shaped like FastAPI's own."""
    return RequestValidationError([{"loc": ("query", name), "msg": message, "type": "value_error"}])


class NodePublic(BaseModel):
    id: str = Field(description="The stakeholder's id")
    label: str = Field(description="The stakeholder's name")
    sector: str = Field(description="Its sector on as_of")
    kind: str
    assets: list[str] = Field(description='"category: description" of each asset it brings')


class LinkPublic(BaseModel):
    """An edge; which attributes are set depends on the graph."""

    source: str
    target: str
    kinds: list[str] | None = Field(None, description="Relationship kinds, or co-attendance")
    intensity: int | None = Field(None, description="Highest intensity, 1 awareness to 4 integration")
    trust: float | None = Field(None, description="Mean trust rating in force on as_of")
    value: float | None = Field(None, description="Mean value rating in force on as_of")
    weight: int | None = Field(None, description="Meetings attended together, or commitments made")
    relationships: list[str] = Field(default_factory=list)
    meetings: list[str] = Field(default_factory=list)
    commitments: list[str] = Field(default_factory=list)
    events: list[int] = Field(description="Log positions of the events behind the edge")


class GraphMetaPublic(BaseModel):
    locality: str
    kind: GraphKind
    as_of: date
    recorded_at: datetime | None
    window_days: int


class NetworkPublic(BaseModel):
    """node-link JSON, as networkx and d3 read it."""

    directed: bool
    multigraph: bool
    graph: GraphMetaPublic
    nodes: list[NodePublic]
    links: list[LinkPublic]


class BetweennessPublic(BaseModel):
    method: Literal["exact", "sampled"] = Field(description="Exact up to 5,000 stakeholders, then sampled")
    k: int | None = Field(description="Sample size when sampled")
    values: dict[str, float] = Field(description="Normalized betweenness per stakeholder")


class EIIndexPublic(BaseModel):
    whole: float | None
    by_sector: dict[str, float | None]
    by_stakeholder: dict[str, float | None]


class RolesPublic(BaseModel):
    coordinator: int
    itinerant: int
    gatekeeper: int
    representative: int
    liaison: int


class BridgesPublic(BaseModel):
    stakeholders: list[str] = Field(description="Whose removal increases the number of components")
    edges: list[list[str]] = Field(description="Ties whose removal increases the number of components")


class CommunitiesPublic(BaseModel):
    method: Literal["louvain"]
    seed: int
    groups: list[list[str]] = Field(description="Largest first")
    modularity: float | None


class MissingSectorsPublic(BaseModel):
    no_stakeholder: list[str] = Field(description="Sectors of the list with no stakeholder")
    not_at_the_table: list[str] = Field(description="Sectors absent from Change Group meetings in the window")


class RatingsPublic(BaseModel):
    network: float | None
    by_stakeholder: dict[str, float | None] = Field(description="As rated by others")


class FiguresPublic(BaseModel):
    """Every network figure of METRICS.md for one graph; None where a figure is undefined."""

    model_config = ConfigDict(extra="allow")

    locality: str
    graph: GraphKind
    as_of: date
    recorded_at: datetime | None
    window_days: int
    nodes: int
    edges: int
    density: float
    components: int
    isolates: int
    largest_component_share: float | None
    degree_centralization: float | None = Field(description="Freeman's")
    betweenness: BetweennessPublic
    cross_sector_share: float | None
    ei_index: EIIndexPublic = Field(description="Krackhardt and Stern's E-I index, -1 to +1")
    sector_mixing: dict[str, dict[str, int]] = Field(description="Edges between each pair of sectors")
    sector_assortativity: float | None
    brokerage: dict[str, RolesPublic] | None = Field(
        description="Gould and Fernandez roles per stakeholder, on the directed tie graph"
    )
    bridges: BridgesPublic
    communities: CommunitiesPublic
    reach: dict[str, float] = Field(description="Share of the others within two steps")
    missing_sectors: MissingSectorsPublic
    trust: RatingsPublic
    value: RatingsPublic


class TieChangePublic(BaseModel):
    source: str
    target: str
    source_name: str
    target_name: str
    kinds: list[str]
    relationships: list[str]
    events: list[int] = Field(description="Log positions of the events that formed or ended the tie")


class DiffPublic(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    from_: date = Field(alias="from")
    to: date
    ties_gained: list[TieChangePublic]
    ties_lost: list[TieChangePublic]
    stakeholders_joined: list[str]
    stakeholders_left: list[str]


def answer(
    request: Request,
    runtime: Runtime,
    slug: str,
    model: type[BaseModel],
    key: tuple[Hashable, ...],
    day: date,
    as_of: date | None,
    recorded_at: datetime | None,
    data: Callable[[], Any],
) -> Response:
    """``data()`` through ``model``, encoded once per position of the locality's views,
    and remembered so that the same request is answered before routing next time
    (``service.repeats``).

    As recorded at a past moment is asked rarely, and what it shows is not tied to the
    current position: that is encoded afresh, not kept.
    """
    if recorded_at is not None:
        return respond(request, encode(model, data(), compress=False))
    state, seen = runtime.views.state_and_position(slug)  # current while the views stay at seen
    cache_key = (*key, slug, state.position)  # any new fact of the locality is a new answer
    encoded = runtime.encoded.get(cache_key, lambda: encode(model, data()))
    today = None if as_of is not None else day
    runtime.repeats.remember(request, Remembered(slug, cache_key, seen, today, request.scope.get("route")))
    return respond(request, encoded)


@router.get("", response_model=NetworkPublic)
def network(
    request: Request,
    slug: ReadSlug,
    runtime: RuntimeDep,
    graph: GraphQuery = GraphKind.COMBINED,
    as_of: AsOfQuery = None,
    recorded_at: RecordedAtQuery = None,
    window_days: WindowDaysQuery = DEFAULT_WINDOW_DAYS,
) -> Response:
    """One graph of the locality on a date, as node-link JSON, each link with the events behind it."""
    day = as_of or runtime.reader.today()

    def data() -> dict[str, Any]:
        network = runtime.reader.network(
            slug, graph=graph, as_of=day, recorded_at=recorded_at, window_days=window_days
        )
        network.graph.update(
            locality=slug, kind=graph, as_of=day, recorded_at=recorded_at, window_days=window_days
        )
        return node_link(network)

    key = ("network", GraphKind(graph), day, window_days)
    return answer(request, runtime, slug, NetworkPublic, key, day, as_of, recorded_at, data)


@router.get("/figures", response_model=FiguresPublic)
def figures(
    request: Request,
    slug: ReadSlug,
    runtime: RuntimeDep,
    graph: GraphQuery = GraphKind.COMBINED,
    as_of: AsOfQuery = None,
    recorded_at: RecordedAtQuery = None,
    window_days: WindowDaysQuery = DEFAULT_WINDOW_DAYS,
) -> Response:
    """Every network figure of METRICS.md for one graph on a date, cached until the record changes."""
    day = as_of or runtime.reader.today()

    def data() -> dict[str, Any]:
        return runtime.reader.figures(
            slug, graph=graph, as_of=day, recorded_at=recorded_at, window_days=window_days
        )

    key = ("figures", GraphKind(graph), day, window_days)
    return answer(request, runtime, slug, FiguresPublic, key, day, as_of, recorded_at, data)


@router.get("/diff", response_model=DiffPublic)
def diff(
    slug: ReadSlug,
    reader: ReaderDep,
    start: Annotated[Day, day_query("Compare the tie graph on this date", alias="from")],
    end: Annotated[
        Day | None, day_query("with the tie graph on this date; default today", alias="to")
    ] = None,
) -> dict[str, Any]:
    """Ties and stakeholders gained and lost between two dates, with the events that caused them."""
    end = end or reader.today()
    if start > end:
        raise invalid_query("from", f"must not be after to ({end})")
    return reader.diff(slug, start, end)
