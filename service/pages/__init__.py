"""The HTML pages for facilitators and leads: server-rendered, usable without JavaScript,
offline (no other host), each answer with a Content-Security-Policy of its own nonce.

``include`` adds every page to an app; ``static_files`` serves the stylesheet and the small script.
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

from service.pages import (
    commitments,
    dashboard,
    files,
    io,
    meetings,
    network,
    report,
    session,
    stakeholder_forms,
    stakeholders,
)
from service.pages.files import static_files
from service.routing import include_flat

#: In order (the forms first: /stakeholders/new must not be taken for a stakeholder's id;
#: the fallback last), their routes added to the app itself, as the API's are (``service.api``).
ROUTERS: tuple[APIRouter, ...] = (
    session.router,
    dashboard.router,
    files.router,
    stakeholder_forms.router,
    stakeholders.router,
    meetings.router,
    commitments.router,
    network.router,
    report.router,
    io.router,
    dashboard.fallback,
)


def include(app: FastAPI) -> None:
    """Add every page to ``app``, none of them in the OpenAPI schema, and the static files."""
    include_flat(app, ROUTERS, include_in_schema=False)
    app.mount("/static", static_files, name="static")


__all__ = ["ROUTERS", "include", "static_files"]
