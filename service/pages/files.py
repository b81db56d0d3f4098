"""The files pages load: our stylesheet and script, and vis-network from the pyvis package
(served, not inlined, so that a browser fetches its 470 kB once and keeps it)."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from fastapi import APIRouter, Request, Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from service.pages.web import PageRoute
from visualisations.assets import vis_network_js

STATIC = Path(__file__).resolve().parent.parent / "static"
VIS_NETWORK = "/vendor/vis-network.js"

router = APIRouter(route_class=PageRoute, include_in_schema=False)


class _Static(StaticFiles):
    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Cache-Control"] = "public, max-age=3600"
        return response


static_files = _Static(directory=STATIC)


@cache
def _vis_etag() -> str:
    return '"' + hashlib.sha256(vis_network_js().encode()).hexdigest()[:32] + '"'


@router.get(VIS_NETWORK)
def vis_network(request: Request) -> Response:
    """vis-network 9.1.2, as shipped in the pyvis package (its few URL literals escaped)."""
    headers = {"Cache-Control": "public, max-age=86400", "ETag": _vis_etag()}
    if request.headers.get("if-none-match") == _vis_etag():
        return Response(status_code=304, headers=headers)
    return Response(vis_network_js(), media_type="text/javascript; charset=utf-8", headers=headers)
