"""Accountability figures: who promised what, and what then happened (METRICS.md).

Every figure is for a date ``day``: a commitment counts once made by then, in the state
it was in on that day, against the due date in force on that day.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from statistics import median
from typing import Any

from projections.state import CommitmentState, LocalityState, at

STATES = ("open", "due_soon", "overdue", "fulfilled", "missed", "withdrawn")


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def _median(values: list[int]) -> float | None:
    return float(median(values)) if values else None


def _followed_up(state: LocalityState, commitment: CommitmentState, day: date) -> bool:
    """Progress on it was reported at a meeting held after the one it was made at."""
    made_at = state.meetings.get(commitment.meeting_id or "")
    if made_at is None:
        return False
    for on, meeting_id in commitment.progress:
        later = state.meetings.get(meeting_id or "")
        if on <= day and later is not None and later.held_on > made_at.held_on:
            return True
    return False


def figures(state: LocalityState, commitments: Iterable[CommitmentState], day: date) -> dict[str, Any]:
    """The figures of a set of commitments on ``day``.

    ``open`` counts every commitment not yet due (``due_soon`` is the part of it due
    within 14 days); ``kept_rate`` = fulfilled / (fulfilled + missed + overdue), withdrawn
    ones shown but not counted; ``on_time_rate`` is measured against the ORIGINAL due date;
    ``median_slippage_days`` is fulfilment minus original due date (negative: early).
    """
    counts = dict.fromkeys(STATES, 0)
    made = renegotiations = at_meeting = followed = 0
    on_time = 0
    slippage: list[int] = []
    to_fulfil: list[int] = []
    for c in commitments:
        status = c.state(day)
        if status is None:
            continue
        made += 1
        counts[status] += 1
        renegotiations += c.renegotiations(day)
        if status == "fulfilled" and c.outcome is not None:
            fulfilled_on = c.outcome[1]
            on_time += fulfilled_on <= c.original_due
            slippage.append((fulfilled_on - c.original_due).days)
            to_fulfil.append((fulfilled_on - c.made_on).days)
        if c.meeting_id is not None:
            at_meeting += 1
            followed += _followed_up(state, c, day)
    fulfilled = counts["fulfilled"]
    return {
        "made": made,
        "fulfilled": fulfilled,
        "missed": counts["missed"],
        "withdrawn": counts["withdrawn"],
        "open": counts["open"] + counts["due_soon"],
        "due_soon": counts["due_soon"],
        "overdue": counts["overdue"],
        "kept_rate": _ratio(fulfilled, fulfilled + counts["missed"] + counts["overdue"]),
        "on_time_rate": _ratio(on_time, fulfilled),
        "renegotiations": renegotiations,
        "median_slippage_days": _median(slippage),
        "median_days_to_fulfil": _median(to_fulfil),
        "followed_up": _ratio(followed, at_meeting),
    }


def accountability(state: LocalityState, day: date, *, since: date | None = None) -> dict[str, Any]:
    """The figures for the locality, per promisor and per promisor's sector, for the
    commitments made from ``since`` (if given) up to ``day``."""
    chosen = [c for c in state.commitments.values() if since is None or c.made_on >= since]
    by_promisor: dict[str, list[CommitmentState]] = defaultdict(list)
    by_sector: dict[str, list[CommitmentState]] = defaultdict(list)
    for c in chosen:
        if c.made_on > day:
            continue
        promisor = state.resolve(at(c.promisor, day), day)
        by_promisor[promisor].append(c)
        if promisor in state.stakeholders:
            by_sector[state.sector_of(promisor, day)].append(c)
    return {
        "as_of": day.isoformat(),
        "since": since.isoformat() if since else None,
        "locality": figures(state, chosen, day),
        "by_promisor": {
            p: {
                "name": state.stakeholders[p].name if p in state.stakeholders else p,
                **figures(state, cs, day),
            }
            for p, cs in sorted(by_promisor.items())
        },
        "by_sector": {s: figures(state, cs, day) for s, cs in sorted(by_sector.items())},
    }


def commitment_state(state: LocalityState, commitment_id: str, day: date) -> str | None:
    return state.commitments[commitment_id].state(day)
