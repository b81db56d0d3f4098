"""Import and export: spreadsheets in (a dry run unless ``commit=true``), and the network,
its figures and the audit trail out as files (GraphML, GEXF, JSON, CSV)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Query, Response, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from domain.errors import ConflictError
from projections.network import GraphKind
from service.api.deps import ReaderDep, ReadSlug, WriteDep
from service.api.network import AsOfQuery
from service.io.csv_import import ImportKind
from service.io.export import ExportFormat, export
from service.io.importing import plan_import, write_plan
from service.runtime import READ_YOUR_WRITES_SECONDS

router = APIRouter(prefix="/localities/{slug}", tags=["import and export"])

#: How long an import waits for the views to hold the whole log before matching against them.
VIEWS_CATCH_UP_SECONDS = 10.0


class ProblemPublic(BaseModel):
    file: str
    line: int = Field(description="The line the row starts on (the header is line 1)")
    column: str = Field(description="The column at fault; empty for a problem with the whole row or file")
    value: str = Field(description="What the cell holds")
    problem: str = Field(description="What is wrong")
    allowed: str = Field(description="What would be accepted")


class AdditionPublic(BaseModel):
    file: str
    line: int
    record: str
    description: str


class RecordCounts(BaseModel):
    stakeholders: int
    assets: int
    relationships: int
    meetings: int
    attendances: int
    commitments: int


class ImportReportPublic(BaseModel):
    kind: ImportKind
    files: list[str]
    rows: int = Field(description="Rows read, over all files")
    to_add: RecordCounts = Field(description="What the import adds (once written: added)")
    already_present: RecordCounts = Field(description="Already in the record, or given by an earlier row")
    bad_row_count: int
    bad_rows: list[ProblemPublic] = Field(description="Every problem, by file and line")
    notes: list[str] = Field(description="Columns not used, values that fell back to a default")
    additions: list[AdditionPublic]
    written: bool
    position: int | None = Field(description="Position of the last event written, once written")
    view_lag: bool = Field(False, description="True if the views did not include the import within 2 seconds")


Uploads = Annotated[
    list[UploadFile], File(description="CSV files, UTF-8 with or without BOM (docs/import.md)")
]


@router.post(
    "/import/{kind}",
    response_model=ImportReportPublic,
    responses={422: {"description": "Bad rows kept the import from writing (the report is in `report`)"}},
)
def import_files(
    write: WriteDep,
    kind: ImportKind,
    files: Uploads,
    commit: Annotated[bool, Query(description="Write what is new; without it, only a dry run")] = False,
    skip_bad_rows: Annotated[
        bool, Query(description="With commit: write the good rows even if some are bad")
    ] = False,
) -> Any:
    """Import CSV files (or a Kumu map's Elements and Connections sheets): a dry run, unless commit=true."""
    runtime = write.runtime
    runtime.projector.nudge()
    latest = write.app.recorder.max_notification_id()
    if not runtime.views.wait_for(latest, timeout=VIEWS_CATCH_UP_SECONDS):
        raise ConflictError("the views are still catching up with the log; try the import again in a moment")
    uploads = [
        (upload.filename or f"file {n}", upload.file.read()) for n, upload in enumerate(files, start=1)
    ]
    plan = plan_import(kind, uploads, runtime.reader.state(write.slug), today=write.app.today())
    report = plan.report
    if commit and report.bad_rows and not skip_bad_rows:
        detail = f"{report.bad_row_count} bad rows: nothing written; fix them, or send skip_bad_rows=true"
        return JSONResponse(
            {"detail": detail, "error": "invalid", "report": report.as_json()}, status_code=422
        )
    if not commit or report.nothing_to_add:
        return report.as_json()
    write_plan(write.app, write.slug, plan, actor=write.actor)
    runtime.projector.nudge()
    caught_up = runtime.views.wait_for(report.position, timeout=READ_YOUR_WRITES_SECONDS)
    return {**report.as_json(), "view_lag": not caught_up}


GraphQuery = Annotated[GraphKind, Query(description="Which graph (not used by gexf and audit-csv)")]
EXPORT_MEDIA: dict[str, dict[str, Any]] = {
    media: {} for media in ("application/graphml+xml", "application/gexf+xml", "application/json", "text/csv")
}


@router.get(
    "/export/{fmt}",
    response_class=Response,
    responses={200: {"content": EXPORT_MEDIA, "description": "The file"}},
)
def export_file(
    slug: ReadSlug,
    fmt: ExportFormat,
    reader: ReaderDep,
    as_of: AsOfQuery = None,
    graph: GraphQuery = GraphKind.COMBINED,
) -> Response:
    """The network (graphml, dynamic gexf, node-link json, nodes-csv, edges-csv), audit trail or figures as a file."""
    exported = export(reader, slug, fmt, graph=graph, as_of=as_of)
    disposition = f'attachment; filename="{exported.filename}"'
    return Response(
        exported.content, media_type=exported.media_type, headers={"Content-Disposition": disposition}
    )
