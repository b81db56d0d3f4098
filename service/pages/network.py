"""The network page: the pyvis picture of a graph on a date (coloured by sector, sized by
betweenness, ties as wide as their intensity), filtered by sector and kind of tie, with
brokers, bridges and missing sectors shown and listed, the sector mixing heatmap, and
every figure as CSV. Above ``LARGE`` stakeholders the page draws one circle per sector
(or community) unless every stakeholder is asked for."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Query, Request, Response

from domain.vocabulary import RelationshipKind
from projections.figures import ROLES
from projections.network import GraphKind
from service.pages.access import Place, ReadPlace, sector_labels
from service.pages.files import VIS_NETWORK
from service.pages.picture import COATTENDANCE, annotate, brokers, communities_in, filtered
from service.pages.records import parse_day
from service.pages.web import PageError, PageRoute, csv_response, render
from visualisations import mixing_heatmap_svg, render_network_fragment
from visualisations.groups import GroupBy

router = APIRouter(route_class=PageRoute, include_in_schema=False)

LARGE = 1500
VIEWS = {
    "stakeholders": "Every stakeholder",
    "sector": "One circle per sector",
    "community": "One circle per community",
}
GROUPS: dict[str, GroupBy | None] = {"stakeholders": None, "sector": "sector", "community": "community"}
GRAPHS = {
    GraphKind.COMBINED.value: "Ties and co-attendance (combined)",
    GraphKind.TIE.value: "Ties",
    GraphKind.DIRECTED_TIE.value: "Ties, with their direction",
    GraphKind.COATTENDANCE.value: "Co-attendance at meetings",
    GraphKind.COMMITMENT.value: "Commitments (promisor → promisee)",
}
KINDS = [(k.value, k.value.replace("_", " ")) for k in RelationshipKind] + [
    (COATTENDANCE, "attended the same meetings")
]


@router.get("/l/{slug}/network")
def network_page(
    request: Request,
    place: ReadPlace,
    graph: str = GraphKind.COMBINED.value,
    as_of: str | None = None,
    view: str = "",
    sector: list[str] = Query(default=[]),
    kind: list[str] = Query(default=[]),
    format: str = "html",
    table: str = "stakeholders",
) -> Response:
    """One graph of the locality on a date, drawn, with its figures."""
    if graph not in GRAPHS:
        raise PageError(422, "Please check the graph", f"choose one of: {', '.join(GRAPHS)}")
    day = parse_day(as_of, "as_of") or place.today()
    figures = place.reader.figures(place.slug, graph=graph, as_of=day)
    state = place.state()
    labels = sector_labels(state)
    if format == "csv":
        return _csv(place, table, figures, labels, day)
    G = place.reader.network(place.slug, graph=graph, as_of=day)
    G = filtered(G, sectors=[s for s in sector if s in labels], kinds=kind)
    size = G.number_of_nodes()
    chosen = view if view in VIEWS else ("sector" if size > LARGE else "stakeholders")
    if chosen == "stakeholders":  # a summary view draws groups: their members' marks are not shown
        annotate(G, figures, state, day)
    fragment = render_network_fragment(
        G,
        title=f"{place.name}: {GRAPHS[graph].lower()} on {day.isoformat()}",
        nonce=request.state.nonce,
        height="72vh",
        group_by=GROUPS[chosen],
        communities=communities_in(G, figures) if chosen != "sector" else None,
    )
    return render(
        request,
        "network.html",
        title="Network",
        section="network",
        picture=fragment,
        vis_src=VIS_NETWORK,
        figures=figures,
        labels=labels,
        day=day,
        query=_query(graph, as_of, chosen, sector, kind),
        graphs=GRAPHS,
        views=VIEWS,
        kinds=KINDS,
        size=size,
        large=size > LARGE,
        view=chosen,
        brokers=_broker_rows(figures, state, day),
        bridges=figures["bridges"],
        names=_names(state),
        heatmap=mixing_heatmap_svg(figures["sector_mixing"], labels=labels),
        roles=ROLES,
    )


def _query(graph: str, as_of: str | None, view: str, sectors: list[str], kinds: list[str]) -> dict[str, Any]:
    return {"graph": graph, "as_of": as_of or "", "view": view, "sectors": set(sectors), "kinds": set(kinds)}


def _names(state: Any) -> dict[str, str]:
    return {s.id: s.name for s in state.stakeholders.values()}


def _broker_rows(figures: dict[str, Any], state: Any, day: date) -> list[dict[str, Any]]:
    roles = figures["brokerage"] or {}
    rows = []
    for node in brokers(figures):
        row = state.stakeholders.get(node)
        rows.append(
            {
                "id": node,
                "name": row.name if row else node,
                "sector": state.sector_of(node, day) if row else "other",
                "betweenness": figures["betweenness"]["values"][node],
                "reach": figures["reach"].get(node),
                "roles": roles.get(node, {}),
            }
        )
    return rows


def _csv(place: Place, table: str, figures: dict[str, Any], labels: dict[str, str], day: date) -> Response:
    name = f"{place.slug}-{figures['graph']}-{day}"
    if table == "mixing":
        matrix = figures["sector_mixing"]
        sectors = list(matrix)
        rows = ([s, *(matrix[s].get(t, 0) for t in sectors)] for s in sectors)
        return csv_response(f"{name}-sector-mixing.csv", ["sector", *sectors], rows)
    if table == "summary":
        return csv_response(
            f"{name}-figures.csv", ["figure", "value", "as_of", "graph"], _summary(figures, day)
        )
    if table != "stakeholders":
        raise PageError(404, "No such table", f"there is no table {table!r} here")
    return csv_response(f"{name}-stakeholders.csv", *_stakeholder_table(place, figures))


def _summary(figures: dict[str, Any], day: date) -> list[list[Any]]:
    keys = (
        "nodes",
        "edges",
        "density",
        "components",
        "isolates",
        "largest_component_share",
        "degree_centralization",
        "cross_sector_share",
        "sector_assortativity",
    )
    rows: list[list[Any]] = [[k, figures[k]] for k in keys]
    rows.append(["ei_index", figures["ei_index"]["whole"]])
    rows += [[f"ei_index:{s}", v] for s, v in figures["ei_index"]["by_sector"].items()]
    rows.append(["modularity", figures["communities"]["modularity"]])
    rows.append(["communities", len(figures["communities"]["groups"])])
    rows += [["trust", figures["trust"]["network"]], ["value", figures["value"]["network"]]]
    rows.append(["bridge_stakeholders", len(figures["bridges"]["stakeholders"])])
    rows.append(["bridge_ties", len(figures["bridges"]["edges"])])
    rows.append(["missing_sectors:no_stakeholder", " ".join(figures["missing_sectors"]["no_stakeholder"])])
    rows.append(
        ["missing_sectors:not_at_the_table", " ".join(figures["missing_sectors"]["not_at_the_table"])]
    )
    return [[*row, day.isoformat(), figures["graph"]] for row in rows]


def _stakeholder_table(place: Place, figures: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    state, day = place.state(), date.fromisoformat(figures["as_of"])
    community = {n: i + 1 for i, group in enumerate(figures["communities"]["groups"]) for n in group}
    cut = set(figures["bridges"]["stakeholders"])
    roles = figures["brokerage"] or {}
    betweenness = figures["betweenness"]["values"]
    rows = []
    for node in sorted(betweenness, key=lambda n: -betweenness[n]):
        row = state.stakeholders.get(node)
        rows.append(
            [
                node,
                row.name if row else node,
                state.sector_of(node, day) if row else "",
                betweenness[node],
                figures["reach"].get(node),
                figures["ei_index"]["by_stakeholder"].get(node),
                figures["trust"]["by_stakeholder"].get(node),
                figures["value"]["by_stakeholder"].get(node),
                *(roles.get(node, {}).get(r, 0) for r in ROLES),
                node in cut,
                community.get(node),
            ]
        )
    header = [
        "id",
        "name",
        "sector",
        "betweenness",
        "reach",
        "ei_index",
        "trust",
        "value",
        *(f"brokerage_{r}" for r in ROLES),
        "bridge",
        "community",
    ]
    return header, rows
