"""Gould and Fernandez (1989) brokerage roles on the directed tie graph.

A stakeholder v brokers each two-path a -> v -> b where a has no direct tie a -> b. The
role depends on which of a, v and b share a sector:

============== ====================== ===========================================
role           sectors                v ...
============== ====================== ===========================================
coordinator    a = v = b              mediates within its own sector
itinerant      a = b, v different     mediates within another sector
representative a = v, b different     carries its own sector's ties out to another
gatekeeper     v = b, a different     lets another sector in to its own
liaison        a, v, b all different  mediates between two other sectors
============== ====================== ===========================================
"""

from __future__ import annotations

from collections.abc import Collection, Container, Iterable, Mapping
from typing import TypedDict

import networkx as nx

from projections.figures._graphs import Pair, StakeholderId

ROLES: tuple[str, ...] = ("coordinator", "itinerant", "gatekeeper", "representative", "liaison")


class Roles(TypedDict):
    """How many two-paths a stakeholder brokers in each role."""

    coordinator: int
    itinerant: int
    gatekeeper: int
    representative: int
    liaison: int


def brokerage(D: nx.DiGraph) -> dict[StakeholderId, Roles]:
    """Count the brokerage roles of every stakeholder, with sectors as the groups.

    Takes O(sum over v of in-degree(v) x out-degree(v)) time.

    Parameters
    ----------
    D : networkx DiGraph
        The directed tie graph; every node has a ``sector``.

    Returns
    -------
    dict
        For each stakeholder, its count of each role in `ROLES`.

    Raises
    ------
    NetworkXNotImplemented
        If D is undirected: brokerage needs to know who passes to whom.

    Examples
    --------
    >>> D = nx.DiGraph([("a", "v"), ("v", "b")])
    >>> nx.set_node_attributes(D, {"a": "health", "v": "vcse", "b": "housing"}, "sector")
    >>> brokerage(D)["v"]
    {'coordinator': 0, 'itinerant': 0, 'gatekeeper': 0, 'representative': 0, 'liaison': 1}
    """
    if not D.is_directed():
        raise nx.NetworkXNotImplemented("brokerage needs a directed graph")
    sector: dict[StakeholderId, str] = {v: data["sector"] for v, data in D.nodes(data=True)}
    return _brokerage(sector, dict(D.adjacency()), D.pred)


def arc_brokerage(sector: dict[StakeholderId, str], arcs: Iterable[Pair]) -> dict[StakeholderId, Roles]:
    """`brokerage` of the directed graph of these arcs (each once) on the nodes of ``sector``.

    Examples
    --------
    >>> arc_brokerage({"a": "health", "v": "vcse", "b": "housing"}, [("a", "v"), ("v", "b")])["v"]
    {'coordinator': 0, 'itinerant': 0, 'gatekeeper': 0, 'representative': 0, 'liaison': 1}
    """
    succ: dict[StakeholderId, set[StakeholderId]] = {v: set() for v in sector}
    pred: dict[StakeholderId, list[StakeholderId]] = {v: [] for v in sector}
    for u, v in arcs:
        succ[u].add(v)
        pred[v].append(u)
    return _brokerage(sector, succ, pred)


def _brokerage(
    sector: dict[StakeholderId, str],
    succ: Mapping[StakeholderId, Collection[StakeholderId]],
    pred: Mapping[StakeholderId, Iterable[StakeholderId]],
) -> dict[StakeholderId, Roles]:
    return {
        v: _roles(
            own,
            [a for a in pred[v] if a != v],
            [(b, sector[b]) for b in succ[v] if b != v],
            succ,
            sector,
        )
        for v, own in sector.items()
    }


def _roles(
    own: str,
    sources: list[StakeholderId],
    onward: list[tuple[StakeholderId, str]],
    reaches: Mapping[StakeholderId, Container[StakeholderId]],
    sector: dict[StakeholderId, str],
) -> Roles:
    # The innermost loop of the figures: kept flat, as it runs once per two-path.
    coordinator = itinerant = gatekeeper = representative = liaison = 0
    for a in sources:
        source, reached = sector[a], reaches[a]
        for b, target in onward:
            if b == a or b in reached:
                continue
            if source == target:
                if source == own:
                    coordinator += 1
                else:
                    itinerant += 1
            elif source == own:
                representative += 1
            elif target == own:
                gatekeeper += 1
            else:
                liaison += 1
    return {
        "coordinator": coordinator,
        "itinerant": itinerant,
        "gatekeeper": gatekeeper,
        "representative": representative,
        "liaison": liaison,
    }
