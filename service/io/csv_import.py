"""The four CSV sheets an import reads (stakeholders with their assets, relationships,
meetings with attendance, commitments), their columns (docs/import.md), and each row
read into a typed row or the problems of its cells. Names of stakeholders and meetings
are resolved later, against the locality (``service.io.plan``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TypeVar

from domain.base import MAX_NAME, text
from domain.commitment import FULFILLED, MISSED, OPEN, WITHDRAWN
from domain.errors import InvalidInputError
from domain.vocabulary import (
    INTENSITY_LABELS,
    AssetCategory,
    MeetingKind,
    RelationshipKind,
    Source,
    StakeholderKind,
)
from service.io.reading import (
    BadCell,
    Problem,
    Record,
    name_key,
    parse_date,
    parse_yes_no,
    split_list,
    vocabulary_key,
)

T = TypeVar("T")
STATUSES = (OPEN, FULFILLED, MISSED, WITHDRAWN)
WITHDRAWN_REASON = "Withdrawn, as recorded in an imported spreadsheet"
END_REASON = "Ended, as recorded in an imported spreadsheet"


class ImportKind(StrEnum):
    STAKEHOLDERS = "stakeholders"
    RELATIONSHIPS = "relationships"
    MEETINGS = "meetings"
    COMMITMENTS = "commitments"
    KUMU = "kumu"


#: Required and optional columns of each sheet.
COLUMNS: dict[ImportKind, tuple[tuple[str, ...], tuple[str, ...]]] = {
    ImportKind.STAKEHOLDERS: (("name", "kind", "sector"), ("contact", "notes", "since", "assets")),
    ImportKind.RELATIONSHIPS: (
        ("from", "to", "kind", "intensity"),
        ("source", "directed", "valid_from", "valid_to", "end_reason"),
    ),
    ImportKind.MEETINGS: (("title", "held_on"), ("kind", "place", "attendees", "held")),
    ImportKind.COMMITMENTS: (
        ("promisor", "what", "due"),
        (
            "promisees",
            "to_change_group",
            "made_on",
            "meeting",
            "meeting_date",
            "status",
            "closed_on",
            "outcome_note",
        ),
    ),
}


@dataclass(frozen=True)
class StakeholderRow:
    record: Record
    name: str
    kind: str
    sector: str
    contact: str = ""
    notes: str = ""
    since: date | None = None
    assets: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class RelationshipRow:
    record: Record
    source: str
    target: str
    kind: str
    intensity: int
    evidence: str = Source.DECLARED.value
    directed: bool | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    end_reason: str = END_REASON


@dataclass(frozen=True)
class MeetingRow:
    record: Record
    title: str
    held_on: date
    kind: str
    place: str
    attendees: tuple[str, ...]
    held: bool | None


@dataclass(frozen=True)
class CommitmentRow:
    record: Record
    promisor: str
    what: str
    due: date
    promisees: tuple[str, ...]
    to_change_group: bool | None
    made_on: date | None
    meeting: str
    meeting_date: date | None
    status: str
    closed_on: date | None
    outcome_note: str


Row = StakeholderRow | RelationshipRow | MeetingRow | CommitmentRow


class Cells:
    """Reads the cells of one record, collecting a problem for each one that is bad."""

    def __init__(self, record: Record) -> None:
        self.record = record
        self.problems: list[Problem] = []

    def read(self, column: str, parse: Callable[[str], T], default: T) -> T:
        try:
            return parse(self.record.get(column))
        except BadCell as bad:
            self.problems.append(self.record.problem(bad.column, bad.problem, bad.allowed))
            return default

    def check(self, column: str, ok: bool, problem: str, allowed: str) -> None:
        if not ok:
            self.problems.append(self.record.problem(column, problem, allowed))


def words(
    column: str, allowed: Mapping[str, T], *, default: T | None = None, describe: str = ""
) -> Callable[[str], T]:
    """A parser of one word of a vocabulary (keys as ``vocabulary_key`` spells them)."""

    def parse(value: str) -> T:
        if not value and default is not None:
            return default
        found = allowed.get(vocabulary_key(value))
        if found is None:
            problem = "missing" if not value else "not one of the allowed values"
            raise BadCell(column, problem, describe or ", ".join(dict.fromkeys(map(str, allowed.values()))))
        return found

    return parse


def vocabulary(values: type[StrEnum]) -> dict[str, str]:
    return {v.value: v.value for v in values}


def text_cell(column: str, *, max_length: int = 4000, required: bool = True) -> Callable[[str], str]:
    def parse(value: str) -> str:
        try:
            return text(column, value, max_length=max_length, required=required)
        except InvalidInputError as error:
            kind = "text" if required else "text, or nothing"
            raise BadCell(column, error.message, f"{kind} of at most {max_length} characters") from None

    return parse


def date_cell(column: str) -> Callable[[str], date]:
    return lambda value: parse_date(column, value)


def yes_no_cell(column: str) -> Callable[[str], bool]:
    return lambda value: parse_yes_no(column, value)


def optional(parse: Callable[[str], T]) -> Callable[[str], T | None]:
    """The parser for a cell that may be left empty (None)."""
    return lambda value: parse(value) if value else None


def sector_words(sectors: Mapping[str, str]) -> dict[str, str]:
    """The words that name each sector: its value, and its label as written in the list."""
    found = {vocabulary_key(value): value for value in sectors}
    found.update({vocabulary_key(label): value for value, label in sectors.items()})
    return found


def _assets(value: str) -> tuple[tuple[str, str], ...]:
    categories = vocabulary(AssetCategory)
    allowed = f"category: description, separated by semicolons; categories: {', '.join(categories)}"
    assets = []
    for item in split_list(value):
        category, colon, description = item.partition(":")
        if not colon or vocabulary_key(category) not in categories:
            raise BadCell("assets", f"{item!r} does not start with a category and a colon", allowed)
        described = text_cell("assets", max_length=MAX_NAME * 5)(description)
        assets.append((categories[vocabulary_key(category)], described))
    return tuple(dict.fromkeys(assets))


def stakeholder_row(record: Record, sectors: Mapping[str, str]) -> StakeholderRow | list[Problem]:
    c = Cells(record)
    row = StakeholderRow(
        record,
        name=c.read("name", text_cell("name", max_length=MAX_NAME), ""),
        kind=c.read("kind", words("kind", vocabulary(StakeholderKind)), ""),
        sector=c.read("sector", words("sector", sector_words(sectors)), ""),
        contact=c.read("contact", text_cell("contact", max_length=MAX_NAME * 2, required=False), ""),
        notes=c.read("notes", text_cell("notes", required=False), ""),
        since=c.read("since", optional(date_cell("since")), None),
        assets=c.read("assets", _assets, ()),
    )
    return c.problems or row


INTENSITY_HELP = "1 to 4, or " + ", ".join(INTENSITY_LABELS.values())
INTENSITIES = {**{str(n): n for n in INTENSITY_LABELS}, **{w: n for n, w in INTENSITY_LABELS.items()}}


def relationship_row(record: Record) -> RelationshipRow | list[Problem]:
    c = Cells(record)
    row = RelationshipRow(
        record,
        source=c.read("from", text_cell("from", max_length=MAX_NAME), ""),
        target=c.read("to", text_cell("to", max_length=MAX_NAME), ""),
        kind=c.read("kind", words("kind", vocabulary(RelationshipKind)), ""),
        intensity=c.read("intensity", words("intensity", INTENSITIES, describe=INTENSITY_HELP), 0),
        evidence=c.read("source", words("source", vocabulary(Source), default="declared"), ""),
        directed=c.read("directed", optional(yes_no_cell("directed")), None),
        valid_from=c.read("valid_from", optional(date_cell("valid_from")), None),
        valid_to=c.read("valid_to", optional(date_cell("valid_to")), None),
        end_reason=c.read("end_reason", text_cell("end_reason", required=False), "") or END_REASON,
    )
    if row.valid_from and row.valid_to:
        c.check(
            "valid_to", row.valid_to >= row.valid_from, "before valid_from", "a date on or after valid_from"
        )
    if not c.problems and name_key(row.source) == name_key(row.target):
        c.check("to", False, "the same stakeholder as from", "another stakeholder")
    return c.problems or row


def meeting_row(record: Record) -> MeetingRow | list[Problem]:
    c = Cells(record)
    kinds = vocabulary(MeetingKind)
    row = MeetingRow(
        record,
        title=c.read("title", text_cell("title", max_length=MAX_NAME), ""),
        held_on=c.read("held_on", date_cell("held_on"), date.min),
        kind=c.read("kind", words("kind", kinds, default="change_group"), ""),
        place=c.read("place", text_cell("place", max_length=MAX_NAME, required=False), ""),
        attendees=tuple(split_list(record.get("attendees"))),
        held=c.read("held", optional(yes_no_cell("held")), None),
    )
    return c.problems or row


def commitment_row(record: Record) -> CommitmentRow | list[Problem]:
    c = Cells(record)
    row = CommitmentRow(
        record,
        promisor=c.read("promisor", text_cell("promisor", max_length=MAX_NAME), ""),
        what=c.read("what", text_cell("what"), ""),
        due=c.read("due", date_cell("due"), date.min),
        promisees=tuple(split_list(record.get("promisees"))),
        to_change_group=c.read("to_change_group", optional(yes_no_cell("to_change_group")), None),
        made_on=c.read("made_on", optional(date_cell("made_on")), None),
        meeting=record.get("meeting"),
        meeting_date=c.read("meeting_date", optional(date_cell("meeting_date")), None),
        status=c.read("status", words("status", {s: s for s in STATUSES}, default=OPEN), OPEN),
        closed_on=c.read("closed_on", optional(date_cell("closed_on")), None),
        outcome_note=c.read("outcome_note", text_cell("outcome_note", required=False), ""),
    )
    if row.status != OPEN:
        c.check("closed_on", row.closed_on is not None, "missing", f"the date it was {row.status}")
    elif row.closed_on is not None:
        c.check("status", False, "open, but closed_on is given", "fulfilled, missed or withdrawn")
    if row.made_on is not None:
        c.check("due", row.due >= row.made_on, "before made_on", "a date on or after made_on")
        if row.closed_on is not None:
            c.check("closed_on", row.closed_on >= row.made_on, "before made_on", "a date on or after made_on")
    if row.to_change_group is False:
        c.check("promisees", bool(row.promisees), "missing", "the promisees' names, or to_change_group yes")
    return c.problems or row
