"""The JSON API, version 1: one router per resource, collected here."""

from __future__ import annotations

from fastapi import APIRouter

from service.api import localities

api_router = APIRouter(prefix="/api/v1")
api_router.include_router(localities.router)
