"""Positions computed on the server for networks too large for the browser's physics.

vis-network's physics freezes the browser above about a thousand nodes, and even
networkx's spring layout takes minutes at 20,000, so large networks get a layout
that costs O(N log N) and no iterations: each group (a sector or a community) is a
disc of evenly spaced nodes, the best connected at its centre, and the discs sit
side by side on a ring. Ties across groups then show as lines between discs.
"""

from __future__ import annotations

import math
import random
from collections.abc import Hashable, Mapping
from typing import Any, TypeVar

Position = tuple[float, float]
Node = TypeVar("Node", bound=Hashable)

#: Distance between neighbouring nodes in a disc, in vis-network's canvas units.
NODE_SPACING = 36.0
_GOLDEN_ANGLE = math.pi * (3.0 - math.sqrt(5.0))
_LONERS = ("single-node groups",)


def grouped_layout(G: Any, groups: Mapping[Node, Hashable], *, seed: int = 7) -> dict[Node, Position]:
    """Place every node of `G` in the disc of its group; groups on a ring.

    Groups of a single node share one disc. Nodes are ordered by degree (highest
    in the centre); ties are broken by a shuffle with `seed`, so the same graph and
    seed always give the same picture.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.path_graph(4)
    >>> pos = grouped_layout(G, {0: "a", 1: "a", 2: "b", 3: "b"})
    >>> sorted(pos) == [0, 1, 2, 3]
    True
    """
    members = _members_by_group(G, groups, seed)
    radii = {key: disc_radius(len(nodes)) for key, nodes in members.items()}
    centres = _ring_centres(radii)
    positions: dict[Node, Position] = {}
    for key, nodes in members.items():
        cx, cy = centres[key]
        for rank, node in enumerate(nodes):
            dx, dy = _sunflower(rank)
            positions[node] = (cx + dx, cy + dy)
    return positions


def disc_radius(size: int) -> float:
    """Radius of the disc that holds `size` nodes."""
    return NODE_SPACING * math.sqrt(size + 0.5)


def _members_by_group(G: Any, groups: Mapping[Node, Hashable], seed: int) -> dict[Hashable, list[Node]]:
    nodes: list[Node] = list(G.nodes)
    random.Random(seed).shuffle(nodes)
    degree = dict(G.degree)
    nodes.sort(key=lambda n: degree[n], reverse=True)
    members: dict[Hashable, list[Node]] = {}
    for node in nodes:
        members.setdefault(groups[node], []).append(node)
    # Louvain gives every isolate a community of its own; a disc each would spread
    # them round a ring far larger than the rest of the network.
    loners = [key for key, nodes in members.items() if len(nodes) == 1]
    if len(loners) > 1:
        members[_LONERS] = [members.pop(key)[0] for key in loners]
    ordered = sorted(members.items(), key=lambda item: (-len(item[1]), str(item[0])))
    return dict(ordered)


def _sunflower(rank: int) -> Position:
    # Vogel's spiral: equal area per node, so spacing stays even as the disc grows.
    radius = NODE_SPACING * math.sqrt(rank + 0.5)
    angle = rank * _GOLDEN_ANGLE
    return radius * math.cos(angle), radius * math.sin(angle)


def _ring_centres(radii: Mapping[Hashable, float]) -> dict[Hashable, Position]:
    """Centres on a ring, each group's arc in proportion to its diameter, no overlaps.

    Any two centres are at least 2*pi*(r1 + r2 + gap)/total apart along the ring
    and a chord is at least 2/pi of its arc, so a ring of radius total/4 keeps
    every pair of discs apart, not just neighbours, at O(groups) cost.
    """
    keys = list(radii)
    if len(keys) == 1:
        return {keys[0]: (0.0, 0.0)}
    widths = [2 * radii[k] + 2 * NODE_SPACING for k in keys]
    total = sum(widths)
    ring = total / 4
    centres: dict[Hashable, Position] = {}
    start = 0.0
    for key, width in zip(keys, widths, strict=True):
        angle = 2 * math.pi * (start + width / 2) / total
        centres[key] = (ring * math.cos(angle), ring * math.sin(angle))
        start += width
    return centres
