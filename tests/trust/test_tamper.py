"""Tamper evidence: an event whose stored bytes were edited in the database, on SQLite and
PostgreSQL, is named by ``civicweave verify`` (exit 1); an untouched store verifies."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from typing import Any
from uuid import UUID

import psycopg
import pytest
from fastapi.testclient import TestClient
from psycopg import sql
from typer.testing import CliRunner, Result

from domain.application import CivicWeave
from domain.persistence import environment
from projections.chain import link
from projections.projector import open_projector
from service.app import create_app
from service.console import cli
from service.runtime import Runtime
from service.settings import Settings
from tests.trust.conftest import HOME, OTHER, Records, add_records

runner = CliRunner()
WORDING, FORGED = b"two evenings a week", b"one evening a month"


def verify(url: str, *args: str) -> Result:
    return runner.invoke(cli, ["verify", "--database-url", url, *args], env={"COLUMNS": "200"})


@pytest.fixture
def store(database_url: str) -> Iterator[tuple[CivicWeave, Records]]:
    """Two localities with a record each, chained as the projector chains them."""
    app = CivicWeave(environment(database_url))
    for slug, name in ((HOME, "Riverside"), (OTHER, "Hillside")):
        app.register_locality(slug, name, actor="setup")
    records = add_records(app, HOME)
    add_records(app, OTHER)
    yield app, records
    app.close()


def _position(app: CivicWeave, aggregate_id: UUID, version: int) -> int:
    for notification in app.recorder.select_notifications(start=1, limit=10_000):
        if notification.originator_id == aggregate_id and notification.originator_version == version:
            return int(notification.id)
    raise LookupError(aggregate_id)


def _execute(app: CivicWeave, url: str, statement: str, *params: Any) -> int:
    """Run SQL straight on the events table, as someone with access to the database could."""
    if url.startswith("sqlite"):
        values = [p.hex if isinstance(p, UUID) else p for p in params]  # eventsourcing's SQLite form
        with closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as lite, lite:
            return lite.execute(statement.format(table="stored_events"), values).rowcount
    table = sql.Identifier(app.recorder.events_table_name)  # type: ignore[attr-defined]
    query = sql.SQL(statement.replace("?", "%s")).format(table=table)
    with psycopg.connect(url, autocommit=True) as connection:
        return connection.execute(query, [str(p) if isinstance(p, UUID) else p for p in params]).rowcount


def _stored_state(app: CivicWeave, aggregate_id: UUID, version: int) -> bytes:
    (stored,) = [e for e in app.recorder.select_events(aggregate_id) if e.originator_version == version]
    return bytes(stored.state)


def test_an_untouched_store_verifies_every_event(
    store: tuple[CivicWeave, Records], database_url: str
) -> None:
    app, _ = store
    total = app.recorder.max_notification_id()

    result = verify(database_url)
    home = verify(database_url, "--locality", HOME)

    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"{total} events verified"
    assert home.exit_code == 0 and home.stdout.startswith(f"{(total or 0) // 2} events verified")


def test_an_event_edited_in_the_database_is_named_by_verify(
    store: tuple[CivicWeave, Records], database_url: str
) -> None:
    app, records = store
    assert verify(database_url).exit_code == 0  # chained while still untouched
    state = _stored_state(app, records.commitment, 1)
    assert WORDING in state
    position = _position(app, records.commitment, 1)

    changed = _execute(
        app,
        database_url,
        "UPDATE {table} SET state = ? WHERE originator_id = ? AND originator_version = ?",
        state.replace(WORDING, FORGED),
        records.commitment,
        1,
    )
    result = verify(database_url)

    assert changed == 1
    assert result.exit_code == 1
    assert f"event {position} (aggregate {records.commitment}) does not match" in result.output
    assert "stored bytes have changed" in result.output
    assert verify(database_url, "--locality", OTHER).exit_code == 0  # the other locality's chain is intact


def test_an_event_deleted_from_the_database_is_named_by_verify(
    store: tuple[CivicWeave, Records], database_url: str
) -> None:
    app, records = store
    assert verify(database_url).exit_code == 0
    position = _position(app, records.measure, 2)

    _execute(
        app,
        database_url,
        "DELETE FROM {table} WHERE originator_id = ? AND originator_version = ?",
        records.measure,
        2,
    )
    result = verify(database_url, "--locality", HOME)

    assert result.exit_code == 1
    assert f"event {position} (aggregate {records.measure})" in result.output
    assert "missing from the log" in result.output


def test_the_verify_endpoint_names_an_edited_event_too(
    store: tuple[CivicWeave, Records], database_url: str
) -> None:
    app, records = store
    settings = Settings(database_url=database_url)
    runtime = Runtime.open(settings)
    token = runtime.tokens.create(name="Ada Admin", role="administrator", locality=None)
    with TestClient(create_app(settings, runtime=runtime)) as client:
        runtime.projector.catch_up()
        state = _stored_state(app, records.person, 1)
        _execute(
            app,
            database_url,
            "UPDATE {table} SET state = ? WHERE originator_id = ? AND originator_version = ?",
            state.replace(b'"kind":"person"', b'"kind":"group"'),
            records.person,
            1,
        )
        answer = client.post(
            f"/api/v1/localities/{HOME}/chain/verify", headers={"Authorization": f"Bearer {token}"}
        )
    runtime.close()
    assert answer.status_code == 200
    assert answer.json()["ok"] is False
    assert answer.json()["first_mismatch"] == _position(app, records.person, 1)
    assert answer.json()["aggregate_id"] == str(records.person)


def test_rewriting_the_chain_too_passes_verify_but_not_a_comparison_with_the_published_head(
    store: tuple[CivicWeave, Records], database_url: str
) -> None:
    """What SECURITY.md says the chain cannot do alone: someone who can write both the log and
    the chain can forge a consistent pair; only a head published earlier gives them away."""
    app, records = store
    projector = open_projector(app, database_url)
    projector.catch_up()
    assert projector.chain is not None
    locality_id = str(app.locality(HOME).id)
    published = projector.chain.head(locality_id)
    state = _stored_state(app, records.commitment, 1)
    _execute(
        app,
        database_url,
        "UPDATE {table} SET state = ? WHERE originator_id = ? AND originator_version = ?",
        state.replace(WORDING, FORGED),
        records.commitment,
        1,
    )
    _forge_chain(projector, locality_id)

    assert projector.chain.verify().ok
    assert projector.chain.head(locality_id)["link"] != published["link"]
    assert projector.chain.head(locality_id)["position"] == published["position"]
    projector.close()


def _forge_chain(projector: Any, locality_id: str) -> None:
    """Recompute every link of the locality from the (edited) stored events, as a forger would."""
    chain = projector.chain
    previous = "0" * 64
    with chain.db.transaction() as cursor:
        cursor.execute(
            "SELECT position FROM civicweave_chain WHERE locality_id = ? ORDER BY position", (locality_id,)
        )
        positions = [int(row[0]) for row in cursor.fetchall()]
        stored = {n.id: n for n in projector.app.recorder.select_notifications(start=1, limit=10_000)}
        for position in positions:
            previous = link(previous, stored[position])
            cursor.execute("UPDATE civicweave_chain SET link = ? WHERE position = ?", (previous, position))
