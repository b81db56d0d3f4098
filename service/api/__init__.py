"""The JSON API, version 1: one router per resource, collected here."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

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
from service.routing import include_flat

#: Their routes are added to the app itself, each under ``PREFIX`` (``service.routing``):
#: FastAPI matches a request against an included router's routes once to choose it and
#: again inside it, so a router of routers matched every API route two or three times.
ROUTERS: tuple[APIRouter, ...] = (
    localities.router,
    stakeholders.router,
    stakeholders.assets_router,
    relationships.router,
    meetings.router,
    commitments.router,
    plans.router,
    plans.measures_router,
    network.router,
    figures.router,
    feed.router,
    feed.history_router,
    chain.router,
    peers.router,
    io.router,
)
PREFIX = "/api/v1"


def include(app: FastAPI) -> None:
    """Add the API's routes to ``app``, under ``PREFIX``."""
    include_flat(app, ROUTERS, prefix=PREFIX, responses=ERROR_RESPONSES)
