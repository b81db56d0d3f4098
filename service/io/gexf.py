"""The tie network over time, as dynamic GEXF 1.2 that Gephi can play (its timeline).

A stakeholder is a node for the days it is in the network (from joining until merged or
archived); two stakeholders are tied for the days one of their relationships is valid,
with merged stakeholders' ties following the merge: on every day, the nodes and edges
alive in the file are those of ``projections.network.tie_graph`` on that day. The
intensity of a tie (the highest of its relationships) and a stakeholder's sector are
dynamic attributes.

GEXF intervals are closed and dated by day, where the record's are half-open: a tie
valid from 1 March until (not including) 1 June is the spell 1 March to 31 May.
"""

from __future__ import annotations

import io
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

import networkx as nx

from projections.state import LocalityState, RelationshipState, StakeholderState, at

DAY = timedelta(days=1)
Segment = tuple[
    date, date | None, int, str
]  # start, end (exclusive; None: still valid), intensity, relationship
Pair = tuple[str, str]


def _chain(state: LocalityState, stakeholder_id: str) -> list[StakeholderState]:
    """The stakeholder and those it was merged into, in order."""
    rows: list[StakeholderState] = []
    current: str | None = stakeholder_id
    while current is not None and current in state.stakeholders and all(r.id != current for r in rows):
        row = state.stakeholders[current]
        rows.append(row)
        current = row.merged_into
    return rows


def _pair(state: LocalityState, rel: RelationshipState, day: date) -> Pair | None:
    """The ends the relationship ties on ``day`` (as ``tie_graph`` finds them), if any."""
    u, v = state.resolve(rel.source, day), state.resolve(rel.target, day)
    ends = [state.stakeholders.get(u), state.stakeholders.get(v)]
    if u == v or any(row is None or not row.present(day) for row in ends):
        return None
    return (u, v) if u < v else (v, u)


def _segments(state: LocalityState) -> dict[Pair, list[Segment]]:
    """Each relationship cut where its ends, their merges or its intensity change."""
    segments: dict[Pair, list[Segment]] = defaultdict(list)
    for rel in list(state.relationships.values()):
        days = {rel.valid_from, *(day for day, _ in rel.intensity)}
        for row in (*_chain(state, rel.source), *_chain(state, rel.target)):
            days.update(d for d in (row.since, row.ended) if d is not None)
        cuts = sorted(d for d in days if rel.valid(d))
        for number, start in enumerate(cuts):
            end = cuts[number + 1] if number + 1 < len(cuts) else rel.valid_to
            pair = _pair(state, rel, start)
            if pair is not None:
                intensity = at(rel.intensity, start) or rel.intensity[0][1]
                segments[pair].append((start, end, int(intensity), rel.id))
    return segments


def _timeline(segments: list[Segment]) -> list[tuple[date, date | None, int]]:
    """The tie's intensity over its spells: (start, end exclusive, highest intensity), merged."""
    cuts = sorted({s[0] for s in segments} | {s[1] for s in segments if s[1] is not None})
    spans: list[tuple[date, date | None, int]] = []
    for number, start in enumerate(cuts):
        end = cuts[number + 1] if number + 1 < len(cuts) else None
        live = [s[2] for s in segments if s[0] <= start and (s[1] is None or s[1] > start)]
        if not live:
            continue
        if spans and spans[-1][1] == start and spans[-1][2] == max(live):
            spans[-1] = (spans[-1][0], end, spans[-1][2])
        else:
            spans.append((start, end, max(live)))
    return spans


def _closed(start: date, end: date | None) -> tuple[str, str | None]:
    return start.isoformat(), (end - DAY).isoformat() if end is not None else None


def _spells(spans: list[tuple[date, date | None, Any]]) -> list[tuple[str, str | None]]:
    merged: list[tuple[date, date | None]] = []
    for start, end, _ in spans:
        if merged and merged[-1][1] == start:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return [_closed(start, end) for start, end in merged]


def _sectors(row: StakeholderState) -> list[tuple[str, str, str | None]]:
    """The stakeholder's sector over its time in the network, as GEXF dynamic values."""
    assert row.ended is None or row.ended > row.since
    changes = sorted({row.since, *(d for d, _ in row.sector if row.present(d))})
    values = []
    for number, start in enumerate(changes):
        end = changes[number + 1] if number + 1 < len(changes) else row.ended
        values.append((at(row.sector, start) or row.sector[0][1], *_closed(start, end)))
    return values


def dynamic_graph(state: LocalityState) -> nx.Graph:
    """The tie network with the spells of every node and edge (see the module's docstring)."""
    graph = nx.Graph(mode="dynamic")
    for row in list(state.stakeholders.values()):
        if row.ended is not None and row.ended <= row.since:
            continue
        assets = "; ".join(f"{category}: {description}" for category, description in row.assets.values())
        graph.add_node(
            row.id,
            label=row.name,
            kind=row.kind,
            assets=assets,
            sector=_sectors(row),
            spells=[_closed(row.since, row.ended)],
        )
    for (u, v), segments in _segments(state).items():
        spans = _timeline(segments)
        graph.add_edge(
            u,
            v,
            kinds="; ".join(sorted({state.relationships[s[3]].kind for s in segments})),
            relationships="; ".join(sorted({s[3] for s in segments})),
            intensity=[(value, *_closed(start, end)) for start, end, value in spans],
            spells=_spells(spans),
        )
    return graph


def dynamic_gexf(state: LocalityState, *, slug: str = "") -> bytes:
    """GEXF 1.2 of ``dynamic_graph``, dated by day."""
    graph = dynamic_graph(state)
    graph.graph["name"] = slug
    buffer = io.BytesIO()
    nx.write_gexf(graph, buffer, version="1.2draft")
    return buffer.getvalue()
