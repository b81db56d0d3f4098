"""All the network figures of METRICS.md for one graph, as one JSON-ready dict."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import networkx as nx

from domain.vocabulary import DEFAULT_SECTORS
from projections.figures._graphs import StakeholderId, Ties, index_ties, ties_of
from projections.figures.bridges import _bridges
from projections.figures.brokerage import Roles, brokerage
from projections.figures.centrality import EXACT_UP_TO, SAMPLE_SIZE, _betweenness, _reach
from projections.figures.communities import _communities
from projections.figures.ratings import _ratings
from projections.figures.sectors import (
    _cross_sector_share,
    _ei_index,
    _missing_sectors,
    _sector_assortativity,
    _sector_mixing,
    _tally_ties,
)
from projections.figures.structure import _structure


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
    roles = None if directed is None else brokerage(directed)
    return ties_figures(ties_of(G), roles=roles, sectors=sectors, seed=seed)


def ties_figures(
    ties: Ties,
    *,
    roles: dict[StakeholderId, Roles] | None,
    sectors: Sequence[str] = DEFAULT_SECTORS,
    seed: int = 42,
) -> dict[str, Any]:
    """`network_figures` of a graph read into `Ties`, with its brokerage roles given.

    The network projection calls this with ties it reads straight from a locality's
    state, without building a networkx graph; `network_figures` with those of a graph.

    Examples
    --------
    >>> from projections.figures import Ties
    >>> ties = Ties(["a", "b"], ["health", "faith"], [(0, 1)], None, [])
    >>> ties_figures(ties, roles=None)["cross_sector_share"]
    1.0
    """
    ix = index_ties(ties)
    tally = _tally_ties(ties)
    trust, value = _ratings(ties.nodes, ties.rated)
    return {
        "nodes": len(ties.nodes),
        "edges": ties.edges,
        **_structure(ix, edges=ties.edges, directed=ties.arcs is not None),
        "betweenness": _betweenness(ix, exact_up_to=EXACT_UP_TO, sample_size=SAMPLE_SIZE, seed=seed),
        "cross_sector_share": _cross_sector_share(tally),
        "ei_index": _ei_index(tally, sectors),
        "sector_mixing": _sector_mixing(tally, sectors),
        "sector_assortativity": _sector_assortativity(tally),
        "brokerage": roles,
        "bridges": _bridges(ix),
        "communities": _communities(ix, seed=seed),
        "reach": _reach(ix),
        "missing_sectors": _missing_sectors(set(ties.sectors), sectors),
        "trust": trust,
        "value": value,
    }
