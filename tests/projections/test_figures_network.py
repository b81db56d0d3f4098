"""All the network figures together: names, JSON, and graphs too small to measure."""

from __future__ import annotations

import json

import networkx as nx
import pytest

from domain.vocabulary import DEFAULT_SECTORS
from projections.figures import (
    betweenness,
    bridges,
    brokerage,
    communities,
    ei_index,
    network_figures,
    reach,
    sector_mixing,
    trust_ratings,
)

METRICS_NAMES = {
    "nodes",
    "edges",
    "density",
    "components",
    "isolates",
    "largest_component_share",
    "degree_centralization",
    "betweenness",
    "cross_sector_share",
    "ei_index",
    "sector_mixing",
    "sector_assortativity",
    "brokerage",
    "bridges",
    "communities",
    "reach",
    "missing_sectors",
    "trust",
    "value",
}


def a_small_locality() -> tuple[nx.Graph, nx.DiGraph]:
    G = nx.Graph()
    G.add_edge("council", "surgery", kinds=("collaborates",), intensity=3, trust=3.5, value=3.0)
    G.add_edge("surgery", "foodbank", kinds=("refers_to",), intensity=2, trust=4.0, value=None)
    G.add_edge("foodbank", "church", kinds=("collaborates",), intensity=1, trust=None, value=2.0)
    G.add_node("landlord")
    sectors = {"council": "public", "surgery": "health", "foodbank": "vcse", "church": "faith"}
    nx.set_node_attributes(G, {**sectors, "landlord": "housing"}, "sector")
    D = nx.DiGraph([("council", "surgery"), ("surgery", "foodbank")])
    D.add_nodes_from(G.nodes(data=True))
    return G, D


def test_every_figure_is_named_as_in_metrics():
    G, _ = a_small_locality()
    assert set(network_figures(G)) == METRICS_NAMES


def test_the_figures_are_those_of_the_functions_one_by_one():
    G, D = a_small_locality()
    figures = network_figures(G, directed=D, seed=3)
    assert (figures["nodes"], figures["edges"], figures["components"]) == (5, 3, 2)
    assert figures["betweenness"] == betweenness(G)
    assert figures["ei_index"] == ei_index(G)
    assert figures["sector_mixing"] == sector_mixing(G)
    assert figures["brokerage"] == brokerage(D)
    assert figures["bridges"] == bridges(G)
    assert figures["communities"] == communities(G, seed=3)
    assert figures["reach"] == reach(G)
    assert figures["trust"] == trust_ratings(G)
    assert figures["missing_sectors"] == [
        "business",
        "elected_member",
        "community_group",
        "lived_experience",
        "education",
        "police_fire",
        "other",
    ]


def test_brokerage_is_left_out_without_a_directed_graph():
    G, _ = a_small_locality()
    assert network_figures(G)["brokerage"] is None


def test_the_figures_are_plain_json():
    G, D = a_small_locality()
    figures = network_figures(G, directed=D)
    assert json.loads(json.dumps(figures, allow_nan=False)) == figures


def test_an_empty_network_gives_zeros_and_nones_not_errors():
    figures = network_figures(nx.Graph(), directed=nx.DiGraph())
    json.dumps(figures, allow_nan=False)
    assert (figures["nodes"], figures["edges"], figures["density"]) == (0, 0, 0.0)
    assert figures["largest_component_share"] is None
    assert figures["cross_sector_share"] is None
    assert figures["betweenness"]["values"] == {}
    assert figures["communities"]["groups"] == []
    assert figures["missing_sectors"] == list(DEFAULT_SECTORS)


def test_a_lone_stakeholder_gives_zeros_and_nones_not_errors():
    G = nx.Graph()
    G.add_node("council", sector="public")
    figures = network_figures(G)
    json.dumps(figures, allow_nan=False)
    assert (figures["components"], figures["isolates"]) == (1, 1)
    assert figures["largest_component_share"] == 1.0
    assert figures["degree_centralization"] is None
    assert figures["betweenness"]["values"] == {"council": 0.0}
    assert figures["reach"] == {"council": 0.0}
    assert figures["sector_assortativity"] is None
    assert figures["ei_index"]["by_stakeholder"] == {"council": None}
    assert figures["communities"]["modularity"] is None


def test_a_commitment_graph_is_measured_along_its_arcs_where_figures_have_direction():
    D = nx.DiGraph()
    D.add_edge("council", "surgery", weight=2)
    D.add_edge("surgery", "foodbank", weight=1)
    D.add_edge("foodbank", "council", weight=4)
    nx.set_node_attributes(D, {"council": "public", "surgery": "health"}, "sector")
    D.nodes["foodbank"]["sector"] = "vcse"
    figures = network_figures(D)
    json.dumps(figures, allow_nan=False)
    # 3 arcs of 3*2 possible. Round the cycle, each stakeholder lies on the only path
    # from the one before it to the one after it: 1 of the 2 ordered pairs of the others.
    assert figures["density"] == pytest.approx(0.5)
    assert figures["betweenness"]["values"] == {"council": 0.5, "surgery": 0.5, "foodbank": 0.5}
    assert figures["cross_sector_share"] == 1.0
