"""Stakeholders: the list (search, sector filter, pages), one stakeholder's page (assets,
ties, commitments, meetings, history), and the asset map by category and sector."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request, Response

from domain.errors import NotFoundError
from domain.stakeholder import Stakeholder
from domain.vocabulary import INTENSITY_LABELS, AssetCategory
from projections.state import LocalityState, at
from service.auth import Role
from service.pages.access import Place, ReadPlace, sector_labels
from service.pages.records import commitment_rows, page_number
from service.pages.trail import readable_trail
from service.pages.web import PageError, PageRoute, csv_response, render

router = APIRouter(route_class=PageRoute, include_in_schema=False)

PAGE_SIZE = 25
STATUSES = ("active", "archived", "merged", "all")
SEES_DETAILS = frozenset({Role.ADMINISTRATOR, Role.FACILITATOR, Role.LEAD})
NOTICES = {
    "registered": "The stakeholder is registered.",
    "changed": "The details are saved.",
    "sector": "The sector change is recorded.",
    "asset": "The asset is recorded.",
    "retired": "The asset is retired.",
    "merged": "The stakeholder is merged; its ties and commitments now count for the one it was merged into.",
    "archived": "The stakeholder is archived.",
}


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@router.get("/l/{slug}/stakeholders")
def stakeholder_list(
    request: Request,
    place: ReadPlace,
    q: str = "",
    sector: str = "",
    status: str = "active",
    page: str | None = None,
    format: str = "html",
) -> Response:
    """The locality's stakeholders by name, searched and filtered."""
    labels = sector_labels(place.state())
    where: list[tuple[str, Any]] = []
    if status in STATUSES[:3]:
        where.append(("status = ?", status))
    if sector in labels:
        where.append(("sector = ?", sector))
    if q.strip():
        where.append(("LOWER(name) LIKE LOWER(?) ESCAPE '\\'", _like(q.strip()[:200])))
    views = place.runtime.views
    if format == "csv":
        rows, _ = views.rows(
            "view_stakeholders", place.id, where=where, order="LOWER(name), id", limit=1_000_000
        )
        body = (
            [r["name"], r["kind"], r["sector"], labels.get(r["sector"], r["sector"]), r["status"], r["id"]]
            for r in rows
        )
        header = ["name", "kind", "sector", "sector_label", "status", "id"]
        return csv_response(f"{place.slug}-stakeholders.csv", header, body)
    number = page_number(page)
    rows, total = views.rows(
        "view_stakeholders",
        place.id,
        where=where,
        order="LOWER(name), id",
        limit=PAGE_SIZE,
        offset=(number - 1) * PAGE_SIZE,
    )
    query = {"q": q, "sector": sector, "status": status}
    return render(
        request,
        "stakeholders.html",
        title="Stakeholders",
        section="stakeholders",
        rows=rows,
        total=total,
        page=number,
        pages=max(1, -(-total // PAGE_SIZE)),
        query=query,
        sectors=labels,
        statuses=STATUSES,
        notice=NOTICES.get(request.query_params.get("done", "")),
    )


@router.get("/l/{slug}/stakeholders/{stakeholder_id}")
def stakeholder_page(request: Request, place: ReadPlace, stakeholder_id: UUID, done: str = "") -> Response:
    """One stakeholder: who they are, what they bring, whom they are tied to, what they promised."""
    state = place.state()
    row = state.stakeholders.get(str(stakeholder_id))
    if row is None:
        raise NotFoundError("stakeholder", stakeholder_id)
    day = place.today()
    details, version = None, 0
    if place.visitor.principal.role in SEES_DETAILS:
        aggregate = place.runtime.app.load(Stakeholder, stakeholder_id, locality=place.slug)
        details, version = place.runtime.app.stakeholder_details(aggregate), aggregate.version
    commitments = [
        c
        for c in commitment_rows(state, day)
        if c.promisor.id == row.id or row.id in {p.id for p in c.promisees}
    ]
    meetings = sorted(
        (m for m in state.meetings.values() if row.id in m.attendees), key=lambda m: m.held_on, reverse=True
    )
    return render(
        request,
        "stakeholder.html",
        title=row.name,
        section="stakeholders",
        row=row,
        sector=state.sector_of(row.id, day),
        sectors=sector_labels(state),
        details=details,
        version=version,
        ties=_ties(state, row.id, day),
        commitments=commitments,
        meetings=meetings,
        merged_into=state.stakeholders.get(row.merged_into or ""),
        history=readable_trail(place.reader.history(place.slug, row.id) or [], state),
        categories=[c.value for c in AssetCategory],
        others=_others(state, row.id),
        notice=NOTICES.get(done),
    )


def _ties(state: LocalityState, stakeholder_id: str, day: Any) -> list[dict[str, Any]]:
    ties: list[dict[str, Any]] = []
    for rel in state.relationships.values():
        if stakeholder_id not in (rel.source, rel.target):
            continue
        other = rel.target if rel.source == stakeholder_id else rel.source
        intensity = at(rel.intensity, day) or rel.intensity[0][1]
        direction = "" if not rel.directed else ("outgoing" if rel.source == stakeholder_id else "incoming")
        ties.append(
            {
                "other": state.stakeholders.get(other),
                "kind": rel.kind.replace("_", " "),
                "direction": direction,
                "intensity": f"{intensity} {INTENSITY_LABELS.get(intensity, '')}",
                "valid_from": rel.valid_from,
                "valid_to": rel.valid_to,
                "current": rel.valid(day),
            }
        )
    ties.sort(key=lambda t: (not t["current"], t["other"].name if t["other"] else ""))
    return ties


def _others(state: LocalityState, stakeholder_id: str) -> list[tuple[str, str]]:
    """The active stakeholders one could merge this one into."""
    rows = [s for s in state.stakeholders.values() if s.status == "active" and s.id != stakeholder_id]
    return [(s.id, s.name) for s in sorted(rows, key=lambda s: s.name.lower())]


@router.get("/l/{slug}/assets")
def asset_map(request: Request, place: ReadPlace, format: str = "html", table: str = "assets") -> Response:
    """What the area already has: assets by category and by their stakeholder's sector."""
    state = place.state()
    day = place.today()
    labels = sector_labels(state)
    assets: dict[str, list[dict[str, Any]]] = defaultdict(list)
    counts: Counter[tuple[str, str]] = Counter()
    for row in sorted(state.present_stakeholders(day), key=lambda s: s.name.lower()):
        sector = state.sector_of(row.id, day)
        for category, description in row.assets.values():
            assets[category].append({"stakeholder": row, "sector": sector, "description": description})
            counts[(category, sector)] += 1
    categories = [c.value for c in AssetCategory if c.value in assets] + sorted(
        set(assets) - {c.value for c in AssetCategory}
    )
    sectors = [s for s in labels if any(counts[(c, s)] for c in categories)]
    if format == "csv":
        return _asset_csv(place, table, categories, sectors, assets, counts, labels)
    return render(
        request,
        "assets.html",
        title="Asset map",
        section="assets",
        categories=categories,
        sectors=sectors,
        labels=labels,
        assets=assets,
        counts=counts,
        total=sum(counts.values()),
    )


def _asset_csv(
    place: Place,
    table: str,
    categories: list[str],
    sectors: list[str],
    assets: dict[str, list[dict[str, Any]]],
    counts: Counter[tuple[str, str]],
    labels: dict[str, str],
) -> Response:
    if table == "counts":
        rows = (
            [c, *(counts[(c, s)] for s in sectors), sum(counts[(c, s)] for s in sectors)] for c in categories
        )
        return csv_response(f"{place.slug}-asset-counts.csv", ["category", *sectors, "total"], rows)
    if table != "assets":
        raise PageError(404, "No such table", f"there is no table {table!r} here")
    rows = (
        [category, a["description"], a["stakeholder"].name, a["sector"], labels.get(a["sector"], a["sector"])]
        for category in categories
        for a in assets[category]
    )
    return csv_response(
        f"{place.slug}-assets.csv", ["category", "description", "stakeholder", "sector", "sector_label"], rows
    )
