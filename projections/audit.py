"""Audit trails: the history of a commitment, stakeholder or meeting as a readable
timeline of its facts: what happened, who recorded it, when, effective when, at which
meeting, and what changed."""

from __future__ import annotations

from typing import Any

from projections.facts import Fact
from projections.state import LocalityState

_SENTENCES: dict[str, str] = {
    "Commitment.Made": "Commitment made: {what} (due {due})",
    "Commitment.ProgressReported": "Progress reported: {note}",
    "Commitment.Renegotiated": "Due date renegotiated to {due}: {reason}",
    "Commitment.Reassigned": "Reassigned to {promisor}: {reason}",
    "Commitment.Fulfilled": "Fulfilled on {on}",
    "Commitment.Missed": "Marked missed on {on}",
    "Commitment.Withdrawn": "Withdrawn on {on}: {reason}",
    "Stakeholder.Registered": "Registered as {kind} in sector {sector}",
    "Stakeholder.DetailsChanged": "Details changed",
    "Stakeholder.SectorChanged": "Sector changed to {sector}",
    "Stakeholder.AssetRecorded": "Asset recorded: {category}: {description}",
    "Stakeholder.AssetRetired": "Asset retired: {reason}",
    "Stakeholder.MergedInto": "Merged into {target}: {reason}",
    "Stakeholder.Archived": "Archived: {reason}",
    "Stakeholder.PersonErased": "Personal data erased: {reason}",
    "Meeting.Scheduled": "Meeting scheduled: {title} on {held_on}",
    "Meeting.AttendanceRecorded": "Attendance recorded ({count} attendees)",
    "Meeting.AttendanceCorrected": "Attendance corrected: {reason}",
    "Meeting.DecisionRecorded": "Decision recorded: {text}",
    "Meeting.NotesRecorded": "Notes recorded",
    "Meeting.Held": "Meeting held on {held_on}",
    "Meeting.Cancelled": "Meeting cancelled: {reason}",
}


class _Blank(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""


def describe(fact: Fact, state: LocalityState | None = None) -> str:
    """One sentence a lead can read, naming stakeholders where the state knows them."""
    template = _SENTENCES.get(f"{fact.aggregate_type}.{fact.event_type}", f"{fact.event_type}")
    data = _Blank(fact.data)
    data["count"] = len(fact.data.get("stakeholder_ids", ()))
    for key, target in (("promisor", "promisor_id"), ("target", "target_id")):
        data[key] = _name(state, fact.data.get(target))
    return template.format_map(data).strip()


def _name(state: LocalityState | None, stakeholder_id: str | None) -> str:
    if stakeholder_id is None:
        return ""
    if state is not None and stakeholder_id in state.stakeholders:
        return state.stakeholders[stakeholder_id].name
    return stakeholder_id


def entry(fact: Fact, state: LocalityState | None = None) -> dict[str, Any]:
    meeting_id = fact.data.get("meeting_id") or (
        fact.aggregate_id if fact.aggregate_type == "Meeting" else None
    )
    meeting = state.meetings.get(meeting_id) if state is not None and meeting_id else None
    return {
        "position": fact.position,
        "aggregate_type": fact.aggregate_type,
        "aggregate_id": fact.aggregate_id,
        "version": fact.version,
        "event": fact.event_type,
        "summary": describe(fact, state),
        "actor": fact.actor,
        "recorded_at": fact.recorded_at.isoformat(),
        "effective": fact.effective.isoformat() if fact.effective else None,
        "meeting": {
            "id": meeting.id,
            "title": meeting.title,
            "held_on": meeting.held_on.isoformat(),
        }
        if meeting
        else None,
        "changes": fact.data,
    }


def trail(facts: list[Fact], state: LocalityState | None = None) -> list[dict[str, Any]]:
    return [entry(f, state) for f in facts]
