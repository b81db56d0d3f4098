"""The commitments board (due soon, overdue, open, fulfilled, missed, withdrawn), the
commitments-over-time chart, and one commitment's page: what was promised, the actions
that move it on (progress, renegotiate, fulfil, missed, withdraw) and its history."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request, Response

from domain.application import Receipt
from domain.commitment import Commitment
from domain.errors import ConflictError, NotFoundError
from service.pages.access import Place, ReadPlace, WritePlace
from service.pages.forms import Errors, attempt, form_day, text_values
from service.pages.records import (
    BOARD,
    STATE_LABELS,
    CommitmentRow,
    commitment_row,
    commitment_rows,
    parse_day,
)
from service.pages.session import FormDep
from service.pages.trail import readable_trail
from service.pages.web import PageError, PageRoute, csv_response, redirect, render
from visualisations import commitments_over_time_svg

router = APIRouter(route_class=PageRoute, include_in_schema=False)

CLOSED_SHOWN = 15
ACTIONS = ("progress", "renegotiate", "fulfil", "missed", "withdraw")
DONE = {
    "progress": "The progress is recorded.",
    "renegotiate": "The new due date is recorded.",
    "fulfil": "The commitment is recorded as fulfilled.",
    "missed": "The commitment is recorded as missed.",
    "withdraw": "The commitment is recorded as withdrawn.",
}
CSV_HEADER = [
    "what",
    "promisor",
    "promisor_sector",
    "promisees",
    "to_change_group",
    "made_on",
    "meeting",
    "original_due",
    "due",
    "state",
    "closed_on",
    "renegotiations",
    "id",
]


@router.get("/l/{slug}/commitments")
def board(
    request: Request,
    place: ReadPlace,
    as_of: str | None = None,
    show: str = "",
    format: str = "html",
    table: str = "commitments",
) -> Response:
    """Every commitment by its state on a date, the ones to act on first."""
    state = place.state()
    day = parse_day(as_of, "as_of") or place.today()
    rows = commitment_rows(state, day)
    if format == "csv":
        return _board_csv(place, table, rows, day)
    sections = []
    for key, label, note in BOARD:
        chosen = [r for r in rows if r.state == key]
        if key in ("fulfilled", "missed", "withdrawn"):
            chosen.sort(key=lambda r: r.closed_on or r.due, reverse=True)
        limit = None if show == "all" or key in ("due_soon", "overdue", "open") else CLOSED_SHOWN
        sections.append(
            {"key": key, "label": label, "note": note, "rows": chosen[:limit], "count": len(chosen)}
        )
    return render(
        request,
        "board.html",
        title="Commitments",
        section="commitments",
        sections=sections,
        day=day,
        as_of=as_of or "",
        show=show,
        chart=commitments_over_time_svg(over_time(rows)),
        total=len(rows),
    )


def over_time(rows: list[CommitmentRow]) -> list[tuple[str, dict[str, int]]]:
    """Commitments made each month (the last 12 with any), by what has become of them."""
    months: dict[str, Counter[str]] = {}
    for row in sorted(rows, key=lambda r: r.made_on):
        state = "open" if row.state == "due_soon" else row.state
        months.setdefault(row.made_on.strftime("%Y-%m"), Counter())[state] += 1
    return [(month, dict(counts)) for month, counts in list(months.items())[-12:]]


def _board_csv(place: Place, table: str, rows: list[CommitmentRow], day: date) -> Response:
    if table == "over_time":
        series = over_time(rows)
        states = ["fulfilled", "missed", "overdue", "open", "withdrawn"]
        body = (
            [month, *(counts.get(s, 0) for s in states), sum(counts.values())] for month, counts in series
        )
        return csv_response(
            f"{place.slug}-commitments-by-month-{day}.csv", ["month_made", *states, "made"], body
        )
    if table != "commitments":
        raise PageError(404, "No such table", f"there is no table {table!r} here")
    return csv_response(f"{place.slug}-commitments-{day}.csv", CSV_HEADER, (csv_row(r) for r in rows))


def csv_row(r: CommitmentRow) -> list[Any]:
    return [
        r.what,
        r.promisor.name,
        r.promisor.sector,
        "; ".join(p.name for p in r.promisees),
        r.to_change_group,
        r.made_on.isoformat(),
        r.meeting_title,
        r.original_due.isoformat(),
        r.due.isoformat(),
        r.state,
        r.closed_on.isoformat() if r.closed_on else "",
        r.renegotiations,
        r.id,
    ]


@router.get("/l/{slug}/commitments/{commitment_id}")
def commitment_page(request: Request, place: ReadPlace, commitment_id: UUID, done: str = "") -> Response:
    """One commitment: what was promised, to whom, what happened since, and its audit trail."""
    return _page(request, place, commitment_id, notice=DONE.get(done))


def _page(
    request: Request,
    place: Place,
    commitment_id: UUID,
    *,
    values: dict[str, str] | None = None,
    errors: Errors | None = None,
    problem: str = "",
    notice: str | None = None,
    status: int = 200,
) -> Response:
    state = place.state()
    found = state.commitments.get(str(commitment_id))
    if found is None:
        raise NotFoundError("commitment", commitment_id)
    row = commitment_row(state, found, place.today())
    version = place.runtime.app.load(Commitment, commitment_id, locality=place.slug).version
    history = readable_trail(place.reader.history(place.slug, row.id) or [], state)
    return render(
        request,
        "commitment.html",
        status=status,
        title=row.what,
        section="commitments",
        c=row,
        version=version,
        history=history,
        values=values or {},
        errors=errors or {},
        problem=problem,
        notice=notice,
        state_label=STATE_LABELS.get(row.state, row.state),
        today=place.today().isoformat(),
    )


@router.post("/l/{slug}/commitments/{commitment_id}/{action}")
def act(request: Request, place: WritePlace, commitment_id: UUID, action: str, form: FormDep) -> Response:
    """Move the commitment on: progress, renegotiate, fulfil, missed or withdraw."""
    if action not in ACTIONS:
        raise PageError(404, "Not found", "There is no such action.")
    names = [f"{action}-{n}" for n in ("note", "percent", "evidence", "due", "reason", "on")]
    values = text_values(form, *names, "version")
    errors: Errors = {}
    version = int(values["version"]) if values["version"].isdigit() else None
    try:
        receipt = attempt(errors, lambda: _write(place, commitment_id, action, values, version, errors))
    except ConflictError as error:
        return _page(request, place, commitment_id, problem=_conflict(error), status=409)
    if receipt is None:
        errors = {k if k.startswith(action) else f"{action}-{k}": v for k, v in errors.items()}
        return _page(request, place, commitment_id, values=values, errors=errors, status=422)
    place.runtime.written(receipt)
    return redirect(place.url("commitments", commitment_id) + f"?done={action}")


def _write(
    place: Place,
    commitment_id: UUID,
    action: str,
    values: dict[str, str],
    version: int | None,
    errors: Errors,
) -> Receipt | None:
    """The action written; None when the form's own checks found errors (noted in ``errors``)."""
    app, slug, actor = place.runtime.app, place.slug, place.actor
    field = f"{action}-"
    on = form_day(values[field + "on"], field + "on", errors)
    reason = values[field + "reason"]
    if action == "progress":
        percent = _percent(values[field + "percent"], field + "percent", errors)
        if not values[field + "note"].strip():
            errors[field + "note"] = "say what has been done"
        if errors:
            return None
        return app.report_progress(
            slug,
            commitment_id,
            note=values[field + "note"],
            percent=percent,
            evidence=values[field + "evidence"],
            on=on,
            actor=actor,
            expected_version=version,
        )
    if action == "renegotiate":
        due = form_day(values[field + "due"], field + "due", errors, required=True)
        if not reason.strip():
            errors[field + "reason"] = "say why the due date changes"
        if errors or due is None:
            return None
        return app.renegotiate(
            slug, commitment_id, due=due, reason=reason, on=on, actor=actor, expected_version=version
        )
    if action == "withdraw" and not reason.strip():
        errors[field + "reason"] = "say why it is withdrawn"
    if errors:
        return None
    if action == "fulfil":
        return app.fulfil(
            slug,
            commitment_id,
            evidence=values[field + "evidence"],
            on=on,
            actor=actor,
            expected_version=version,
        )
    if action == "missed":
        return app.mark_missed(
            slug, commitment_id, reason=reason, on=on, actor=actor, expected_version=version
        )
    return app.withdraw(slug, commitment_id, reason=reason, on=on, actor=actor, expected_version=version)


def _percent(value: str, field: str, errors: Errors) -> int | None:
    if not value.strip():
        return None
    if not value.strip().isdigit() or int(value) > 100:
        errors[field] = "give a whole number from 0 to 100, or leave it empty"
        return None
    return int(value)


def _conflict(error: ConflictError) -> str:
    text = str(error)
    if "version" in text:
        return "Someone else changed this commitment since you opened the page. Its latest state is shown below: check it and try again."
    return f"Not recorded: {text}."
