"""Commands that read the views: ``figures``, ``network``, ``audit`` and ``diff``.

They bring the views up to date with the log first (on a store no server is projecting,
the CLI is the projector; where a worker runs, the two take turns)."""

from __future__ import annotations

import json
from datetime import date
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from projections.network import GraphKind, node_link
from projections.projector import open_projector
from projections.reader import Reader
from projections.views import Views
from service.cli import DatabaseUrl, LocalitySlug, cli, open_app, settings_for


class Output(StrEnum):
    TABLE = "table"
    JSON = "json"


AsOf = Annotated[
    str | None, typer.Option("--as-of", help="The date to look at (YYYY-MM-DD) [default: today].")
]
FormatOption = Annotated[Output, typer.Option("--format", help="table or json.")]
GraphOption = Annotated[GraphKind, typer.Option("--graph", help="Which graph.")]


def _reader(ctx: typer.Context, database_url: str | None) -> Reader:
    app = open_app(ctx, database_url)
    projector = open_projector(app, settings_for(ctx, database_url).database_url)
    ctx.call_on_close(projector.close)
    projector.catch_up()
    return Reader(Views(projector.views), today=app.today)


def _date(option: str, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date: use YYYY-MM-DD", param_hint=option) from None


def _print_json(value: Any) -> None:
    typer.echo(json.dumps(value, indent=2, sort_keys=True, default=list))


@cli.command("figures")
def figures_command(
    ctx: typer.Context,
    locality: LocalitySlug,
    as_of: AsOf = None,
    graph: GraphOption = GraphKind.COMBINED,
    output: FormatOption = Output.TABLE,
    database_url: DatabaseUrl = None,
) -> None:
    """The locality's network, accountability and participation figures on a date."""
    reader = _reader(ctx, database_url)
    day = _date("--as-of", as_of)
    result = {
        "network": reader.figures(locality, graph=graph, as_of=day),
        "accountability": reader.accountability(locality, as_of=day)["locality"],
        "participation": reader.participation(locality, as_of=day),
    }
    if output is Output.JSON:
        _print_json(result)
        return
    table = Table(title=f"{locality}: figures as of {result['network']['as_of']} ({graph.value} graph)")
    table.add_column("figure")
    table.add_column("value", justify="right")
    for section in ("network", "accountability", "participation"):
        for name, value in result[section].items():
            if isinstance(value, int | float | str) and name not in ("locality", "graph", "as_of"):
                table.add_row(f"{section}.{name}", f"{value:.3f}" if isinstance(value, float) else str(value))
    Console().print(table)


@cli.command("network")
def network_command(
    ctx: typer.Context,
    locality: LocalitySlug,
    as_of: AsOf = None,
    graph: GraphOption = GraphKind.COMBINED,
    output: FormatOption = Output.JSON,
    database_url: DatabaseUrl = None,
) -> None:
    """The network as node-link JSON (or a summary table by sector)."""
    network = _reader(ctx, database_url).network(locality, graph=graph, as_of=_date("--as-of", as_of))
    if output is Output.JSON:
        _print_json(node_link(network))
        return
    by_sector: dict[str, int] = {}
    for _, sector in network.nodes(data="sector"):
        by_sector[sector] = by_sector.get(sector, 0) + 1
    table = Table(
        title=f"{locality}: {network.number_of_nodes()} stakeholders, {network.number_of_edges()} ties"
    )
    table.add_column("sector")
    table.add_column("stakeholders", justify="right")
    for sector, count in sorted(by_sector.items()):
        table.add_row(sector, str(count))
    Console().print(table)


class AuditKind(StrEnum):
    COMMITMENT = "commitment"
    STAKEHOLDER = "stakeholder"
    MEETING = "meeting"


@cli.command("audit")
def audit_command(
    ctx: typer.Context,
    kind: Annotated[AuditKind, typer.Argument(help="commitment, stakeholder or meeting.")],
    record_id: Annotated[str, typer.Argument(metavar="ID", help="The record's id.")],
    output: FormatOption = Output.TABLE,
    database_url: DatabaseUrl = None,
) -> None:
    """The full history of a commitment, stakeholder or meeting."""
    reader = _reader(ctx, database_url)
    facts = reader.views.history(record_id)
    if not facts or facts[0].aggregate_type.lower() != kind.value:
        raise typer.BadParameter(f"no {kind.value} with id {record_id}", param_hint="ID")
    slug = next(row.slug for row in reader.views.localities() if row.id == facts[0].locality_id)
    trail = reader.history(slug, record_id) or []
    if output is Output.JSON:
        _print_json(trail)
        return
    table = Table(title=f"History of {kind.value} {record_id}")
    for column in ("#", "recorded at", "effective", "by", "what", "meeting"):
        table.add_column(column, overflow="fold")
    for entry in trail:
        meeting = entry["meeting"]["title"] if entry["meeting"] else ""
        table.add_row(
            str(entry["position"]),
            entry["recorded_at"][:19],
            entry["effective"] or "",
            escape(entry["actor"]),
            escape(entry["summary"]),
            escape(meeting),
        )
    Console().print(table)


@cli.command("diff")
def diff_command(
    ctx: typer.Context,
    locality: LocalitySlug,
    start: Annotated[str, typer.Option("--from", help="The earlier date (YYYY-MM-DD).")],
    end: Annotated[str, typer.Option("--to", help="The later date (YYYY-MM-DD).")],
    output: FormatOption = Output.TABLE,
    database_url: DatabaseUrl = None,
) -> None:
    """Ties gained and lost between two dates, with the events that caused them."""
    first, last = _date("--from", start), _date("--to", end)
    assert first is not None and last is not None
    if first > last:
        raise typer.BadParameter("--from must not be after --to", param_hint="--from")
    result = _reader(ctx, database_url).diff(locality, first, last)
    if output is Output.JSON:
        _print_json(result)
        return
    console = Console()
    for heading, key in (("Ties gained", "ties_gained"), ("Ties lost", "ties_lost")):
        table = Table(title=f"{heading} from {start} to {end}: {len(result[key])}")
        for column in ("between", "and", "kinds", "events"):
            table.add_column(column, overflow="fold")
        for tie in result[key]:
            table.add_row(
                escape(tie["source_name"]),
                escape(tie["target_name"]),
                ", ".join(tie["kinds"]),
                ", ".join(map(str, tie["events"])),
            )
        console.print(table)
