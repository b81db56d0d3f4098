"""The graph the network page draws: the projection's graph, filtered by sector and kind
of tie, its nodes marked with the figures of the whole network (betweenness, brokers,
bridges) and given tooltips with their assets and open commitments."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import date
from typing import Any

import networkx as nx

from projections.state import LocalityState
from service.pages.records import OPEN_STATES, commitment_row

#: Co-attendance edges have this "kind" in the combined graph.
COATTENDANCE = "co-attendance"
TOOLTIP_COMMITMENTS = 3


def brokers(figures: dict[str, Any]) -> list[str]:
    """The stakeholders with the highest betweenness: the top 2% (5 to 50), none at zero."""
    values: dict[str, float] = figures["betweenness"]["values"]
    count = min(max(5, round(len(values) * 0.02)), 50)
    ranked = sorted(values, key=lambda s: (-values[s], s))[:count]
    return [s for s in ranked if values[s] > 0]


def filtered(G: nx.Graph, *, sectors: Collection[str], kinds: Collection[str]) -> nx.Graph:
    """Only stakeholders of these sectors, and ties of these kinds (empty: all of them)."""
    if sectors:
        G.remove_nodes_from([n for n, d in G.nodes(data=True) if d.get("sector") not in sectors])
    if kinds:
        wanted = set(kinds)
        G.remove_edges_from(
            [(u, v) for u, v, d in G.edges(data=True) if "kinds" in d and not wanted.intersection(d["kinds"])]
        )
    return G


def annotate(G: nx.Graph, figures: dict[str, Any], state: LocalityState, day: date) -> nx.Graph:
    """Mark each node with betweenness, broker and bridge, and give it a tooltip; mark bridge ties."""
    betweenness = figures["betweenness"]["values"]
    cut = set(figures["bridges"]["stakeholders"])
    top = set(brokers(figures))
    promised = _open_commitments(state, day)
    for node, data in G.nodes(data=True):
        data["betweenness"] = betweenness.get(node, 0.0)
        data["broker"] = node in top
        data["bridge"] = node in cut
        data["tooltip"] = _tooltip(data.get("assets") or [], promised.get(node, []))
    bridge_ties = {frozenset(edge) for edge in figures["bridges"]["edges"]}
    for u, v, data in G.edges(data=True):
        data["bridge"] = frozenset((u, v)) in bridge_ties
    return G


def _open_commitments(state: LocalityState, day: date) -> dict[str, list[tuple[str, str, date]]]:
    """Each promisor's open commitments on ``day``: (what, state, due), soonest due first."""
    promised: dict[str, list[tuple[str, str, date]]] = defaultdict(list)
    for commitment in state.commitments.values():
        if commitment.made_on > day:
            continue
        row = commitment_row(state, commitment, day)
        if row.state in OPEN_STATES:
            promised[row.promisor.id].append((row.what, row.state, row.due))
    for rows in promised.values():
        rows.sort(key=lambda r: r[2])
    return promised


def _tooltip(assets: list[str], promised: list[tuple[str, str, date]]) -> str:
    lines = ["Assets: " + ("; ".join(assets) if assets else "none recorded")]
    overdue = sum(1 for _, state, _ in promised if state == "overdue")
    count = f"Open commitments: {len(promised)}" + (f" ({overdue} overdue)" if overdue else "")
    lines.append(count)
    for what, state, due in promised[:TOOLTIP_COMMITMENTS]:
        lines.append(f"• {what} (due {due.isoformat()}{', overdue' if state == 'overdue' else ''})")
    if len(promised) > TOOLTIP_COMMITMENTS:
        lines.append(f"• and {len(promised) - TOOLTIP_COMMITMENTS} more")
    return "\n".join(lines)


def communities_in(G: nx.Graph, figures: dict[str, Any]) -> list[list[str]]:
    """The whole network's communities, cut down to the nodes G still has."""
    groups = [[n for n in group if n in G] for group in figures["communities"]["groups"]]
    placed = {n for group in groups for n in group}
    groups.append([n for n in G if n not in placed])  # nodes the figures did not see
    return [g for g in groups if g]
