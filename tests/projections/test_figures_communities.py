"""Louvain communities and modularity, by hand and against networkx."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from projections.figures import communities


def two_triangles_joined_by_a_bridge() -> nx.Graph:
    return nx.Graph([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("d", "e"), ("e", "f"), ("f", "d")])


def test_two_triangles_joined_by_a_bridge_are_two_communities():
    # Each triangle holds 3 of the 7 ties and 7 of the 14 tie ends:
    # Q = 2 * (3/7 - (7/14)^2) = 5/14.
    result = communities(two_triangles_joined_by_a_bridge())
    assert result["groups"] == [["a", "b", "c"], ["d", "e", "f"]]
    assert result["modularity"] == pytest.approx(5 / 14)
    assert (result["method"], result["seed"]) == ("louvain", 42)


def test_the_karate_club_splits_into_strong_communities():
    G = nx.karate_club_graph()
    result = communities(G, seed=1)
    groups = result["groups"]
    assert sorted(v for group in groups for v in group) == sorted(G)
    assert result["modularity"] == pytest.approx(nx.community.modularity(G, groups, weight=None))
    # The best known split of the club has modularity 0.4198.
    assert result["modularity"] > 0.40


def test_groups_are_listed_largest_first():
    sizes = [len(group) for group in communities(nx.karate_club_graph())["groups"]]
    assert sizes == sorted(sizes, reverse=True)


def test_the_same_seed_finds_the_same_communities():
    G = nx.gnm_random_graph(300, 900, seed=4)
    assert communities(G, seed=9) == communities(G, seed=9)


def test_finding_communities_leaves_the_global_random_generator_alone():
    G = nx.karate_club_graph()
    random.seed(1)
    expected = random.random()
    random.seed(1)
    communities(G)
    assert random.random() == expected


def test_communities_ignore_weights():
    G = nx.karate_club_graph()
    unweighted = nx.Graph()
    unweighted.add_nodes_from(G)
    unweighted.add_edges_from(G.edges())
    assert communities(G) == communities(unweighted)


def test_without_ties_each_stakeholder_is_alone_and_modularity_is_undefined():
    G = nx.Graph()
    G.add_nodes_from("ab")
    assert communities(G) == {
        "method": "louvain",
        "seed": 42,
        "groups": [["a"], ["b"]],
        "modularity": None,
    }
    assert communities(nx.Graph())["groups"] == []
