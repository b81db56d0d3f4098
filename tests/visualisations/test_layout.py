from __future__ import annotations

import math
from collections.abc import Hashable, Mapping

import networkx as nx

from visualisations.layout import NODE_SPACING, disc_radius, grouped_layout


def _centre(points: list[tuple[float, float]]) -> tuple[float, float]:
    return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)


def _by_group(
    positions: Mapping[int, tuple[float, float]], groups: Mapping[int, Hashable]
) -> dict[Hashable, list[tuple[float, float]]]:
    out: dict[Hashable, list[tuple[float, float]]] = {}
    for node, point in positions.items():
        out.setdefault(groups[node], []).append(point)
    return out


def test_every_node_gets_a_distinct_position() -> None:
    G = nx.gnm_random_graph(500, 1500, seed=3)
    positions = grouped_layout(G, {n: n % 7 for n in G})
    assert set(positions) == set(G)
    assert len(set(positions.values())) == 500


def test_the_same_seed_gives_the_same_picture_and_another_seed_another() -> None:
    G = nx.cycle_graph(60)  # every degree equal: only the seeded shuffle orders them
    groups = {n: n % 3 for n in G}
    assert grouped_layout(G, groups, seed=1) == grouped_layout(G, groups, seed=1)
    assert grouped_layout(G, groups, seed=1) != grouped_layout(G, groups, seed=2)


def test_group_discs_do_not_overlap_even_when_sizes_differ_a_lot() -> None:
    G = nx.empty_graph(1000 + 300 + 40 + 9 + 2)
    sizes = {"big": 1000, "mid": 300, "small": 40, "tiny": 9, "pair": 2}
    groups: dict[int, Hashable] = {}
    start = 0
    for name, size in sizes.items():
        groups.update({n: name for n in range(start, start + size)})
        start += size
    discs = {}
    for group, points in _by_group(grouped_layout(G, groups), groups).items():
        centre = _centre(points)
        discs[group] = (centre, max(math.dist(centre, p) for p in points))

    names = list(discs)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            (ca, ra), (cb, rb) = discs[a], discs[b]
            assert math.dist(ca, cb) > ra + rb, (a, b)


def test_the_best_connected_node_sits_at_the_centre_of_its_group() -> None:
    G = nx.star_graph(30)
    positions = grouped_layout(G, dict.fromkeys(G, "one"))
    centre = _centre(list(positions.values()))
    nearest = min(G, key=lambda n: math.dist(positions[n], centre))
    assert nearest == 0


def test_single_node_groups_share_one_disc() -> None:
    G = nx.empty_graph(200)
    loners = grouped_layout(G, {n: n for n in G})  # every node its own community
    farthest = max(math.dist((0, 0), p) for p in loners.values())
    assert farthest <= disc_radius(200) + NODE_SPACING
