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
    """
    size_by = "members" if summary else "betweenness"
    largest = max((_number(d.get(size_by)) for _, d in G.nodes(data=True)), default=0.0)
    colours = sector_colours(sorted({_sector(d) for _, d in G.nodes(data=True)}))
    records, index = [], {}
    for i, (node, data) in enumerate(G.nodes(data=True)):
        index[node] = i
        label = str(data.get("label", node))
        record: Record = {
            "id": i,
            "label": label,
            "group": _sector(data),
            "size": _node_size(_number(data.get(size_by)), largest),
            "title": str(data.get("tooltip", "")) if summary else node_tooltip(label, data),
        }
        if data.get("broker"):
            # A node's colour replaces its group's whole colour, so it must be complete.
            record["color"] = node_colour(colours[record["group"]], border=INK)
            record["borderWidth"] = BROKER_BORDER
        if data.get("bridge"):
            # A dashed border vanishes on dark fills; a shape reads on any colour.
            record["shape"] = BRIDGE_SHAPE
        records.append(record)
    return records, index


def edge_records(G: Any, index: Mapping[Hashable, int], *, relative: bool = False) -> list[Record]:
    """One record per edge: width by intensity (or weight), tooltip, bridges dashed.

    With `relative`, widths follow the square root of weight / largest weight, for
    summaries whose weights run into the hundreds.
    """
    heaviest = max((_number(w) for _, _, w in G.edges(data="weight")), default=0.0)
    records = []
    for u, v, data in G.edges(data=True):
        width = edge_width(data)
        if relative and heaviest > 0:
            width = 1 + (MAX_EDGE_WIDTH - 1) * math.sqrt(_number(data.get("weight")) / heaviest)
        record: Record = {"from": index[u], "to": index[v], "width": round(width, 1)}
        title = edge_tooltip(data)
        if title:
            record["title"] = title
        if data.get("bridge"):
            record["dashes"] = True
            record["color"] = {"color": INK}
        records.append(record)
    return records


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


def node_tooltip(label: str, data: Mapping[str, Any]) -> str:
    """Plain text; vis-network shows a string title as text (innerText), never as HTML.

    Examples
    --------
    >>> print(node_tooltip("Food bank", {"sector": "vcse", "betweenness": 0.5, "tooltip": "Van"}))
    Food bank (VCSE / VCFSE)
    Betweenness 0.500
    Van
    """
    sector = _sector(data)
    lines = [f"{label} ({SECTOR_LABELS.get(sector, sector)})"]
    if data.get("betweenness") is not None:
        lines.append(f"Betweenness {_number(data['betweenness']):.3f}")
    if data.get("broker"):
        lines.append("Broker: links stakeholders who are not linked to each other")
    if data.get("bridge"):
        lines.append("Bridge: removing it would split the network")
    if data.get("tooltip"):
        lines.append(str(data["tooltip"]))
    return "\n".join(lines)


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
    floats lose their ".0", and string columns with few distinct values are coded as
    indices into ``lookup``.

    Examples
    --------
    >>> as_table([{"id": 0, "group": "vcse"}, {"id": 1, "group": "vcse", "x": 2}])
    {'columns': ['id', 'group', 'x'], 'rows': [[0, 0], [1, 0, 2]], 'lookup': {'group': ['vcse']}}
    """
    counts = Counter(key for record in records for key in record)
    columns = sorted(counts, key=lambda c: -counts[c])
    candidates = {c: _distinct_strings(records, c) for c in columns}
    lookup = {c: values for c, values in candidates.items() if values is not None}
    codes = {c: {value: i for i, value in enumerate(values)} for c, values in lookup.items()}
    rows = []
    for record in records:
        row = [codes[c][record[c]] if c in codes and c in record else record.get(c) for c in columns]
        row = [int(v) if isinstance(v, float) and v.is_integer() else v for v in row]
        while row and row[-1] is None:
            row.pop()
        rows.append(row)
    return {"columns": columns, "rows": rows, "lookup": lookup}


def _distinct_strings(records: list[Record], column: str) -> list[str] | None:
    values = [r[column] for r in records if column in r]
    if not all(isinstance(v, str) for v in values):
        return None
    distinct = list(dict.fromkeys(values))
    return distinct if len(distinct) * 4 <= len(values) or len(distinct) == 1 else None


def _node_size(value: float, largest: float) -> float:
    low, high = NODE_SIZE
    share = math.sqrt(value / largest) if largest > 0 else 0.0
    return round(low + (high - low) * share, 1)


def _sector(data: Mapping[str, Any]) -> str:
    return str(data.get("sector") or "other")


def _number(value: Any) -> float:
    return float(value) if isinstance(value, int | float) and math.isfinite(value) else 0.0
