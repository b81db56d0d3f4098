"""Commands that move data in and out: ``import``, ``export``, ``backup`` and ``restore``.

An import always plans first (the dry run) and prints what it would add and every bad
row; it writes only without ``--dry-run``, and, where a row is bad, only with
``--skip-bad-rows``. Exit status: 0 done, 1 bad rows kept the import from writing.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from domain.application import CivicWeave
from domain.importing import BATCH_SIZE
from projections.network import GraphKind
from projections.projector import Projector, open_projector
from projections.reader import Reader
from projections.views import Views
from service.cli import DatabaseUrl, LocalitySlug, cli, open_app, settings_for
from service.io.backup import BackupError, backup, check_backup, require_empty, restore
from service.io.csv_import import ImportKind
from service.io.export import ExportFormat, export
from service.io.importing import plan_import, write_plan
from service.io.report import RECORDS, ImportReport

ACTOR = "cli import"
SHOWN_ADDITIONS = 20

import_cli = typer.Typer(
    no_args_is_help=True, help="Import spreadsheets (CSV, or a Kumu map) into a locality."
)
cli.add_typer(import_cli, name="import")

Files = Annotated[
    list[Path],
    typer.Argument(
        help="CSV files (UTF-8, with or without BOM).", exists=True, dir_okay=False, readable=True
    ),
]
DryRun = Annotated[
    bool, typer.Option("--dry-run", help="Only report what would be added, and every bad row.")
]
SkipBadRows = Annotated[
    bool, typer.Option("--skip-bad-rows", help="Write the good rows even if some are bad.")
]
BatchSize = Annotated[int, typer.Option(min=1, help="Records saved per transaction.", hidden=True)]


def _projector(ctx: typer.Context, app: CivicWeave, database_url: str | None) -> Projector:
    projector = open_projector(app, settings_for(ctx, database_url).database_url)
    ctx.call_on_close(projector.close)
    return projector


def _reader(ctx: typer.Context, app: CivicWeave, database_url: str | None) -> Reader:
    """The views of the store, caught up with its log (the CLI is the projector here)."""
    projector = _projector(ctx, app, database_url)
    projector.catch_up()
    return Reader(Views(projector.views), today=app.today)


@contextmanager
def progress_bar(description: str, total: int) -> Iterator[Callable[[int], None]]:
    """A rich progress bar on stderr; yields the function that advances it."""
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=False) as progress:
        task = progress.add_task(description, total=total)
        yield lambda steps: progress.advance(task, steps)


def _import(
    ctx: typer.Context,
    kind: ImportKind,
    files: list[Path],
    locality: str,
    *,
    dry_run: bool,
    skip_bad_rows: bool,
    batch_size: int,
    database_url: str | None,
) -> None:
    app = open_app(ctx, database_url)
    app.locality(locality)
    state = _reader(ctx, app, database_url).state(locality)
    plan = plan_import(kind, [(str(path), path.read_bytes()) for path in files], state, today=app.today())
    report = plan.report
    console = Console()
    print_report(console, report, title=f"Import of {kind.value} into {locality}")
    if dry_run:
        console.print("Dry run: nothing written.")
        raise typer.Exit(1 if report.bad_rows else 0)
    if report.bad_rows and not skip_bad_rows:
        console.print(
            f"[red]{report.bad_row_count} bad rows: nothing written.[/] Fix them, or import "
            "the good rows only with --skip-bad-rows."
        )
        raise typer.Exit(1)
    if report.nothing_to_add:
        console.print("Nothing new to add.")
        return
    started = time.perf_counter()
    with progress_bar("Writing", plan.steps) as advance:
        write_plan(app, locality, plan, actor=ACTOR, batch_size=batch_size, advance=advance)
    seconds = time.perf_counter() - started
    added = ", ".join(f"{report.to_add[r]} {r}" for r in RECORDS if report.to_add[r])
    console.print(f"Added {added} in {seconds:.1f} s ({report.rows / max(seconds, 1e-9):,.0f} rows/s).")


def print_report(console: Console, report: ImportReport, *, title: str) -> None:
    table = Table(title=f"{title}: {report.rows} rows in {len(report.files)} files")
    for column in ("records", "to add", "already there"):
        table.add_column(column, justify="right" if column != "records" else "left")
    for record in RECORDS:
        table.add_row(record, str(report.to_add[record]), str(report.present[record]))
    console.print(table)
    for note in report.notes:
        console.print(f"Note: {escape(note)}")
    for addition in report.additions[:SHOWN_ADDITIONS]:
        console.print(f"  + {escape(addition.record)}: {escape(addition.description)}", soft_wrap=True)
    if len(report.additions) > SHOWN_ADDITIONS:
        console.print(f"  ... and {len(report.additions) - SHOWN_ADDITIONS} more")
    if not report.bad_rows:
        return
    bad = Table(title=f"{report.bad_row_count} bad rows", title_style="bold red")
    for column in ("file", "line", "column", "value", "what is wrong", "allowed"):
        bad.add_column(column, overflow="fold")
    for p in report.bad_rows:
        bad.add_row(
            escape(p.file), str(p.line), p.column, escape(p.value), escape(p.problem), escape(p.allowed)
        )
    console.print(bad)


def _import_command(kind: ImportKind, help_text: str) -> None:
    def command(
        ctx: typer.Context,
        files: Files,
        locality: LocalitySlug,
        dry_run: DryRun = False,
        skip_bad_rows: SkipBadRows = False,
        batch_size: BatchSize = BATCH_SIZE,
        database_url: DatabaseUrl = None,
    ) -> None:
        _import(
            ctx,
            kind,
            files,
            locality,
            dry_run=dry_run,
            skip_bad_rows=skip_bad_rows,
            batch_size=batch_size,
            database_url=database_url,
        )

    command.__doc__ = help_text
    import_cli.command(kind.value)(command)


_import_command(ImportKind.STAKEHOLDERS, "Stakeholders and their assets (docs/import.md lists the columns).")
_import_command(ImportKind.RELATIONSHIPS, "Relationships between stakeholders named in the locality.")
_import_command(ImportKind.MEETINGS, "Meetings with their attendance.")
_import_command(ImportKind.COMMITMENTS, "Commitments, made at meetings or not, open or closed.")
_import_command(ImportKind.KUMU, "A Kumu map: its Elements and Connections sheets saved as CSV.")


@cli.command("export")
def export_command(
    ctx: typer.Context,
    fmt: Annotated[ExportFormat, typer.Argument(metavar="FORMAT", help="What to export.")],
    locality: LocalitySlug,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="The date to look at, YYYY-MM-DD (default: today).")
    ] = None,
    graph: Annotated[GraphKind, typer.Option("--graph", help="Which graph.")] = GraphKind.COMBINED,
    output: Annotated[
        Path | None,
        typer.Option("--output", help="Write to this file (default: standard output).", dir_okay=False),
    ] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Export the network (graphml, dynamic gexf, node-link json, nodes-csv, edges-csv),
    the audit trail (audit-csv) or the figures (figures-csv) of a locality."""
    try:
        day = date.fromisoformat(as_of) if as_of else None
    except ValueError:
        raise typer.BadParameter(f"{as_of!r} is not a date: use YYYY-MM-DD", param_hint="--as-of") from None
    app = open_app(ctx, database_url)
    app.locality(locality)
    exported = export(_reader(ctx, app, database_url), locality, fmt, graph=graph, as_of=day)
    if output is None:
        typer.echo(exported.content, nl=False)
        return
    output.write_bytes(exported.content)
    Console(stderr=True).print(f"Wrote {len(exported.content):,} bytes to {escape(str(output))}")


@cli.command("backup")
def backup_command(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="The new JSON-lines file to write.", dir_okay=False)],
    database_url: DatabaseUrl = None,
) -> None:
    """Back up the whole store: every event and every person key (keep the file safe)."""
    if file.exists():
        raise BackupError(f"{file} already exists: back up to a new file")
    app = open_app(ctx, database_url)
    partial = file.with_name(file.name + ".partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with (
        open(descriptor, "w", encoding="utf-8") as out,
        progress_bar("Backing up", app.recorder.max_notification_id() or 0) as advance,
    ):
        summary = backup(app, out, advance=advance)
    partial.replace(file)
    Console().print(
        f"Backed up {summary.events} events and {summary.keys} person keys to {escape(str(file))} "
        f"(sha256 {summary.sha256[:16]}...). It holds personal data: keep it safe."
    )


@cli.command("restore")
def restore_command(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A backup file.", exists=True, dir_okay=False, readable=True)],
    database_url: DatabaseUrl = None,
) -> None:
    """Restore a backup into an empty store, then build its views."""
    app = open_app(ctx, database_url)
    require_empty(app)
    projector = _projector(ctx, app, database_url)
    projected = projector.position()
    if projected:
        raise BackupError(
            f"the views of this store already hold {projected} events: restore into a new store"
        )
    checked = check_backup(file)
    with progress_bar("Restoring", checked.events) as advance:
        summary = restore(app, file, checked=checked, advance=advance)
    console = Console()
    console.print(
        f"Restored {summary.events} events and {summary.keys} person keys; the log matches the backup."
    )
    started = time.perf_counter()
    projector.catch_up()
    console.print(f"Built the views and the hash chain in {time.perf_counter() - started:.1f} s.")
