"""What an operator sees: Prometheus metrics at /metrics and one JSON log line per
request, each with a request id (taken from ``X-Request-ID`` or made up) that is also
sent back in the response.

Metrics are per process (label ``pid``), except the log and view positions, which every
process reads from the store, so any process can answer for the projection lag.
"""

from __future__ import annotations

import json
import logging
import os
import time
import uuid
from typing import Any

from fastapi import FastAPI, Request, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from starlette.middleware.base import RequestResponseEndpoint

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


def _route(request: Request) -> str:
    """The route's template (``/api/v1/localities/{slug}``), never the raw path: bounded labels."""
    route = request.scope.get("route")
    return str(getattr(route, "path", "unmatched"))


def install(app: FastAPI, runtime: Runtime) -> None:
    metrics = Metrics(runtime)

    @app.middleware("http")
    async def observe(request: Request, call_next: RequestResponseEndpoint) -> Response:
        request_id = request.headers.get("x-request-id", "")[:100] or uuid.uuid4().hex
        started = time.perf_counter()
        response = await call_next(request)
        seconds = time.perf_counter() - started
        response.headers["X-Request-ID"] = request_id
        route = _route(request)
        metrics.observe(request.method, route, response.status_code, seconds)
        fields = {
            "request_id": request_id,
            "method": request.method,
            "path": request.url.path,
            "route": route,
            "status": response.status_code,
            "duration_ms": round(seconds * 1000, 2),
        }
        log.info("%s %s %s", request.method, request.url.path, response.status_code, extra={"fields": fields})
        return response

    @app.get("/metrics", tags=["operations"], include_in_schema=False)
    def prometheus() -> Response:
        """Prometheus metrics of this process and the projection lag."""
        return Response(metrics.render(), media_type=CONTENT_TYPE_LATEST)
