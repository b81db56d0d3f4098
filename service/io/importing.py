"""An import from start to end: read the files, plan what is new against the locality
(the dry run), and write the plan through the Application a batch at a time."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import date
from functools import partial
from uuid import UUID

from domain.application import CivicWeave
from domain.commitment import OPEN, WITHDRAWN
from domain.errors import CivicWeaveError, ConflictError
from domain.importing import BATCH_SIZE, BulkImport
from domain.vocabulary import SECTOR_LABELS
from projections.state import LocalityState
from service.io import kumu
from service.io.csv_import import (
    COLUMNS,
    WITHDRAWN_REASON,
    ImportKind,
    MeetingRow,
    RelationshipRow,
    Row,
    StakeholderRow,
    commitment_row,
    meeting_row,
    relationship_row,
    stakeholder_row,
)
from service.io.matching import Planner
from service.io.plan import NewCommitment, NewMeeting, NewRelationship, NewStakeholder, Plan
from service.io.reading import Problem, Record, Sheet, read_sheet
from service.io.report import ImportReport

Progress = Callable[[int], None]


class ImportStoppedError(ConflictError):
    """A write failed part of the way through: the batches before it stay saved."""


def sectors_of(state: LocalityState) -> dict[str, str]:
    """The locality's sectors, each with its label."""
    labels = {**SECTOR_LABELS, **state.extra_sectors}
    return {sector: labels.get(sector, sector) for sector in state.sectors}


def _read(
    kind: ImportKind, files: Sequence[tuple[str, bytes]], state: LocalityState, report: ImportReport
) -> list[Row]:
    sectors = sectors_of(state)
    if kind is ImportKind.KUMU:
        return _read_kumu(files, sectors, report)
    required, optional = COLUMNS[kind]
    rows: list[Row] = []
    for name, data in files:
        sheet = read_sheet(name, data, required=required, optional=optional)
        _note_sheet(sheet, report)
        for record in sheet.records:
            if kind is ImportKind.STAKEHOLDERS:
                parsed: Row | list[Problem] = stakeholder_row(record, sectors)
            elif kind is ImportKind.RELATIONSHIPS:
                parsed = relationship_row(record)
            elif kind is ImportKind.MEETINGS:
                parsed = meeting_row(record)
            else:
                parsed = commitment_row(record)
            _keep(parsed, rows, report)
    return rows


def _note_sheet(sheet: Sheet, report: ImportReport) -> None:
    report.rows += len(sheet.records)
    report.bad_rows.extend(sheet.problems)
    if sheet.ignored:
        report.notes.append(f"{sheet.name}: columns not used: {', '.join(sheet.ignored)}")


def _keep(parsed: Row | list[Problem], rows: list[Row], report: ImportReport) -> None:
    if isinstance(parsed, list):
        report.bad_rows.extend(parsed)
    else:
        rows.append(parsed)


def _read_kumu(
    files: Sequence[tuple[str, bytes]], sectors: dict[str, str], report: ImportReport
) -> list[Row]:
    elements: list[Row] = []
    connections: list[Row] = []
    every = {
        *kumu.ELEMENT_COLUMNS[0],
        *kumu.ELEMENT_COLUMNS[1],
        *kumu.CONNECTION_COLUMNS[0],
        *kumu.CONNECTION_COLUMNS[1],
    }
    other_sector = 0
    for name, data in files:
        sheet = read_sheet(name, data, required=(), optional=every)
        is_elements, is_connections = "label" in sheet.columns, {"from", "to"} <= set(sheet.columns)
        if not sheet.problems and not is_elements and not is_connections:
            allowed = "an Elements sheet (with a Label column) or a Connections sheet (with From and To)"
            sheet.problems.append(
                Problem(name, 1, "", "", "neither an Elements nor a Connections sheet", allowed)
            )
        _note_sheet(sheet, report)
        for record in sheet.records:
            if is_elements:
                parsed, defaulted = kumu.element_row(record, sectors)
                other_sector += defaulted
                _keep(parsed, elements, report)
            elif is_connections:
                _keep(kumu.connection_row(record), connections, report)
    if other_sector:
        report.notes.append(
            f"{other_sector} elements have no Type or Tag naming a sector: they go in sector other"
        )
    unnamed = sum(1 for row in connections if isinstance(row, RelationshipRow) and row.kind == "other")
    if unnamed:
        report.notes.append(f"{unnamed} connections have no Type naming a kind of relationship: kind other")
    return [*elements, *connections]


def plan_import(
    kind: ImportKind, files: Sequence[tuple[str, bytes]], state: LocalityState, *, today: date
) -> Plan:
    """The dry run: what the files would add to the locality, and every bad row."""
    report = ImportReport(kind=kind.value, files=[name for name, _ in files])
    planner = Planner(state, report, today=today)
    for row in _read(kind, files, state, report):
        if isinstance(row, StakeholderRow):
            planner.stakeholder(row)
        elif isinstance(row, RelationshipRow):
            planner.relationship(row)
        elif isinstance(row, MeetingRow):
            planner.meeting(row)
        else:
            planner.commitment(row)
    report.bad_rows.sort(key=lambda p: (report.files.index(p.file), p.line))
    return planner.plan


def write_plan(
    app: CivicWeave,
    slug: str,
    plan: Plan,
    *,
    actor: str,
    batch_size: int = BATCH_SIZE,
    advance: Progress = lambda steps: None,
) -> ImportReport:
    """Write what the plan adds, ``batch_size`` aggregates per transaction."""
    bulk = BulkImport(app, slug, actor=actor, batch_size=batch_size)
    current: Record | None = None
    try:
        for record, step in _steps(bulk, plan):
            current = record
            step()
            advance(1)
        current = None
        bulk.flush()
    except CivicWeaveError as error:
        where = f"{current.file} line {current.line}: " if current is not None else ""
        raise ImportStoppedError(
            f"{where}{error}; {bulk.saved} records were saved before this: "
            "fix the cause and import the same files again to add the rest"
        ) from error
    plan.report.written = True
    plan.report.position = app.recorder.max_notification_id()
    return plan.report


Step = tuple[Record, Callable[[], object]]


def _steps(bulk: BulkImport, plan: Plan) -> Iterator[Step]:
    """Each write of the plan, with the row it comes from, in the order records depend on each other."""
    for new in plan.stakeholders:
        yield new.row.record, partial(_register, bulk, new)
    for assets in plan.assets:
        yield assets.row.record, partial(_assets, bulk, assets.stakeholder_id, assets.assets)
    for tie in plan.relationships:
        yield tie.row.record, partial(_form, bulk, tie)
    for meeting in plan.meetings:
        yield meeting.row.record, partial(_schedule, bulk, meeting)
    for attendance in plan.attendance.values():
        yield (
            attendance.row.record,
            partial(bulk.record_attendance, attendance.meeting_id, attendance.attendees),
        )
    for promise in plan.commitments:
        yield promise.row.record, partial(_promise, bulk, promise)


def _register(bulk: BulkImport, new: NewStakeholder) -> None:
    row = new.row
    bulk.register_stakeholder(
        kind=row.kind,
        sector=row.sector,
        name=row.name,
        contact=row.contact,
        notes=row.notes,
        since=row.since,
        stakeholder_id=new.id,
    )
    _assets(bulk, new.id, new.assets)


def _assets(bulk: BulkImport, stakeholder_id: UUID, assets: list[tuple[str, str]]) -> None:
    for category, description in assets:
        bulk.record_asset(stakeholder_id, category=category, description=description)


def _form(bulk: BulkImport, tie: NewRelationship) -> None:
    row = tie.row
    bulk.form_relationship(
        source_id=tie.source_id,
        target_id=tie.target_id,
        kind=row.kind,
        intensity=row.intensity,
        source=row.evidence,
        directed=tie.directed,
        valid_from=row.valid_from,
        valid_to=row.valid_to,
        end_reason=row.end_reason,
    )


def _schedule(bulk: BulkImport, meeting: NewMeeting) -> None:
    row = meeting.row
    meeting.id = bulk.schedule_meeting(
        kind=row.kind,
        title=row.title,
        held_on=row.held_on,
        place=row.place,
        held=meeting.held,
        attendees=meeting.attendees,
    )


def _promise(bulk: BulkImport, promise: NewCommitment) -> None:
    row = promise.row
    outcome = None
    if row.status != OPEN:
        assert row.closed_on is not None
        note = row.outcome_note or (WITHDRAWN_REASON if row.status == WITHDRAWN else "")
        outcome = (row.status, row.closed_on, note)
    meeting = promise.meeting.id if isinstance(promise.meeting, NewMeeting) else promise.meeting
    bulk.make_commitment(
        promisor_id=promise.promisor_id,
        what=row.what,
        due=row.due,
        promisee_ids=promise.promisee_ids,
        to_change_group=promise.to_change_group,
        made_on=promise.made_on,
        meeting_id=meeting,
        outcome=outcome,
    )
