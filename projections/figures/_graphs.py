"""The two forms a graph takes while its figures are computed.

Figures read networkx graphs from the network projection. The heavy ones (betweenness,
communities, reach, bridges) run in igraph, so a graph is numbered once, in its own node
order, and converted once; `network_figures` shares that conversion between them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

import igraph as ig
import networkx as nx

StakeholderId: TypeAlias = str


def undirected(G: nx.Graph) -> nx.Graph:
    """G itself, or the undirected view of a directed G (a tie whichever way it points)."""
    return G.to_undirected(as_view=True) if G.is_directed() else G


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
    if not G.is_directed():
        return Indexed(nodes, ig.Graph(len(nodes), pairs), None)
    arcs = ig.Graph(len(nodes), pairs, directed=True)
    return Indexed(nodes, arcs.as_undirected(mode="collapse"), arcs)
