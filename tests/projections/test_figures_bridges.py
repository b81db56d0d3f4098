"""Cut stakeholders and bridge ties, by hand and against networkx."""

from __future__ import annotations

import networkx as nx
import pytest

from projections.figures import bridges


def test_the_ends_of_the_only_tie_between_two_triangles_are_cut_points():
    G = nx.Graph([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("d", "e"), ("e", "f"), ("f", "d")])
    assert bridges(G) == {"stakeholders": ["c", "d"], "edges": [["c", "d"]]}


def test_every_tie_of_a_path_is_a_bridge_and_every_inner_stakeholder_a_cut_point():
    assert bridges(nx.path_graph("abcd")) == {
        "stakeholders": ["b", "c"],
        "edges": [["a", "b"], ["b", "c"], ["c", "d"]],
    }


def test_a_cycle_has_no_single_point_of_failure():
    assert bridges(nx.cycle_graph("abcde")) == {"stakeholders": [], "edges": []}


@pytest.mark.parametrize(
    "G", [nx.florentine_families_graph(), nx.karate_club_graph()], ids=["florentine", "karate"]
)
def test_bridges_match_networkx_on_named_graphs(G):
    result = bridges(G)
    assert set(result["stakeholders"]) == set(nx.articulation_points(G))
    assert {frozenset(e) for e in result["edges"]} == {frozenset(e) for e in nx.bridges(G)}


def test_a_directed_tie_is_a_bridge_whichever_way_it_points():
    D = nx.DiGraph([("a", "b"), ("b", "a"), ("c", "b")])
    assert bridges(D) == {"stakeholders": ["b"], "edges": [["a", "b"], ["b", "c"]]}


def test_an_empty_network_has_no_bridges():
    assert bridges(nx.Graph()) == {"stakeholders": [], "edges": []}
