"""Meetings: the list with the participation figures, recording a meeting in one go,
and one meeting's page (attendance, decisions, commitments made at it, notes, history)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request, Response

from domain.errors import NotFoundError
from domain.meeting import Meeting
from service.pages.access import Place, ReadPlace, WritePlace, sector_labels
from service.pages.forms import Errors, require_writer
from service.pages.meeting_form import KINDS, MeetingEntry, check, field_labels, write
from service.pages.records import commitment_rows, page_number, parse_day
from service.pages.session import FormDep
from service.pages.trail import readable_trail
from service.pages.web import PageError, PageRoute, csv_response, redirect, render

router = APIRouter(route_class=PageRoute, include_in_schema=False)
PAGE_SIZE = 25
KIND_LABELS = dict(KINDS)


@router.get("/l/{slug}/meetings")
def meeting_list(
    request: Request,
    place: ReadPlace,
    page: str | None = None,
    as_of: str | None = None,
    format: str = "html",
    table: str = "meetings",
) -> Response:
    """The locality's meetings, latest first, and who came to the table in the last year."""
    state = place.state()
    day = parse_day(as_of, "as_of") or place.today()
    meetings = sorted(state.meetings.values(), key=lambda m: (m.held_on, m.id), reverse=True)
    table_data = place.reader.participation(place.slug, as_of=day)
    labels = sector_labels(state)
    if format == "csv":
        return _meetings_csv(place, table, meetings, table_data, labels)
    number = page_number(page)
    return render(
        request,
        "meetings.html",
        title="Meetings",
        section="meetings",
        meetings=meetings[(number - 1) * PAGE_SIZE : number * PAGE_SIZE],
        total=len(meetings),
        page=number,
        pages=max(1, -(-len(meetings) // PAGE_SIZE)),
        kinds=KIND_LABELS,
        participation=table_data,
        labels=labels,
        day=day,
        as_of=as_of or "",
    )


def _meetings_csv(
    place: Place, table: str, meetings: list[Any], data: dict[str, Any], labels: dict[str, str]
) -> Response:
    if table == "participation":
        rows: list[list[Any]] = [
            [
                s,
                labels.get(s, s),
                v["attendances"],
                v["distinct_attendees"],
                s in data["sectors_at_the_table"],
            ]
            for s, v in data["by_sector"].items()
        ]
        rows.append(["all", "All sectors", data["attendances"], data["distinct_attendees"], ""])
        header = ["sector", "sector_label", "attendances", "distinct_attendees", "at_change_group_meetings"]
        return csv_response(f"{place.slug}-participation-{data['as_of']}.csv", header, rows)
    if table != "meetings":
        raise PageError(404, "No such table", f"there is no table {table!r} here")
    body = (
        [m.held_on.isoformat(), m.title, m.kind, m.status, m.place, len(m.attendees), len(m.decisions), m.id]
        for m in meetings
    )
    header = ["held_on", "title", "kind", "status", "place", "attendees", "decisions", "id"]
    return csv_response(f"{place.slug}-meetings.csv", header, body)


@router.get("/l/{slug}/meetings/new")
def record_form(request: Request, place: ReadPlace) -> Response:
    """The form to record a meeting: details, attendance, decisions, commitments."""
    require_writer(place)
    return _form_page(request, place, MeetingEntry.empty(place.today()), {})


def _form_page(
    request: Request, place: Place, entry: MeetingEntry, errors: Errors, status: int = 200
) -> Response:
    state = place.state()
    day = place.today()
    labels = sector_labels(state)
    active = sorted(
        (s for s in state.present_stakeholders(day) if s.status == "active"), key=lambda s: s.name.lower()
    )
    people = [(s.id, s.name, labels.get(state.sector_of(s.id, day), "")) for s in active]
    options = [(key, f"{name} ({sector})") for key, name, sector in people]
    invalid_rows = {
        int(key[1:].split("-")[0]) for key in errors if key[0] == "c" and key[1:].split("-")[0].isdigit()
    }
    return render(
        request,
        "meeting_form.html",
        status=status,
        title="Record a meeting",
        section="record",
        entry=entry,
        errors=errors,
        labels=field_labels(entry),
        kinds=KINDS,
        people=people,
        options=options,
        invalid_rows=invalid_rows,
        attending=set(entry.attendees),
    )


@router.post("/l/{slug}/meetings/new")
def record(request: Request, place: WritePlace, form: FormDep) -> Response:
    """Record a held meeting with its attendance, decisions and commitments; a bad part writes nothing."""
    entry = MeetingEntry.from_form(form)
    add = form.get("add")
    if isinstance(add, str) and add:
        entry.add_row(add)
        return _form_page(request, place, entry, {})
    errors, meeting = check(place.runtime.app, place.slug, entry)
    if meeting is None:
        return _form_page(request, place, entry, errors, status=422)
    key, last = write(place.runtime.app, place.slug, meeting, actor=place.actor)
    place.runtime.written(last)
    return redirect(place.url("meetings", key) + "?done=recorded")


@router.get("/l/{slug}/meetings/{meeting_id}")
def meeting_page(request: Request, place: ReadPlace, meeting_id: UUID, done: str = "") -> Response:
    """One meeting: who came, what was decided, who promised what."""
    state = place.state()
    meeting = state.meetings.get(str(meeting_id))
    if meeting is None:
        raise NotFoundError("meeting", meeting_id)
    labels = sector_labels(state)
    attendees = sorted(
        (
            (s, labels.get(state.sector_of(s.id, meeting.held_on), ""))
            for s in (state.stakeholders.get(a) for a in meeting.attendees)
            if s
        ),
        key=lambda pair: (pair[1], pair[0].name.lower()),
    )
    made = [c for c in commitment_rows(state, place.today()) if c.meeting_id == meeting.id]
    notes = place.runtime.app.load(Meeting, meeting_id, locality=place.slug).notes
    names = {s.id: s.name for s in state.stakeholders.values()}
    return render(
        request,
        "meeting.html",
        title=meeting.title,
        section="meetings",
        meeting=meeting,
        kind=KIND_LABELS.get(meeting.kind, meeting.kind),
        attendees=attendees,
        commitments=made,
        notes=notes,
        names=names,
        history=_own_trail(place, meeting.id, state),
        notice="The meeting is recorded." if done == "recorded" else None,
    )


def _own_trail(place: Place, meeting_id: str, state: Any) -> list[dict[str, Any]]:
    """The meeting's audit trail; every entry is of this meeting, so none needs to say so."""
    entries = readable_trail(place.reader.history(place.slug, meeting_id) or [], state)
    return [{**entry, "meeting": None} for entry in entries]
