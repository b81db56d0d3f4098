"""Crash safety: writes from several clients against a real ``civicweave serve``, which is
killed with SIGKILL mid-load and started again; the clients retry what was not answered,
with the same Idempotency-Keys. Every write that was acknowledged is in the log once and
in every projection; nothing is applied twice; the chain still covers the whole log."""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from domain.application import CivicWeave
from domain.persistence import environment
from projections.store import open_views
from service.auth import TokenStore
from service.console import cli
from tests.e2e.servers import Server, serving, stop

pytestmark = pytest.mark.slow

CLIENTS = 6
KILL_AFTER = 40  # acknowledged writes before the kill
BASE = "/api/v1/localities/riverside"


@dataclass
class Write:
    key: str
    path: str
    body: dict[str, Any]
    label: str  # the stakeholder's name or the commitment's wording: unique per write
    status: int | None = None  # None: never answered
    replayed: bool = False
    id: str | None = None

    def send(self, http: httpx.Client, *, attempts: int = 5, retry_transport_errors: bool = False) -> None:
        """Send it, again with the same key after a 5xx (the key is released then), as a
        careful client would; SQLite with many writers can time out waiting for its writer."""
        for attempt in range(attempts):
            try:
                answer = http.post(self.path, json=self.body, headers={"Idempotency-Key": self.key})
            except httpx.TransportError:
                if not retry_transport_errors or attempt == attempts - 1:
                    raise
                time.sleep(0.2)
                continue
            self.status = answer.status_code
            self.replayed = answer.headers.get("Idempotent-Replayed") == "true"
            if answer.status_code == 201:
                self.id = answer.json()["id"]
            if answer.status_code < 500:
                return


@dataclass
class Load:
    promisor: str
    writes: list[Write] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def acknowledged(self) -> int:
        with self.lock:
            return sum(w.status == 201 for w in self.writes)

    def next_write(self, client: int, number: int) -> Write:
        key = f"client-{client}-write-{number}"
        if number % 2:
            label = f"Promise {client}.{number}"
            body = {"promisor_id": self.promisor, "what": label, "due": "2031-01-01", "to_change_group": True}
            write = Write(key, f"{BASE}/commitments", body, label)
        else:
            label = f"Group {client}.{number}"
            write = Write(
                key, f"{BASE}/stakeholders", {"kind": "group", "sector": "vcse", "name": label}, label
            )
        with self.lock:
            self.writes.append(write)
        return write


def _client(server: Server, token: str, load: Load, number: int) -> None:
    """Write until the server stops answering; the write in flight then stays unanswered."""
    with server.client(token) as http:
        for count in range(10_000):
            write = load.next_write(number, count)
            try:
                write.send(http)
            except httpx.TransportError:
                write.status = None
                return
            if write.status != 201:
                return


def _prepare(url: str) -> tuple[str, str]:
    app = CivicWeave(environment(url))
    app.register_locality("riverside", "Riverside", actor="setup")
    council = app.register_stakeholder(
        "riverside", kind="organisation", sector="public", name="Riverside Council", actor="setup"
    ).id
    app.close()
    tokens = TokenStore(url)
    token = tokens.create(name="Fran Facilitator", role="facilitator", locality="riverside")
    tokens.close()
    return token, str(council)


def _wait_for_views(server: Server, token: str) -> None:
    with server.client(token) as http:
        for _ in range(200):
            ready = http.get("/ready").json()
            if ready["status"] == "ready" and ready["lag"] == 0:
                return
            time.sleep(0.05)
    raise AssertionError(f"the views did not catch up: {ready}")


def test_a_killed_server_loses_no_acknowledged_write_and_applies_none_twice(
    database_url: str, tmp_path: Path
) -> None:
    token, council = _prepare(database_url)
    load = Load(council)

    with serving(database_url, tmp_path) as server:
        clients = [threading.Thread(target=_client, args=(server, token, load, n)) for n in range(CLIENTS)]
        for thread in clients:
            thread.start()
        deadline = time.monotonic() + 60
        while load.acknowledged() < KILL_AFTER and time.monotonic() < deadline:
            time.sleep(0.01)
        stop(server.process, kill=True)
        for thread in clients:
            thread.join(timeout=30)
    unanswered = [w for w in load.writes if w.status is None]
    assert {w.status for w in load.writes} == {201, None}
    assert load.acknowledged() >= KILL_AFTER
    assert len(unanswered) == CLIENTS  # each client was cut off with a write in flight (or just sent)

    with serving(database_url, tmp_path) as server, server.client(token) as http:
        for write in unanswered:  # the clients retry, with the same keys and bodies
            write.send(http, retry_transport_errors=True)
        _wait_for_views(server, token)
        readable = {w.key: http.get(f"{w.path}/{w.id}").status_code for w in load.writes if w.status == 201}

    # A retry is answered 201 (done now, or the first answer replayed) or, if the crash came
    # while it was being carried out, 409: its outcome is unknown, so it stays "in doubt".
    assert {w.status for w in unanswered} <= {201, 409}
    assert set(readable.values()) == {200}
    _assert_log_and_views_agree(database_url, load)
    verified = CliRunner().invoke(cli, ["verify", "--database-url", database_url])
    assert verified.exit_code == 0, verified.output


def _assert_log_and_views_agree(url: str, load: Load) -> None:
    app = CivicWeave(environment(url))
    try:
        notifications = app.recorder.select_notifications(start=1, limit=100_000)
        labels: Counter[str] = Counter()
        for notification in notifications:
            event: Any = app.mapper.to_domain_event(notification)
            kind = type(event).__qualname__
            if kind in ("Stakeholder.Registered", "Commitment.Made"):
                labels[event.name if kind.startswith("Stakeholder") else event.what] += 1
        positions = [n.id for n in notifications]
    finally:
        app.close()
    acknowledged = {w.label for w in load.writes if w.status == 201}
    in_doubt = {w.label for w in load.writes if w.status != 201}
    assert {label: labels[label] for label in acknowledged} == dict.fromkeys(acknowledged, 1)
    assert {label: labels[label] for label in in_doubt if labels[label] > 1} == {}
    assert set(labels) <= acknowledged | in_doubt | {"Riverside Council"}

    views = open_views(url)
    try:
        with views.transaction() as cursor:
            cursor.execute("SELECT position FROM view_facts ORDER BY position")
            facts = [int(row[0]) for row in cursor.fetchall()]
            cursor.execute("SELECT position FROM view_tracking WHERE view = 'civicweave'")
            tracked = int(cursor.fetchone()[0])
            cursor.execute("SELECT name FROM view_stakeholders UNION ALL SELECT what FROM view_commitments")
            rows = Counter(str(row[0]) for row in cursor.fetchall())
    finally:
        views.close()
    assert facts == positions and tracked == positions[-1]  # each event projected exactly once
    assert rows == {label: 1 for label in labels}
