"""The HTML pages for facilitators and leads: server-rendered, usable without JavaScript,
offline (no other host), each answer with a Content-Security-Policy of its own nonce.

``router`` holds every page; ``static_files`` serves the stylesheet and the small script.
"""

from __future__ import annotations

from fastapi import APIRouter

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

router = APIRouter(include_in_schema=False)
router.include_router(session.router)
router.include_router(dashboard.router)
router.include_router(files.router)
# The forms first: /stakeholders/new must not be taken for a stakeholder's id.
router.include_router(stakeholder_forms.router)
router.include_router(stakeholders.router)
router.include_router(meetings.router)
router.include_router(commitments.router)
router.include_router(network.router)
router.include_router(report.router)
router.include_router(io.router)
router.include_router(dashboard.fallback)

__all__ = ["router", "static_files"]
