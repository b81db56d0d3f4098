"""Commands for a record people can trust: ``verify`` the hash chain, ``erase`` a person."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import typer
from rich.console import Console

from domain.locality import Locality, locality_id
from domain.stakeholder import Stakeholder
from projections.projector import open_projector
from service.cli import DatabaseUrl, cli, open_app, settings_for

erase_cli = typer.Typer(no_args_is_help=True, help="Erase a person's personal data (crypto-shredding).")
cli.add_typer(erase_cli, name="erase")


@cli.command("verify")
def verify(
    ctx: typer.Context,
    locality: Annotated[
        str | None, typer.Option(help="Only this locality's chain [default: every locality].")
    ] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Check the hash chain over the events; exit 1 naming the first event that no longer matches."""
    app = open_app(ctx, database_url)
    if locality is not None:
        app.locality(locality)
    projector = open_projector(app, settings_for(ctx, database_url).database_url)
    ctx.call_on_close(projector.close)
    assert projector.chain is not None
    projector.chain.extend()
    result = projector.chain.verify(str(locality_id(locality)) if locality else None)
    if not result.ok:
        Console(stderr=True).print(f"[bold red]Tampered:[/] {result}")
        raise typer.Exit(code=1)
    typer.echo(str(result))
    if locality is not None:
        head = projector.chain.head(str(locality_id(locality)))
        typer.echo(f"head of {locality}: {head['link']} at position {head['position']}")


@erase_cli.command("stakeholder")
def erase_stakeholder(
    ctx: typer.Context,
    stakeholder_id: Annotated[UUID, typer.Argument(metavar="ID", help="The person's stakeholder id.")],
    reason: Annotated[str, typer.Option(help="Why (e.g. the data subject's request and its reference).")],
    database_url: DatabaseUrl = None,
) -> None:
    """Destroy a person's key so their name, contact and notes can never be read again."""
    app = open_app(ctx, database_url)
    stakeholder = app.load(Stakeholder, stakeholder_id)
    slug = app.load(Locality, stakeholder.locality_id).slug
    app.erase_person(slug, stakeholder_id, reason=reason, actor="cli")
    projector = open_projector(app, settings_for(ctx, database_url).database_url)
    ctx.call_on_close(projector.close)
    projector.catch_up()
    typer.echo(f"Erased the personal data of stakeholder {stakeholder_id}; the erasure is recorded.")
