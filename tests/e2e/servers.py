"""Real civicweave processes on free loopback ports, for end-to-end tests."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

TOKEN = re.compile(r"token \(shown once\): (cw_[A-Za-z0-9_-]+)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    process: subprocess.Popen[str]
    base_url: str
    log: Path

    def output(self) -> str:
        return self.log.read_text()

    def token(self) -> str:
        found = TOKEN.search(self.output())
        assert found, f"no administrator token in the output:\n{self.output()}"
        return found.group(1)

    def client(self, token: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token or self.token()}"}
        return httpx.Client(base_url=self.base_url, headers=headers, timeout=10)


def _command(*args: str) -> list[str]:
    return [sys.executable, "-m", "service", *args]


def _wait_ready(server: Server, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise AssertionError(f"the server exited with {server.process.returncode}:\n{server.output()}")
        try:
            if httpx.get(f"{server.base_url}/ready", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"the server was not ready within {timeout} s:\n{server.output()}")


@contextmanager
def serving(database_url: str, tmp_path: Path, *args: str, timeout: float = 60) -> Iterator[Server]:
    """``civicweave serve ARGS`` on a free port, ready; stopped (SIGTERM, then SIGKILL) after."""
    port = free_port()
    log = tmp_path / f"serve-{port}.log"
    env = {**os.environ, "CIVICWEAVE_DATABASE_URL": database_url, "CIVICWEAVE_LOG_LEVEL": "warning"}
    with log.open("w") as out:
        process = subprocess.Popen(
            _command("serve", "--port", str(port), *args),
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=tmp_path,
            text=True,
        )
    server = Server(process, f"http://127.0.0.1:{port}", log)
    try:
        _wait_ready(server, timeout)
        yield server
    finally:
        stop(process)


@contextmanager
def working(database_url: str, tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    """``civicweave worker`` on the store; stopped after."""
    process = start_worker(database_url, tmp_path)
    try:
        yield process
    finally:
        stop(process)


def start_worker(database_url: str, tmp_path: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "CIVICWEAVE_DATABASE_URL": database_url}
    with (tmp_path / f"worker-{time.monotonic_ns()}.log").open("w") as log:
        return subprocess.Popen(
            _command("worker", "--poll-seconds", "0.2"),
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=tmp_path,
            text=True,
        )


def stop(process: subprocess.Popen[str], *, kill: bool = False) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
