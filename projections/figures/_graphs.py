"""The forms a graph takes while its figures are computed.

Figures read networkx graphs from the network projection. `network_figures` first
reads a graph once into `Ties`, plain lists of what the figures need, which the network
projection can also build straight from a locality's state without a networkx graph.
The heavy figures (betweenness, communities, reach, bridges) run in igraph, so a graph is
numbered once, in its own node order, and converted once (`Indexed`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeAlias

import igraph as ig
import networkx as nx

StakeholderId: TypeAlias = str
Pair: TypeAlias = tuple[StakeholderId, StakeholderId]


def undirected(G: nx.Graph) -> nx.Graph:
    """G itself, or the undirected view of a directed G (a tie whichever way it points)."""
    return G.to_undirected(as_view=True) if G.is_directed() else G


@dataclass(frozen=True, slots=True)
class Rated:
    """An edge (an arc, in a directed graph) with a trust or a value rating; its ends are
    positions in the node order."""

    u: int
    v: int
    trust: float | None
    value: float | None


@dataclass(frozen=True, slots=True)
class Ties:
    """A graph as the figures of `network_figures` read it, its nodes numbered 0..n-1.

    ``sectors`` holds each node's sector, in node order. ``pairs`` holds each tie once,
    whichever way it points (`tie_pairs`), as positions in a fixed order: sums over them
    then add up in the same order whoever builds them. ``arcs`` holds the arcs of a
    directed graph, None for an undirected one.
    """

    nodes: list[StakeholderId]
    sectors: list[str]
    pairs: list[tuple[int, int]]
    arcs: list[tuple[int, int]] | None
    rated: list[Rated]

    @property
    def edges(self) -> int:
        """The number of edges, or of arcs of a directed graph."""
        return len(self.pairs if self.arcs is None else self.arcs)


def ties_of(G: nx.Graph) -> Ties:
    """Read a networkx graph whose every node has a ``sector``."""
    nodes = list(G)
    position = {v: i for i, v in enumerate(nodes)}
    sectors: list[str] = [data["sector"] for _, data in G.nodes(data=True)]
    pairs = [(position[u], position[v]) for u, v in tie_pairs(G)]
    arcs = [(position[u], position[v]) for u, v in G.edges()] if G.is_directed() else None
    return Ties(nodes, sectors, pairs, arcs, rated(G, position))


def rated(G: nx.Graph, position: dict[StakeholderId, int]) -> list[Rated]:
    """The edges of G with a ``trust`` or a ``value`` rating, in edge order."""
    return [
        Rated(position[u], position[v], data.get("trust"), data.get("value"))
        for u, v, data in G.edges(data=True)
        if data.get("trust") is not None or data.get("value") is not None
    ]


def tie_pairs(G: nx.Graph) -> list[Pair]:
    """Each tie of G once, whichever way it points: its edges, or for a directed G its
    arcs each way once, in the order of the first arc.

    Not the edges of networkx's undirected view: that view orders them through a set, so
    their order (and the last bit of a float summed over them) changed with the hash seed.

    Examples
    --------
    >>> tie_pairs(nx.DiGraph([("a", "b"), ("b", "c"), ("b", "a")]))
    [('a', 'b'), ('b', 'c')]
    """
    if not G.is_directed():
        return list(G.edges())
    seen: set[Pair] = set()
    pairs: list[Pair] = []
    for u, v in G.edges():
        if (v, u) not in seen:
            seen.add((u, v))
            pairs.append((u, v))
    return pairs


def in_edge_order(n: int, added: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """The edges of a networkx Graph with nodes 0..n-1 and these edges added in this
    order (each once, no self-loops), in the order its ``edges()`` would give them.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_nodes_from(range(4))
    >>> G.add_edges_from([(2, 3), (0, 2), (1, 0)])
    >>> in_edge_order(4, [(2, 3), (0, 2), (1, 0)]) == list(G.edges())
    True
    """
    adjacent: list[list[int]] = [[] for _ in range(n)]
    for u, v in added:
        adjacent[u].append(v)
        adjacent[v].append(u)
    # Node u comes before every node it is paired with here: the others were seen first.
    return [(u, v) for u, neighbours in enumerate(adjacent) for v in neighbours if v > u]


@dataclass(frozen=True, slots=True)
class Indexed:
    """A graph numbered 0..n-1 in its node order, as igraph graphs.

    ``ties`` is undirected with each tie once; ``arcs`` keeps the direction of a directed
    graph and is None for an undirected one.
    """

    nodes: list[StakeholderId]
    ties: ig.Graph
    arcs: ig.Graph | None


def index(G: nx.Graph) -> Indexed:
    """Number the nodes of G and convert it to igraph."""
    nodes = list(G)
    position = {v: i for i, v in enumerate(nodes)}
    pairs = [(position[u], position[v]) for u, v in G.edges()]
    return _indexed(nodes, pairs, directed=G.is_directed())


def index_ties(ties: Ties) -> Indexed:
    """Convert a graph read into `Ties` to igraph."""
    return _indexed(
        ties.nodes, ties.pairs if ties.arcs is None else ties.arcs, directed=ties.arcs is not None
    )


def _indexed(nodes: list[StakeholderId], pairs: list[tuple[int, int]], *, directed: bool) -> Indexed:
    if not directed:
        return Indexed(nodes, ig.Graph(len(nodes), pairs), None)
    arcs = ig.Graph(len(nodes), pairs, directed=True)
    return Indexed(nodes, arcs.as_undirected(mode="collapse"), arcs)
