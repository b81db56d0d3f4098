"""A locality's report for a period, to print or save as PDF: the headline figures and
their change since the previous period of equal length, the network picture,
commitments kept, late, missed and open by promisor and by sector, measures against
their targets with the stories recorded, and the decisions of the period's meetings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from fastapi import APIRouter, Query, Request, Response

from projections.network import GraphKind
from service.pages.access import Place, ReadPlace, sector_labels
from service.pages.records import period
from service.pages.web import PageError, PageRoute, csv_response, render
from visualisations import group_map_svg, group_view, mixing_heatmap_svg

router = APIRouter(route_class=PageRoute, include_in_schema=False)


@dataclass(frozen=True)
class Change:
    """A headline figure in the period and in the one before; ``share`` figures are ratios."""

    key: str
    label: str
    now: float | int | None
    before: float | int | None
    share: bool = False

    @property
    def change(self) -> float | int | None:
        return None if self.now is None or self.before is None else self.now - self.before


@dataclass(frozen=True)
class Period:
    first: date
    last: date

    @property
    def previous(self) -> Period:
        days = (self.last - self.first).days + 1
        return Period(self.first - timedelta(days=days), self.first - timedelta(days=1))


@router.get("/l/{slug}/report")
def report(
    request: Request,
    place: ReadPlace,
    start: str | None = Query(default=None, alias="from"),
    to: str | None = None,
    format: str = "html",
    table: str = "headline",
) -> Response:
    """The locality's report for a period (the 90 days up to today unless given)."""
    now = Period(*period(start, to, place.today()))
    before = now.previous
    headline = _headline(place, now, before)
    kept = place.reader.accountability(place.slug, as_of=now.last, since=now.first)
    state = place.state()
    labels = sector_labels(state)
    measures = _measures(state, now)
    meetings = sorted(
        (
            m
            for m in state.meetings.values()
            if m.status != "cancelled" and now.first <= m.held_on <= now.last
        ),
        key=lambda m: m.held_on,
    )
    if format == "csv":
        return _csv(place, table, now, headline, kept, measures, meetings, labels)
    figures = place.reader.figures(place.slug, graph=GraphKind.COMBINED, as_of=now.last)
    G = place.reader.network(place.slug, graph=GraphKind.COMBINED, as_of=now.last)
    picture = group_map_svg(
        group_view(G, by="sector"), title=f"Ties between sectors on {now.last.isoformat()}"
    )
    return render(
        request,
        "report.html",
        title=f"Report {now.first.isoformat()} to {now.last.isoformat()}",
        section="report",
        now=now,
        before=before,
        headline=headline,
        kept=kept,
        labels=labels,
        measures=measures,
        meetings=meetings,
        picture=picture,
        heatmap=mixing_heatmap_svg(figures["sector_mixing"], labels=labels),
        figures=figures,
        late=_late,
        plans=state.plans,
    )


def _late(row: dict[str, Any]) -> int:
    """Fulfilled after the original due date."""
    on_time = round((row["on_time_rate"] or 0) * row["fulfilled"])
    return int(row["fulfilled"] - on_time)


def _headline(place: Place, now: Period, before: Period) -> list[Change]:
    reader, slug = place.reader, place.slug
    net = [reader.figures(slug, as_of=p.last) for p in (now, before)]
    kept = [reader.accountability(slug, as_of=p.last, since=p.first)["locality"] for p in (now, before)]
    came = [reader.participation(slug, as_of=p.last, since=p.first) for p in (now, before)]
    return [
        Change("stakeholders", "Stakeholders in the network (at the end)", net[0]["nodes"], net[1]["nodes"]),
        Change("ties", "Ties (at the end)", net[0]["edges"], net[1]["edges"]),
        Change(
            "cross_sector_share",
            "Cross-sector ties",
            net[0]["cross_sector_share"],
            net[1]["cross_sector_share"],
            True,
        ),
        Change("ei_index", "E-I index", net[0]["ei_index"]["whole"], net[1]["ei_index"]["whole"]),
        Change(
            "missing_sectors",
            "Sectors with no stakeholder",
            len(net[0]["missing_sectors"]["no_stakeholder"]),
            len(net[1]["missing_sectors"]["no_stakeholder"]),
        ),
        Change("made", "Commitments made", kept[0]["made"], kept[1]["made"]),
        Change("fulfilled", "Commitments fulfilled", kept[0]["fulfilled"], kept[1]["fulfilled"]),
        Change("missed", "Commitments missed", kept[0]["missed"], kept[1]["missed"]),
        Change("overdue", "Commitments overdue", kept[0]["overdue"], kept[1]["overdue"]),
        Change("kept_rate", "Kept rate", kept[0]["kept_rate"], kept[1]["kept_rate"], True),
        Change("on_time_rate", "On-time rate", kept[0]["on_time_rate"], kept[1]["on_time_rate"], True),
        Change("meetings_held", "Meetings held", came[0]["meetings_held"], came[1]["meetings_held"]),
        Change("attendances", "Attendances", came[0]["attendances"], came[1]["attendances"]),
        Change(
            "lived_experience_share",
            "Lived-experience share of attendances",
            came[0]["lived_experience_share"],
            came[1]["lived_experience_share"],
            True,
        ),
        Change(
            "sectors_at_the_table",
            "Sectors at Change Group meetings",
            len(came[0]["sectors_at_the_table"]),
            len(came[1]["sectors_at_the_table"]),
        ),
    ]


def _number(value: Any) -> Decimal | None:
    try:
        return None if value in (None, "") else Decimal(str(value))
    except InvalidOperation:
        return None


def _measures(state: Any, now: Period) -> list[dict[str, Any]]:
    """Each measure: its latest value by the end of the period, against baseline and target,
    and the observations (with their stories) of the period."""
    rows = []
    for measure in state.measures.values():
        seen = [o for o in measure.observations if date.fromisoformat(o["on"]) <= now.last]
        latest = next((o for o in reversed(seen) if o["value"] is not None), None)
        baseline, target = _number(measure.baseline), _number(measure.target)
        value = _number(latest["value"]) if latest else None
        progress = None
        if None not in (baseline, target, value) and target != baseline:
            progress = float((value - baseline) / (target - baseline))  # type: ignore[operator]
        plan = state.plans.get(measure.plan_id, {})
        rows.append(
            {
                "measure": measure,
                "goal": plan.get("goals", {}).get(measure.goal_id, {}).get("title", ""),
                "latest": latest,
                "progress": progress,
                "in_period": [o for o in seen if date.fromisoformat(o["on"]) >= now.first],
            }
        )
    return rows


def _csv(
    place: Place,
    table: str,
    now: Period,
    headline: list[Change],
    kept: dict[str, Any],
    measures: list[dict[str, Any]],
    meetings: list[Any],
    labels: dict[str, str],
) -> Response:
    name = f"{place.slug}-report-{now.first}-{now.last}"
    columns = [
        "made",
        "fulfilled",
        "late",
        "missed",
        "overdue",
        "open",
        "withdrawn",
        "kept_rate",
        "on_time_rate",
    ]
    if table == "headline":
        rows = ([c.key, c.label, c.now, c.before, c.change] for c in headline)
        return csv_response(
            f"{name}-headline.csv", ["figure", "label", "period", "previous_period", "change"], rows
        )
    if table == "promisors":
        body = (
            [p, r["name"], *(_late(r) if k == "late" else r[k] for k in columns)]
            for p, r in kept["by_promisor"].items()
        )
        return csv_response(f"{name}-by-promisor.csv", ["id", "promisor", *columns], body)
    if table == "sectors":
        body = (
            [s, labels.get(s, s), *(_late(r) if k == "late" else r[k] for k in columns)]
            for s, r in kept["by_sector"].items()
        )
        return csv_response(f"{name}-by-sector.csv", ["sector", "sector_label", *columns], body)
    if table == "measures":
        body = (
            [
                m["goal"],
                m["measure"].name,
                m["measure"].kind,
                m["measure"].unit,
                m["measure"].baseline,
                m["measure"].target,
                m["latest"]["value"] if m["latest"] else None,
                m["latest"]["on"] if m["latest"] else None,
                m["progress"],
            ]
            for m in measures
        )
        header = [
            "goal",
            "measure",
            "kind",
            "unit",
            "baseline",
            "target",
            "latest",
            "latest_on",
            "progress_to_target",
        ]
        return csv_response(f"{name}-measures.csv", header, body)
    if table == "decisions":
        body = ([m.held_on.isoformat(), m.title, d["text"]] for m in meetings for d in m.decisions)
        return csv_response(f"{name}-decisions.csv", ["held_on", "meeting", "decision"], body)
    raise PageError(404, "No such table", f"there is no table {table!r} here")
