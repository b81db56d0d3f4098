"""Trust and value (after PARTNER): the mean ratings given on relationships.

An edge carries the mean rating of the relationships behind it; a stakeholder's figure
is the mean over the rated edges touching it, the network's over all rated edges.
"""

from __future__ import annotations

from statistics import fmean
from typing import TypedDict

import networkx as nx

from projections.figures._graphs import StakeholderId


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
    given: dict[StakeholderId, list[float]] = {v: [] for v in G}
    every: list[float] = []
    for u, v, data in G.edges(data=True):
        rating = data.get(attribute)
        if rating is None:
            continue
        every.append(rating)
        given[u].append(rating)
        given[v].append(rating)
    return {
        "network": fmean(every) if every else None,
        "by_stakeholder": {v: fmean(r) if r else None for v, r in given.items()},
    }
