"""All the network figures of METRICS.md for one graph, as one JSON-ready dict."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import networkx as nx

from domain.vocabulary import DEFAULT_SECTORS
from projections.figures._graphs import index
from projections.figures.bridges import _bridges
from projections.figures.brokerage import brokerage
from projections.figures.centrality import EXACT_UP_TO, SAMPLE_SIZE, _betweenness, _reach
from projections.figures.communities import _communities
from projections.figures.ratings import trust_ratings, value_ratings
from projections.figures.sectors import (
    _cross_sector_share,
    _ei_index,
    _sector_assortativity,
    _sector_mixing,
    _tally,
    missing_sectors,
)
from projections.figures.structure import (
    components,
    degree_centralization,
    density,
    isolates,
    largest_component_share,
)


def network_figures(
    G: nx.Graph,
    *,
    directed: nx.DiGraph | None = None,
    sectors: Sequence[str] = DEFAULT_SECTORS,
    seed: int = 42,
) -> dict[str, Any]:
    """Every network figure of METRICS.md for G, keyed by its snake_case name.

    Parameters
    ----------
    G : networkx Graph or DiGraph
        A tie, co-attendance, combined or commitment graph; weights are ignored.
    directed : networkx DiGraph, optional
        The directed tie graph, for brokerage; ``brokerage`` is None without it.
    sectors : sequence of str
        The locality's sector list, for the sector figures and missing sectors.
    seed : int
        Seed of Louvain, and of betweenness when it has to be sampled.

    Returns
    -------
    dict
        Plain str, int, float, None, list and dict values, ready for ``json.dumps``.

    Examples
    --------
    >>> G = nx.Graph([("a", "b"), ("b", "c")])
    >>> nx.set_node_attributes(G, {"a": "health", "b": "health", "c": "faith"}, "sector")
    >>> figures = network_figures(G)
    >>> figures["density"], figures["cross_sector_share"], figures["betweenness"]["values"]
    (0.6666666666666666, 0.5, {'a': 0.0, 'b': 1.0, 'c': 0.0})
    """
    ix = index(G)
    tally = _tally(G)
    return {
        "nodes": G.number_of_nodes(),
        "edges": G.number_of_edges(),
        "density": density(G),
        "components": components(G),
        "isolates": isolates(G),
        "largest_component_share": largest_component_share(G),
        "degree_centralization": degree_centralization(G),
        "betweenness": _betweenness(ix, exact_up_to=EXACT_UP_TO, sample_size=SAMPLE_SIZE, seed=seed),
        "cross_sector_share": _cross_sector_share(tally),
        "ei_index": _ei_index(tally, sectors),
        "sector_mixing": _sector_mixing(tally, sectors),
        "sector_assortativity": _sector_assortativity(tally),
        "brokerage": None if directed is None else brokerage(directed),
        "bridges": _bridges(ix),
        "communities": _communities(ix, seed=seed),
        "reach": _reach(ix),
        "missing_sectors": missing_sectors(G, sectors=sectors),
        "trust": trust_ratings(G),
        "value": value_ratings(G),
    }
