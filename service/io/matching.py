"""Matching the rows of an import against the locality as its views hold it, to plan
what is new: stakeholders by name (trimmed, case ignored), relationships by their ends
and kind, meetings by title and date, commitments by promisor, what and due date. A
re-import of the same files therefore adds nothing."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from uuid import UUID, uuid4

from domain.vocabulary import DIRECTED_KINDS
from projections.state import LocalityState, MeetingState, StakeholderState
from service.io.csv_import import CommitmentRow, MeetingRow, RelationshipRow, StakeholderRow
from service.io.plan import (
    NewAssets,
    NewAttendance,
    NewCommitment,
    NewMeeting,
    NewRelationship,
    NewStakeholder,
    Plan,
)
from service.io.reading import Problem, Record, name_key
from service.io.report import ImportReport

ACTIVE = "active"


class Unresolved(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.problem)
        self.problem = problem


def _tie_key(kind: str, source: UUID, target: UUID, directed: bool) -> tuple[str, UUID, UUID]:
    first, second = (source, target) if directed else tuple(sorted((source, target), key=str))
    return kind, first, second


class Planner:
    """Adds rows to a plan one at a time, each checked against the locality and the rows before it."""

    def __init__(self, state: LocalityState, report: ImportReport, *, today: date) -> None:
        self.state, self.today = state, today
        self.plan = Plan(report)
        self.report = report
        self._names: dict[str, list[StakeholderState]] = defaultdict(list)
        for row in list(state.stakeholders.values()):
            self._names[name_key(row.name)].append(row)
        self._new: dict[str, NewStakeholder] = {}
        self._ties = {
            _tie_key(rel.kind, UUID(state.resolve(rel.source)), UUID(state.resolve(rel.target)), rel.directed)
            for rel in list(state.relationships.values())
        }
        self._meetings: dict[str, list[MeetingState | NewMeeting]] = defaultdict(list)
        for meeting in list(state.meetings.values()):
            self._meetings[name_key(meeting.title)].append(meeting)
        self._promises = {
            (UUID(promisor), name_key(c.what), due)
            for c in list(state.commitments.values())
            for _, promisor in c.promisor
            for _, due in c.due
        }

    def bad(self, problems: list[Problem]) -> None:
        self.report.bad_rows.extend(problems)

    # Resolving names

    def who(self, record: Record, column: str, name: str) -> UUID:
        """The active stakeholder of this name (new in this import, or in the locality)."""
        key = name_key(name)
        if key in self._new:
            return self._new[key].id
        found = self._names.get(key, [])
        active = [row for row in found if row.status == ACTIVE]
        if len(active) == 1:
            return UUID(active[0].id)
        if active:
            problem = f"{len(active)} stakeholders of the locality are named {name!r}"
            allowed = "a name only one stakeholder has (rename or merge the others first)"
        elif found:
            problem = f"{name!r} is {found[0].status}: it cannot be given ties, attendance or commitments"
            allowed = "the name of an active stakeholder"
        else:
            problem = f"no stakeholder of the locality is named {name!r}"
            allowed = "the name of a stakeholder of the locality (import the stakeholders first)"
        raise Unresolved(Problem(record.file, record.line, column, name, problem, allowed))

    def _resolve(self, record: Record, wanted: list[tuple[str, tuple[str, ...]]]) -> list[list[UUID]] | None:
        """The stakeholders named in each column, or None (and every problem reported)."""
        found, problems = [], []
        for column, names in wanted:
            ids = []
            for name in names:
                try:
                    ids.append(self.who(record, column, name))
                except Unresolved as unresolved:
                    problems.append(unresolved.problem)
            found.append(list(dict.fromkeys(ids)))
        if problems:
            self.bad(problems)
            return None
        return found

    # Rows

    def stakeholder(self, row: StakeholderRow) -> None:
        key, record = name_key(row.name), row.record
        if key in self._new:
            earlier = self._new[key]
            if (earlier.row.kind, earlier.row.sector) != (row.kind, row.sector):
                where = f"line {earlier.row.record.line} of {earlier.row.record.file}"
                self.bad(
                    [
                        record.problem(
                            "name",
                            f"already on {where} as another kind or sector",
                            f"{earlier.row.kind} in sector {earlier.row.sector}, as there",
                        )
                    ]
                )
                return
            more = [a for a in row.assets if a not in earlier.assets]
            earlier.assets.extend(more)
            self.report.present["stakeholders"] += 1
            self.report.present["assets"] += len(row.assets) - len(more)
            self.report.to_add["assets"] += len(more)
            return
        found = self._names.get(key)
        if found:
            self._existing(row, next((s for s in found if s.status == ACTIVE), found[0]))
            return
        new = NewStakeholder(row, uuid4(), list(row.assets))
        self._new[key] = new
        self.plan.stakeholders.append(new)
        self.report.to_add["assets"] += len(row.assets)
        described = f"{row.name} ({row.kind}, {row.sector}) with {len(row.assets)} assets"
        self.report.add(record.file, record.line, "stakeholders", described)

    def _existing(self, row: StakeholderRow, stakeholder: StakeholderState) -> None:
        held = {(category, name_key(description)) for category, description in stakeholder.assets.values()}
        more = [a for a in row.assets if (a[0], name_key(a[1])) not in held]
        self.report.present["stakeholders"] += 1
        self.report.present["assets"] += len(row.assets) - len(more)
        if not more:
            return
        if stakeholder.status != ACTIVE:
            self.bad(
                [
                    row.record.problem(
                        "assets",
                        f"{row.name!r} is {stakeholder.status}: no new assets",
                        "no assets for a stakeholder that is not active",
                    )
                ]
            )
            return
        self.plan.assets.append(NewAssets(row, UUID(stakeholder.id), more))
        for category, description in more:
            self.report.add(
                row.record.file, row.record.line, "assets", f"{row.name}: {category}: {description}"
            )

    def relationship(self, row: RelationshipRow) -> None:
        record = row.record
        resolved = self._resolve(record, [("from", (row.source,)), ("to", (row.target,))])
        if resolved is None:
            return
        (source,), (target,) = resolved
        if source == target:
            self.bad([record.problem("to", "the same stakeholder as from", "another stakeholder")])
            return
        if row.valid_to is not None and row.valid_to < (row.valid_from or self.today):
            self.bad(
                [
                    record.problem(
                        "valid_to",
                        "before the tie began (valid_from, or today if not given)",
                        "a date on or after valid_from",
                    )
                ]
            )
            return
        directed = row.kind in DIRECTED_KINDS if row.directed is None else row.directed
        key = _tie_key(row.kind, source, target, directed)
        if key in self._ties:
            self.report.present["relationships"] += 1
            return
        self._ties.add(key)
        self.plan.relationships.append(NewRelationship(row, source, target, directed))
        since = (row.valid_from or self.today).isoformat()
        described = f"{row.source} {row.kind} {row.target} (intensity {row.intensity}, from {since})"
        self.report.add(record.file, record.line, "relationships", described)

    def meeting(self, row: MeetingRow) -> None:
        record = row.record
        resolved = self._resolve(record, [("attendees", row.attendees)])
        if resolved is None:
            return
        (attendees,) = resolved
        same = [m for m in self._meetings.get(name_key(row.title), []) if _held_on(m) == row.held_on]
        if not same:
            new = NewMeeting(row, row.held if row.held is not None else row.held_on <= self.today, attendees)
            self._meetings[name_key(row.title)].append(new)
            self.plan.meetings.append(new)
            self.report.to_add["attendances"] += len(attendees)
            described = f"{row.title} on {row.held_on.isoformat()} with {len(attendees)} attendees"
            self.report.add(record.file, record.line, "meetings", described)
            return
        self.report.present["meetings"] += 1
        meeting = same[0]
        if isinstance(meeting, NewMeeting):
            more = [a for a in attendees if a not in meeting.attendees]
            meeting.attendees.extend(more)
            self.report.present["attendances"] += len(attendees) - len(more)
            self.report.to_add["attendances"] += len(more)
            return
        self._attendance(row, meeting, attendees)

    def _attendance(self, row: MeetingRow, meeting: MeetingState, attendees: list[UUID]) -> None:
        key = UUID(meeting.id)
        planned = self.plan.attendance.get(key)
        known = {UUID(a) for a in meeting.attendees} | set(planned.attendees if planned else ())
        more = [a for a in attendees if a not in known]
        self.report.present["attendances"] += len(attendees) - len(more)
        if not more:
            return
        if meeting.status == "cancelled":
            self.bad(
                [
                    row.record.problem(
                        "attendees", "the meeting was cancelled", "a meeting that was not cancelled"
                    )
                ]
            )
            return
        if planned is None:
            self.plan.attendance[key] = NewAttendance(row, key, more)
        else:
            planned.attendees.extend(more)
        described = f"{len(more)} more attendees of {row.title} on {row.held_on.isoformat()}"
        self.report.add(row.record.file, row.record.line, "attendances", described, count=len(more))

    def commitment(self, row: CommitmentRow) -> None:
        record = row.record
        resolved = self._resolve(record, [("promisor", (row.promisor,)), ("promisees", row.promisees)])
        try:
            meeting = self._made_at(row)
        except Unresolved as unresolved:
            self.bad([unresolved.problem])
            return
        if resolved is None:
            return
        (promisor,), promisees = resolved
        made = row.made_on or (_held_on(meeting) if meeting is not None else self.today)
        problems = []
        if promisor in promisees:
            problems.append(
                record.problem("promisees", "includes the promisor", "stakeholders other than the promisor")
            )
        if row.due < made:
            problems.append(
                record.problem(
                    "due",
                    f"before the commitment was made ({made.isoformat()})",
                    "a date on or after made_on (the meeting's date, or today, if not given)",
                )
            )
        if row.closed_on is not None and row.closed_on < made:
            problems.append(
                record.problem(
                    "closed_on",
                    f"before the commitment was made ({made.isoformat()})",
                    "a date on or after made_on",
                )
            )
        if problems:
            self.bad(problems)
            return
        key = (promisor, name_key(row.what), row.due)
        if key in self._promises:
            self.report.present["commitments"] += 1
            return
        self._promises.add(key)
        to_group = row.to_change_group if row.to_change_group is not None else not promisees
        meeting_ref = meeting if isinstance(meeting, NewMeeting) or meeting is None else UUID(meeting.id)
        self.plan.commitments.append(NewCommitment(row, promisor, promisees, to_group, made, meeting_ref))
        described = f"{row.promisor}: {row.what} (due {row.due.isoformat()}, {row.status})"
        self.report.add(record.file, record.line, "commitments", described)

    def _made_at(self, row: CommitmentRow) -> MeetingState | NewMeeting | None:
        if not row.meeting:
            return None
        record = row.record
        titled = self._meetings.get(name_key(row.meeting), [])
        found = [m for m in titled if row.meeting_date is None or _held_on(m) == row.meeting_date]
        if len(found) == 1 and isinstance(found[0], MeetingState) and found[0].status == "cancelled":
            problem, allowed = "the meeting was cancelled", "a meeting that was not cancelled"
        elif len(found) == 1:
            return found[0]
        elif found:
            problem = f"{len(found)} meetings have this title"
            allowed = "the meeting's date in meeting_date, as well as its title"
        else:
            problem = "no meeting of the locality has this title" + (" on meeting_date" if titled else "")
            allowed = "the title (and date) of a meeting of the locality (import the meetings first)"
        raise Unresolved(record.problem("meeting", problem, allowed))


def _held_on(meeting: MeetingState | NewMeeting) -> date:
    return meeting.held_on if isinstance(meeting, MeetingState) else meeting.row.held_on
