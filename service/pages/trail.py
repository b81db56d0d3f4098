"""An audit trail made readable: each fact's changes with stakeholders and meetings named."""

from __future__ import annotations

from typing import Any

from projections.state import LocalityState

#: Fields that say nothing a reader can use (a person's sealed details are ciphertext).
_HIDDEN = frozenset({"sealed", "asset_id", "decision_id"})
_LABELS = {
    "promisor_id": "promisor",
    "promisee_ids": "promisees",
    "to_change_group": "to the Change Group",
    "target_id": "into",
    "source_id": "from",
    "stakeholder_ids": "attendees",
    "agreed_by": "agreed by",
    "meeting_id": "at the meeting",
    "made_on": "made on",
    "held_on": "held on",
    "valid_from": "from",
    "valid_to": "until",
    "percent": "per cent done",
    "goal_id": "for the goal",
}
_LISTED = 8


def readable_trail(entries: list[dict[str, Any]], state: LocalityState) -> list[dict[str, Any]]:
    """The entries of ``Reader.history`` with ``changes`` as (label, text) pairs."""
    return [{**entry, "changes": _changes(entry["changes"], state)} for entry in entries]


def _changes(data: dict[str, Any], state: LocalityState) -> list[tuple[str, str]]:
    shown = []
    for key, value in data.items():
        if key in _HIDDEN or value is None or value == "" or value == []:
            continue
        if key == "target_id" and "valid_from" in data:
            label = "to"  # a relationship's other end, not a merge
        else:
            label = _LABELS.get(key, key.replace("_", " "))
        shown.append((label, _text(key, value, state)))
    return shown


def _text(key: str, value: Any, state: LocalityState) -> str:
    if key == "goal_id":
        goals = {
            g: goal["title"] for plan in state.plans.values() for g, goal in plan.get("goals", {}).items()
        }
        return str(goals.get(str(value), value))
    if key == "meeting_id":
        meeting = state.meetings.get(str(value))
        return f"{meeting.title} ({meeting.held_on.isoformat()})" if meeting else str(value)
    if key.endswith("_ids") or key == "agreed_by":
        names = [_name(state, str(v)) for v in value]
        more = len(names) - _LISTED
        return ", ".join(names[:_LISTED]) + (f" and {more} more" if more > 0 else "")
    if key.endswith("_id"):
        return _name(state, str(value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _name(state: LocalityState, stakeholder_id: str) -> str:
    row = state.stakeholders.get(stakeholder_id)
    return row.name if row else stakeholder_id
