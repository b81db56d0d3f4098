from __future__ import annotations

import networkx as nx
import pytest

from visualisations import group_view


@pytest.fixture
def ties() -> nx.Graph:
    G = nx.Graph([("h1", "h2"), ("h1", "o1"), ("h2", "o1"), ("o1", "v1"), ("v1", "v2")])
    sectors = {"h1": "health", "h2": "health", "o1": "housing", "v1": "vcse", "v2": "vcse"}
    nx.set_node_attributes(G, sectors, "sector")
    return G


def test_a_sector_view_counts_members_ties_within_and_ties_between(ties: nx.Graph) -> None:
    S = group_view(ties, by="sector")

    assert dict(S.nodes(data="members")) == {"health": 2, "housing": 1, "vcse": 2}
    assert dict(S.nodes(data="internal_edges")) == {"health": 1, "housing": 0, "vcse": 1}
    assert {frozenset((u, v)): w for u, v, w in S.edges(data="weight")} == {
        frozenset(("health", "housing")): 2,
        frozenset(("housing", "vcse")): 1,
    }
    assert S.nodes["health"]["label"] == "Health (NHS)"
    assert S.nodes["health"]["tooltip"] == "Health (NHS): 2 stakeholders\n1 tie within"


def test_a_community_view_takes_its_colour_from_the_most_common_sector(ties: nx.Graph) -> None:
    S = group_view(ties, by="community", communities=[{"h1", "h2", "o1"}, {"v1", "v2"}])

    assert list(S) == ["community-1", "community-2"]
    assert S.nodes["community-1"]["sector"] == "health"
    assert S.nodes["community-1"]["members"] == 3
    assert S.edges["community-1", "community-2"]["weight"] == 1
    assert "Health (NHS) 2, Housing 1" in S.nodes["community-1"]["tooltip"]


def test_every_edge_is_counted_once_within_or_between_groups() -> None:
    G = nx.karate_club_graph()
    communities = nx.community.louvain_communities(G, seed=7)
    S = group_view(G, by="community", communities=communities)

    within = sum(d["internal_edges"] for _, d in S.nodes(data=True))
    between = sum(w for _, _, w in S.edges(data="weight"))
    assert within + between == G.number_of_edges()
    assert sum(d["members"] for _, d in S.nodes(data=True)) == G.number_of_nodes()


def test_a_directed_graph_gives_a_directed_summary_counting_each_direction() -> None:
    G = nx.DiGraph([("a", "b"), ("c", "b"), ("b", "a")])
    nx.set_node_attributes(G, {"a": "public", "b": "vcse", "c": "public"}, "sector")
    S = group_view(G, by="sector")

    assert S.is_directed()
    assert S.edges["public", "vcse"]["weight"] == 2
    assert S.edges["vcse", "public"]["weight"] == 1


@pytest.mark.parametrize(
    ("communities", "message"),
    [
        (None, "needs the communities"),
        ([{"h1", "h2"}, {"h2", "o1", "v1", "v2"}], "more than one community"),
        ([{"h1", "h2", "o1", "v1"}], "in no community"),
        ([{"h1", "h2", "o1", "v1", "v2", "ghost"}], "not in the graph"),
    ],
)
def test_communities_must_partition_the_graph(
    ties: nx.Graph, communities: list[set[str]] | None, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        group_view(ties, by="community", communities=communities)
