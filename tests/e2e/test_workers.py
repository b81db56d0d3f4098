"""`civicweave serve --workers 2`: two API processes, each on a socket of its own
(service.workers), both given connections, one that dies started again, an address
already served refused, and every process stopped with the server."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import httpx
import pytest

from tests.e2e.servers import Server, free_port, serving

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not sys.platform.startswith("linux"), reason="reads the processes' sockets from /proc (Linux)"
    ),
]

LISTEN, ESTABLISHED = "0A", "01"


def _sockets(port: int) -> dict[str, str]:
    """inode -> TCP state of every socket whose local port is ``port``."""
    states = {}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table, encoding="ascii") as lines:
            next(lines)
            for line in lines:
                fields = line.split()
                if int(fields[1].rsplit(":", 1)[1], 16) == port:
                    states[fields[9]] = fields[3]
    return states


def _held(pid: int, port: int) -> Counter[str]:
    """The states of the sockets on ``port`` that process ``pid`` holds."""
    states, held = _sockets(port), Counter[str]()
    try:
        descriptors = os.listdir(f"/proc/{pid}/fd")
    except FileNotFoundError:
        return held
    for descriptor in descriptors:
        try:
            target = os.readlink(f"/proc/{pid}/fd/{descriptor}")
        except FileNotFoundError:
            continue
        if target.startswith("socket:[") and (inode := target[8:-1]) in states:
            held[states[inode]] += 1
    return held


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii") as stat:
                    parent = int(stat.read().rsplit(")", 1)[1].split()[1])
            except (FileNotFoundError, ProcessLookupError):
                continue
            if parent == pid:
                found.append(int(entry))
    return found


def _port(server: Server) -> int:
    return int(server.base_url.rsplit(":", 1)[1])


def _api_processes(server: Server, expected: int, timeout: float = 60) -> list[int]:
    """The server's processes listening on its port, once there are ``expected``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        listening = [p for p in _children(server.process.pid) if _held(p, _port(server))[LISTEN]]
        if len(listening) == expected:
            return listening
        time.sleep(0.1)
    raise AssertionError(f"not {expected} API processes listening:\n{server.output()}")


def test_connections_opened_at_once_are_served_by_both_processes(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'log.db'}"
    with serving(url, tmp_path, "--workers", "2") as server:
        processes = _api_processes(server, 2)
        # Sixteen connections made before any is accepted (the kernel completes each
        # handshake; they wait to be accepted), as a proxy's pool or wrk opens them.
        connections = [socket.create_connection(("127.0.0.1", _port(server))) for _ in range(16)]
        try:
            for connection in connections:
                connection.sendall(b"GET /health HTTP/1.1\r\nHost: civicweave\r\n\r\n")
            for connection in connections:
                connection.settimeout(10)
                assert connection.recv(64).startswith(b"HTTP/1.1 200")
            held = {pid: _held(pid, _port(server))[ESTABLISHED] for pid in processes}
        finally:
            for connection in connections:
                connection.close()
    # uvicorn's one shared socket let the first process awake take all 16; with a socket
    # each, the kernel spreads them (all 16 on one of two: 2 ** -15).
    assert sum(held.values()) == 16, held
    assert all(count >= 1 for count in held.values()), held


def test_a_process_that_dies_is_started_again_and_all_stop_with_the_server(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'log.db'}"
    with serving(url, tmp_path, "--workers", "2") as server:
        first, second = _api_processes(server, 2)
        os.kill(first, signal.SIGKILL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            now = _api_processes(server, 2)
            if first not in now:
                break
            time.sleep(0.1)
        assert second in now and first not in now
        assert httpx.get(f"{server.base_url}/health", timeout=10).status_code == 200
        assert "died (exit code -9); starting another" in server.output()
    assert server.process.returncode == 0, server.output()
    assert not [pid for pid in now if os.path.exists(f"/proc/{pid}")]


def test_an_address_already_served_is_refused_not_shared(tmp_path: Path) -> None:
    port = free_port()
    with socket.socket() as taken:
        taken.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        taken.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)  # would let a careless server share it
        taken.bind(("127.0.0.1", port))
        taken.listen()
        done = subprocess.run(
            [sys.executable, "-m", "service", "serve", "--port", str(port), "--workers", "2"],
            env={**os.environ, "CIVICWEAVE_DATABASE_URL": f"sqlite:///{tmp_path / 'log.db'}"},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert done.returncode == 1
    assert f"Cannot serve on 127.0.0.1:{port}" in done.stdout + done.stderr
    assert "Address already in use" in done.stdout + done.stderr


def test_processes_whose_app_cannot_start_stop_the_server_rather_than_start_over(tmp_path: Path) -> None:
    unreachable = f"sqlite:///{tmp_path / 'no-such-folder' / 'log.db'}"  # cannot be opened
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "service",
            "serve",
            "--port",
            str(free_port()),
            "--workers",
            "2",
            "--no-projector",
        ],
        env={**os.environ, "CIVICWEAVE_DATABASE_URL": unreachable},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "failed to start; stopping" in output
    assert "starting another" not in output
