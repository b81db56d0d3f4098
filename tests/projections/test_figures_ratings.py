"""Mean trust and value ratings, by hand."""

from __future__ import annotations

import networkx as nx
import pytest

from projections.figures import trust_ratings, value_ratings


def rated_ties() -> nx.Graph:
    G = nx.Graph()
    G.add_edge("a", "b", trust=4.0, value=1.0)
    G.add_edge("b", "c", trust=2.0, value=None)
    G.add_edge("c", "a", trust=3.0, value=2.0)
    G.add_edge("c", "d", trust=None, value=None)
    return G


def test_a_stakeholders_trust_is_the_mean_over_its_rated_ties():
    # a: 4, 3 -> 3.5. b: 4, 2 -> 3. c: 2, 3 (c-d unrated) -> 2.5. d: nothing rated.
    result = trust_ratings(rated_ties())
    assert result["by_stakeholder"] == {"a": 3.5, "b": 3.0, "c": 2.5, "d": None}


def test_the_networks_trust_is_the_mean_over_all_rated_ties():
    # (4 + 2 + 3) / 3.
    assert trust_ratings(rated_ties())["network"] == pytest.approx(3.0)


def test_value_is_averaged_the_same_way_from_its_own_ratings():
    # a: 1, 2 -> 1.5. b: 1. c: 2. Network: (1 + 2) / 2.
    assert value_ratings(rated_ties()) == {
        "network": 1.5,
        "by_stakeholder": {"a": 1.5, "b": 1.0, "c": 2.0, "d": None},
    }


def test_a_graph_without_ratings_has_no_trust_figures():
    # A co-attendance graph carries weights, not ratings.
    G = nx.Graph()
    G.add_edge("a", "b", weight=3)
    assert trust_ratings(G) == {"network": None, "by_stakeholder": {"a": None, "b": None}}
    assert trust_ratings(nx.Graph()) == {"network": None, "by_stakeholder": {}}


def test_each_rated_arc_of_a_directed_graph_counts_for_both_its_ends():
    D = nx.DiGraph()
    D.add_edge("a", "b", trust=4.0)
    D.add_edge("b", "a", trust=2.0)
    assert trust_ratings(D) == {"network": 3.0, "by_stakeholder": {"a": 3.0, "b": 3.0}}
