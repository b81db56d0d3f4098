"""Several API processes, each listening on a socket of its own (``SO_REUSEPORT``).

uvicorn's ``--workers`` has every process accept from one shared socket. Each process's
event loop, woken by a connection, accepts every connection waiting in one go: when a
client (a proxy's pool, a load generator) opens its connections at once, the first
process awake takes them all and the others stay idle for as long as those keep-alive
connections live (seen in the bench: one of two API processes served every command).
Here each process binds its own socket to the same address with ``SO_REUSEPORT``, and
the kernel spreads new connections across the sockets by a hash of their addresses.

The supervisor starts the processes, starts again one that dies (unless it failed to
start, which would fail again: then it stops them all), and stops them on SIGINT or
SIGTERM. Before any process binds, the supervisor binds the address once without
``SO_REUSEPORT``: an address already served (by anything, including another civicweave)
is refused with an error rather than shared.
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
import socket
import sys
import threading
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from types import FrameType

import uvicorn
from uvicorn.config import STARTUP_FAILURE

log = logging.getLogger("uvicorn.error")

#: The app each process serves (a factory: each process opens its own runtime).
APP = "service.app:create_app"


def reuse_port_supported() -> bool:
    return hasattr(socket, "SO_REUSEPORT")


def _family(host: str) -> socket.AddressFamily:
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def claim(host: str, port: int) -> int:
    """Bind the address once, alone, and let it go: the port (chosen by the system for
    port 0), or an ``OSError`` if anything serves the address already."""
    with socket.socket(_family(host), socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((host, port))
        bound: int = probe.getsockname()[1]
        return bound


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to the address with ``SO_REUSEPORT`` (uvicorn listens on it). Its
    protocol is named: asyncio turns Nagle's algorithm off (``TCP_NODELAY``) only on
    connections whose socket says TCP, and with it on, small answers wait for the
    client's delayed acknowledgement (40 ms)."""
    sock = socket.socket(_family(host), socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


@dataclass(frozen=True)
class Serving:
    host: str
    port: int
    log_level: str
    app: str = APP  # "module:attribute", imported by each process
    factory: bool = True  # the attribute is called for the app

    def config(self) -> uvicorn.Config:
        return uvicorn.Config(self.app, factory=self.factory, log_level=self.log_level, access_log=False)


def serve_one(serving: Serving) -> None:
    """One API process (run in a child): its own socket, then uvicorn on it. A process
    whose app could not start exits with ``STARTUP_FAILURE``: it would fail the same way
    again, so the supervisor stops rather than start it over and over."""
    config = serving.config()
    try:
        sock = listening_socket(serving.host, serving.port)
    except OSError as error:
        log.error("cannot listen on %s:%s: %s", serving.host, serving.port, error)
        sys.exit(STARTUP_FAILURE)
    server = uvicorn.Server(config)
    try:
        server.run(sockets=[sock])
    finally:
        if not server.started:
            sys.exit(STARTUP_FAILURE)


class Supervisor:
    """Keeps ``workers`` API processes serving one address until told to stop."""

    def __init__(self, serving: Serving, workers: int, *, check_seconds: float = 0.5) -> None:
        self.serving = serving
        self.workers = workers
        self.check_seconds = check_seconds
        self.stopping = threading.Event()
        self.processes: list[BaseProcess] = []
        self._context = multiprocessing.get_context("spawn")
        serving.config()  # configures logging here as the processes log

    def _start(self) -> BaseProcess:
        process = self._context.Process(target=serve_one, args=(self.serving,), name="civicweave-api")
        process.start()
        log.info("Started API process [%s]", process.pid)
        return process

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self.stopping.set()

    def run(self) -> int:
        """Serve until SIGINT or SIGTERM (0), or until a process fails to start (1)."""
        previous = {s: signal.signal(s, self._stop) for s in (signal.SIGINT, signal.SIGTERM)}
        failed = False
        try:
            self.processes = [self._start() for _ in range(self.workers)]
            while not self.stopping.wait(self.check_seconds):
                failed = self._keep_alive()
                if failed:
                    break
        finally:
            self._stop_all()
            for signum, handler in previous.items():
                signal.signal(signum, handler)
        return 1 if failed else 0

    def _keep_alive(self) -> bool:
        """Start again each process that died; True if one failed to start."""
        for index, process in enumerate(self.processes):
            if process.is_alive():
                continue
            process.join()
            if process.exitcode == STARTUP_FAILURE:
                log.error("API process [%s] failed to start; stopping", process.pid)
                return True
            log.warning(
                "API process [%s] died (exit code %s); starting another", process.pid, process.exitcode
            )
            self.processes[index] = self._start()
        return False

    def _stop_all(self, timeout: float = 15) -> None:
        for process in self.processes:
            if process.is_alive():
                process.terminate()  # SIGTERM: uvicorn finishes what it is answering
        for process in self.processes:
            process.join(timeout)
            if process.is_alive():
                process.kill()
                process.join()


def main(argv: list[str] | None = None) -> int:
    """``python -m service.workers APP HOST PORT WORKERS``: any ASGI app served as
    civicweave's API processes are (the bench serves its trivial endpoints so)."""
    app, host, port, workers = argv if argv is not None else sys.argv[1:]
    serving = Serving(host, claim(host, int(port)), "warning", app=app, factory=False)
    return Supervisor(serving, int(workers)).run()


if __name__ == "__main__":
    sys.exit(main())
