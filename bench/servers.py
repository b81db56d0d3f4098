"""Server processes on free loopback ports: a real ``civicweave serve``, and the trivial
FastAPI app that HTTP figures are compared with. Each is stopped (SIGTERM, then
SIGKILL) when its block ends, whatever happened in it."""

from __future__ import annotations

import contextlib
import os
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

from service.auth import Role, TokenStore

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    base_url: str
    log: Path
    started: float
    ready_after: float = 0.0

    @property
    def pid(self) -> int:
        return self.process.pid

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


def administrator_token(database_url: str) -> str:
    tokens = TokenStore(database_url)
    try:
        return tokens.create(name="bench", role=Role.ADMINISTRATOR.value, locality=None)
    finally:
        tokens.close()


def _wait(server: Server, path: str, timeout: float, headers: dict[str, str] | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"the server exited with {server.process.returncode}:\n{server.output()}")
        try:
            if httpx.get(f"{server.base_url}{path}", timeout=timeout, headers=headers).status_code == 200:
                server.ready_after = time.perf_counter() - server.started
                return
        except httpx.TransportError:
            pass
        time.sleep(0.02)
    raise RuntimeError(f"the server did not answer {path} within {timeout:.0f} s:\n{server.output()}")


@contextmanager
def _process(
    command: list[str], env: dict[str, str], workdir: Path, name: str
) -> Iterator[tuple[subprocess.Popen[bytes], Path, float]]:
    log = workdir / f"{name}.log"
    with log.open("wb") as out:
        started = time.perf_counter()
        process = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=workdir, start_new_session=True
        )
    try:
        yield process, log, started
    finally:
        stop(process)


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM the process (and its uvicorn workers), then SIGKILL what is left."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # any worker that outlived its parent


@contextmanager
def civicweave(
    database_url: str,
    workdir: Path,
    *,
    workers: int = 1,
    ready_path: str = "/ready",
    headers: dict[str, str] | None = None,
    timeout: float = 600,
) -> Iterator[Server]:
    """``civicweave serve`` on the store, answering ``ready_path`` with 200."""
    port = free_port()
    env = {
        **os.environ,
        "CIVICWEAVE_DATABASE_URL": database_url,
        "CIVICWEAVE_LOG_LEVEL": "warning",
    }
    command = [sys.executable, "-m", "service", "serve", "--port", str(port), "--workers", str(workers)]
    with _process(command, env, workdir, f"civicweave-{port}") as (process, log, started):
        server = Server(process, f"http://{HOST}:{port}", log, started)
        _wait(server, ready_path, timeout, headers)
        yield server


@contextmanager
def trivial(
    workdir: Path,
    *,
    workers: int = 1,
    answer: Path | None = None,
    coding: str = "gzip",
    write_to: str | None = None,
) -> Iterator[Server]:
    """The trivial async endpoint (``GET /ping``) under uvicorn, as civicweave is served;
    ``answer``: a file of bytes compressed in ``coding`` that ``GET /bytes`` sends;
    ``write_to``: where ``POST /write`` writes (a PostgreSQL URL; by default a new SQLite
    file in ``workdir``)."""
    port = free_port()
    if workers > 1:  # each process on a socket of its own, as civicweave's API processes
        command = [
            sys.executable,
            "-m",
            "service.workers",
            "bench.trivial:app",
            HOST,
            str(port),
            str(workers),
        ]
    else:
        command = [sys.executable, "-m", "uvicorn", "bench.trivial:app", "--host", HOST, "--port", str(port)]
        command += ["--log-level", "warning"]
    written = workdir / f"trivial-{port}-write.db"
    env = {
        **os.environ,
        "PYTHONPATH": str(Path(__file__).resolve().parent.parent),
        "BENCH_WRITE_DB": write_to or str(written),
    }
    if answer is not None:
        env["BENCH_ANSWER"], env["BENCH_ANSWER_CODING"] = str(answer), coding
    try:
        with _process(command, env, workdir, f"trivial-{port}") as (process, log, started):
            server = Server(process, f"http://{HOST}:{port}", log, started)
            _wait(server, "/ping", 60)
            yield server
    finally:
        if write_to is None:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{written}{suffix}").unlink(missing_ok=True)


def rss_bytes(pid: int) -> int:
    """Resident set size of a process and all its descendants."""
    total = 0
    for p in [pid, *_descendants(pid)]:
        try:
            with open(f"/proc/{p}/status", encoding="utf-8") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
        except OSError:
            continue
    return total


def _descendants(pid: int) -> list[int]:
    found = []
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="utf-8") as children:
            kids = [int(k) for k in children.read().split()]
    except OSError:
        return []
    for kid in kids:
        found += [kid, *_descendants(kid)]
    return found
