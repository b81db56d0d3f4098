"""Cross-sector share, E-I index, sector mixing, assortativity and missing sectors."""

from __future__ import annotations

import igraph as ig
import networkx as nx
import pytest

from domain.vocabulary import DEFAULT_SECTORS
from projections.figures import (
    cross_sector_share,
    ei_index,
    missing_sectors,
    sector_assortativity,
    sector_mixing,
)

SECTORS = ["health", "housing", "faith", "business"]


def two_triangles_across_three_sectors() -> nx.Graph:
    """Triangle a-b-c in health; triangle d-e-f with d, e in housing and f in faith.

    Ties: a-b, b-c, c-a, d-e within a sector (I = 4); c-d, e-f, d-f across (E = 3).
    """
    G = nx.Graph([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("d", "e"), ("e", "f"), ("f", "d")])
    sectors = {"a": "health", "b": "health", "c": "health", "d": "housing", "e": "housing"}
    nx.set_node_attributes(G, {**sectors, "f": "faith"}, "sector")
    return G


def karate_club_by_club() -> nx.Graph:
    G = nx.karate_club_graph()
    nx.set_node_attributes(G, dict(G.nodes(data="club")), "sector")
    return G


def test_cross_sector_share_counts_the_ties_across_sectors():
    # 3 of 7 ties cross.
    assert cross_sector_share(two_triangles_across_three_sectors()) == pytest.approx(3 / 7)


def test_the_whole_network_e_i_index_weighs_across_against_within():
    # (E - I) / (E + I) = (3 - 4) / 7.
    assert ei_index(two_triangles_across_three_sectors())["whole"] == pytest.approx(-1 / 7)


def test_the_e_i_index_of_a_sector_counts_the_ties_touching_it():
    # health: 3 within, c-d across: (1 - 3) / 4. housing: d-e within; c-d, e-f, d-f
    # across: (3 - 1) / 4. faith: e-f, d-f across, none within: +1. business: no ties.
    by_sector = ei_index(two_triangles_across_three_sectors(), sectors=SECTORS)["by_sector"]
    assert by_sector == {"health": -0.5, "housing": 0.5, "faith": 1.0, "business": None}


def test_the_e_i_index_of_a_stakeholder_counts_its_own_ties():
    # a: b, c same (-1). c: a, b same, d across: (1 - 2) / 3. d: c, f across, e same:
    # (2 - 1) / 3. e: d same, f across (0). f: d, e across (+1).
    by_stakeholder = ei_index(two_triangles_across_three_sectors())["by_stakeholder"]
    assert by_stakeholder == pytest.approx(
        {"a": -1.0, "b": -1.0, "c": -1 / 3, "d": 1 / 3, "e": 0.0, "f": 1.0}
    )


def test_an_isolated_stakeholder_has_no_e_i_index():
    G = two_triangles_across_three_sectors()
    G.add_node("g", sector="business")
    assert ei_index(G)["by_stakeholder"]["g"] is None


def test_the_mixing_matrix_counts_each_tie_once_between_its_two_sectors():
    mixing = sector_mixing(two_triangles_across_three_sectors(), sectors=SECTORS)
    assert mixing == {
        "health": {"health": 3, "housing": 1, "faith": 0, "business": 0},
        "housing": {"health": 1, "housing": 1, "faith": 2, "business": 0},
        "faith": {"health": 0, "housing": 2, "faith": 0, "business": 0},
        "business": {"health": 0, "housing": 0, "faith": 0, "business": 0},
    }


def test_the_mixing_matrix_agrees_with_networkx_on_the_karate_club():
    # networkx counts both ends of a tie, so a same-club tie is on its diagonal twice.
    G = karate_club_by_club()
    expected = nx.attribute_mixing_dict(G, "sector")
    mixing = sector_mixing(G, sectors=["Mr. Hi", "Officer"])
    for a in ("Mr. Hi", "Officer"):
        for b in ("Mr. Hi", "Officer"):
            doubled = 2 if a == b else 1
            assert mixing[a][b] * doubled == expected[a].get(b, 0)


def test_a_sector_of_the_localitys_own_is_listed_after_the_default_ones():
    G = two_triangles_across_three_sectors()
    G.add_node("g", sector="allotments")
    assert list(sector_mixing(G)) == [*DEFAULT_SECTORS, "allotments"]
    assert list(ei_index(G)["by_sector"]) == [*DEFAULT_SECTORS, "allotments"]


def test_sector_assortativity_is_worked_from_the_mixing_matrix():
    # Tie ends: health 7, housing 5, faith 2 of 14. Same-sector ties 4 of 7.
    # r = (4/7 - (49 + 25 + 4)/196) / (1 - 78/196) = 34/118.
    G = two_triangles_across_three_sectors()
    assert sector_assortativity(G) == pytest.approx(34 / 118)
    assert sector_assortativity(G) == pytest.approx(nx.attribute_assortativity_coefficient(G, "sector"))


def test_the_karate_club_factions_are_assortative_as_networkx_and_igraph_say():
    G = karate_club_by_club()
    clubs = [G.nodes[v]["sector"] == "Officer" for v in G]
    by_igraph = ig.Graph(34, list(G.edges())).assortativity_nominal(clubs, directed=False)
    assert sector_assortativity(G) == pytest.approx(nx.attribute_assortativity_coefficient(G, "sector"))
    assert sector_assortativity(G) == pytest.approx(by_igraph)


def test_assortativity_is_undefined_when_every_tie_is_within_one_sector():
    G = nx.path_graph("abc")
    nx.set_node_attributes(G, "health", "sector")
    assert sector_assortativity(G) is None


def test_a_network_without_ties_has_no_sector_figures_to_show():
    G = nx.Graph()
    G.add_nodes_from([("a", {"sector": "health"}), ("b", {"sector": "faith"})])
    assert cross_sector_share(G) is None
    assert sector_assortativity(G) is None
    result = ei_index(G, sectors=SECTORS)
    assert result["whole"] is None
    assert set(result["by_sector"].values()) == {None}
    assert result["by_stakeholder"] == {"a": None, "b": None}


def test_the_e_i_index_is_the_cross_sector_share_rescaled_on_the_karate_club():
    # E - I = 2E - (E + I), so E-I = 2 * share - 1.
    G = karate_club_by_club()
    assert ei_index(G)["whole"] == pytest.approx(2 * cross_sector_share(G) - 1)


def test_sector_figures_of_a_directed_graph_count_each_tie_once():
    D = nx.DiGraph(two_triangles_across_three_sectors())
    assert cross_sector_share(D) == pytest.approx(3 / 7)
    assert sector_mixing(D) == sector_mixing(two_triangles_across_three_sectors())


def test_missing_sectors_are_those_of_the_list_with_no_stakeholder():
    G = two_triangles_across_three_sectors()
    assert missing_sectors(G, sectors=SECTORS) == ["business"]
    assert missing_sectors(nx.Graph(), sectors=SECTORS) == SECTORS
    assert len(missing_sectors(G)) == len(DEFAULT_SECTORS) - 3
