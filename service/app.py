"""The FastAPI application: JSON API under /api/v1, health and readiness, errors and
safe retries, and the runtime that holds the record and its views."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse

from service import api, errors, idempotency, limits, observability, pages, repeats, routing
from service.runtime import Runtime
from service.settings import Settings, get_settings

DESCRIPTION = """civicweave keeps the record of local system-change work: stakeholders,
relationships, meetings, decisions and commitments, as an append-only log, with views of
the cross-sector network, commitment audit trails and accountability figures.

Authenticate with `Authorization: Bearer <token>` (create one with `civicweave token create`).
Writes return the new version; send it back as `If-Match` to change the record safely, and
send an `Idempotency-Key` header so that a retried POST is carried out only once."""


def create_app(settings: Settings | None = None, *, runtime: Runtime | None = None) -> FastAPI:
    settings = settings or get_settings()
    observability.configure_logging(settings.log_level)
    own_runtime = runtime is None
    runtime = runtime or Runtime.open(settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await run_in_threadpool(runtime.start)
        yield
        if own_runtime:
            await run_in_threadpool(runtime.close)

    app = FastAPI(title="civicweave", version="1", description=DESCRIPTION, lifespan=lifespan)
    app.state.runtime = runtime
    app.state.idempotency = idempotency.IdempotencyStore(runtime.tokens.db)
    errors.install(app)
    app.add_middleware(idempotency.Idempotency)
    app.add_middleware(repeats.AnswerRepeats, runtime=runtime)
    observability.install(app, runtime)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["*"], allow_headers=["*"]
        )
    limits.install(app, settings.request_limit_bytes)  # after every add_middleware: it wraps them
    api.include(app)
    pages.include(app)

    @app.get("/health", tags=["operations"])
    def health() -> dict[str, str]:
        """The process is up."""
        return {"status": "ok"}

    @app.get("/ready", tags=["operations"], responses={503: {"description": "The views are not ready"}})
    def ready() -> Any:
        """The store answers and the views are within reach of the log."""
        try:
            position = runtime.views.position()
            latest = runtime.app.recorder.max_notification_id() or 0
        except Exception as exc:  # readiness must answer, whatever is down
            return JSONResponse({"status": "unavailable", "detail": str(exc)}, status_code=503)
        return {
            "status": "ready",
            "log_position": latest,
            "view_position": position,
            "lag": latest - position,
        }

    routing.install_index(app)
    return app
