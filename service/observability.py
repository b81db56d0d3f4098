"""What an operator sees: Prometheus metrics at /metrics and one JSON log line per
request, each with a request id (taken from ``X-Request-ID`` or made up) that is also
sent back in the response.

Metrics are per process (label ``pid``), except the log and view positions, which every
process reads from the store, so any process can answer for the projection lag.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import time
from typing import Any

from fastapi import FastAPI, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.runtime import Runtime

log = logging.getLogger("civicweave.requests")

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


class JsonFormatter(logging.Formatter):
    """One JSON object per log line."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update(getattr(record, "fields", {}))
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


def configure_logging(level: str) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger("civicweave")
    root.handlers[:] = [handler]
    root.setLevel(level.upper() if level != "trace" else "DEBUG")
    root.propagate = False


class Metrics:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.registry = CollectorRegistry()
        pid = str(os.getpid())
        self.requests = Counter(
            "civicweave_http_requests",
            "HTTP requests answered",
            ["method", "route", "status", "pid"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "civicweave_http_request_seconds",
            "Time to answer an HTTP request",
            ["method", "route", "pid"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.events = Gauge(
            "civicweave_events_appended", "Events in the log (its last position)", registry=self.registry
        )
        self.view = Gauge(
            "civicweave_view_position",
            "Last log position applied to the views",
            ["view"],
            registry=self.registry,
        )
        self.lag = Gauge(
            "civicweave_projection_lag_events",
            "Events not yet applied to the views",
            ["view"],
            registry=self.registry,
        )
        self.pid = pid

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests.labels(method, route, str(status), self.pid).inc()
        self.latency.labels(method, route, self.pid).observe(seconds)

    def render(self) -> bytes:
        latest = self.runtime.app.recorder.max_notification_id() or 0
        position = self.runtime.views.position()
        self.events.set(latest)
        self.view.labels("civicweave").set(position)
        self.lag.labels("civicweave").set(max(0, latest - position))
        return bytes(generate_latest(self.registry))


_PROCESS = os.urandom(8).hex()
_COUNTER = itertools.count()


def _new_process() -> None:
    global _PROCESS
    _PROCESS = os.urandom(8).hex()


os.register_at_fork(after_in_child=_new_process)  # a forked worker must not repeat its parent's ids


def _new_request_id() -> str:
    """32 hex digits, unique across processes (a random prefix per process) and requests
    (a counter): ``uuid4`` asked the kernel for random bytes on every request, 3% of a
    write's time on the event loop."""
    return f"{_PROCESS}{next(_COUNTER) & 0xFFFFFFFFFFFFFFFF:016x}"


class Observe:
    """ASGI middleware: times each request, counts it, logs it, and tags its answer with
    the request id (a pure ASGI middleware: nothing is copied or run in a task)."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    def _route(self, scope: Scope) -> str:
        """The route's template (``/api/v1/localities/{slug}``), never the raw path: bounded labels."""
        route = scope.get("route")
        if route is None:
            return "unmatched"
        return str(getattr(route, "path", "unmatched"))  # the app's routes are flat (service.routing)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = Headers(scope=scope).get("x-request-id", "")[:100] or _new_request_id()
        started = time.perf_counter()
        status = 500  # if the app raises before it answers, ServerErrorMiddleware answers 500

        async def send_tagged(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)["X-Request-ID"] = request_id
            await send(message)

        try:
            await self.app(scope, receive, send_tagged)
        finally:
            self._observed(scope, request_id, status, time.perf_counter() - started)

    def _observed(self, scope: Scope, request_id: str, status: int, seconds: float) -> None:
        route, method, path = self._route(scope), scope["method"], scope["path"]
        self.metrics.observe(method, route, status, seconds)
        if log.isEnabledFor(logging.INFO):
            fields = {
                "request_id": request_id,
                "method": method,
                "path": path,
                "route": route,
                "status": status,
                "duration_ms": round(seconds * 1000, 2),
            }
            log.info("%s %s %s", method, path, status, extra={"fields": fields})


def install(app: FastAPI, runtime: Runtime) -> None:
    metrics = Metrics(runtime)
    app.add_middleware(Observe, metrics=metrics)

    @app.get("/metrics", tags=["operations"], include_in_schema=False)
    def prometheus() -> Response:
        """Prometheus metrics of this process and the projection lag."""
        return Response(metrics.render(), media_type=CONTENT_TYPE_LATEST)
