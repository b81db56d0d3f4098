"""A static picture of a summary graph (one circle per sector or community) for print."""

from __future__ import annotations

import math
from typing import Any

from .palette import MUTED_INK, PAPER, darker, sector_colours
from .svg import number, shorten, svg_root, text

RING = 170.0
LARGEST_CIRCLE = 38.0
WIDEST_LINE = 14.0
_LABEL_ROOM = 190.0


def group_map_svg(S: Any, *, title: str) -> str:
    """The groups of :func:`group_view` round a ring: circle area by members, line width by ties between.

    Each circle is coloured by the group's sector and labelled with its name and size;
    a group's ties within itself are counted in its label.

    Examples
    --------
    >>> import networkx as nx
    >>> S = nx.Graph()
    >>> S.add_node("health", label="Health (NHS)", sector="health", members=3, internal_edges=2)
    >>> S.add_node("faith", label="Faith", sector="faith", members=1, internal_edges=0)
    >>> S.add_edge("health", "faith", weight=4)
    >>> svg = group_map_svg(S, title="Sectors")
    >>> "Health (NHS) – Faith: 4 ties" in svg and "Health (NHS): 3, 2 ties within" in svg
    True
    """
    nodes = list(S.nodes(data=True))
    centre = RING + _LABEL_ROOM
    places = _ring(len(nodes), centre)
    largest = max((int(d.get("members", 0)) for _, d in nodes), default=0)
    heaviest = max((int(w) for _, _, w in S.edges(data="weight", default=0)), default=0)
    colours = sector_colours(str(d.get("sector") or "other") for _, d in nodes)
    where = {key: places[i] for i, (key, _) in enumerate(nodes)}
    body = []
    for u, v, weight in S.edges(data="weight", default=0):
        (x1, y1), (x2, y2) = where[u], where[v]
        width = 1 + (WIDEST_LINE - 1) * math.sqrt(weight / heaviest) if heaviest else 1
        name = f"{S.nodes[u].get('label', u)} – {S.nodes[v].get('label', v)}: {number(weight)} ties"
        body.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#8C8C8C" '
            f'stroke-opacity="0.6" stroke-width="{width:.1f}"><title>{text(name)}</title></line>'
        )
    for i, (key, data) in enumerate(nodes):
        body.append(_circle(places[i], data, colours, largest, centre, str(key)))
    size = 2 * centre
    desc = "; ".join(f"{d.get('label', k)} {number(int(d.get('members', 0)))}" for k, d in nodes)
    return svg_root(size, size, title, body, desc)


def _ring(count: int, centre: float) -> list[tuple[float, float]]:
    if count == 1:
        return [(centre, centre)]
    return [
        (
            centre + RING * math.cos(2 * math.pi * i / count - math.pi / 2),
            centre + RING * math.sin(2 * math.pi * i / count - math.pi / 2),
        )
        for i in range(count)
    ]


def _circle(
    at: tuple[float, float],
    data: dict[str, Any],
    colours: dict[str, str],
    largest: int,
    centre: float,
    key: str,
) -> str:
    x, y = at
    members = int(data.get("members", 0))
    radius = 4 + (LARGEST_CIRCLE - 4) * math.sqrt(members / largest) if largest else 4
    fill = colours[str(data.get("sector") or "other")]
    label = str(data.get("label", key))
    inside = int(data.get("internal_edges", 0))
    name = f"{label}: {number(members)}, {number(inside)} ties within"
    dx, dy = x - centre, y - centre
    length = math.hypot(dx, dy) or 1.0
    lx, ly = x + dx / length * (radius + 8), y + dy / length * (radius + 8) + 4
    anchor = "middle" if abs(dx) < 1 else ("start" if dx > 0 else "end")
    return (
        f"<g><title>{text(name)}</title>"
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}" fill="{fill}" stroke="{darker(fill)}" '
        f'stroke-width="1.5"/>'
        f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="{anchor}" paint-order="stroke" '
        f'stroke="{PAPER}" stroke-width="3">{text(shorten(label, 28))} '
        f'<tspan fill="{MUTED_INK}">{number(members)}</tspan></text></g>'
    )
