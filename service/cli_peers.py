"""Commands of peer networks: ``peer-network create|join|leave`` and ``compare``.

The command line has the whole store to hand, as an administrator does, so ``compare``
suppresses every locality's counts below 5 unless ``--locality`` names the one whose own
numbers to show exactly.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from projections.comparison import comparison, comparison_csv, peer_network, period
from service.cli import ACTOR, DatabaseUrl, LocalitySlug, cli, open_app
from service.cli_views import _date, _print_json, _reader

peer_cli = typer.Typer(no_args_is_help=True, help="Peer networks: localities comparing aggregate figures.")
cli.add_typer(peer_cli, name="peer-network")

NetworkSlug = Annotated[str, typer.Argument(help="The peer network's slug.")]
OnOption = Annotated[str | None, typer.Option("--on", help="The day (YYYY-MM-DD) [default: today].")]


class CompareFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"


@peer_cli.command("create")
def create(
    ctx: typer.Context,
    slug: Annotated[str, typer.Argument(help="Lower-case letters, digits and hyphens.")],
    name: Annotated[str, typer.Option(help="The network's name.")],
    database_url: DatabaseUrl = None,
) -> None:
    """Establish a peer network."""
    receipt = open_app(ctx, database_url).create_peer_network(slug, name, actor=ACTOR)
    Console().print(f"Established peer network {escape(slug)} ({receipt.id})")


@peer_cli.command("join")
def join(
    ctx: typer.Context,
    slug: NetworkSlug,
    locality: LocalitySlug,
    on: OnOption = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Record a locality joining the network."""
    app = open_app(ctx, database_url)
    day = _date("--on", on) or app.today()
    app.join_peer_network(slug, locality, on=day, actor=ACTOR)
    Console().print(f"{escape(locality)} joined {escape(slug)} on {day.isoformat()}")


@peer_cli.command("leave")
def leave(
    ctx: typer.Context,
    slug: NetworkSlug,
    locality: LocalitySlug,
    on: OnOption = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Record a locality leaving the network (it is no longer a member from that day)."""
    app = open_app(ctx, database_url)
    day = _date("--on", on) or app.today()
    app.leave_peer_network(slug, locality, on=day, actor=ACTOR)
    Console().print(f"{escape(locality)} left {escape(slug)} on {day.isoformat()}")


@cli.command("compare")
def compare(
    ctx: typer.Context,
    network: Annotated[str, typer.Option("--network", help="The peer network's slug.")],
    start: Annotated[
        str | None, typer.Option("--from", help="The period's first day [default: a year before --to].")
    ] = None,
    end: Annotated[str | None, typer.Option("--to", help="The period's last day [default: today].")] = None,
    locality: Annotated[
        str | None, typer.Option("--locality", help="Show this member locality's own numbers exactly.")
    ] = None,
    output: Annotated[
        CompareFormat, typer.Option("--format", help="table, json or csv.")
    ] = CompareFormat.TABLE,
    database_url: DatabaseUrl = None,
) -> None:
    """Compare the member localities of a peer network over a period: figures, median and ranks."""
    reader = _reader(ctx, database_url)
    first, last = period(_date("--from", start), _date("--to", end), reader.today())
    result = comparison(reader, peer_network(reader.views, network), start=first, end=last, viewer=locality)
    if output is CompareFormat.JSON:
        _print_json(result)
    elif output is CompareFormat.CSV:
        typer.echo(comparison_csv(result), nl=False)
    else:
        Console().print(_table(result))


def _table(result: dict[str, Any]) -> Table:
    """A figure per row, a locality per column (its own marked *), then the network median."""
    localities = result["localities"]
    table = Table(
        title=f"{escape(result['network']['name'])}: {result['period']['from']} to {result['period']['to']}",
        caption=f"In brackets the rank: {result['ranking']}. Other localities' counts below "
        f'{result["suppressed_below"]} are shown as "{result["suppressed_as"]}".',
    )
    table.add_column("figure")
    for row in localities:
        table.add_column(escape(row["slug"]) + (" *" if row["own"] else ""), justify="right")
    table.add_column("median", justify="right")
    for figure in result["figures"]:
        key = figure["key"]
        cells = [f"{_cell(row['values'][key])} ({row['ranks'][key] or '-'})" for row in localities]
        table.add_row(escape(figure["label"]), *cells, _cell(result["median"][key]))
    return table


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    return f"{value:.3f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)
