"""What changed in the network between two dates: ties and stakeholders gained and
lost, each with the events that caused it."""

from __future__ import annotations

from datetime import date
from typing import Any

from projections.network import tie_graph
from projections.state import LocalityState


def network_diff(state: LocalityState, start: date, end: date) -> dict[str, Any]:
    before, after = tie_graph(state, start), tie_graph(state, end)
    edges_before = {tuple(sorted(e)) for e in before.edges}
    edges_after = {tuple(sorted(e)) for e in after.edges}

    def tie(u: str, v: str, graph: Any) -> dict[str, Any]:
        data = graph.edges[u, v]
        return {
            "source": u,
            "target": v,
            "source_name": graph.nodes[u]["label"],
            "target_name": graph.nodes[v]["label"],
            "kinds": list(data["kinds"]),
            "relationships": list(data["relationships"]),
            "events": _events_between(state, data["relationships"], start, end),
        }

    def _lost(u: str, v: str) -> dict[str, Any]:
        entry = tie(u, v, before)
        entry["events"] = _events_between(state, before.edges[u, v]["relationships"], start, end, ended=True)
        return entry

    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "ties_gained": [tie(u, v, after) for u, v in sorted(edges_after - edges_before)],
        "ties_lost": [_lost(u, v) for u, v in sorted(edges_before - edges_after)],
        "stakeholders_joined": sorted(set(after) - set(before)),
        "stakeholders_left": sorted(set(before) - set(after)),
    }


def _events_between(
    state: LocalityState,
    relationship_ids: tuple[str, ...],
    start: date,
    end: date,
    *,
    ended: bool = False,
) -> list[int]:
    """Positions of the events that formed (or ended) these relationships within (start, end]."""
    positions: list[int] = []
    for rid in relationship_ids:
        rel = state.relationships[rid]
        if ended and rel.valid_to is not None and start < rel.valid_to <= end:
            positions.append(rel.events[-1])
        elif not ended and start < rel.valid_from <= end:
            positions.append(rel.events[0])
    return sorted(positions)
