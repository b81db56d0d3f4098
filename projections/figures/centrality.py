"""Centrality of each stakeholder: betweenness and two-step reach.

Both run in igraph (betweenness is the costliest figure by far) and are normalized to
give the numbers networkx gives.
"""

from __future__ import annotations

import random
from typing import Literal, TypedDict

import networkx as nx

from projections.figures._graphs import Indexed, StakeholderId, index

EXACT_UP_TO = 5000
SAMPLE_SIZE = 1000


class Betweenness(TypedDict):
    """Betweenness per stakeholder, and how it was computed."""

    method: Literal["exact", "sampled"]
    k: int | None
    values: dict[StakeholderId, float]


def betweenness(
    G: nx.Graph,
    *,
    exact_up_to: int = EXACT_UP_TO,
    sample_size: int = SAMPLE_SIZE,
    seed: int = 42,
) -> Betweenness:
    """Normalized betweenness centrality of each stakeholder.

    Parameters
    ----------
    G : networkx Graph or DiGraph
        Paths follow the direction of a DiGraph.
    exact_up_to : int
        Largest number of nodes computed exactly, from every source.
    sample_size : int
        Number of sources sampled in a larger graph (at least 2).
    seed : int
        Seed of the sample.

    Returns
    -------
    Betweenness
        ``method`` "exact" (``k`` None) or "sampled" (``k`` sources); ``values`` equal to
        networkx ``betweenness_centrality(G, normalized=True)``, or when sampled to
        ``betweenness_centrality(G, k=k, seed=seed)``: the same sources are drawn.

    Examples
    --------
    >>> result = betweenness(nx.path_graph(["a", "b", "c"]))
    >>> result["method"], result["values"]
    ('exact', {'a': 0.0, 'b': 1.0, 'c': 0.0})
    """
    return _betweenness(index(G), exact_up_to=exact_up_to, sample_size=sample_size, seed=seed)


def _betweenness(ix: Indexed, *, exact_up_to: int, sample_size: int, seed: int) -> Betweenness:
    if sample_size < 2:
        raise ValueError(f"sample_size must be at least 2, not {sample_size}")
    n = len(ix.nodes)
    directed = ix.arcs is not None
    graph = ix.arcs if ix.arcs is not None else ix.ties
    if n <= max(exact_up_to, 2) or sample_size >= n:
        raw = graph.betweenness(directed=directed)
        # igraph counts each pair once, networkx each ordered pair of an undirected graph twice.
        pairs = (n - 1) * (n - 2) if directed else (n - 1) * (n - 2) / 2
        values = [b / pairs for b in raw] if n > 2 else [0.0] * n
        return {"method": "exact", "k": None, "values": dict(zip(ix.nodes, values, strict=True))}
    # The draw networkx makes: Random(seed).sample(list(G), k) picks the same positions.
    sources = random.Random(seed).sample(range(n), sample_size)
    raw = graph.betweenness(directed=directed, sources=sources)
    ordered = 1 if directed else 2
    # networkx's estimator: a sampled source cannot lie on its own paths, so it has one
    # source fewer to be counted from.
    sampled = set(sources)
    values = [
        b * ordered / ((sample_size - 1 if i in sampled else sample_size) * (n - 2))
        for i, b in enumerate(raw)
    ]
    return {
        "method": "sampled",
        "k": sample_size,
        "values": dict(zip(ix.nodes, values, strict=True)),
    }


def reach(G: nx.Graph) -> dict[StakeholderId, float]:
    """Share of the other stakeholders each one reaches within two steps.

    Parameters
    ----------
    G : networkx Graph or DiGraph
        A tie counts whichever way it points.

    Returns
    -------
    dict
        Stakeholders at distance 1 or 2 / (n - 1); 0.0 for a lone stakeholder.

    Examples
    --------
    >>> reach(nx.path_graph(["a", "b", "c", "d"]))
    {'a': 0.6666666666666666, 'b': 1.0, 'c': 1.0, 'd': 0.6666666666666666}
    """
    return _reach(index(G))


def _reach(ix: Indexed) -> dict[StakeholderId, float]:
    others = len(ix.nodes) - 1
    if others < 1:
        return dict.fromkeys(ix.nodes, 0.0)
    sizes = ix.ties.neighborhood_size(order=2, mindist=1)
    return {v: size / others for v, size in zip(ix.nodes, sizes, strict=True)}
