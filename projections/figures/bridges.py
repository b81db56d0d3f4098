"""Single points of failure: stakeholders and ties whose loss splits the network."""

from __future__ import annotations

from typing import TypedDict

import networkx as nx

from projections.figures._graphs import Indexed, StakeholderId, index


class Bridges(TypedDict):
    """Cut stakeholders and bridge ties, each pair of ends in the graph's node order."""

    stakeholders: list[StakeholderId]
    edges: list[list[StakeholderId]]


def bridges(G: nx.Graph) -> Bridges:
    """Stakeholders and ties whose removal increases the number of components.

    Parameters
    ----------
    G : networkx Graph or DiGraph
        A tie counts whichever way it points.

    Returns
    -------
    Bridges
        ``stakeholders``: the articulation points; ``edges``: the bridges as [u, v]. Both
        in the order of G's nodes, as networkx ``articulation_points`` and ``bridges``
        would find them up to order.

    Examples
    --------
    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")])
    >>> bridges(G)
    {'stakeholders': ['c'], 'edges': [['c', 'd']]}
    """
    return _bridges(index(G))


def _bridges(ix: Indexed) -> Bridges:
    ties = ix.ties
    cut = sorted(ties.articulation_points())
    ends = sorted(sorted(ties.es[e].tuple) for e in ties.bridges())
    return {
        "stakeholders": [ix.nodes[i] for i in cut],
        "edges": [[ix.nodes[u], ix.nodes[v]] for u, v in ends],
    }
