"""How each kind of fact changes a LocalityState: one small handler per event type."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from statistics import fmean
from typing import Any

from projections.facts import Fact, day
from projections.state import (
    CommitmentState,
    LocalityState,
    MeasureState,
    MeetingState,
    RelationshipState,
    StakeholderState,
    put,
)

ERASED_NAME = "erased person"

Handler = Callable[[LocalityState, Fact, dict[str, Any], str | None], None]
_HANDLERS: dict[tuple[str, str], Handler] = {}


def apply(state: LocalityState, fact: Fact, *, name: str | None = None) -> None:
    """Fold one fact in; ``name`` is a person's unsealed name where the fact has one."""
    handler = _HANDLERS.get((fact.aggregate_type, fact.event_type))
    if handler is not None:
        handler(state, fact, fact.data, name)
    state.position = max(state.position, fact.position)


def fold(state: LocalityState, facts: Iterable[Fact], names: dict[str, str] | None = None) -> LocalityState:
    names = names or {}
    for fact in facts:
        apply(state, fact, name=names.get(fact.aggregate_id))
    return state


def handles(aggregate_type: str, *event_types: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        for event_type in event_types:
            _HANDLERS[(aggregate_type, event_type)] = handler
        return handler

    return register


def _day(value: str | None) -> date | None:
    return day(value) if value else None


@handles("Locality", "Registered", "Renamed")
def _locality(state: LocalityState, fact: Fact, data: dict[str, Any], _: str | None) -> None:
    state.slug = data.get("slug", state.slug)
    state.name, state.region = data["name"], data["region"]


@handles("Locality", "SectorAdded")
def _sector_added(state: LocalityState, fact: Fact, data: dict[str, Any], _: str | None) -> None:
    state.extra_sectors[data["sector"]] = data["label"]


@handles("Stakeholder", "Registered")
def _registered(state: LocalityState, fact: Fact, data: dict[str, Any], name: str | None) -> None:
    state.stakeholders[fact.aggregate_id] = StakeholderState(
        id=fact.aggregate_id,
        kind=data["kind"],
        name=name or data["name"] or ERASED_NAME,
        since=fact.when,
        sector=[(fact.when, data["sector"])],
        events=[fact.position],
    )


def _stakeholder(state: LocalityState, fact: Fact) -> StakeholderState:
    row = state.own(state.stakeholders, fact.aggregate_id)
    row.events.append(fact.position)
    return row


@handles("Stakeholder", "DetailsChanged")
def _details(state: LocalityState, fact: Fact, data: dict[str, Any], name: str | None) -> None:
    row = _stakeholder(state, fact)
    row.name = name or data["name"] or row.name


@handles("Stakeholder", "SectorChanged")
def _sector_changed(state: LocalityState, fact: Fact, data: dict[str, Any], _: str | None) -> None:
    put(_stakeholder(state, fact).sector, fact.when, data["sector"])


@handles("Stakeholder", "AssetRecorded")
def _asset(state: LocalityState, fact: Fact, data: dict[str, Any], _: str | None) -> None:
    _stakeholder(state, fact).assets[data["asset_id"]] = (data["category"], data["description"])


@handles("Stakeholder", "AssetRetired")
def _asset_retired(state: LocalityState, fact: Fact, data: dict[str, Any], _: str | None) -> None:
    _stakeholder(state, fact).assets.pop(data["asset_id"], None)


@handles("Stakeholder", "MergedInto", "Archived")
def _ended(state: LocalityState, fact: Fact, data: dict[str, Any], _: str | None) -> None:
    row = _stakeholder(state, fact)
    row.ended = fact.when
    row.status = "merged" if fact.event_type == "MergedInto" else "archived"
    row.merged_into = data.get("target_id")


@handles("Stakeholder", "PersonErased")
def _erased(state: LocalityState, fact: Fact, data: dict[str, Any], _: str | None) -> None:
    row = _stakeholder(state, fact)
    row.erased, row.name = True, ERASED_NAME


@handles("Relationship", "Formed")
def _formed(state: LocalityState, fact: Fact, data: dict[str, Any], _: str | None) -> None:
    valid_from = day(data["valid_from"])
    state.relationships[fact.aggregate_id] = RelationshipState(
        id=fact.aggregate_id,
        source=data["source_id"],
        target=data["target_id"],
        kind=data["kind"],
        directed=bool(data["directed"]),
        valid_from=valid_from,
        intensity=[(valid_from, int(data["intensity"]))],
        events=[fact.position],
    )


def _relationship(state: LocalityState, fact: Fact) -> RelationshipState:
    row = state.own(state.relationships, fact.aggregate_id)
    row.events.append(fact.position)
    return row


@handles("Relationship", "Rated")
def _rated(state: LocalityState, fact: Fact, data: dict[str, Any], _: str | None) -> None:
    row = _relationship(state, fact)
    trust, value = fmean(data["trust"]), fmean(data["value"])
    row.ratings[data["rater"]] = (trust, value, fact.when)
    put(row.rated.setdefault(data["rater"], []), fact.when, (trust, value))


@handles("Relationship", "IntensityChanged")
def _intensity(state: LocalityState, fact: Fact, data: dict[str, Any], _: str | None) -> None:
    put(_relationship(state, fact).intensity, fact.when, int(data["intensity"]))


@handles("Relationship", "Ended")
def _relationship_ended(state: LocalityState, fact: Fact, data: dict[str, Any], _: str | None) -> None:
    _relationship(state, fact).valid_to = day(data["valid_to"])


@handles("Meeting", "Scheduled")
def _scheduled(state: LocalityState, fact: Fact, data: dict[str, Any], _: str | None) -> None:
    state.meetings[fact.aggregate_id] = MeetingState(
        id=fact.aggregate_id,
        kind=data["kind"],
        title=data["title"],
        held_on=day(data["held_on"]),
        place=data["place"],
        events=[fact.position],
    )


def _meeting(state: LocalityState, fact: Fact) -> MeetingState:
    row = state.own(state.meetings, fact.aggregate_id)
    row.events.append(fact.position)
    return row


@handles("Meeting", "AttendanceRecorded", "AttendanceCorrected")
def _attendance(state: LocalityState, fact: Fact, data: dict[str, Any], _: str | None) -> None:
    row = _meeting(state, fact)
    row.attendees -= set(data.get("removed", ()))
    row.attendees |= set(data.get("stakeholder_ids", ())) | set(data.get("added", ()))


@handles("Meeting", "DecisionRecorded")
def _decision(state: LocalityState, fact: Fact, data: dict[str, Any], _: str | None) -> None:
    decision = {
        "id": data["decision_id"],
        "text": data["text"],
        "agreed_by": data["agreed_by"],
        "position": fact.position,
    }
    _meeting(state, fact).decisions.append(decision)


@handles("Meeting", "NotesRecorded")
def _notes(state: LocalityState, fact: Fact, data: dict[str, Any], _: str | None) -> None:
    _meeting(state, fact)


@handles("Meeting", "Held", "Cancelled")
def _meeting_status(state: LocalityState, fact: Fact, data: dict[str, Any], _: str | None) -> None:
    row = _meeting(state, fact)
    row.status = "held" if fact.event_type == "Held" else "cancelled"
    if "held_on" in data:
        row.held_on = day(data["held_on"])


@handles("Commitment", "Made")
def _made(state: LocalityState, fact: Fact, data: dict[str, Any], _: str | None) -> None:
    made_on = day(data["made_on"])
    state.commitments[fact.aggregate_id] = CommitmentState(
        id=fact.aggregate_id,
        what=data["what"],
        made_on=made_on,
        promisor=[(made_on, data["promisor_id"])],
        promisees=tuple(data["promisee_ids"]),
        to_change_group=bool(data["to_change_group"]),
        due=[(made_on, day(data["due"]))],
        meeting_id=data.get("meeting_id"),
        goal_id=data.get("goal_id"),
        events=[fact.position],
    )


def _commitment(state: LocalityState, fact: Fact) -> CommitmentState:
    row = state.own(state.commitments, fact.aggregate_id)
    row.events.append(fact.position)
    return row


@handles("Commitment", "ProgressReported")
def _progress(state: LocalityState, fact: Fact, data: dict[str, Any], _: str | None) -> None:
    _commitment(state, fact).progress.append((fact.when, data.get("meeting_id")))


@handles("Commitment", "Renegotiated")
def _renegotiated(state: LocalityState, fact: Fact, data: dict[str, Any], _: str | None) -> None:
    # A renegotiation takes effect on the day it was agreed; the original due date stays first.
    row = _commitment(state, fact)
    row.due.append((max(fact.when, row.made_on), day(data["due"])))
    row.due.sort(key=lambda item: item[0])


@handles("Commitment", "Reassigned")
def _reassigned(state: LocalityState, fact: Fact, data: dict[str, Any], _: str | None) -> None:
    put(_commitment(state, fact).promisor, fact.when, data["promisor_id"])


@handles("Commitment", "Fulfilled", "Missed", "Withdrawn")
def _closed(state: LocalityState, fact: Fact, data: dict[str, Any], _: str | None) -> None:
    outcome = {"Fulfilled": "fulfilled", "Missed": "missed", "Withdrawn": "withdrawn"}[fact.event_type]
    _commitment(state, fact).outcome = (outcome, day(data["on"]))


@handles("Plan", "Drafted")
def _drafted(state: LocalityState, fact: Fact, data: dict[str, Any], _: str | None) -> None:
    state.plans[fact.aggregate_id] = {
        "id": fact.aggregate_id,
        "title": data["title"],
        "summary": data["summary"],
        "status": "draft",
        "goals": {},
        "agreed_at": None,
        "agreed_on": None,
    }


@handles("Plan", "GoalAdded")
def _goal(state: LocalityState, fact: Fact, data: dict[str, Any], _: str | None) -> None:
    state.plans[fact.aggregate_id]["goals"][data["goal_id"]] = {
        "title": data["title"],
        "description": data["description"],
    }


@handles("Plan", "Agreed", "Revised")
def _plan_status(state: LocalityState, fact: Fact, data: dict[str, Any], _: str | None) -> None:
    plan = state.plans[fact.aggregate_id]
    if fact.event_type == "Agreed":
        plan.update(status="agreed", agreed_at=data["meeting_id"], agreed_on=fact.when.isoformat())
    else:
        plan.update(status="draft", title=data["title"], summary=data["summary"])


@handles("Measure", "Defined")
def _defined(state: LocalityState, fact: Fact, data: dict[str, Any], _: str | None) -> None:
    state.measures[fact.aggregate_id] = MeasureState(
        id=fact.aggregate_id,
        plan_id=data["plan_id"],
        goal_id=data["goal_id"],
        name=data["name"],
        kind=data["kind"],
        unit=data["unit"],
        baseline=data["baseline"],
        target=data["target"],
        shared_code=data["shared_code"],
    )


@handles("Measure", "Observed")
def _observed(state: LocalityState, fact: Fact, data: dict[str, Any], _: str | None) -> None:
    observation = {
        "on": data["on"],
        "value": data["value"],
        "story": data["story"],
        "evidence": data["evidence"],
    }
    state.measures[fact.aggregate_id].observations.append(observation)
