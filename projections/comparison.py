"""Comparison across a peer network (METRICS.md): localities compare figures, never stakeholders.

Only aggregates cross a locality's boundary. Each member's figures are computed by the
same ``Reader`` functions as its own figures; a count below ``SUPPRESSED_BELOW`` is shown
to every other locality as ``"fewer than 5"`` (the viewer sees its own numbers exactly).
A locality is in a period's comparison if it was a member on any day of the period, with
its figures as of its last day of membership in it (the period's end if it stayed): what
it recorded after it left was never shared. Membership comes from the durable rows
``view_peer_networks`` and ``view_peer_members``.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from statistics import median
from typing import Any

from domain.errors import InvalidInputError, NotFoundError
from domain.peer_network import PeerNetworkNotFoundError, Spell, member_on
from domain.vocabulary import DEFAULT_SECTORS, SECTOR_LABELS, MeasureKind
from projections.network import DEFAULT_WINDOW_DAYS
from projections.reader import Reader
from projections.state import MeasureState
from projections.views import Views

SUPPRESSED_BELOW = 5
SUPPRESSED = f"fewer than {SUPPRESSED_BELOW}"
RANKING = (
    "1 is the highest value; equal values share a rank; counts below "
    f"{SUPPRESSED_BELOW} count as equal, below every other value"
)
MAX_QUARTERS = 40

Value = float | int | str | None


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    count: bool  # a count is suppressed below SUPPRESSED_BELOW for other localities


FIGURES: tuple[Figure, ...] = (
    Figure("stakeholders", "Stakeholders", True),
    *(Figure(f"stakeholders.{s}", f"Stakeholders: {SECTOR_LABELS[s]}", True) for s in DEFAULT_SECTORS),
    Figure("density", "Density", False),
    Figure("cross_sector_share", "Cross-sector share", False),
    Figure("ei_index", "E-I index", False),
    Figure("missing_sectors", "Sectors with no stakeholder", True),
    Figure("meetings_held", "Meetings held", True),
    Figure("lived_experience_share", "Lived-experience share of attendances", False),
    Figure("sectors_at_the_table", "Sectors at the table", True),
    Figure("kept_rate", "Kept rate", False),
    Figure("on_time_rate", "On-time rate", False),
    Figure("median_days_to_fulfil", "Median days to fulfil", False),
    Figure("renegotiations", "Renegotiations", True),
)


@dataclass(frozen=True)
class PeerNetworkView:
    """A peer network as the views know it: each member locality's spells of membership."""

    id: str
    slug: str
    name: str
    spells: dict[str, tuple[Spell, ...]]

    def member_on(self, locality: str, day: date) -> bool:
        return member_on(self.spells.get(locality, ()), day)

    def members_during(self, start: date, end: date) -> dict[str, date]:
        """Each locality that was a member on a day from ``start`` to ``end``, with the last such day."""
        last: dict[str, date] = {}
        for slug, spells in self.spells.items():
            for joined, left in spells:
                final = end if left is None else min(end, left - timedelta(days=1))
                if joined <= final and final >= start:
                    last[slug] = max(final, last.get(slug, final))
        return dict(sorted(last.items()))


def peer_networks(views: Views, slug: str | None = None) -> list[PeerNetworkView]:
    """Every peer network (or the one with ``slug``), by slug, from the durable rows."""
    where, params = ("WHERE slug = ?", (slug,)) if slug is not None else ("", ())
    with views.db.transaction() as cursor:
        cursor.execute(f"SELECT network_id, slug, name FROM view_peer_networks {where} ORDER BY slug", params)
        networks = [tuple(map(str, row)) for row in cursor.fetchall()]
        cursor.execute(
            "SELECT network_id, locality_slug, joined_on, left_on FROM view_peer_members ORDER BY version"
        )
        spells: dict[str, dict[str, tuple[Spell, ...]]] = {}
        for network_id, locality, joined, left in cursor.fetchall():
            spell = (date.fromisoformat(joined), date.fromisoformat(left) if left else None)
            member = spells.setdefault(str(network_id), {})
            member[str(locality)] = (*member.get(str(locality), ()), spell)
    return [PeerNetworkView(key, s, name, spells.get(key, {})) for key, s, name in networks]


def peer_network(views: Views, slug: str) -> PeerNetworkView:
    found = peer_networks(views, slug)
    if not found:
        raise PeerNetworkNotFoundError(slug)
    return found[0]


def default_period(today: date) -> tuple[date, date]:
    """The last 12 months up to ``today``: the same window as a locality's own figures."""
    return today - timedelta(days=DEFAULT_WINDOW_DAYS - 1), today


def period(start: date | None, end: date | None, today: date) -> tuple[date, date]:
    """The period asked for, each end defaulting to the last 12 months."""
    end = end or today
    start = start or default_period(end)[0]
    if start > end:
        raise InvalidInputError(
            "from", f"{start.isoformat()} is after the end of the period ({end.isoformat()})"
        )
    return start, end


def locality_figures(reader: Reader, slug: str, start: date, day: date) -> dict[str, Value]:
    """The locality's own figures for the period ``start`` .. ``day``, exact, keyed as FIGURES."""
    network = reader.figures(slug, as_of=day, window_days=(day - start).days + 1)
    table = reader.participation(slug, as_of=day, since=start)
    promises = reader.accountability(slug, as_of=day, since=start)["locality"]
    state = reader.state(slug)
    sizes = Counter(state.sector_of(s.id, day) for s in state.present_stakeholders(day))
    return {
        "stakeholders": network["nodes"],
        # A locality's own added sectors count in the total only: no other locality has them.
        **{f"stakeholders.{s}": sizes[s] for s in DEFAULT_SECTORS},
        "density": network["density"],
        "cross_sector_share": network["cross_sector_share"],
        "ei_index": network["ei_index"]["whole"],
        "missing_sectors": len(network["missing_sectors"]["no_stakeholder"]),
        "meetings_held": table["meetings_held"],
        "lived_experience_share": table["lived_experience_share"],
        "sectors_at_the_table": len(table["sectors_at_the_table"]),
        "kept_rate": promises["kept_rate"],
        "on_time_rate": promises["on_time_rate"],
        "median_days_to_fulfil": promises["median_days_to_fulfil"],
        "renegotiations": promises["renegotiations"],
    }


def _small(figure: Figure, value: Value) -> bool:
    return figure.count and isinstance(value, int | float) and value < SUPPRESSED_BELOW


def _ranks(figure: Figure, values: dict[str, Value]) -> dict[str, int | None]:
    """Competition ranks, highest first; small counts tie, so a rank never orders suppressed ones."""
    keys = {slug: 0 if _small(figure, v) else v for slug, v in values.items() if isinstance(v, int | float)}
    return {slug: 1 + sum(k > keys[slug] for k in keys.values()) if slug in keys else None for slug in values}


def _median(figure: Figure, values: list[Value]) -> Value:
    """The network's median; a count's is suppressed if a middle value it is made of is small."""
    known = sorted(v for v in values if isinstance(v, int | float))
    if not known:
        return None
    if _small(figure, known[(len(known) - 1) // 2]):
        return SUPPRESSED
    return median(known)


def comparison(
    reader: Reader, network: PeerNetworkView, *, start: date, end: date, viewer: str | None = None
) -> dict[str, Any]:
    """Every member's figures for the period ``start`` .. ``end``, the network median and ranks.

    Returns a JSON-ready dict, the shape the API, the CSV export and the page render::

        {"network": {"slug", "name"}, "period": {"from", "to"}, "viewer": slug or None,
         "suppressed_below": 5, "suppressed_as": "fewer than 5", "ranking": "1 is the highest ...",
         "figures": [{"key", "label", "count"}],          # in display order
         "localities": [{"slug", "name", "own", "as_of",  # as_of: its last member day in the period
                         "values": {key: number, "fewer than 5" or None},
                         "ranks": {key: int or None}}],
         "median": {key: number, "fewer than 5" or None}}

    ``viewer`` is the locality whose numbers are shown exactly; every other locality's
    counts below 5 are ``"fewer than 5"`` (all of them when ``viewer`` is None).
    """
    members = network.members_during(start, end)
    exact = {slug: locality_figures(reader, slug, start, last) for slug, last in members.items()}
    rows = []
    ranks = {f.key: _ranks(f, {slug: exact[slug][f.key] for slug in members}) for f in FIGURES}
    for slug, last in members.items():
        own = slug == viewer
        values = {
            f.key: SUPPRESSED if not own and _small(f, exact[slug][f.key]) else exact[slug][f.key]
            for f in FIGURES
        }
        rows.append(
            {
                "slug": slug,
                "name": reader.state(slug).name,
                "own": own,
                "as_of": last.isoformat(),
                "values": values,
                "ranks": {f.key: ranks[f.key][slug] for f in FIGURES},
            }
        )
    return {
        "network": {"slug": network.slug, "name": network.name},
        "period": {"from": start.isoformat(), "to": end.isoformat()},
        "viewer": viewer,
        "suppressed_below": SUPPRESSED_BELOW,
        "suppressed_as": SUPPRESSED,
        "ranking": RANKING,
        "figures": [{"key": f.key, "label": f.label, "count": f.count} for f in FIGURES],
        "localities": rows,
        "median": {f.key: _median(f, [exact[slug][f.key] for slug in members]) for f in FIGURES},
    }


def comparison_csv(result: dict[str, Any]) -> str:
    """The comparison as CSV: one row per locality, then the network median."""
    out = io.StringIO()
    writer = csv.writer(out)
    keys = [f["key"] for f in result["figures"]]
    writer.writerow(["locality", "name", "own", "as_of", *(c for k in keys for c in (k, f"{k} rank"))])
    for row in result["localities"]:
        cells = (c for k in keys for c in (_cell(row["values"][k]), _cell(row["ranks"][k])))
        writer.writerow([row["slug"], _text(row["name"]), "yes" if row["own"] else "", row["as_of"], *cells])
    medians = (c for k in keys for c in (_cell(result["median"][k]), ""))
    writer.writerow(["network median", "", "", result["period"]["to"], *medians])
    return out.getvalue()


def _cell(value: Value) -> str:
    return "" if value is None else str(value)


def _text(value: str) -> str:
    """Text as a spreadsheet shows it, never as a formula it would run."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def quarters(start: date, end: date) -> list[tuple[str, date, date]]:
    """The calendar quarters from the one holding ``start`` to the one holding ``end``, the
    last cut short at ``end``: (label, first day, last day)."""
    first = date(start.year, 3 * ((start.month - 1) // 3) + 1, 1)
    found: list[tuple[str, date, date]] = []
    while first <= end:
        following = date(first.year + first.month // 10, (first.month + 2) % 12 + 1, 1)
        found.append(
            (f"{first.year}-Q{(first.month + 2) // 3}", first, min(end, following - timedelta(days=1)))
        )
        first = following
    if len(found) > MAX_QUARTERS:
        raise InvalidInputError("from", f"ask for at most {MAX_QUARTERS} quarters at a time")
    return found


def default_quarters(today: date) -> tuple[date, date]:
    """The current quarter and the three before it."""
    first = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    months = first.year * 12 + first.month - 1 - 9
    return date(months // 12, months % 12 + 1, 1), today


def trends(
    reader: Reader,
    network: PeerNetworkView,
    locality: str,
    *,
    start: date,
    end: date,
    viewer: str | None = None,
) -> dict[str, Any]:
    """Each figure per quarter for ``locality`` against the network median (and its rank):
    the comparison of each quarter, kept to that locality, as series to chart::

        {"network", "locality", "own", "suppressed_below", "suppressed_as",
         "quarters": [{"label": "2025-Q1", "from", "to", "member": bool}],
         "series": {key: {"label", "count", "values": [...], "median": [...], "ranks": [...]}}}

    A quarter in which the locality was not a member has None for its value and rank.
    """
    if locality not in network.spells:
        raise NotFoundError(f"member of peer network {network.slug}", locality)
    periods = quarters(start, end)
    tables = [
        comparison(reader, network, start=q_from, end=q_to, viewer=viewer) for _, q_from, q_to in periods
    ]
    rows = [next((r for r in t["localities"] if r["slug"] == locality), None) for t in tables]
    return {
        "network": {"slug": network.slug, "name": network.name},
        "locality": locality,
        "own": locality == viewer,
        "suppressed_below": SUPPRESSED_BELOW,
        "suppressed_as": SUPPRESSED,
        "quarters": [
            {"label": label, "from": q_from.isoformat(), "to": q_to.isoformat(), "member": row is not None}
            for (label, q_from, q_to), row in zip(periods, rows, strict=True)
        ],
        "series": {
            f.key: {
                "label": f.label,
                "count": f.count,
                "values": [row["values"][f.key] if row else None for row in rows],
                "median": [t["median"][f.key] for t in tables],
                "ranks": [row["ranks"][f.key] if row else None for row in rows],
            }
            for f in FIGURES
        },
    }


def shared_measures(
    reader: Reader, network: PeerNetworkView, *, start: date, end: date, viewer: str | None = None
) -> dict[str, Any]:
    """The latest value per quarter of each quantitative measure whose shared code (e.g.
    "ASCOF-1A") at least two member localities measure, with baselines, targets and the
    network median; never a measure's name, unit, story or evidence (a locality's own words)::

        {"network", "period": {"from", "to"}, "quarters": [{"label", "from", "to"}],
         "measures": [{"code", "median": [...],
                       "localities": [{"slug", "name", "own", "baseline", "target", "values": [...]}]}]}

    Values are decimal strings, None where the locality observed nothing that quarter or
    was not a member in it (only what it observed while a member is shown).
    """
    periods = quarters(start, end)
    held: dict[str, dict[str, list[MeasureState]]] = {}
    for slug in network.members_during(start, end):
        for measure in reader.state(slug).measures.values():
            if measure.shared_code and measure.kind == MeasureKind.QUANTITATIVE.value:
                held.setdefault(measure.shared_code, {}).setdefault(slug, []).append(measure)
    compared = []
    for code, localities in sorted(held.items()):
        if len(localities) < 2:  # a code only one locality uses is its own text, not a shared one
            continue
        values = {
            slug: [_latest(network, slug, measures, q_from, q_to) for _, q_from, q_to in periods]
            for slug, measures in localities.items()
        }
        rows = [
            {
                "slug": slug,
                "name": reader.state(slug).name,
                "own": slug == viewer,
                "baseline": measures[-1].baseline,
                "target": measures[-1].target,
                "values": values[slug],
            }
            for slug, measures in localities.items()
        ]
        medians = [
            [Decimal(v) for v in column if v is not None] for column in zip(*values.values(), strict=True)
        ]
        compared.append(
            {"code": code, "median": [str(median(m)) if m else None for m in medians], "localities": rows}
        )
    return {
        "network": {"slug": network.slug, "name": network.name},
        "period": {"from": start.isoformat(), "to": end.isoformat()},
        "quarters": [{"label": label, "from": f.isoformat(), "to": t.isoformat()} for label, f, t in periods],
        "measures": compared,
    }


def _latest(
    network: PeerNetworkView, slug: str, measures: list[MeasureState], start: date, end: date
) -> str | None:
    """The value last observed from ``start`` to the locality's last member day up to ``end``."""
    last = network.members_during(start, end).get(slug)
    if last is None:
        return None
    seen = [
        (date.fromisoformat(o["on"]), o["value"])
        for m in measures
        for o in m.observations
        if o["value"] is not None and start <= date.fromisoformat(o["on"]) <= last
    ]
    return max(seen, key=lambda item: item[0])[1] if seen else None
