"""Rows the pages show, read from a locality's state: commitments with names and states,
and the plain parsing of dates and pages sent in a query."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID

from projections.state import CommitmentState, LocalityState, at
from service.pages.web import PageError

EARLIEST, LATEST = date(1900, 1, 1), date(2999, 12, 31)

#: The board's sections, in the order a facilitator works through them.
BOARD = (
    ("due_soon", "Due soon", "Due within 14 days."),
    ("overdue", "Overdue", "The due date has passed and the commitment is still open."),
    ("open", "Open", "Not due for more than 14 days."),
    ("fulfilled", "Fulfilled", ""),
    ("missed", "Missed", ""),
    ("withdrawn", "Withdrawn", "Shown, but not counted in the kept rate."),
)
STATE_LABELS = {key: label for key, label, _ in BOARD}
OPEN_STATES = frozenset({"open", "due_soon", "overdue"})


@dataclass(frozen=True)
class Party:
    id: str
    name: str
    sector: str


@dataclass(frozen=True)
class CommitmentRow:
    id: str
    what: str
    promisor: Party
    promisees: tuple[Party, ...]
    to_change_group: bool
    made_on: date
    due: date
    original_due: date
    state: str
    closed_on: date | None
    renegotiations: int
    meeting_id: str | None
    meeting_title: str

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def to_whom(self) -> str:
        names = [p.name for p in self.promisees] + (["the Change Group"] if self.to_change_group else [])
        return ", ".join(names) or "–"


def party(state: LocalityState, stakeholder_id: str, day: date) -> Party:
    row = state.stakeholders.get(stakeholder_id)
    if row is None:
        return Party(stakeholder_id, "unknown stakeholder", "other")
    return Party(row.id, row.name, state.sector_of(row.id, day))


def commitment_row(state: LocalityState, commitment: CommitmentState, day: date) -> CommitmentRow:
    """The commitment as it stood on ``day`` (made on or before it)."""
    promisor = state.resolve(at(commitment.promisor, day) or commitment.promisor[0][1], day)
    meeting = state.meetings.get(commitment.meeting_id or "")
    outcome = commitment.outcome if commitment.outcome and commitment.outcome[1] <= day else None
    return CommitmentRow(
        id=commitment.id,
        what=commitment.what,
        promisor=party(state, promisor, day),
        promisees=tuple(party(state, p, day) for p in commitment.promisees),
        to_change_group=commitment.to_change_group,
        made_on=commitment.made_on,
        due=at(commitment.due, day) or commitment.original_due,
        original_due=commitment.original_due,
        state=commitment.state(day) or "open",
        closed_on=outcome[1] if outcome else None,
        renegotiations=commitment.renegotiations(day),
        meeting_id=commitment.meeting_id,
        meeting_title=meeting.title if meeting else "",
    )


def commitment_rows(state: LocalityState, day: date) -> list[CommitmentRow]:
    """Every commitment made by ``day``, the soonest due first."""
    rows = [commitment_row(state, c, day) for c in state.commitments.values() if c.made_on <= day]
    rows.sort(key=lambda r: (r.due, r.what))
    return rows


def parse_day(value: str | None, field: str) -> date | None:
    """A date from a query or form (YYYY-MM-DD), or None if blank; a 422 page if not a date."""
    if value is None or not value.strip():
        return None
    try:
        parsed = date.fromisoformat(value.strip())
    except ValueError:
        raise PageError(
            422, "Please check the date", f"{field}: {value!r} is not a date; use YYYY-MM-DD"
        ) from None
    if not EARLIEST <= parsed <= LATEST:
        raise PageError(422, "Please check the date", f"{field}: give a date from {EARLIEST} to {LATEST}")
    return parsed


def period(start: str | None, end: str | None, today: date, *, default_days: int = 90) -> tuple[date, date]:
    """A period from ``from`` to ``to`` (both included); by default the ``default_days`` up to today."""
    last = parse_day(end, "to") or today
    first = parse_day(start, "from") or last - timedelta(days=default_days - 1)
    if first > last:
        raise PageError(422, "Please check the dates", f"from ({first}) must not be after to ({last})")
    if first - timedelta(days=(last - first).days + 1) < EARLIEST:
        raise PageError(422, "Please check the dates", f"give a period that starts after {EARLIEST}")
    return first, last


def uuid_or_none(value: object) -> UUID | None:
    if not isinstance(value, str):
        return None
    try:
        return UUID(value.strip())
    except ValueError:
        return None


def page_number(value: str | None) -> int:
    return int(value) if value and value.isdigit() and 0 < int(value) < 100_000 else 1
