"""Betweenness and reach, against hand-worked numbers and networkx."""

from __future__ import annotations

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from projections.figures import betweenness, reach


def two_triangles_joined_by_a_bridge() -> nx.Graph:
    return nx.Graph([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("d", "e"), ("e", "f"), ("f", "d")])


def test_the_middle_of_a_path_lies_on_every_path():
    result = betweenness(nx.path_graph("abc"))
    assert result == {"method": "exact", "k": None, "values": {"a": 0.0, "b": 1.0, "c": 0.0}}


def test_the_hub_of_a_star_lies_between_every_pair_of_leaves():
    values = betweenness(nx.star_graph(["hub", "a", "b", "c", "d"]))["values"]
    assert values == {"hub": 1.0, "a": 0.0, "b": 0.0, "c": 0.0, "d": 0.0}


def test_the_ends_of_a_bridge_carry_the_traffic_between_the_triangles():
    # c lies on the only shortest path of each pair {a or b} x {d, e, f}: 6 of the
    # 5*4/2 = 10 pairs not involving c. Likewise d. a, b, e, f lie on none.
    values = betweenness(two_triangles_joined_by_a_bridge())["values"]
    assert values == pytest.approx({"a": 0, "b": 0, "c": 0.6, "d": 0.6, "e": 0, "f": 0})


@pytest.mark.parametrize(
    "G", [nx.florentine_families_graph(), nx.karate_club_graph()], ids=["florentine", "karate"]
)
def test_betweenness_matches_networkx_on_named_graphs(G):
    assert betweenness(G)["values"] == pytest.approx(nx.betweenness_centrality(G))


def test_betweenness_follows_the_direction_of_a_directed_graph():
    D = nx.gnp_random_graph(40, 0.08, seed=3, directed=True)
    assert betweenness(D)["values"] == pytest.approx(nx.betweenness_centrality(D))


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(min_value=0, max_value=25),
    p=st.floats(min_value=0.0, max_value=1.0),
    seed=st.integers(min_value=0, max_value=10_000),
    directed=st.booleans(),
)
def test_betweenness_matches_networkx_on_random_graphs(n, p, seed, directed):
    G = nx.gnp_random_graph(n, p, seed=seed, directed=directed)
    assert betweenness(G)["values"] == pytest.approx(nx.betweenness_centrality(G))


def test_a_large_network_is_sampled_with_the_sources_networkx_would_draw():
    G = nx.karate_club_graph()
    result = betweenness(G, exact_up_to=10, sample_size=12, seed=7)
    assert (result["method"], result["k"]) == ("sampled", 12)
    assert result["values"] == pytest.approx(nx.betweenness_centrality(G, k=12, seed=7))


def test_a_sampled_directed_network_matches_networkx():
    D = nx.gnp_random_graph(60, 0.06, seed=5, directed=True)
    result = betweenness(D, exact_up_to=20, sample_size=15, seed=11)
    assert result["values"] == pytest.approx(nx.betweenness_centrality(D, k=15, seed=11))


def test_a_sample_as_large_as_the_network_is_exact():
    G = nx.florentine_families_graph()
    result = betweenness(G, exact_up_to=5, sample_size=15)
    assert (result["method"], result["k"]) == ("exact", None)


def test_a_sample_of_one_source_is_refused():
    with pytest.raises(ValueError, match="at least 2"):
        betweenness(nx.path_graph(3), sample_size=1)


def test_betweenness_of_tiny_networks_is_zero():
    assert betweenness(nx.Graph())["values"] == {}
    assert betweenness(nx.path_graph("ab"))["values"] == {"a": 0.0, "b": 0.0}


def test_reach_counts_stakeholders_one_or_two_steps_away():
    # Path a-b-c-d-e: a reaches b, c (2 of 4); b reaches a, c, d (3); c reaches all 4.
    assert reach(nx.path_graph("abcde")) == pytest.approx(
        {"a": 0.5, "b": 0.75, "c": 1.0, "d": 0.75, "e": 0.5}
    )


def test_reach_matches_breadth_first_search_on_the_karate_club():
    G = nx.karate_club_graph()
    expected = {v: (len(nx.single_source_shortest_path_length(G, v, cutoff=2)) - 1) / 33 for v in G}
    assert reach(G) == pytest.approx(expected)


def test_reach_of_a_directed_graph_goes_either_way_along_ties():
    # a -> b <- c: a reaches b directly and c through b.
    assert reach(nx.DiGraph([("a", "b"), ("c", "b")])) == {"a": 1.0, "b": 1.0, "c": 1.0}


def test_a_lone_stakeholder_reaches_nobody():
    G = nx.Graph()
    G.add_node("a")
    assert reach(G) == {"a": 0.0}
    assert reach(nx.Graph()) == {}
