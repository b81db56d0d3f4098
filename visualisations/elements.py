"""The nodes, edges and legend of a network picture, as vis-network records.

Records are built in one pass over the graph (O(N + E)); pyvis's ``from_nx`` and
``add_edge`` check every new edge against all earlier ones and take minutes at
20,000 nodes.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from typing import Any

from domain.vocabulary import INTENSITY_LABELS, SECTOR_LABELS

from .palette import INK, darker, default_sectors_missing, sector_colours

Record = dict[str, Any]

NODE_SIZE = (8.0, 36.0)
BROKER_BORDER = 4
BRIDGE_SHAPE = "diamond"
MAX_EDGE_WIDTH = 8.0


def node_records(G: Any, *, summary: bool = False) -> tuple[list[Record], dict[Hashable, int]]:
    """One record per node, in ``G.nodes`` order, and each node's index (its vis id).

    Stakeholders are sized by betweenness; the groups of a `summary` by their members.
    vis ids are indices, not stakeholder ids, so each edge costs a few bytes, not two UUIDs.
    A group's record carries its ``title``; a stakeholder's carries the fields its tooltip
    is written from in the browser (name, sector, betweenness, broker, bridge and the
    node's own ``tooltip`` as ``details``), so the page does not repeat them per node.
    """
    size_by = "members" if summary else "betweenness"
    largest = max((_number(d.get(size_by)) for _, d in G.nodes(data=True)), default=0.0)
    colours = sector_colours(sorted({_sector(d) for _, d in G.nodes(data=True)}))
    records, index = [], {}
    for i, (node, data) in enumerate(G.nodes(data=True)):
        index[node] = i
        record: Record = {
            "label": str(data.get("label", node)),
            "group": _sector(data),
            "size": _node_size(_number(data.get(size_by)), largest),
        }
        if summary:
            record["title"] = str(data.get("tooltip", ""))
        else:
            record.update(_tooltip_fields(data))
        if data.get("broker"):
            # A node's colour replaces its group's whole colour, so it must be complete.
            record["color"] = node_colour(colours[record["group"]], border=INK)
            record["borderWidth"] = BROKER_BORDER
        if data.get("bridge"):
            # A dashed border vanishes on dark fills; a shape reads on any colour.
            record["shape"] = BRIDGE_SHAPE
        records.append(record)
    return records, index


def _tooltip_fields(data: Mapping[str, Any]) -> Record:
    fields: Record = {}
    if data.get("betweenness") is not None:
        fields["betweenness"] = round(_number(data["betweenness"]), 3)
    if data.get("broker"):
        fields["broker"] = True
    if data.get("bridge"):
        fields["bridge"] = True
    if data.get("tooltip"):
        fields["details"] = str(data["tooltip"])
    return fields


def edge_table(G: Any, index: Mapping[Hashable, int], *, relative: bool = False) -> Record:
    """Every edge as three numbers, ``from``, ``to`` and ``style``, in ``G.edges`` order.

    ``styles`` holds each distinct look once (width by intensity or weight, tooltip,
    bridges dashed) and ``style`` indexes it. ``from`` is written as the step from the
    previous edge's first end: edges come grouped by node, so most steps are 0. With
    `relative`, widths follow the square root of weight / largest weight, for summaries
    whose weights run into the hundreds.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph([("a", "b"), ("a", "c"), ("b", "c")])
    >>> table = edge_table(G, {"a": 0, "b": 1, "c": 2})
    >>> table["from"], table["to"], table["style"], table["styles"]
    ([0, 0, 1], [1, 2, 2], [0, 0, 0], [{'width': 1}])
    """
    heaviest = max((_number(w) for _, _, w in G.edges(data="weight")), default=0.0)
    starts, ends, codes = [], [], []
    styles: dict[tuple[float, str, bool], int] = {}
    # Thousands of edges share a few looks: each look is worked out once, from the
    # attributes that edge_width and edge_tooltip read.
    looks: dict[tuple[Any, ...], int] = {}
    previous = 0
    for u, v, data in G.edges(data=True):
        attributes = (
            data.get("intensity"),
            data.get("weight"),
            tuple(data.get("kinds") or ()),
            bool(data.get("bridge")),
            data.get("tooltip"),
        )
        code = looks.get(attributes)
        if code is None:
            code = looks[attributes] = styles.setdefault(_look(data, relative, heaviest), len(styles))
        start = index[u]
        starts.append(start - previous)
        ends.append(index[v])
        codes.append(code)
        previous = start
    return {"from": starts, "to": ends, "style": codes, "styles": [_edge_style(*key) for key in styles]}


def _look(data: Mapping[str, Any], relative: bool, heaviest: float) -> tuple[float, str, bool]:
    width = edge_width(data)
    if relative and heaviest > 0:
        width = 1 + (MAX_EDGE_WIDTH - 1) * math.sqrt(_number(data.get("weight")) / heaviest)
    return round(width, 1), edge_tooltip(data), bool(data.get("bridge"))


def _edge_style(width: float, title: str, bridge: bool) -> Record:
    style: Record = {"width": int(width) if width.is_integer() else width}
    if title:
        style["title"] = title
    if bridge:
        style["dashes"] = True
        style["color"] = {"color": INK}
    return style


def edge_width(data: Mapping[str, Any]) -> float:
    """Line width: 1 to 5.5 for intensity 1 to 4; weight 2**(k-1) draws like intensity k.

    Examples
    --------
    >>> [edge_width({"intensity": i}) for i in (1, 2, 3, 4)]
    [1.0, 2.5, 4.0, 5.5]
    >>> edge_width({"weight": 4}), edge_width({})
    (4.0, 1.0)
    """
    steps: float
    if data.get("intensity") is not None:
        steps = min(max(int(data["intensity"]), 1), 4) - 1
    else:
        steps = math.log2(max(_number(data.get("weight", 1)), 1.0))
    return min(1.0 + 1.5 * steps, MAX_EDGE_WIDTH)


def edge_tooltip(data: Mapping[str, Any]) -> str:
    """Kinds and intensity (or weight) of a tie, as plain text.

    Examples
    --------
    >>> edge_tooltip({"kinds": ("refers_to", "funds"), "intensity": 3})
    'refers to, funds: coordination (3 of 4)'
    """
    if data.get("tooltip"):
        return str(data["tooltip"])
    parts = []
    if data.get("intensity") is not None:
        level = int(data["intensity"])
        parts.append(f"{INTENSITY_LABELS.get(level, 'intensity')} ({level} of 4)")
    elif data.get("weight") is not None:
        parts.append(f"weight {data['weight']}")
    kinds = ", ".join(str(k).replace("_", " ") for k in data.get("kinds") or ())
    if data.get("bridge"):
        parts.append("bridge: the only link between two parts")
    text = "; ".join(parts)
    return f"{kinds}: {text}" if kinds and text else kinds or text


def sector_groups(sectors: Iterable[str]) -> dict[str, Record]:
    """vis-network ``groups`` options: one colour per sector, with a darker border."""
    return {
        sector: {"color": node_colour(colour, border=darker(colour))}
        for sector, colour in sector_colours(sectors).items()
    }


def node_colour(fill: str, *, border: str) -> Record:
    """A full vis-network node colour: `fill`, `border`, and a black border when picked."""
    picked = {"background": fill, "border": INK}
    return {"background": fill, "border": border, "highlight": picked, "hover": picked}


def sector_legend(G: Any, *, weight: str | None = None) -> tuple[list[Record], list[str]]:
    """Legend rows (sector, label, colour, count) for sectors present; default sectors absent.

    A row counts nodes, or adds up their `weight` attribute (a group's ``members``).
    """
    counts: Counter[str] = Counter()
    for _, data in G.nodes(data=True):
        counts[_sector(data)] += int(data.get(weight, 1)) if weight else 1
    present = sorted(counts, key=lambda s: (-counts[s], s))
    colours = sector_colours(present)
    rows = [
        {"sector": s, "label": SECTOR_LABELS.get(s, s), "colour": colours[s], "count": counts[s]}
        for s in present
    ]
    missing = [SECTOR_LABELS[s] for s in default_sectors_missing(present)]
    return rows, missing


def as_table(records: list[Record]) -> Record:
    """Records as columns and rows: about half the bytes of a list of objects.

    Columns are ordered by how many records have them, rows lose trailing nulls, whole
    floats lose their ".0", and in columns of strings each string that occurs more than
    once is written as its index in the column's ``lookup`` (the most common first);
    a string that occurs once stays as it is. A row's position is its record's vis id.

    Examples
    --------
    >>> as_table([{"label": "a", "group": "vcse"}, {"label": "b", "group": "vcse", "x": 2.0}])
    {'columns': ['label', 'group', 'x'], 'rows': [['a', 0], ['b', 0, 2]], 'lookup': {'group': ['vcse']}}
    """
    counts = Counter(key for record in records for key in record)
    columns = sorted(counts, key=lambda c: -counts[c])
    candidates = {c: _repeated_strings(records, c) for c in columns}
    lookup = {c: values for c, values in candidates.items() if values}
    codes = {c: {value: i for i, value in enumerate(values)} for c, values in lookup.items()}
    rows = []
    for record in records:
        row = [
            codes[c].get(record[c], record[c]) if c in codes and c in record else record.get(c)
            for c in columns
        ]
        row = [int(v) if isinstance(v, float) and v.is_integer() else v for v in row]
        while row and row[-1] is None:
            row.pop()
        rows.append(row)
    return {"columns": columns, "rows": rows, "lookup": lookup}


def _repeated_strings(records: list[Record], column: str) -> list[str] | None:
    values = [r[column] for r in records if column in r]
    if not all(isinstance(v, str) for v in values):
        return None
    counts = Counter(values)
    return [value for value, count in counts.most_common() if count > 1]


def _node_size(value: float, largest: float) -> float:
    low, high = NODE_SIZE
    share = math.sqrt(value / largest) if largest > 0 else 0.0
    return round(low + (high - low) * share, 1)


def _sector(data: Mapping[str, Any]) -> str:
    return str(data.get("sector") or "other")


def _number(value: Any) -> float:
    return float(value) if isinstance(value, int | float) and math.isfinite(value) else 0.0
