"""Trust and value (after PARTNER): the mean ratings given on relationships.

An edge carries the mean rating of the relationships behind it; a stakeholder's figure
is the mean over the rated edges touching it, the network's over all rated edges.
"""

from __future__ import annotations

from statistics import fmean
from typing import TypedDict

import networkx as nx

from projections.figures._graphs import Rated, StakeholderId, rated


class Ratings(TypedDict):
    """Mean rating for the network and per stakeholder; None where nothing is rated."""

    network: float | None
    by_stakeholder: dict[StakeholderId, float | None]


def trust_ratings(G: nx.Graph) -> Ratings:
    """Mean trust rating (edge attribute ``trust``) for the network and each stakeholder.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_edge("a", "b", trust=4.0)
    >>> G.add_edge("b", "c", trust=2.0)
    >>> G.add_edge("c", "d", trust=None)
    >>> trust_ratings(G)
    {'network': 3.0, 'by_stakeholder': {'a': 4.0, 'b': 3.0, 'c': 2.0, 'd': None}}
    """
    return _mean_ratings(G, "trust")


def value_ratings(G: nx.Graph) -> Ratings:
    """Mean value rating (edge attribute ``value``) for the network and each stakeholder.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_edge("a", "b", value=3.0)
    >>> G.add_node("c")
    >>> value_ratings(G)
    {'network': 3.0, 'by_stakeholder': {'a': 3.0, 'b': 3.0, 'c': None}}
    """
    return _mean_ratings(G, "value")


def _mean_ratings(G: nx.Graph, attribute: str) -> Ratings:
    nodes = list(G)
    trust, value = _ratings(nodes, rated(G, {v: i for i, v in enumerate(nodes)}))
    return trust if attribute == "trust" else value


def _ratings(nodes: list[StakeholderId], edges: list[Rated]) -> tuple[Ratings, Ratings]:
    """Trust and value ratings from the rated edges, in one pass."""
    trust = _Means(len(nodes))
    value = _Means(len(nodes))
    for edge in edges:
        trust.add(edge.u, edge.v, edge.trust)
        value.add(edge.u, edge.v, edge.value)
    return trust.ratings(nodes), value.ratings(nodes)


class _Means:
    """The ratings given, per stakeholder (by position) and in all; means with fsum, so
    the order they are given in does not change them."""

    __slots__ = ("every", "given")

    def __init__(self, n: int) -> None:
        self.given: list[list[float]] = [[] for _ in range(n)]
        self.every: list[float] = []

    def add(self, u: int, v: int, rating: float | None) -> None:
        if rating is None:
            return
        self.every.append(rating)
        self.given[u].append(rating)
        self.given[v].append(rating)

    def ratings(self, nodes: list[StakeholderId]) -> Ratings:
        return {
            "network": fmean(self.every) if self.every else None,
            "by_stakeholder": {v: fmean(r) if r else None for v, r in zip(nodes, self.given, strict=True)},
        }
