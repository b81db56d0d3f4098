"""The JSON API, version 1: one router per resource, collected here."""

from __future__ import annotations

from fastapi import APIRouter

from service.api import (
    chain,
    commitments,
    feed,
    figures,
    io,
    localities,
    meetings,
    network,
    peers,
    plans,
    relationships,
    stakeholders,
)
from service.api.schemas import ERROR_RESPONSES

api_router = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES)
api_router.include_router(localities.router)
api_router.include_router(stakeholders.router)
api_router.include_router(stakeholders.assets_router)
api_router.include_router(relationships.router)
api_router.include_router(meetings.router)
api_router.include_router(commitments.router)
api_router.include_router(plans.router)
api_router.include_router(plans.measures_router)
api_router.include_router(network.router)
api_router.include_router(figures.router)
api_router.include_router(feed.router)
api_router.include_router(feed.history_router)
api_router.include_router(chain.router)
api_router.include_router(peers.router)
api_router.include_router(io.router)
