"""Reading spreadsheets saved as CSV: UTF-8 with or without a byte-order mark, the header
on the first line, one record per row; and the cell formats the imports accept (dates
as YYYY-MM-DD or DD/MM/YYYY, yes/no, lists separated by semicolons).

Every problem is reported as a ``Problem`` naming the file, the line, the column, what
is wrong and what is allowed, so that a facilitator can fix the spreadsheet.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

DATE_FORMATS = "a date as YYYY-MM-DD or DD/MM/YYYY"
YES_NO = "yes or no (also true/false, y/n, 1/0)"
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_UK = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_YES, _NO = {"yes", "y", "true", "1"}, {"no", "n", "false", "0"}


@dataclass(frozen=True)
class Problem:
    """What is wrong with one cell (or a whole file, at line 1 with no column)."""

    file: str
    line: int
    column: str
    value: str
    problem: str
    allowed: str

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "value": self.value,
            "problem": self.problem,
            "allowed": self.allowed,
        }


@dataclass(frozen=True)
class Record:
    """One row: its file, the line it starts on, and its cells by (normalised) column."""

    file: str
    line: int
    cells: dict[str, str]

    def get(self, column: str) -> str:
        return self.cells.get(column, "")

    def problem(self, column: str, problem: str, allowed: str) -> Problem:
        return Problem(self.file, self.line, column, self.get(column), problem, allowed)


class BadCell(ValueError):
    """A cell that cannot be read: ``problem`` says why, ``allowed`` what would do."""

    def __init__(self, column: str, problem: str, allowed: str) -> None:
        super().__init__(f"{column}: {problem}")
        self.column, self.problem, self.allowed = column, problem, allowed


@dataclass(frozen=True)
class Sheet:
    """The records of one file, the problems that stop it being read, and the columns
    it has that the import does not use."""

    name: str
    columns: tuple[str, ...]
    records: list[Record]
    problems: list[Problem]
    ignored: tuple[str, ...]


def column_name(header: str) -> str:
    """The normalised name of a header: trimmed, lower case, spaces and hyphens as "_".

    >>> column_name(" Valid From"), column_name("Connection-Type")
    ('valid_from', 'connection_type')
    """
    return re.sub(r"[\s\-]+", "_", header.strip().lower())


def read_sheet(name: str, data: bytes, *, required: Sequence[str], optional: Iterable[str] = ()) -> Sheet:
    """The rows of a CSV file whose header has the ``required`` columns."""
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        problem = Problem(
            name, line, "", "", "the file is not UTF-8 text", 'a CSV file saved as UTF-8 ("CSV UTF-8")'
        )
        return Sheet(name, (), [], [problem], ())
    first_line = content.split("\n", 1)[0]
    delimiter = next((d for d in (",", ";", "\t") if d in first_line), ",")
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=delimiter)
    header = [column_name(h) for h in next(reader, [])]
    missing = [c for c in required if c not in header]
    known = {*required, *optional}
    if missing:
        allowed = f"a header line with the columns {', '.join(required)} (optional: {', '.join(optional)})"
        problems = [Problem(name, 1, c, "", "this column is missing", allowed) for c in missing]
        return Sheet(name, tuple(header), [], problems, ())
    records, problems = [], []
    line = reader.line_num
    for row in reader:
        start, line = line + 1, reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header) and any(cell.strip() for cell in row[len(header) :]):
            problems.append(
                Problem(
                    name,
                    start,
                    "",
                    delimiter.join(row),
                    f"the row has {len(row)} cells but the header has {len(header)} columns",
                    "one cell per column (quote cells that contain the separator)",
                )
            )
            continue
        cells = {column: cell.strip() for column, cell in zip(header, row, strict=False) if column in known}
        records.append(Record(name, start, cells))
    ignored = tuple(h for h in header if h and h not in known)
    return Sheet(name, tuple(header), records, problems, ignored)


def parse_date(column: str, value: str) -> date:
    """A date written as YYYY-MM-DD or DD/MM/YYYY.

    >>> parse_date("due", "2024-03-01"), parse_date("due", "1/3/2024")
    (datetime.date(2024, 3, 1), datetime.date(2024, 3, 1))
    """
    iso, uk = _ISO.match(value), _UK.match(value)
    if iso:
        year, month, day = (int(p) for p in iso.groups())
    elif uk:
        day, month, year = (int(p) for p in uk.groups())
    else:
        raise BadCell(column, "not a date", DATE_FORMATS)
    try:
        return date(year, month, day)
    except ValueError:
        raise BadCell(column, "no such day", DATE_FORMATS) from None


def parse_yes_no(column: str, value: str) -> bool:
    word = value.strip().lower()
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise BadCell(column, "not yes or no", YES_NO)


def split_list(value: str, separators: str = ";") -> list[str]:
    """The non-empty, trimmed items of a list cell.

    >>> split_list(" a; b ;; c ")
    ['a', 'b', 'c']
    """
    items = re.split(f"[{re.escape(separators)}]", value)
    return [item.strip() for item in items if item.strip()]


def name_key(name: str) -> str:
    """How names are matched: trimmed, inner spaces collapsed, case ignored.

    >>> name_key("  Riverside   FOOD bank ") == name_key("riverside food bank")
    True
    """
    return " ".join(name.split()).casefold()


def vocabulary_key(value: str) -> str:
    """A vocabulary word as written in a cell, as the domain spells it: "Refers to" -> "refers_to"."""
    return re.sub(r"[\s\-/]+", "_", value.strip().lower())
