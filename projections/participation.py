"""Participation and co-production figures (METRICS.md): who comes to the table."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta
from typing import Any

from domain.vocabulary import Sector
from projections.state import LocalityState

LIVED_EXPERIENCE = Sector.LIVED_EXPERIENCE.value


def participation(
    state: LocalityState, day: date, *, window_days: int = 365, since: date | None = None
) -> dict[str, Any]:
    """Meetings held in the window (``since`` .. ``day``, or the ``window_days`` up to
    ``day``), attendances and distinct attendees by sector, the lived-experience share of
    attendances, and the sectors at (and missing from) Change Group meetings."""
    start = since or day - timedelta(days=window_days - 1)
    meetings = [m for m in state.meetings.values() if m.status != "cancelled" and start <= m.held_on <= day]
    attendances: Counter[str] = Counter()
    attendees: dict[str, set[str]] = defaultdict(set)
    at_the_table: set[str] = set()
    for meeting in meetings:
        for stakeholder in meeting.attendees:
            who = state.resolve(stakeholder, day)
            if who not in state.stakeholders:
                continue
            sector = state.sector_of(who, day)
            attendances[sector] += 1
            attendees[sector].add(who)
            if meeting.kind == "change_group":
                at_the_table.add(sector)
    total = sum(attendances.values())
    return {
        "as_of": day.isoformat(),
        "window": {"from": start.isoformat(), "to": day.isoformat()},
        "meetings_held": len(meetings),
        "change_group_meetings_held": sum(1 for m in meetings if m.kind == "change_group"),
        "attendances": total,
        "distinct_attendees": len(set().union(*attendees.values())) if attendees else 0,
        "by_sector": {
            s: {"attendances": attendances[s], "distinct_attendees": len(attendees[s])}
            for s in sorted(attendances)
        },
        "lived_experience_share": attendances[LIVED_EXPERIENCE] / total if total else None,
        "sectors_at_the_table": sorted(at_the_table),
        "sectors_missing_from_the_table": [s for s in state.sectors if s not in at_the_table],
    }
