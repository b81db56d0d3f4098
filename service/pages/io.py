"""The import and export pages: CSV files (or a Kumu map's two sheets) read as a dry run,
written only when asked and only if no row is bad (unless bad rows are to be skipped);
and the network, its figures and the audit trail downloaded as files. The same
``service.io`` functions as the API's import and export."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from starlette.datastructures import FormData, UploadFile

from domain.errors import ConflictError
from projections.network import GraphKind
from service.io.csv_import import COLUMNS, ImportKind
from service.io.export import ExportFormat, export
from service.io.importing import plan_import, write_plan
from service.io.kumu import CONNECTION_COLUMNS, ELEMENT_COLUMNS
from service.io.report import RECORDS, ImportReport
from service.pages.access import Place, ReadPlace, readable
from service.pages.forms import Errors, require_writer
from service.pages.records import parse_day
from service.pages.session import VisitorDep, require_csrf
from service.pages.web import PageRoute, render
from service.runtime import READ_YOUR_WRITES_SECONDS

router = APIRouter(route_class=PageRoute, include_in_schema=False)

#: Files one import may send (a Kumu map is two; a spreadsheet a sheet per file).
MAX_FILES = 20
#: How long an import waits for the views to hold the whole log before matching against them.
VIEWS_CATCH_UP_SECONDS = 10.0

KINDS = [
    (ImportKind.STAKEHOLDERS.value, "Stakeholders (with their assets)"),
    (ImportKind.RELATIONSHIPS.value, "Relationships"),
    (ImportKind.MEETINGS.value, "Meetings (with attendance)"),
    (ImportKind.COMMITMENTS.value, "Commitments"),
    (ImportKind.KUMU.value, "A Kumu map (its Elements and Connections sheets)"),
]
#: What each kind of file holds: (sheet, required columns, optional columns).
SHEETS: dict[str, list[tuple[str, tuple[str, ...], tuple[str, ...]]]] = {
    **{kind.value: [(kind.value.capitalize(), *COLUMNS[kind])] for kind in COLUMNS},
    ImportKind.KUMU.value: [("Elements", *ELEMENT_COLUMNS), ("Connections", *CONNECTION_COLUMNS)],
}
FORMATS = [
    (
        ExportFormat.GRAPHML.value,
        "GraphML",
        "the network with every stakeholder's figures (Gephi, yEd, networkx)",
    ),
    (ExportFormat.GEXF.value, "GEXF", "the network over time, every tie and sector with its dates (Gephi)"),
    (ExportFormat.JSON.value, "JSON", "the network as node-link JSON (networkx, D3)"),
    (ExportFormat.NODES_CSV.value, "Stakeholders CSV", "one row per stakeholder, with its figures"),
    (ExportFormat.EDGES_CSV.value, "Ties CSV", "one row per tie"),
    (ExportFormat.AUDIT_CSV.value, "Audit trail CSV", "every change to the record: who, what, when"),
    (ExportFormat.FIGURES_CSV.value, "Figures CSV", "the network's figures, one per row"),
]
GRAPHS = [
    (GraphKind.COMBINED.value, "Ties and co-attendance (combined)"),
    (GraphKind.TIE.value, "Ties"),
    (GraphKind.DIRECTED_TIE.value, "Ties, with their direction"),
    (GraphKind.COATTENDANCE.value, "Co-attendance at meetings"),
    (GraphKind.COMMITMENT.value, "Commitments (promisor → promisee)"),
]


async def upload_form(request: Request) -> AsyncIterator[FormData]:
    """The import form: a few fields and up to ``MAX_FILES`` files (closed once answered)."""
    form = await request.form(max_files=MAX_FILES, max_fields=100)
    try:
        yield form
    finally:
        await form.close()


UploadFormDep = Annotated[FormData, Depends(upload_form)]


def importer(slug: str, request: Request, visitor: VisitorDep, form: UploadFormDep) -> Place:
    """Like the other forms: the CSRF token first, then the locality, then the right to write."""
    require_csrf(visitor, form)
    place = readable(slug, request, visitor)
    require_writer(place)
    return place


ImportPlace = Annotated[Place, Depends(importer)]


# Import


@router.get("/l/{slug}/import")
def import_form(request: Request, place: ReadPlace) -> Response:
    """The form to import spreadsheets: a dry run, or written if no row is bad."""
    require_writer(place)
    values = {"kind": ImportKind.STAKEHOLDERS.value, "skip_bad_rows": "", "commit": ""}
    return _import_page(request, values, {})


def _import_page(
    request: Request,
    values: dict[str, str],
    errors: Errors,
    *,
    report: ImportReport | None = None,
    outcome: str = "",
    status: int = 200,
) -> Response:
    return render(
        request,
        "import.html",
        status=status,
        title="Import",
        section="import",
        values=values,
        errors=errors,
        kinds=KINDS,
        sheets=SHEETS,
        report=report,
        outcome=outcome,
        records=RECORDS,
    )


def _uploads(form: FormData) -> list[tuple[str, bytes]]:
    """The files chosen (a file input left empty sends a part with no name and no content)."""
    chosen = [f for f in form.getlist("files") if isinstance(f, UploadFile) and (f.filename or f.size)]
    return [(upload.filename or f"file {n}", upload.file.read()) for n, upload in enumerate(chosen, start=1)]


@router.post("/l/{slug}/import")
def import_files(request: Request, place: ImportPlace, form: UploadFormDep) -> Response:
    """Read the files as a dry run; with "commit", write what is new if no row is bad."""
    values = {
        "kind": str(form.get("kind") or ""),
        "skip_bad_rows": "yes" if form.get("skip_bad_rows") else "",
        "commit": "yes" if form.get("commit") else "",
    }
    errors: Errors = {}
    if values["kind"] not in {k.value for k in ImportKind}:
        errors["kind"] = "choose what the files hold"
    uploads = _uploads(form)
    if not uploads:
        errors["files"] = "choose one or more CSV files"
    if errors:
        return _import_page(request, values, errors, status=422)
    runtime = place.runtime
    runtime.projector.nudge()
    latest = runtime.app.recorder.max_notification_id()
    if not runtime.views.wait_for(latest, timeout=VIEWS_CATCH_UP_SECONDS):
        raise ConflictError("the views are still catching up with the log; try the import again in a moment")
    plan = plan_import(ImportKind(values["kind"]), uploads, place.state(), today=runtime.app.today())
    report = plan.report
    status = 200
    if not values["commit"]:
        outcome = "dry run"
    elif report.bad_rows and not values["skip_bad_rows"]:
        outcome, status = "refused", 422
    elif report.nothing_to_add:
        outcome = "nothing new"
    else:
        write_plan(runtime.app, place.slug, plan, actor=place.actor)
        runtime.projector.nudge()
        runtime.views.wait_for(report.position, timeout=READ_YOUR_WRITES_SECONDS)
        outcome = "written"
    return _import_page(request, values, {}, report=report, outcome=outcome, status=status)


# Export


@router.get("/l/{slug}/export")
def export_page(
    request: Request, place: ReadPlace, as_of: str | None = None, graph: str = GraphKind.COMBINED.value
) -> Response:
    """Links to download the network, its figures and the audit trail, on a date."""
    day = parse_day(as_of, "as_of")
    chosen = graph if graph in {g for g, _ in GRAPHS} else GraphKind.COMBINED.value
    query: dict[str, Any] = {"graph": chosen}
    if day is not None:
        query["as_of"] = day.isoformat()
    return render(
        request,
        "export.html",
        title="Export",
        section="export",
        formats=FORMATS,
        graphs=GRAPHS,
        graph=chosen,
        as_of=day.isoformat() if day else "",
        day=day or place.today(),
        query="&".join(f"{k}={v}" for k, v in query.items()),
    )


@router.get("/l/{slug}/export/{fmt}")
def export_file(
    place: ReadPlace, fmt: ExportFormat, as_of: str | None = None, graph: GraphKind = GraphKind.COMBINED
) -> Response:
    """The file, as the API's export gives it."""
    exported = export(place.reader, place.slug, fmt, graph=graph, as_of=parse_day(as_of, "as_of"))
    return Response(
        exported.content,
        media_type=exported.media_type,
        headers={"Content-Disposition": f'attachment; filename="{exported.filename}"'},
    )
