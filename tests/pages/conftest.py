"""Fixtures for the pages: the Riverside demo on a fresh copy of one loaded store, a
signed-in client per role, a real server for the browser, and the browser itself.

The demo is loaded once per session into a SQLite store, which each test copies
(a few milliseconds), so every test starts from the same record and may change it.
"""

from __future__ import annotations

import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient

from service.app import create_app
from service.demo import load_demo
from service.runtime import Runtime
from service.settings import Settings

HOME, OTHER = "riverside", "hillside"
ROLES = {
    "administrator": ("Ada Admin", None),
    "facilitator": ("Fran Facilitator", HOME),
    "lead": ("Lee Lead", HOME),
    "peer": ("Pat Peer", HOME),
    "other": ("Olu Other", OTHER),
}
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass(frozen=True)
class DemoStore:
    directory: Path
    tokens: dict[str, str]


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> DemoStore:
    """Riverside loaded once (and the empty locality Hillside), with a token per role."""
    directory = tmp_path_factory.mktemp("demo")
    runtime = Runtime.open(Settings(database_url=f"sqlite:///{directory}/civicweave.db"))
    try:
        load_demo(runtime.app, today=runtime.reader.today())
        runtime.app.register_locality(OTHER, "Hillside", "North East", actor="setup")
        tokens = {
            role: runtime.tokens.create(
                name=name, role=role if role != "other" else "facilitator", locality=slug
            )
            for role, (name, slug) in ROLES.items()
        }
        assert runtime.projector is not None
        runtime.projector.catch_up()
    finally:
        runtime.close()
    return DemoStore(directory, tokens)


def copy_store(store: DemoStore, target: Path) -> str:
    target.mkdir(parents=True, exist_ok=True)
    for path in store.directory.iterdir():
        shutil.copy2(path, target / path.name)
    return f"sqlite:///{target}/civicweave.db"


@dataclass
class Site:
    """The app on a fresh copy of the demo; ``client(role)`` is signed in as that role."""

    app: Any
    runtime: Runtime
    tokens: dict[str, str]
    clients: dict[str, TestClient] = field(default_factory=dict)

    def client(self, role: str | None = None) -> TestClient:
        key = role or "anonymous"
        if key not in self.clients:
            client = TestClient(self.app, follow_redirects=False)
            if role is not None:
                sign_in(client, self.tokens[role])
            self.clients[key] = client
        return self.clients[key]

    def csrf(self, role: str, path: str = f"/l/{HOME}") -> str:
        page = self.client(role).get(path)
        found = CSRF.search(page.text)
        assert found, f"no CSRF token on {path}"
        return found.group(1)

    def post(self, role: str, path: str, data: dict[str, Any] | list[tuple[str, str]]) -> httpx.Response:
        """A form sent as the role would send it: with the session's CSRF token."""
        items = list(data.items()) if isinstance(data, dict) else list(data)
        return self.client(role).post(path, data=form_fields([("csrf_token", self.csrf(role)), *items]))

    def events(self) -> int:
        """How many events the log holds: to see that a refused form wrote nothing."""
        return int(self.runtime.app.recorder.max_notification_id() or 0)

    def every_page(self) -> list[str]:
        """Every kind of page of the demo locality, with real ids (the start page aside)."""
        state = self.runtime.reader.state(HOME)
        active = next(s.id for s in state.stakeholders.values() if s.status == "active" and s.assets)
        merged = next(s.id for s in state.stakeholders.values() if s.status == "merged")
        meeting = next(iter(state.meetings))
        commitment = next(c.id for c in state.commitments.values() if c.outcome is None)
        base = f"/l/{HOME}"
        return [
            base,
            f"{base}/stakeholders",
            f"{base}/stakeholders?q=river&sector=health",
            f"{base}/stakeholders/new",
            f"{base}/stakeholders/{active}",
            f"{base}/stakeholders/{merged}",
            f"{base}/stakeholders/{active}/edit",
            f"{base}/stakeholders/{active}/merge",
            f"{base}/stakeholders/{active}/archive",
            f"{base}/assets",
            f"{base}/meetings",
            f"{base}/meetings/new",
            f"{base}/meetings/{meeting}",
            f"{base}/commitments",
            f"{base}/commitments/{commitment}",
            f"{base}/network",
            f"{base}/network?graph=tie&view=sector",
            f"{base}/network?graph=commitment&view=community",
            f"{base}/report",
            f"{base}/import",
            f"{base}/export",
        ]

    def catch_up(self) -> None:
        assert self.runtime.projector is not None
        self.runtime.projector.catch_up()


def form_fields(items: list[tuple[str, Any]]) -> dict[str, list[str]]:
    """Form fields as httpx sends them: each name with all its values, in order."""
    fields: dict[str, list[str]] = {}
    for key, value in items:
        for one in value if isinstance(value, list | tuple) else [value]:
            fields.setdefault(key, []).append(str(one))
    return fields


def sign_in(client: TestClient, token: str) -> httpx.Response:
    form = client.get("/signin")
    found = CSRF.search(form.text)
    assert found
    answer = client.post("/signin", data={"csrf_token": found.group(1), "token": token, "next": "/"})
    assert answer.status_code == 303, answer.text
    return answer


@pytest.fixture
def site(demo_store: DemoStore, tmp_path: Path) -> Iterator[Site]:
    url = copy_store(demo_store, tmp_path / "store")
    settings = Settings(database_url=url)
    runtime = Runtime.open(settings)
    app = create_app(settings, runtime=runtime)
    with TestClient(app):
        yield Site(app, runtime, demo_store.tokens)
    runtime.close()


# A real server, for the browser


@dataclass(frozen=True)
class LiveServer:
    base_url: str
    tokens: dict[str, str]
    runtime: Runtime


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def live_server(demo_store: DemoStore, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """uvicorn on a free loopback port, in a thread, serving a copy of the demo."""
    url = copy_store(demo_store, tmp_path_factory.mktemp("live"))
    settings = Settings(database_url=url)
    runtime = Runtime.open(settings)
    port = _free_port()
    config = uvicorn.Config(
        create_app(settings, runtime=runtime), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise AssertionError("the server did not start")
        time.sleep(0.05)
    yield LiveServer(f"http://127.0.0.1:{port}", demo_store.tokens, runtime)
    server.should_exit = True
    thread.join(timeout=10)
    runtime.close()
