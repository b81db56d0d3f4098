"""Communities: Louvain clustering of the ties, with its modularity.

Louvain runs in igraph (``community_multilevel``, the method of Blondel et al. 2008):
networkx's ``louvain_communities`` alone takes longer than every other figure together.
"""

from __future__ import annotations

import random
import threading
from typing import Literal, TypedDict

import igraph as ig
import networkx as nx

from projections.figures._graphs import Indexed, StakeholderId, index

# igraph draws from one process-wide generator; figures seed it for one call at a time.
_GENERATOR = threading.Lock()


class Communities(TypedDict):
    """A partition of the stakeholders, largest group first, and its modularity."""

    method: Literal["louvain"]
    seed: int
    groups: list[list[StakeholderId]]
    modularity: float | None


def communities(G: nx.Graph, *, seed: int = 42) -> Communities:
    """Louvain communities of the ties, unweighted, and their modularity.

    Parameters
    ----------
    G : networkx Graph or DiGraph
        A tie counts whichever way it points; weights are ignored.
    seed : int
        Seed of the order Louvain visits nodes in: the same seed, the same groups.

    Returns
    -------
    Communities
        ``groups`` largest first (ties broken by node order), each in node order;
        ``modularity`` as networkx ``modularity`` gives it, None when there are no ties
        (each stakeholder is then a group of its own).

    Examples
    --------
    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("c", "a"), ("d", "e"), ("e", "f"), ("f", "d")])
    >>> G.add_edge("c", "d")
    >>> result = communities(G)
    >>> result["groups"], round(result["modularity"], 4)
    ([['a', 'b', 'c'], ['d', 'e', 'f']], 0.3571)
    """
    return _communities(index(G), seed=seed)


def _communities(ix: Indexed, *, seed: int) -> Communities:
    if ix.ties.ecount() == 0:
        groups = [[v] for v in ix.nodes]
        return {"method": "louvain", "seed": seed, "groups": groups, "modularity": None}
    membership = _louvain(ix.ties, seed)
    members: dict[int, list[StakeholderId]] = {}
    for v, group in zip(ix.nodes, membership, strict=True):
        members.setdefault(group, []).append(v)
    # dict order is the order of each group's first node, so a stable sort breaks ties by it.
    groups = sorted(members.values(), key=len, reverse=True)
    modularity = float(ix.ties.modularity(membership))
    return {"method": "louvain", "seed": seed, "groups": groups, "modularity": modularity}


def _louvain(ties: ig.Graph, seed: int) -> list[int]:
    with _GENERATOR:
        ig.set_random_number_generator(random.Random(seed))
        try:
            return list(ties.community_multilevel().membership)
        finally:
            ig.set_random_number_generator(random)
