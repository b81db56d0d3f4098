"""The locality's graphs on a date, as METRICS.md defines them, each edge traceable to
the events behind it. Merged stakeholders' ties and commitments follow the merge."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Container, Iterable, Iterator, Mapping
from datetime import date, timedelta
from enum import StrEnum
from itertools import combinations
from statistics import fmean
from typing import Any

import networkx as nx

from projections.figures import Rated, Ties, brokerage_of, in_edge_order, ties_figures, ties_of
from projections.state import LocalityState, RelationshipState, at

DEFAULT_WINDOW_DAYS = 365


class GraphKind(StrEnum):
    TIE = "tie"
    DIRECTED_TIE = "directed_tie"
    COATTENDANCE = "coattendance"
    COMMITMENT = "commitment"
    COMBINED = "combined"


def _nodes(state: LocalityState, day: date, graph: nx.Graph) -> nx.Graph:
    for row in state.present_stakeholders(day):
        assets = [f"{category}: {description}" for category, description in row.assets.values()]
        graph.add_node(
            row.id,
            label=row.name,
            sector=state.sector_of(row.id, day),
            kind=row.kind,
            assets=assets,
        )
    return graph


def _ends(
    state: LocalityState, source: str, target: str, day: date, graph: nx.Graph
) -> tuple[str, str] | None:
    u, v = state.resolve(source, day), state.resolve(target, day)
    if u == v or u not in graph or v not in graph:
        return None
    return u, v


def tie_graph(state: LocalityState, day: date, *, directed: bool = False) -> nx.Graph:
    """Stakeholders present on ``day``, tied where a relationship between them is valid on it.

    Directed: directed kinds (funds, commissions, refers to, member of) point source ->
    target; undirected kinds give an edge each way.
    """
    graph: nx.Graph = _nodes(state, day, nx.DiGraph() if directed else nx.Graph())
    ties: dict[tuple[str, str], list[RelationshipState]] = defaultdict(list)
    for u, v, rel in _valid_ties(state, day, graph):
        if directed:
            ties[(u, v)].append(rel)
            if not rel.directed:
                ties[(v, u)].append(rel)
        else:
            ties[(u, v) if u <= v else (v, u)].append(rel)
    for (u, v), rels in ties.items():
        graph.add_edge(u, v, **_tie_attributes(rels, day))
    return graph


def _valid_ties(
    state: LocalityState, day: date, present: Container[str]
) -> Iterator[tuple[str, str, RelationshipState]]:
    """Each relationship valid on ``day``, with its ends as they stand after merges,
    where both are present and distinct."""
    # Merges are rare: only the ends that were merged need resolving.
    merged = {s for s, row in state.stakeholders.items() if row.merged_into is not None}
    for rel in state.relationships.values():
        if not rel.valid(day):
            continue
        u = state.resolve(rel.source, day) if rel.source in merged else rel.source
        v = state.resolve(rel.target, day) if rel.target in merged else rel.target
        if u != v and u in present and v in present:
            yield u, v, rel


def _tie_attributes(rels: list[RelationshipState], day: date) -> dict[str, Any]:
    if len(rels) == 1 and not rels[0].rated:  # most ties: one relationship, never rated
        rel = rels[0]
        return {
            "kinds": (rel.kind,),
            "intensity": at(rel.intensity, day) or rel.intensity[0][1],
            "trust": None,
            "value": None,
            "relationships": (rel.id,),
            "events": tuple(rel.events),  # folded in log order: already sorted
        }
    trust, value = _tie_ratings(rels, day)
    return {
        "kinds": tuple(sorted({rel.kind for rel in rels})),
        "intensity": max(at(rel.intensity, day) or rel.intensity[0][1] for rel in rels),
        "trust": trust,
        "value": value,
        "relationships": tuple(sorted(rel.id for rel in rels)),
        "events": tuple(sorted(p for rel in rels for p in rel.events)),
    }


def _tie_ratings(rels: list[RelationshipState], day: date) -> tuple[float | None, float | None]:
    """The mean trust and mean value in force on ``day`` of the relationships behind a tie."""
    in_force = [at(timeline, day) for rel in rels for timeline in rel.rated.values()]
    trust = [rating[0] for rating in in_force if rating is not None]
    value = [rating[1] for rating in in_force if rating is not None]
    return (fmean(trust) if trust else None, fmean(value) if value else None)


def tie_figures(state: LocalityState, day: date, graph: nx.Graph | None = None) -> dict[str, Any]:
    """Every network figure of ``graph`` (the tie graph when None), brokerage on the
    directed tie graph, for the locality's sectors.

    Equal to ``network_figures(graph or tie_graph(state, day), directed=tie_graph(state,
    day, directed=True), sectors=state.sectors)``, but reads the relationships once for
    both tie graphs and builds neither as a networkx graph (most of the time of the
    figures, after betweenness, went into building them).
    """
    nodes = [row.id for row in state.present_stakeholders(day)]
    position = {v: i for i, v in enumerate(nodes)}
    sectors = [state.sector_of(v, day) for v in nodes]
    n = len(nodes)
    # Each tie keyed u * n + v (u < v), in the order first met, which orders the edges.
    ties: dict[int, None] = {}
    # Only rated relationships give a tie its ratings; about one tie in five has any.
    rated_by_tie: dict[int, list[RelationshipState]] = {}
    succ: list[set[int]] = [set() for _ in nodes]
    pred: list[set[int]] = [set() for _ in nodes]
    for source, target, rel in _valid_ties(state, day, position):
        u, v = position[source], position[target]
        succ[u].add(v)
        pred[v].add(u)
        if not rel.directed:
            succ[v].add(u)
            pred[u].add(v)
        key = u * n + v if u < v else v * n + u
        ties[key] = None
        if rel.rated:
            rated_by_tie.setdefault(key, []).append(rel)
    roles = brokerage_of(nodes, sectors, succ, pred)
    if graph is not None:
        return ties_figures(ties_of(graph), roles=roles, sectors=state.sectors)
    pairs = in_edge_order(n, (divmod(key, n) for key in ties))
    rated = [_rated(u, v, rated_by_tie[u * n + v], day) for u, v in pairs if u * n + v in rated_by_tie]
    figures = Ties(nodes, sectors, pairs, None, [edge for edge in rated if edge is not None])
    return ties_figures(figures, roles=roles, sectors=state.sectors)


def _rated(u: int, v: int, rels: list[RelationshipState], day: date) -> Rated | None:
    """The tie's trust and value in force on ``day``, as the tie graph has them, if any."""
    trust, value = _tie_ratings(rels, day)
    return None if trust is None and value is None else Rated(u, v, trust, value)


def coattendance_graph(
    state: LocalityState, day: date, *, window_days: int = DEFAULT_WINDOW_DAYS
) -> nx.Graph:
    """Two stakeholders linked when they attended the same meeting held in the window
    (``window_days`` up to ``day``); weight = the number of such meetings."""
    graph = _nodes(state, day, nx.Graph())
    start = day - timedelta(days=window_days)
    weights: Counter[tuple[str, str]] = Counter()
    meetings: dict[tuple[str, str], list[str]] = defaultdict(list)
    for meeting in state.meetings.values():
        if meeting.status == "cancelled" or not start < meeting.held_on <= day:
            continue
        present = sorted({state.resolve(s, day) for s in meeting.attendees} & set(graph))
        for pair in combinations(present, 2):
            weights[pair] += 1
            meetings[pair].append(meeting.id)
    for (u, v), weight in weights.items():
        shared = tuple(meetings[(u, v)])
        graph.add_edge(u, v, weight=weight, meetings=shared, events=_positions(state.meetings, shared))
    return graph


def commitment_graph(state: LocalityState, day: date) -> nx.DiGraph:
    """Promisor -> promisee, weight = commitments made by ``day`` (promises to the Change
    Group as a whole have no stakeholder at their other end, so they are not edges)."""
    graph = _nodes(state, day, nx.DiGraph())
    promises: dict[tuple[str, str], list[str]] = defaultdict(list)
    for commitment in state.commitments.values():
        if commitment.made_on > day:
            continue
        promisor = at(commitment.promisor, day)
        for promisee in commitment.promisees:
            ends = _ends(state, promisor, promisee, day, graph)
            if ends is not None:
                promises[ends].append(commitment.id)
    for (u, v), ids in promises.items():
        made = tuple(ids)
        graph.add_edge(u, v, weight=len(made), commitments=made, events=_positions(state.commitments, made))
    return graph


def combined_graph(state: LocalityState, day: date, *, window_days: int = DEFAULT_WINDOW_DAYS) -> nx.Graph:
    """The union of tie and co-attendance edges (the default network view)."""
    graph = tie_graph(state, day)
    for u, v, data in coattendance_graph(state, day, window_days=window_days).edges(data=True):
        if graph.has_edge(u, v):
            tie = graph.edges[u, v]
            events = tuple(sorted({*tie["events"], *data["events"]}))
            tie.update(weight=data["weight"], meetings=data["meetings"], events=events)
        else:
            graph.add_edge(u, v, kinds=("co-attendance",), **data)
    return graph


def _positions(records: Mapping[str, Any], ids: Iterable[str]) -> tuple[int, ...]:
    """The positions of the events of these meetings or commitments: the events behind an edge."""
    return tuple(sorted(p for key in ids for p in records[key].events))


def graph_of(
    state: LocalityState,
    kind: GraphKind | str,
    day: date,
    *,
    window_days: int = DEFAULT_WINDOW_DAYS,
) -> nx.Graph:
    kind = GraphKind(kind)
    if kind is GraphKind.TIE:
        return tie_graph(state, day)
    if kind is GraphKind.DIRECTED_TIE:
        return tie_graph(state, day, directed=True)
    if kind is GraphKind.COATTENDANCE:
        return coattendance_graph(state, day, window_days=window_days)
    if kind is GraphKind.COMMITMENT:
        return commitment_graph(state, day)
    return combined_graph(state, day, window_days=window_days)


def node_link(graph: nx.Graph) -> dict[str, Any]:
    """node-link JSON (networkx's format, edges under "links")."""
    data: dict[str, Any] = nx.node_link_data(graph, edges="links")
    return data
