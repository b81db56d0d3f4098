"""The ``civicweave`` console script: every command, registered on one Typer app."""

from __future__ import annotations

from service import cli_io, cli_ops, cli_peers, cli_trust, cli_views
from service.cli import cli

__all__ = ["cli", "cli_io", "cli_ops", "cli_peers", "cli_trust", "cli_views", "main"]


def main() -> None:
    cli(prog_name="civicweave")
