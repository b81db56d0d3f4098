"""Density, components, isolates and degree centralization, against hand-worked numbers."""

from __future__ import annotations

import networkx as nx
import pytest

from projections.figures import (
    components,
    degree_centralization,
    density,
    isolates,
    largest_component_share,
)


def two_triangles_joined_by_a_bridge() -> nx.Graph:
    return nx.Graph([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("d", "e"), ("e", "f"), ("f", "d")])


def test_density_counts_the_share_of_possible_ties():
    # Path a-b-c-d: 3 ties of 4*3/2 = 6 possible.
    assert density(nx.path_graph("abcd")) == pytest.approx(0.5)
    # Two triangles and a bridge: 7 ties of 6*5/2 = 15.
    assert density(two_triangles_joined_by_a_bridge()) == pytest.approx(7 / 15)


def test_density_of_a_directed_graph_counts_ordered_pairs():
    # 2 arcs of 3*2 = 6 possible.
    assert density(nx.DiGraph([("a", "b"), ("b", "c")])) == pytest.approx(1 / 3)


def test_density_matches_networkx_on_the_florentine_families():
    G = nx.florentine_families_graph()
    assert density(G) == pytest.approx(nx.density(G))


def test_a_network_in_pieces_reports_its_components_isolates_and_largest_share():
    # a-b-c, d-e and f alone: 3 components, 1 isolate, the largest holds 3 of 6.
    G = nx.Graph([("a", "b"), ("b", "c"), ("d", "e")])
    G.add_node("f")
    assert components(G) == 3
    assert isolates(G) == 1
    assert largest_component_share(G) == pytest.approx(0.5)


def test_components_of_a_directed_graph_are_weakly_connected():
    # a -> b <- c cannot be walked from a to c along the arcs, but is one network.
    D = nx.DiGraph([("a", "b"), ("c", "b")])
    assert components(D) == 1
    assert largest_component_share(D) == 1.0


def test_components_match_networkx_on_the_karate_club():
    G = nx.karate_club_graph()
    G.add_nodes_from(["loner", "hermit"])
    assert components(G) == nx.number_connected_components(G) == 3
    assert isolates(G) == 2
    assert largest_component_share(G) == pytest.approx(34 / 36)


def test_an_empty_network_has_no_components_and_no_largest_share():
    G = nx.Graph()
    assert (density(G), components(G), isolates(G)) == (0.0, 0, 0)
    assert largest_component_share(G) is None
    assert degree_centralization(G) is None


def test_a_star_is_perfectly_centralized():
    # Hub degree 4, leaves 1: sum (4 - 1) * 4 = 12 over (5-1)(5-2) = 12.
    assert degree_centralization(nx.star_graph(["hub", "a", "b", "c", "d"])) == 1.0


def test_a_cycle_is_not_centralized_at_all():
    assert degree_centralization(nx.cycle_graph("abcde")) == 0.0


def test_a_path_is_a_third_centralized():
    # Degrees 1, 2, 2, 1: sum (2 - d) = 2 over (4-1)(4-2) = 6.
    assert degree_centralization(nx.path_graph("abcd")) == pytest.approx(1 / 3)


def test_the_florentine_families_centralization_is_worked_from_their_degrees():
    # 15 families, 20 marriages: degrees sum to 40 and the Medici have the most, 6.
    # Sum (6 - d) = 15 * 6 - 40 = 50, over (15-1)(15-2) = 182.
    G = nx.florentine_families_graph()
    assert max(d for _, d in G.degree()) == 6
    assert degree_centralization(G) == pytest.approx(50 / 182)


def test_centralization_is_undefined_below_three_stakeholders():
    assert degree_centralization(nx.Graph([("a", "b")])) is None
    G = nx.Graph()
    G.add_node("a")
    assert degree_centralization(G) is None


def test_centralization_of_a_directed_graph_counts_each_tie_once():
    # Reciprocated arcs between the hub and each leaf are still a star, not degree 6.
    D = nx.DiGraph()
    for leaf in "abc":
        D.add_edges_from([("hub", leaf), (leaf, "hub")])
    assert degree_centralization(D) == 1.0
