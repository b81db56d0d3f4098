"""The start page and a locality's dashboard: the headline figures at a glance, each
linking to the page that explains it, and all of them as CSV."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from fastapi import APIRouter, Request, Response

from service.auth import Role
from service.pages.access import Place, ReadPlace, sector_labels
from service.pages.records import parse_day
from service.pages.session import VisitorDep
from service.pages.web import PageError, PageRoute, csv_response, percent, redirect, render, runtime_of

router = APIRouter(route_class=PageRoute, include_in_schema=False)


@dataclass(frozen=True)
class Figure:
    """One headline figure: its name, its value, how to show it, and where it is explained."""

    key: str
    label: str
    value: float | int | None
    kind: str
    link: str
    note: str = ""

    @property
    def shown(self) -> str:
        if self.kind == "share":
            return percent(self.value)
        if self.kind == "index":
            return "–" if self.value is None else f"{self.value:+.2f}".replace("-", "−")
        return f"{self.value:,}"


#: key, label, how to show it, the page (and part of it) that explains it, a note.
FIGURES: tuple[tuple[str, str, str, str, str], ...] = (
    ("stakeholders", "Stakeholders in the network", "count", "stakeholders", ""),
    ("cross_sector_share", "Cross-sector ties", "share", "network", "of all ties link two different sectors"),
    ("ei_index", "E-I index", "index", "network", "−1 all ties within sectors, +1 all across"),
    ("sectors_missing", "Sectors with no stakeholder", "count", "network#missing", ""),
    (
        "sectors_not_at_the_table",
        "Sectors missing from the Change Group",
        "count",
        "meetings#participation",
        "",
    ),
    ("due_soon", "Commitments due soon", "count", "commitments#due_soon", "due within 14 days"),
    ("overdue", "Commitments overdue", "count", "commitments#overdue", "past their due date, still open"),
    ("kept_rate", "Kept rate", "share", "report#commitments", "fulfilled ÷ (fulfilled + missed + overdue)"),
    ("on_time_rate", "On-time rate", "share", "report#commitments", "fulfilled by the original due date"),
    (
        "lived_experience_share",
        "Lived-experience share",
        "share",
        "meetings#participation",
        "of attendances at meetings in the last 365 days",
    ),
)


@router.get("/")
def home(request: Request, visitor: VisitorDep) -> Response:
    """Where a visitor starts: their locality, or (administrators) the list of localities."""
    principal = visitor.principal
    if principal.role is Role.PEER:
        return render(
            request,
            "error.html",
            title="Peers compare localities",
            message="A peer token sees the comparisons of its peer networks, not a locality's own pages.",
        )
    if principal.role is not Role.ADMINISTRATOR and principal.locality:
        return redirect(f"/l/{principal.locality}")
    return render(request, "home.html", localities=runtime_of(request).views.localities())


@router.get("/l/{slug}")
def dashboard(request: Request, place: ReadPlace, as_of: str | None = None, format: str = "html") -> Response:
    """The headline figures of the locality."""
    day = parse_day(as_of, "as_of") or place.today()
    figures, by_sector = headline(place, day)
    if format == "csv":
        rows: list[list[Any]] = [[f.key, f.label, f.value, day.isoformat()] for f in figures]
        rows += [
            [f"stakeholders_in_sector:{s}", f"Stakeholders: {label}", n, day.isoformat()]
            for s, label, n in by_sector
        ]
        return csv_response(f"{place.slug}-headline-{day}.csv", ["figure", "label", "value", "as_of"], rows)
    return render(
        request,
        "dashboard.html",
        title="Dashboard",
        section="dashboard",
        day=day,
        as_of=as_of or "",
        figures={f.key: f for f in figures},
        by_sector=by_sector,
    )


def headline(place: Place, day: date) -> tuple[list[Figure], list[tuple[str, str, int]]]:
    """The dashboard's figures on ``day``, and the network's size in each sector."""
    reader, slug = place.reader, place.slug
    network = reader.figures(slug, as_of=day)
    kept = reader.accountability(slug, as_of=day)["locality"]
    table = reader.participation(slug, as_of=day)
    state = place.state()
    labels = sector_labels(state)
    missing = network["missing_sectors"]
    values = {
        "stakeholders": network["nodes"],
        "cross_sector_share": network["cross_sector_share"],
        "ei_index": network["ei_index"]["whole"],
        "sectors_missing": len(missing["no_stakeholder"]),
        "sectors_not_at_the_table": len(missing["not_at_the_table"]),
        "lived_experience_share": table["lived_experience_share"],
        **{key: kept[key] for key in ("due_soon", "overdue", "kept_rate", "on_time_rate")},
    }
    notes = {
        "sectors_missing": _names(missing["no_stakeholder"], labels) or "every default sector is there",
        "sectors_not_at_the_table": _names(missing["not_at_the_table"], labels)
        or "every sector came in the last 365 days",
    }
    figures = [
        Figure(key, label, values[key], kind, _link(place, page, day), notes.get(key, note))
        for key, label, kind, page, note in FIGURES
    ]
    sizes = Counter(state.sector_of(s.id, day) for s in state.present_stakeholders(day))
    order = [*labels, *sorted(set(sizes) - set(labels))]
    return figures, [(s, labels.get(s, s), sizes[s]) for s in order if sizes[s]]


def _names(sectors: list[str], labels: dict[str, str]) -> str:
    return ", ".join(labels.get(s, s) for s in sectors)


def _link(place: Place, page: str, day: date) -> str:
    """The page that explains a figure, on the same day (the report: the period ending then)."""
    path, _, part = page.partition("#")
    query = f"?to={day.isoformat()}" if path == "report" else f"?as_of={day.isoformat()}"
    return place.url(path) + query + (f"#{part}" if part else "")


#: Included last: any other path under a locality is a page saying so, not a JSON answer.
fallback = APIRouter(route_class=PageRoute, include_in_schema=False)


@fallback.get("/l/{slug}/{rest:path}")
def not_found(place: ReadPlace, rest: str) -> Response:
    """No such page of the locality."""
    raise PageError(404, "Not found", f"{place.name} has no page called {rest!r}.")
