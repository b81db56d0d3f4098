"""The plan of an import: the records it adds, each with the row it comes from, in the
order they are written (``service.io.importing``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from service.io.csv_import import CommitmentRow, MeetingRow, RelationshipRow, StakeholderRow
from service.io.report import ImportReport


@dataclass
class NewStakeholder:
    row: StakeholderRow
    id: UUID
    assets: list[tuple[str, str]]


@dataclass
class NewAssets:
    row: StakeholderRow
    stakeholder_id: UUID
    assets: list[tuple[str, str]]


@dataclass
class NewRelationship:
    row: RelationshipRow
    source_id: UUID
    target_id: UUID
    directed: bool


@dataclass
class NewMeeting:
    row: MeetingRow
    held: bool
    attendees: list[UUID]
    id: UUID | None = None  # known once it is written


@dataclass
class NewAttendance:
    row: MeetingRow
    meeting_id: UUID
    attendees: list[UUID]


@dataclass
class NewCommitment:
    row: CommitmentRow
    promisor_id: UUID
    promisee_ids: list[UUID]
    to_change_group: bool
    made_on: date
    meeting: UUID | NewMeeting | None


@dataclass
class Plan:
    report: ImportReport
    stakeholders: list[NewStakeholder] = field(default_factory=list)
    assets: list[NewAssets] = field(default_factory=list)
    relationships: list[NewRelationship] = field(default_factory=list)
    meetings: list[NewMeeting] = field(default_factory=list)
    attendance: dict[UUID, NewAttendance] = field(default_factory=dict)
    commitments: list[NewCommitment] = field(default_factory=list)

    @property
    def steps(self) -> int:
        """How many writes the plan makes (one per new record or group of assets/attendees)."""
        return (
            len(self.stakeholders)
            + len(self.assets)
            + len(self.relationships)
            + len(self.meetings)
            + len(self.attendance)
            + len(self.commitments)
        )
