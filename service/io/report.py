"""What an import would add (a dry run) or added, what was already there, and every bad row."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from service.io.reading import Problem

#: The records an import adds, in the order they are written.
RECORDS = ("stakeholders", "assets", "relationships", "meetings", "attendances", "commitments")


@dataclass(frozen=True)
class Addition:
    file: str
    line: int
    record: str
    description: str


@dataclass
class ImportReport:
    """``to_add`` counts what the import adds (or, once ``written``, added); ``present``
    what the files name that the record already has, or an earlier row already gave."""

    kind: str
    files: list[str]
    rows: int = 0
    to_add: Counter[str] = field(default_factory=Counter)
    present: Counter[str] = field(default_factory=Counter)
    bad_rows: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    additions: list[Addition] = field(default_factory=list)
    written: bool = False
    position: int | None = None

    def add(self, file: str, line: int, record: str, description: str, count: int = 1) -> None:
        self.to_add[record] += count
        self.additions.append(Addition(file, line, record, description))

    @property
    def bad_row_count(self) -> int:
        """Rows with at least one problem (a file that cannot be read counts as one)."""
        return len({(p.file, p.line) for p in self.bad_rows})

    @property
    def nothing_to_add(self) -> bool:
        return not any(self.to_add.values())

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "files": self.files,
            "rows": self.rows,
            "to_add": {record: self.to_add[record] for record in RECORDS},
            "already_present": {record: self.present[record] for record in RECORDS},
            "bad_row_count": self.bad_row_count,
            "bad_rows": [p.as_json() for p in self.bad_rows],
            "notes": self.notes,
            "additions": [
                {"file": a.file, "line": a.line, "record": a.record, "description": a.description}
                for a in self.additions
            ],
            "written": self.written,
            "position": self.position,
        }
