"""Gould and Fernandez brokerage roles, by hand and by brute force."""

from __future__ import annotations

import itertools
import random

import networkx as nx
import pytest

from projections.figures import ROLES, brokerage


def a_broker_in_every_role() -> nx.DiGraph:
    """v (health) passes from a (health) and c (housing) to b (health), d (housing), e (faith).

    Two-paths through v, with their roles:
      a -> v -> b  health, health, health     coordinator
      a -> v -> d  health, health, housing    representative
      a -> v -> e  closed: a -> e directly     (not brokerage)
      c -> v -> b  housing, health, health    gatekeeper
      c -> v -> d  housing, health, housing   itinerant (d -> c points the other way)
      c -> v -> e  housing, health, faith     liaison
    Elsewhere: d -> c -> v makes c a representative (housing, housing, health) and
    v -> d -> c makes d a gatekeeper (health, housing, housing).
    """
    D = nx.DiGraph([("a", "v"), ("c", "v"), ("v", "b"), ("v", "d"), ("v", "e"), ("a", "e"), ("d", "c")])
    sectors = {"v": "health", "a": "health", "b": "health", "c": "housing", "d": "housing"}
    nx.set_node_attributes(D, {**sectors, "e": "faith"}, "sector")
    return D


def roles(**counts: int) -> dict[str, int]:
    return {role: counts.get(role, 0) for role in ROLES}


def test_a_broker_is_counted_once_in_each_role_it_plays():
    assert brokerage(a_broker_in_every_role())["v"] == roles(
        coordinator=1, itinerant=1, gatekeeper=1, representative=1, liaison=1
    )


def test_stakeholders_broker_the_two_paths_through_them_and_no_others():
    result = brokerage(a_broker_in_every_role())
    assert result["c"] == roles(representative=1)
    assert result["d"] == roles(gatekeeper=1)
    assert result["a"] == result["b"] == result["e"] == roles()


def test_a_path_back_to_where_it_started_is_not_brokerage():
    D = nx.DiGraph([("a", "v"), ("v", "a")])
    nx.set_node_attributes(D, {"a": "health", "v": "faith"}, "sector")
    assert brokerage(D)["v"] == roles()


def brute_force(D: nx.DiGraph) -> dict[str, dict[str, int]]:
    """Every ordered triple of distinct nodes, classified from the definitions."""
    counts = {v: roles() for v in D}
    g = dict(D.nodes(data="sector"))
    for a, v, b in itertools.permutations(D, 3):
        if not (D.has_edge(a, v) and D.has_edge(v, b)) or D.has_edge(a, b):
            continue
        if g[a] == g[v] == g[b]:
            role = "coordinator"
        elif g[a] == g[b]:
            role = "itinerant"
        elif g[a] == g[v]:
            role = "representative"
        elif g[v] == g[b]:
            role = "gatekeeper"
        else:
            role = "liaison"
        counts[v][role] += 1
    return counts


@pytest.mark.parametrize("seed", range(5))
def test_brokerage_matches_a_brute_force_count_over_all_triples(seed):
    D = nx.gnp_random_graph(25, 0.15, seed=seed, directed=True)
    D.add_edge(0, 0)
    rng = random.Random(seed)
    nx.set_node_attributes(D, {v: rng.choice("xyz") for v in D}, "sector")
    assert brokerage(D) == brute_force(D)


def test_brokerage_needs_a_directed_graph():
    G = nx.path_graph("abc")
    nx.set_node_attributes(G, "health", "sector")
    with pytest.raises(nx.NetworkXNotImplemented):
        brokerage(G)
