"""Network figures of METRICS.md: pure functions over the network projection's graphs.

Each figure is a function taking a networkx graph first and options as keywords;
`network_figures` computes them all for one graph, converting it to igraph once.
Figures ignore edge weights. A stakeholder's sector is its node attribute ``sector``.
"""

from __future__ import annotations

from projections.figures._graphs import Rated, Ties, in_edge_order, ties_of
from projections.figures.bridges import Bridges, bridges
from projections.figures.brokerage import ROLES, Roles, brokerage, brokerage_of
from projections.figures.centrality import Betweenness, betweenness, reach
from projections.figures.communities import Communities, communities
from projections.figures.network import network_figures, ties_figures
from projections.figures.ratings import Ratings, trust_ratings, value_ratings
from projections.figures.sectors import (
    EIIndex,
    cross_sector_share,
    ei_index,
    missing_sectors,
    sector_assortativity,
    sector_mixing,
)
from projections.figures.structure import (
    components,
    degree_centralization,
    density,
    isolates,
    largest_component_share,
)

__all__ = [
    "ROLES",
    "Betweenness",
    "Bridges",
    "Communities",
    "EIIndex",
    "Rated",
    "Ratings",
    "Roles",
    "Ties",
    "betweenness",
    "bridges",
    "brokerage",
    "brokerage_of",
    "communities",
    "components",
    "cross_sector_share",
    "degree_centralization",
    "density",
    "ei_index",
    "in_edge_order",
    "isolates",
    "largest_component_share",
    "missing_sectors",
    "network_figures",
    "reach",
    "sector_assortativity",
    "sector_mixing",
    "ties_figures",
    "ties_of",
    "trust_ratings",
    "value_ratings",
]
