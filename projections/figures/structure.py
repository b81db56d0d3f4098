"""Whole-network structure: density, components, isolates and degree centralization.

A directed graph keeps its direction for density (METRICS.md gives both formulas); for
the other figures here a tie counts whichever way it points.
"""

from __future__ import annotations

import networkx as nx

from projections.figures._graphs import Indexed, undirected


def density(G: nx.Graph) -> float:
    """Share of the possible ties that exist.

    Parameters
    ----------
    G : networkx Graph or DiGraph

    Returns
    -------
    float
        2m / (n(n-1)) for an undirected graph, m / (n(n-1)) for a directed one; 0.0 with
        fewer than two nodes (networkx `density`).

    Examples
    --------
    >>> density(nx.path_graph(["a", "b", "c"]))
    0.6666666666666666
    """
    return _density(G.number_of_nodes(), G.number_of_edges(), directed=G.is_directed())


def _density(n: int, m: int, *, directed: bool) -> float:
    # networkx's formula, step by step, so the float is the one it gives.
    if m == 0 or n <= 1:
        return 0.0
    share = m / (n * (n - 1))
    return share if directed else share * 2


def components(G: nx.Graph) -> int:
    """Number of connected components (weakly connected, for a directed graph).

    Examples
    --------
    >>> G = nx.Graph([("a", "b")])
    >>> G.add_node("c")
    >>> components(G)
    2
    """
    return int(nx.number_connected_components(undirected(G)))


def isolates(G: nx.Graph) -> int:
    """Number of stakeholders with no tie at all.

    Examples
    --------
    >>> G = nx.Graph([("a", "b")])
    >>> G.add_nodes_from(["c", "d"])
    >>> isolates(G)
    2
    """
    return int(nx.number_of_isolates(G))


def largest_component_share(G: nx.Graph) -> float | None:
    """Share of the stakeholders that are in the largest component.

    Returns
    -------
    float or None
        Nodes in the largest (weakly) connected component / n; None for an empty graph.

    Examples
    --------
    >>> G = nx.Graph([("a", "b"), ("b", "c")])
    >>> G.add_node("d")
    >>> largest_component_share(G)
    0.75
    """
    n: int = G.number_of_nodes()
    if n == 0:
        return None
    return max(len(c) for c in nx.connected_components(undirected(G))) / n


def degree_centralization(G: nx.Graph) -> float | None:
    """Freeman's degree centralization: how far the network is from a star.

    Returns
    -------
    float or None
        Sum over v of (max degree - degree(v)) / ((n-1)(n-2)): 1.0 for a star, 0.0 when
        every degree is equal. None with fewer than three nodes, where the most
        centralized graph possible has no spread of degree to measure against.

    Examples
    --------
    >>> degree_centralization(nx.star_graph(["hub", "a", "b", "c"]))
    1.0
    >>> degree_centralization(nx.cycle_graph(["a", "b", "c", "d"]))
    0.0
    """
    return _freeman([d for _, d in undirected(G).degree()])


def _freeman(degrees: list[int]) -> float | None:
    n = len(degrees)
    if n < 3:
        return None
    most = max(degrees)
    return sum(most - d for d in degrees) / ((n - 1) * (n - 2))


def _structure(ix: Indexed, *, edges: int, directed: bool) -> dict[str, int | float | None]:
    """The figures of this module from the igraph form, keyed by name, as the functions give them."""
    n = len(ix.nodes)
    degrees: list[int] = ix.ties.degree()
    sizes: list[int] = ix.ties.connected_components().sizes()
    return {
        "density": _density(n, edges, directed=directed),
        "components": len(sizes),
        "isolates": degrees.count(0),
        "largest_component_share": max(sizes) / n if n else None,
        "degree_centralization": _freeman(degrees),
    }
