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

from collections.abc import Container, Iterable, Sequence
from collections.abc import Set as AbstractSet
from typing import TypedDict

import networkx as nx

from projections.figures._graphs import StakeholderId

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
    nodes = list(D)
    position = {v: i for i, v in enumerate(nodes)}
    sectors: list[str] = [data["sector"] for _, data in D.nodes(data=True)]
    succ = [{position[b] for b in onward} for _, onward in D.adjacency()]
    pred = [[position[a] for a in D.pred[v]] for v in nodes]
    return brokerage_of(nodes, sectors, succ, pred)


def brokerage_of(
    nodes: list[StakeholderId],
    sectors: list[str],
    succ: Sequence[AbstractSet[int]],
    pred: Sequence[Iterable[int]],
) -> dict[StakeholderId, Roles]:
    """`brokerage` of a directed graph given by the positions each node reaches and is
    reached from (each once), with each node's sector, in node order.

    Examples
    --------
    >>> brokerage_of(["a", "v", "b"], ["health", "vcse", "housing"], [{1}, {2}, set()], [[], [0], [1]])["v"]
    {'coordinator': 0, 'itinerant': 0, 'gatekeeper': 0, 'representative': 0, 'liaison': 1}
    """
    return {
        v: _roles(
            sectors[i],
            [a for a in pred[i] if a != i],
            [(b, sectors[b]) for b in succ[i] if b != i],
            succ,
            sectors,
        )
        for i, v in enumerate(nodes)
    }


def _roles(
    own: str,
    sources: list[int],
    onward: list[tuple[int, str]],
    reaches: Sequence[Container[int]],
    sector: list[str],
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
