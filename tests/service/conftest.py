"""Fixtures for the API: a server on a fresh store (SQLite by default; the ``database_url``
fixture of tests/conftest.py gives both SQLite and PostgreSQL), and a token per role."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.runtime import Runtime
from service.settings import Settings

HOME, OTHER = "riverside", "hillside"


@dataclass
class Api:
    """A TestClient with a bearer token per role: ``api.as_("lead")`` gives its headers."""

    client: TestClient
    runtime: Runtime
    tokens: dict[str, str]

    def as_(self, role: str, **extra: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}", **extra}


def _api(database_url: str) -> Iterator[Api]:
    settings = Settings(database_url=database_url)
    runtime = Runtime.open(settings)
    app = create_app(settings, runtime=runtime)
    with TestClient(app) as client:
        runtime.app.register_locality(HOME, "Riverside", "North West", actor="setup")
        runtime.app.register_locality(OTHER, "Hillside", "North East", actor="setup")
        tokens = {
            "administrator": runtime.tokens.create(name="Ada Admin", role="administrator", locality=None),
            "facilitator": runtime.tokens.create(name="Fran Facilitator", role="facilitator", locality=HOME),
            "lead": runtime.tokens.create(name="Lee Lead", role="lead", locality=HOME),
            "peer": runtime.tokens.create(name="Pat Peer", role="peer", locality=HOME),
            "other_facilitator": runtime.tokens.create(name="Olu Other", role="facilitator", locality=OTHER),
        }
        if runtime.projector is not None:
            runtime.projector.catch_up()
        yield Api(client, runtime, tokens)
    runtime.close()


@pytest.fixture
def api(tmp_path: Path) -> Iterator[Api]:
    """The API on a fresh SQLite store, with localities riverside and hillside."""
    yield from _api(f"sqlite:///{tmp_path}/civicweave.db")


@pytest.fixture
def api_on(database_url: str) -> Iterator[Api]:
    """The same on SQLite and on PostgreSQL."""
    yield from _api(database_url)
