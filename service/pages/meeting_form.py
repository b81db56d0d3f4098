"""Recording a meeting in one go, the facilitator's main task: details, attendance,
decisions and the commitments made at it.

Everything sent is checked before anything is written; on any error the form comes
back (422) as it was filled in, each error beside its field. Rows can be added without
JavaScript: "Add a row" sends the form back with one more row and writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from domain.application import CivicWeave, Receipt
from domain.base import MAX_NAME, MAX_TEXT
from domain.errors import CivicWeaveError, ConflictError, NotFoundError
from domain.stakeholder import Stakeholder, StakeholderInactiveError
from domain.vocabulary import MeetingKind
from service.pages.forms import Errors, form_day
from service.pages.records import uuid_or_none

KINDS = [
    (MeetingKind.CHANGE_GROUP.value, "Change Group meeting"),
    (MeetingKind.WORKSHOP.value, "Workshop"),
    (MeetingKind.CONVERSATION.value, "Conversation"),
    (MeetingKind.NETWORKING.value, "Networking event"),
    (MeetingKind.PEER_NETWORK.value, "Peer-network event"),
]
DECISION_ROWS, COMMITMENT_ROWS, MAX_ROWS = 2, 3, 50


@dataclass
class CommitmentEntry:
    promisor: str = ""
    promisees: list[str] = field(default_factory=list)
    to_change_group: bool = False
    what: str = ""
    due: str = ""

    def blank(self) -> bool:
        return not (
            self.promisor or self.promisees or self.to_change_group or self.what.strip() or self.due.strip()
        )


@dataclass
class DecisionEntry:
    text: str = ""
    by_all: bool = False


@dataclass
class MeetingEntry:
    """The form as filled in: plain strings, kept as typed so the form can come back."""

    kind: str = MeetingKind.CHANGE_GROUP.value
    title: str = ""
    held_on: str = ""
    place: str = ""
    notes: str = ""
    attendees: list[str] = field(default_factory=list)
    decisions: list[DecisionEntry] = field(default_factory=list)
    commitments: list[CommitmentEntry] = field(default_factory=list)

    @classmethod
    def empty(cls, today: date) -> MeetingEntry:
        return cls(
            held_on=today.isoformat(),
            decisions=[DecisionEntry() for _ in range(DECISION_ROWS)],
            commitments=[CommitmentEntry() for _ in range(COMMITMENT_ROWS)],
        )

    @classmethod
    def from_form(cls, form: Any) -> MeetingEntry:
        def text(name: str) -> str:
            value = form.get(name)
            return value if isinstance(value, str) else ""

        def rows(name: str, default: int) -> int:
            count = text(name)
            return min(int(count), MAX_ROWS) if count.isdigit() else default

        decisions = [
            DecisionEntry(text(f"d{i}-text"), text(f"d{i}-all") == "yes")
            for i in range(rows("decisions", DECISION_ROWS))
        ]
        commitments = [
            CommitmentEntry(
                promisor=text(f"c{i}-promisor"),
                promisees=[v for v in form.getlist(f"c{i}-promisee") if isinstance(v, str) and v],
                to_change_group=text(f"c{i}-group") == "yes",
                what=text(f"c{i}-what"),
                due=text(f"c{i}-due"),
            )
            for i in range(rows("commitments", COMMITMENT_ROWS))
        ]
        return cls(
            kind=text("kind"),
            title=text("title"),
            held_on=text("held_on"),
            place=text("place"),
            notes=text("notes"),
            attendees=list(dict.fromkeys(v for v in form.getlist("attendee") if isinstance(v, str) and v)),
            decisions=decisions,
            commitments=commitments,
        )

    def add_row(self, which: str) -> None:
        if which == "decision" and len(self.decisions) < MAX_ROWS:
            self.decisions.append(DecisionEntry())
        if which == "commitment" and len(self.commitments) < MAX_ROWS:
            self.commitments.append(CommitmentEntry())


def field_labels(entry: MeetingEntry) -> dict[str, str]:
    """What each field is called, for the summary of errors at the top of the form."""
    labels = {"kind": "Kind", "title": "Title", "held_on": "Held on", "place": "Place", "notes": "Notes"}
    labels["attendee"] = "Who attended"
    for i in range(len(entry.decisions)):
        labels[f"d{i}-text"] = f"Decision {i + 1}"
    parts = {"promisor": "who made it", "promisee": "to whom", "what": "what", "due": "due by"}
    for i in range(len(entry.commitments)):
        labels.update({f"c{i}-{key}": f"Commitment {i + 1}, {text}" for key, text in parts.items()})
    return labels


@dataclass(frozen=True)
class Promise:
    promisor: UUID
    promisees: tuple[UUID, ...]
    to_change_group: bool
    what: str
    due: date


@dataclass(frozen=True)
class Checked:
    """The meeting, every part checked and ready to write."""

    kind: str
    title: str
    held_on: date
    place: str
    notes: str
    attendees: tuple[UUID, ...]
    decisions: tuple[tuple[str, bool], ...]
    promises: tuple[Promise, ...]


class _Active:
    """Whether an id is an active stakeholder of the locality, each looked up once."""

    def __init__(self, app: CivicWeave, slug: str) -> None:
        self.app, self.slug = app, slug
        self.known: dict[str, str | None] = {}

    def problem(self, value: str) -> str | None:
        if value not in self.known:
            key = uuid_or_none(value)
            try:
                if key is None:
                    raise NotFoundError("stakeholder", value)
                self.app.load(Stakeholder, key, locality=self.slug).require_active()
                self.known[value] = None
            except NotFoundError:
                self.known[value] = "is not a stakeholder of this locality"
            except StakeholderInactiveError:
                self.known[value] = "has been archived or merged: choose another"
        return self.known[value]


def _text(value: str, name: str, errors: Errors, *, limit: int, required: bool, missing: str) -> str:
    value = value.strip()
    if required and not value:
        errors[name] = missing
    elif len(value) > limit:
        errors[name] = f"use at most {limit:,} characters"
    elif "\x00" in value:
        errors[name] = "remove the NUL characters"
    return value


def check(app: CivicWeave, slug: str, entry: MeetingEntry) -> tuple[Errors, Checked | None]:
    """Every check the writes would make, before any is made: all the errors, or the meeting to write."""
    errors: Errors = {}
    active = _Active(app, slug)
    if entry.kind not in {k for k, _ in KINDS}:
        errors["kind"] = "choose the kind of meeting"
    title = _text(entry.title, "title", errors, limit=MAX_NAME, required=True, missing="enter a title")
    place = _text(entry.place, "place", errors, limit=MAX_NAME, required=False, missing="")
    notes = _text(entry.notes, "notes", errors, limit=20_000, required=False, missing="")
    held_on = form_day(entry.held_on, "held_on", errors, required=True)
    strangers = [a for a in entry.attendees if active.problem(a)]
    if strangers:
        errors["attendee"] = f"{len(strangers)} of the attendees ticked cannot attend: reload the form"
    decisions = []
    for i, decision in enumerate(entry.decisions):
        text = _text(decision.text, f"d{i}-text", errors, limit=MAX_TEXT, required=False, missing="")
        if text:
            decisions.append((text, decision.by_all))
        elif decision.by_all:
            errors[f"d{i}-text"] = "write the decision, or untick “agreed by everyone present”"
    promises = [
        _promise(i, c, held_on, active, errors) for i, c in enumerate(entry.commitments) if not c.blank()
    ]
    if errors or held_on is None:
        return errors, None
    attendees = tuple(UUID(a) for a in entry.attendees)
    return errors, Checked(
        entry.kind, title, held_on, place, notes, attendees, tuple(decisions), tuple(p for p in promises if p)
    )


def _promise(
    i: int, entry: CommitmentEntry, held_on: date | None, active: _Active, errors: Errors
) -> Promise | None:
    name = f"c{i}"
    if not entry.promisor:
        errors[f"{name}-promisor"] = "choose who made the commitment"
    elif problem := active.problem(entry.promisor):
        errors[f"{name}-promisor"] = f"this stakeholder {problem}"
    promisees = list(dict.fromkeys(entry.promisees))
    if any(active.problem(p) for p in promisees):
        errors[f"{name}-promisee"] = "one of the stakeholders chosen cannot be promised to: choose again"
    elif entry.promisor and entry.promisor in promisees:
        errors[f"{name}-promisee"] = "a stakeholder cannot make a commitment to itself"
    elif not promisees and not entry.to_change_group:
        errors[f"{name}-promisee"] = "choose whom it was promised to, or tick “to the Change Group”"
    what = _text(
        entry.what, f"{name}-what", errors, limit=MAX_TEXT, required=True, missing="say what was promised"
    )
    due = form_day(entry.due, f"{name}-due", errors, required=True)
    if due is not None and held_on is not None and due < held_on:
        errors[f"{name}-due"] = f"the due date is before the meeting ({held_on.isoformat()})"
    if any(key.startswith(f"{name}-") for key in errors) or due is None:
        return None
    return Promise(UUID(entry.promisor), tuple(UUID(p) for p in promisees), entry.to_change_group, what, due)


def write(app: CivicWeave, slug: str, meeting: Checked, *, actor: str) -> tuple[UUID, Receipt]:
    """Write the checked meeting: scheduled, attendance, held, decisions, notes, commitments."""
    scheduled = app.schedule_meeting(
        slug,
        kind=meeting.kind,
        title=meeting.title,
        held_on=meeting.held_on,
        place=meeting.place,
        actor=actor,
    )
    key = scheduled.id
    try:
        if meeting.attendees:
            app.record_attendance(slug, key, meeting.attendees, actor=actor)
        last = app.hold_meeting(slug, key, on=meeting.held_on, actor=actor)
        for text, by_all in meeting.decisions:
            agreed = meeting.attendees if by_all else ()
            last = app.record_decision(slug, key, text=text, agreed_by=agreed, actor=actor)
        if meeting.notes:
            last = app.record_notes(slug, key, meeting.notes, actor=actor)
        for p in meeting.promises:
            last = app.make_commitment(
                slug,
                promisor_id=p.promisor,
                promisee_ids=p.promisees,
                to_change_group=p.to_change_group,
                what=p.what,
                due=p.due,
                meeting_id=key,
                actor=actor,
            )
    except CivicWeaveError as error:
        raise ConflictError(
            f"the record changed while the meeting was being written, so only part of it was saved "
            f"(meeting {key}): {error}. Open the meeting to see what was saved."
        ) from error
    return key, last
