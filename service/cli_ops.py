"""Commands that run civicweave: ``serve``, ``worker`` and ``token``."""

from __future__ import annotations

import os
import signal
import threading
from typing import Annotated

import typer
import uvicorn
from rich.console import Console

from domain.persistence import environment
from projections.projector import open_projector
from service.app import create_app
from service.auth import Role, TokenStore
from service.cli import DatabaseUrl, cli, open_app, settings_for
from service.demo import NAME as DEMO_NAME
from service.demo import load_demo
from service.settings import Settings, make_app
from service.workers import Serving, Supervisor, claim, reuse_port_supported

token_cli = typer.Typer(no_args_is_help=True, help="Bearer tokens: who may read and change what.")
cli.add_typer(token_cli, name="token")


def _settings(ctx: typer.Context, database_url: str | None, **overrides: object) -> Settings:
    return settings_for(ctx, database_url).model_copy(
        update={k: v for k, v in overrides.items() if v is not None}
    )


def _load_demo(settings: Settings, console: Console) -> None:
    app = make_app(settings)
    try:
        summary = load_demo(app, today=app.today())
    finally:
        app.close()
    if summary is None:
        console.print(f"The demo locality {DEMO_NAME} is already loaded.")
    else:
        console.print(
            f"Loaded the demo locality {DEMO_NAME}: {summary.stakeholders} stakeholders, "
            f"{summary.relationships} relationships, {summary.meetings} meetings, "
            f"{sum(summary.commitments.values())} commitments."
        )
    tokens = TokenStore(settings.database_url)
    try:
        token = tokens.create(name="demo administrator", role=Role.ADMINISTRATOR.value, locality=None)
    finally:
        tokens.close()
    console.print(f"Administrator token (shown once): {token}", soft_wrap=True)


@cli.command("serve")
def serve(
    ctx: typer.Context,
    demo: Annotated[
        bool, typer.Option("--demo", help="Load the Riverside demo first and print an administrator token.")
    ] = False,
    host: Annotated[
        str | None, typer.Option(help="Address to listen on [default: CIVICWEAVE_HOST or 127.0.0.1].")
    ] = None,
    port: Annotated[int | None, typer.Option(help="Port [default: CIVICWEAVE_PORT or 8000].")] = None,
    workers: Annotated[
        int | None, typer.Option(help="API processes [default: CIVICWEAVE_WORKERS or 1].", min=1)
    ] = None,
    projector: Annotated[
        bool,
        typer.Option(
            "--projector/--no-projector",
            help="Keep the views here; --no-projector when a `civicweave worker` does.",
        ),
    ] = True,
    database_url: DatabaseUrl = None,
) -> None:
    """Serve the JSON API (and pages) with uvicorn."""
    settings = _settings(ctx, database_url, host=host, port=port, workers=workers)
    console = Console()
    if demo:
        _load_demo(settings, console)
    console.print(f"Serving civicweave on http://{settings.host}:{settings.port} (API docs at /docs)")
    if settings.workers == 1:
        settings = settings.model_copy(update={"projector": projector})
        uvicorn.run(
            create_app(settings), host=settings.host, port=settings.port, log_level=settings.log_level
        )
        return
    _serve_workers(settings, run_projector=projector)


def _serve_workers(settings: Settings, *, run_projector: bool) -> None:
    """Several API processes; the views are kept by one projector in this supervising
    process (or by a separate `civicweave worker`), never once per API process. Each
    API process listens on a socket of its own where the system allows (service.workers)."""
    os.environ["CIVICWEAVE_DATABASE_URL"] = settings.database_url
    os.environ["CIVICWEAVE_PROJECTOR"] = "false"
    own_sockets = reuse_port_supported()
    if own_sockets:
        try:
            port = claim(settings.host, settings.port)
        except OSError as error:
            Console(stderr=True).print(f"Cannot serve on {settings.host}:{settings.port}: {error}")
            raise typer.Exit(1) from None
    stop = threading.Event()
    if run_projector:
        thread = threading.Thread(target=_project, args=(settings.database_url, stop), daemon=True)
        thread.start()
    try:
        if own_sockets:
            serving = Serving(settings.host, port, settings.log_level)
            if Supervisor(serving, settings.workers).run():
                raise typer.Exit(1)
            return
        uvicorn.run(
            "service.app:create_app",
            factory=True,
            host=settings.host,
            port=settings.port,
            workers=settings.workers,
            log_level=settings.log_level,
            access_log=False,
        )
    finally:
        stop.set()


def _project(database_url: str, stop: threading.Event) -> None:
    app = make_app(Settings(database_url=database_url))
    projector = open_projector(app, database_url)
    try:
        projector.run_forever(stop)
    finally:
        projector.close()
        app.close()


@cli.command("worker")
def worker(
    ctx: typer.Context,
    poll_seconds: Annotated[
        float, typer.Option(help="How often to look for new events when not nudged.", min=0.05)
    ] = 0.5,
    database_url: DatabaseUrl = None,
) -> None:
    """Keep the views following the log (one worker for all API processes)."""
    app = open_app(ctx, database_url)
    url = _settings(ctx, database_url).database_url
    environment(url)  # a bad URL fails here, with the settings error, before anything starts
    projector = open_projector(app, url)
    ctx.call_on_close(projector.close)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    Console().print(f"Projecting from position {projector.position()}; stop with Ctrl-C or SIGTERM.")
    projector.run_forever(stop, poll_seconds=poll_seconds)
    Console().print(f"Stopped at position {projector.position()}.")


@token_cli.command("create")
def create_token(
    ctx: typer.Context,
    role: Annotated[str, typer.Option(help="administrator, facilitator, lead or peer.")],
    name: Annotated[str, typer.Option(help="Who uses it: recorded as the actor of every change it makes.")],
    locality: Annotated[
        str | None, typer.Option(help="The locality it belongs to (all but administrators).")
    ] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Create a token and print it once (only its hash is kept)."""
    settings = _settings(ctx, database_url)
    if locality:
        open_app(ctx, database_url).locality(locality)
    tokens = TokenStore(settings.database_url)
    ctx.call_on_close(tokens.close)
    typer.echo(tokens.create(name=name, role=role, locality=locality))


@token_cli.command("list")
def list_tokens(ctx: typer.Context, database_url: DatabaseUrl = None) -> None:
    """List tokens by name and role (never the tokens themselves)."""
    tokens = TokenStore(_settings(ctx, database_url).database_url)
    ctx.call_on_close(tokens.close)
    for row in tokens.list():
        state = f"revoked {row['revoked_at']}" if row["revoked_at"] else "active"
        typer.echo(f"{row['name']}\t{row['role']}\t{row['locality'] or '*'}\t{row['created_at']}\t{state}")


@token_cli.command("revoke")
def revoke_token(
    ctx: typer.Context,
    name: Annotated[str, typer.Option(help="The name of the token(s) to revoke.")],
    database_url: DatabaseUrl = None,
) -> None:
    """Revoke every active token of that name."""
    tokens = TokenStore(_settings(ctx, database_url).database_url)
    ctx.call_on_close(tokens.close)
    typer.echo(f"Revoked {tokens.revoke(name)} token(s) named {name!r}.")


@cli.command("status")
def status(
    ctx: typer.Context,
    max_lag: Annotated[
        int | None, typer.Option(help="Exit 1 if the views are more than this many events behind.")
    ] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """How far the log and the views have got (a health check for the worker)."""
    app = open_app(ctx, database_url)
    projector = open_projector(app, settings_for(ctx, database_url).database_url)
    ctx.call_on_close(projector.close)
    latest = app.recorder.max_notification_id() or 0
    position = projector.position()
    typer.echo(f"log position {latest}, views at {position}, lag {latest - position}")
    if max_lag is not None and latest - position > max_lag:
        raise typer.Exit(code=1)
