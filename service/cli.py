"""The ``civicweave`` command line.

Commands hang off the module-level ``cli`` Typer, grouped by resource in sub-typers
(``locality_cli``, ``stakeholder_cli``); add one with ``@cli.command()`` or
``cli.add_typer(...)``. Each command takes ``database_url: DatabaseUrl = None`` and opens
the Application with ``open_app(ctx, database_url)``, so ``--database-url`` works both
before the command and after it. A domain error raised by any command, however deeply
nested, is printed in red and exits with status 2 (see ``_Commands``).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from itertools import islice
from typing import Annotated, Any
from uuid import UUID

import typer
from eventsourcing.persistence import Notification, PersistenceError
from eventsourcing.utils import get_topic
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from typer.core import TyperGroup

from domain.application import CivicWeave
from domain.base import event_types
from domain.errors import CivicWeaveError
from domain.stakeholder import Stakeholder
from domain.vocabulary import StakeholderKind, allowed
from projections.facts import Fact, fact_from_event
from service.demo import NAME as DEMO_NAME
from service.demo import SLUG as DEMO_SLUG
from service.demo import DemoSummary, load_demo
from service.settings import Settings, get_settings, make_app

ACTOR = "cli"
PAGE = 500


class _Commands(TyperGroup):
    """The root group: errors the user can act on become one red line, not a traceback."""

    def invoke(self, ctx: Any) -> Any:  # typer's vendored click.Context, not exported
        try:
            return super().invoke(ctx)
        except CivicWeaveError as error:
            _fail(str(error), code=2)
        except ValidationError as error:
            _fail(f"invalid setting: {error}", code=2)
        except PersistenceError as error:
            _fail(f"cannot use the store: {error}", code=1)


def _fail(message: str, *, code: int) -> None:
    Console(stderr=True).print(f"[bold red]Error:[/] [red]{escape(message)}[/]")
    raise typer.Exit(code=code)


cli = typer.Typer(
    name="civicweave",
    cls=_Commands,
    no_args_is_help=True,
    add_completion=False,
    help="civicweave: the event-sourced record of local system-change work.",
)
locality_cli = typer.Typer(no_args_is_help=True, help="Localities: the places doing the work.")
stakeholder_cli = typer.Typer(no_args_is_help=True, help="The stakeholders of a locality.")
cli.add_typer(locality_cli, name="locality")
cli.add_typer(stakeholder_cli, name="stakeholder")

DatabaseUrl = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        help="sqlite:///PATH or postgresql://...; overrides CIVICWEAVE_DATABASE_URL.",
        show_default=False,
    ),
]
LocalitySlug = Annotated[str, typer.Option("--locality", help="The locality's slug.")]


@dataclass
class _Options:
    database_url: str | None = None


@cli.callback()
def _root(ctx: typer.Context, database_url: DatabaseUrl = None) -> None:
    ctx.obj = _Options(database_url)


def settings_for(ctx: typer.Context, database_url: str | None = None) -> Settings:
    """The settings, with the store named by the command's own ``--database-url``, else
    the one given before the command."""
    root = ctx.find_root().obj
    url = database_url or (root.database_url if isinstance(root, _Options) else None)
    settings = get_settings()
    return settings.model_copy(update={"database_url": url}) if url else settings


def open_app(ctx: typer.Context, database_url: str | None = None) -> CivicWeave:
    """The Application on the store of ``settings_for``; closed when the command ends."""
    app = make_app(settings_for(ctx, database_url))
    ctx.call_on_close(app.close)
    return app


# The demo


@cli.command("demo")
def demo_command(ctx: typer.Context, database_url: DatabaseUrl = None) -> None:
    """Load the fictional locality Riverside, to try civicweave with."""
    app = open_app(ctx, database_url)
    started = time.perf_counter()
    summary = load_demo(app, today=app.today())
    console = Console()
    if summary is None:
        console.print(f"The demo locality {DEMO_NAME} ({DEMO_SLUG}) is already loaded: nothing added.")
        return
    seconds = time.perf_counter() - started
    console.print(_demo_table(summary, title=f"Loaded {DEMO_NAME} ({DEMO_SLUG}) in {seconds:.1f} s"))


def _demo_table(s: DemoSummary, *, title: str) -> Table:
    states = ", ".join(f"{n} {state.replace('_', ' ')}" for state, n in s.commitments.items())
    table = Table(title=title, show_header=False)
    table.add_column("record", style="bold")
    table.add_column("count", justify="right")
    table.add_column("of which")
    table.add_row(
        "stakeholders",
        str(s.stakeholders),
        f"{s.persons} people, {s.sectors} sectors, {s.assets} assets; "
        f"{s.merged} merged, {s.archived} archived",
    )
    table.add_row("relationships", str(s.relationships), f"{s.relationships_ended} ended, {s.ratings} rated")
    table.add_row("meetings", str(s.meetings), f"{s.attendances} attendances, {s.decisions} decisions")
    table.add_row("commitments", str(sum(s.commitments.values())), states)
    table.add_row(
        "",
        "",
        f"{s.renegotiations} renegotiated, {s.reassignments} reassigned, "
        f"{s.progress_reports} progress reports",
    )
    table.add_row(
        "action plans",
        str(s.plans),
        f"{s.goals} goals, {s.measures} measures, {s.observations} observations",
    )
    table.add_row("events", str(s.events), "")
    return table


# The event log


class Format(StrEnum):
    TABLE = "table"
    JSONL = "jsonl"


SEALED = "[sealed]"


@dataclass(frozen=True)
class LogEntry:
    """One event of the log as a fact, with the slug of the locality it belongs to."""

    fact: Fact
    locality: str
    sealed: bool

    @property
    def fields(self) -> dict[str, Any]:
        return {**self.fact.data, "sealed": SEALED} if self.sealed else self.fact.data

    def as_json(self) -> dict[str, Any]:
        fact = self.fact
        return {
            "position": fact.position,
            "recorded_at": fact.recorded_at.isoformat(),
            "locality": self.locality,
            "aggregate_type": fact.aggregate_type,
            "aggregate_id": fact.aggregate_id,
            "version": fact.version,
            "event_type": fact.event_type,
            "actor": fact.actor,
            "effective": fact.effective.isoformat() if fact.effective else None,
            "fields": self.fields,
        }


def _notifications(app: CivicWeave, topics: Sequence[str] = ()) -> Iterator[Notification]:
    start = 1
    while True:
        page = app.recorder.select_notifications(start, PAGE, topics=topics)
        yield from page
        if len(page) < PAGE:
            return
        start = page[-1].id + 1


def read_log(app: CivicWeave) -> Iterator[LogEntry]:
    """Every event in log order, as facts; creation events name the locality, so the
    locality of every later event is known by its aggregate's id by the time it is read."""
    localities: dict[str, str] = {}
    slugs: dict[str, str] = {}
    for notification in _notifications(app):
        event = app.mapper.to_domain_event(notification)
        key = str(event.originator_id)
        locality = getattr(event, "locality_id", None)
        if locality is not None:
            localities[key] = str(locality)
        fact = fact_from_event(event, notification.id, localities.get(key, ""))
        if (fact.aggregate_type, fact.event_type) == ("Locality", "Registered"):
            slugs[key] = fact.data["slug"]
        yield LogEntry(fact, slugs.get(fact.locality_id, ""), sealed=bool(getattr(event, "sealed", "")))


def _wanted_types(given: list[str] | None) -> set[str] | None:
    """The lower-cased "Aggregate.Event" names meant by ``--type`` (a short name means
    that event of every aggregate), or an error naming the types there are."""
    if not given:
        return None
    known = event_types()

    def means(asked: str, name: str) -> bool:
        return asked.lower() in (name.lower(), name.rpartition(".")[2].lower())

    unknown = [asked for asked in given if not any(means(asked, name) for name in known)]
    if unknown:
        raise typer.BadParameter(
            f"unknown event type {', '.join(unknown)}; use one of: {', '.join(sorted(known))}",
            param_hint="--type",
        )
    return {name.lower() for name in known for asked in given if means(asked, name)}


def _since(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(
            "use an ISO date or date-time, e.g. 2025-04-01 or 2025-04-01T09:30:00+01:00",
            param_hint="--since",
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@cli.command("events")
def events_command(
    ctx: typer.Context,
    locality: Annotated[str | None, typer.Option(help="Only this locality (slug).")] = None,
    type_: Annotated[
        list[str] | None,
        typer.Option("--type", help="Only events of this type, e.g. Fulfilled or Plan.Agreed."),
    ] = None,
    since: Annotated[
        str | None, typer.Option(help="Only events recorded at or after this ISO date-time.")
    ] = None,
    format_: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.TABLE,
    limit: Annotated[int | None, typer.Option(min=1, help="At most this many events.")] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Print the event log, one event per line; people's sealed details never appear."""
    wanted, after = _wanted_types(type_), _since(since)
    app = open_app(ctx, database_url)
    locality_id = str(app.locality(locality).id) if locality else None
    entries = (
        entry
        for entry in read_log(app)
        if (locality_id is None or entry.fact.locality_id == locality_id)
        and (wanted is None or f"{entry.fact.aggregate_type}.{entry.fact.event_type}".lower() in wanted)
        and (after is None or entry.fact.recorded_at >= after)
    )
    if format_ is Format.JSONL:
        for entry in islice(entries, limit):
            typer.echo(json.dumps(entry.as_json(), ensure_ascii=False))
        return
    console = Console(highlight=False)
    console.print(
        _line("position", "recorded at", "locality", "aggregate", "event", "actor", "effective", "fields"),
        style="bold",
        soft_wrap=True,
        markup=False,
    )
    for entry in islice(entries, limit):
        fact = entry.fact
        fields = "  ".join(f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in entry.fields.items())
        console.print(
            _line(
                str(fact.position),
                f"{fact.recorded_at:%Y-%m-%d %H:%M:%S}",
                entry.locality,
                fact.aggregate_type,
                fact.event_type,
                fact.actor,
                fact.effective.isoformat() if fact.effective else "-",
                fields,
            ),
            soft_wrap=True,
            markup=False,
        )


def _line(*columns: str) -> str:
    widths = (8, 19, 12, 12, 20, 10, 10)
    padded = [
        col.ljust(width) if i else col.rjust(width)
        for i, (col, width) in enumerate(zip(columns, widths, strict=False))
    ]
    return "  ".join((*padded, *columns[len(widths) :]))


# Localities


@locality_cli.command("create")
def create_locality(
    ctx: typer.Context,
    slug: Annotated[str, typer.Argument(help="Lower-case letters, digits and hyphens.")],
    name: Annotated[str, typer.Option(help="The locality's name.")],
    region: Annotated[str, typer.Option(help="The region it is in.")] = "",
    database_url: DatabaseUrl = None,
) -> None:
    """Register a locality."""
    receipt = open_app(ctx, database_url).register_locality(slug, name, region, actor=ACTOR)
    Console().print(f"Registered locality {escape(slug)} ({receipt.id})")


# Stakeholders


@stakeholder_cli.command("add")
def add_stakeholder(
    ctx: typer.Context,
    locality: LocalitySlug,
    kind: Annotated[str, typer.Option(help=f"One of: {allowed(StakeholderKind)}.")],
    sector: Annotated[str, typer.Option(help="A sector of the locality, e.g. vcse or health.")],
    name: Annotated[str, typer.Option(help="The name (a person's is stored sealed).")],
    database_url: DatabaseUrl = None,
) -> None:
    """Register a stakeholder: an organisation, an informal group or a person."""
    app = open_app(ctx, database_url)
    receipt = app.register_stakeholder(locality, kind=kind, sector=sector, name=name, actor=ACTOR)
    Console().print(f"Registered {escape(kind)} {receipt.id} in {escape(locality)}")


@stakeholder_cli.command("list")
def list_stakeholders(ctx: typer.Context, locality: LocalitySlug, database_url: DatabaseUrl = None) -> None:
    """List the stakeholders of a locality, with their status and number of assets."""
    rows = stakeholders_by_replay(open_app(ctx, database_url), locality)
    table = Table(title=f"Stakeholders of {locality} ({len(rows)})")
    for column in ("id", "kind", "sector", "name", "status", "assets"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(str(row.id), row.kind, row.sector, escape(row.name), row.status, str(row.assets))
    Console().print(table)


@dataclass(frozen=True)
class StakeholderRow:
    id: UUID
    kind: str
    sector: str
    name: str
    status: str
    assets: int


def stakeholders_by_replay(app: CivicWeave, slug: str) -> list[StakeholderRow]:
    """Each stakeholder of the locality, replayed from the log (a read model will replace
    this: it reads every registration, then every stakeholder's events)."""
    locality = app.locality(slug)
    topic = get_topic(Stakeholder.Registered)
    rows = []
    for notification in _notifications(app, topics=(topic,)):
        registered = app.mapper.to_domain_event(notification)
        if vars(registered)["locality_id"] != locality.id:
            continue
        stakeholder = app.load(Stakeholder, registered.originator_id, locality=slug)
        rows.append(
            StakeholderRow(
                id=stakeholder.id,
                kind=stakeholder.kind,
                sector=stakeholder.sector,
                name=app.stakeholder_details(stakeholder)["name"],
                status=stakeholder.status,
                assets=len(stakeholder.assets),
            )
        )
    return sorted(rows, key=lambda row: (row.sector, row.name.lower()))
