"""Summary graphs: one node per sector or per community, for networks too large to read."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Hashable, Sequence
from typing import Any, Literal

import networkx as nx

from domain.vocabulary import SECTOR_LABELS

GroupBy = Literal["sector", "community"]


def group_view(
    G: Any,
    *,
    by: GroupBy,
    communities: Sequence[Collection[Hashable]] | None = None,
) -> nx.Graph:
    """One node per group; node ``members`` = stakeholders in it, edge ``weight`` = ties between.

    Group nodes carry ``label``, ``sector`` (for a community: its most common sector),
    ``members``, ``internal_edges`` and a plain-text ``tooltip``; edges carry ``weight``
    and a ``tooltip``. A directed graph gives a directed summary.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph([("a", "b"), ("b", "c")])
    >>> nx.set_node_attributes(G, {"a": "health", "b": "health", "c": "housing"}, "sector")
    >>> S = group_view(G, by="sector")
    >>> S.nodes["health"]["members"], S.edges["health", "housing"]["weight"]
    (2, 1)
    """
    membership, keys = _membership(G, by, communities)
    summary = nx.DiGraph() if G.is_directed() else nx.Graph()
    sectors: dict[str, Counter[str]] = {key: Counter() for key in keys}
    for node, key in membership.items():
        sectors[key][str(G.nodes[node].get("sector", "other"))] += 1
    internal: Counter[str] = Counter()
    between: Counter[tuple[str, str]] = Counter()
    for u, v in G.edges():
        gu, gv = membership[u], membership[v]
        if gu == gv:
            internal[gu] += 1
        else:
            between[(gu, gv) if G.is_directed() or gu < gv else (gv, gu)] += 1
    for key in keys:
        summary.add_node(key, **_group_attributes(key, by, sectors[key], internal[key]))
    for (gu, gv), count in between.items():
        summary.add_edge(gu, gv, weight=count, tooltip=f"{_count(count, 'tie')} between the groups")
    return summary


def _membership(
    G: Any, by: GroupBy, communities: Sequence[Collection[Hashable]] | None
) -> tuple[dict[Hashable, str], list[str]]:
    if by == "sector":
        membership = {n: str(G.nodes[n].get("sector", "other")) for n in G.nodes}
        return membership, sorted(set(membership.values()))
    if by != "community":
        raise ValueError(f"cannot group by {by!r}: use 'sector' or 'community'")
    if communities is None:
        raise ValueError("grouping by community needs the communities")
    return _community_membership(G, communities)


def _community_membership(
    G: Any, communities: Sequence[Collection[Hashable]]
) -> tuple[dict[Hashable, str], list[str]]:
    membership: dict[Hashable, str] = {}
    keys = []
    for number, community in enumerate(communities, start=1):
        key = f"community-{number}"
        keys.append(key)
        for node in community:
            if node in membership:
                raise ValueError(f"{node!r} is in more than one community")
            if node not in G:
                raise ValueError(f"{node!r} is in a community but not in the graph")
            membership[node] = key
    missing = [n for n in G.nodes if n not in membership]
    if missing:
        raise ValueError(f"{len(missing)} nodes are in no community, e.g. {missing[0]!r}")
    return membership, keys


def _group_attributes(key: str, by: GroupBy, sectors: Counter[str], internal: int) -> dict[str, Any]:
    size = sum(sectors.values())
    sector = max(sectors, key=lambda s: (sectors[s], s)) if sectors else "other"
    community = f"Community {key.removeprefix('community-')}"
    label = SECTOR_LABELS.get(key, key) if by == "sector" else community
    tooltip = f"{label}: {_count(size, 'stakeholder')}\n{_count(internal, 'tie')} within"
    if by == "community":
        mix = (f"{SECTOR_LABELS.get(s, s)} {n}" for s, n in sectors.most_common())
        tooltip += "\n" + ", ".join(mix)
    return {
        "label": label,
        "sector": sector,
        "members": size,
        "internal_edges": internal,
        "tooltip": tooltip,
    }


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
