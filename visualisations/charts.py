"""Static SVG charts (no JavaScript): sector mixing, commitments over time, sparklines."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from .palette import INK, MUTED_INK, PAPER, STATE_COLOURS, text_colour_on
from .svg import mix, nice_step, number, shorten, svg_root, text, text_width

HEAT_LOW, HEAT_HIGH = "#F7FBFF", "#08306B"
#: Commitment states in the order they stack, kept (bottom) to withdrawn (top).
STATES: tuple[str, ...] = ("fulfilled", "missed", "overdue", "open", "withdrawn")
_EXTRA_STATE_COLOURS = ("#CC79A7", "#0072B2", "#F0E442", "#000000")


def mixing_heatmap_svg(matrix: Mapping[str, Mapping[str, int]], *, labels: Mapping[str, str]) -> str:
    """Ties between each pair of sectors, row sector by column sector, a count in each cell.

    Sectors follow the order of `labels`, then any others alphabetically. Cells on the
    diagonal (ties within a sector) are outlined.

    Examples
    --------
    >>> svg = mixing_heatmap_svg({"health": {"housing": 3}}, labels={"health": "Health"})
    >>> 'aria-label="Sector mixing' in svg and ">3</text>" in svg
    True
    """
    keys = set(matrix) | {col for row in matrix.values() for col in row}
    sectors = [s for s in labels if s in keys] + sorted(keys - set(labels))
    names = {s: labels.get(s, s) for s in sectors}
    cell = 44
    left = max((text_width(shorten(n)) for n in names.values()), default=0) + 12
    top = max((text_width(shorten(n)) for n in names.values()), default=0) * 0.71 + 16
    largest = max((v for row in matrix.values() for v in row.values()), default=0)
    body = []
    for i, name in enumerate(names.values()):
        y, x = top + i * cell + cell / 2, left + i * cell + cell / 2
        body.append(_axis_label(name, left - 8, y + 4, anchor="end"))
        rotated = f'transform="rotate(-45 {x:g} {top - 8:g})"'
        body.append(_axis_label(name, x, top - 8, anchor="start", extra=rotated))
    for i, row in enumerate(sectors):
        for j, col in enumerate(sectors):
            value = matrix.get(row, {}).get(col, 0)
            share = value / largest if largest else 0.0
            where = (left + j * cell, top + i * cell)
            body.append(_cell(where, cell, value, share, f"{names[row]} – {names[col]}", i == j))
    size = len(sectors) * cell
    total = sum(v for row in matrix.values() for v in row.values())
    label = f"Sector mixing: ties between {len(sectors)} sectors"
    desc = f"Rows and columns are sectors; each cell counts ties between them; {total} in all."
    return svg_root(left + size + 8, top + size + 8, label, body, desc)


def _axis_label(name: str, x: float, y: float, *, anchor: str, extra: str = "") -> str:
    return (
        f'<text x="{x:g}" y="{y:g}" text-anchor="{anchor}" {extra}>'
        f"<title>{text(name)}</title>{text(shorten(name))}</text>"
    )


def _cell(
    where: tuple[float, float], size: float, value: int, share: float, name: str, diagonal: bool
) -> str:
    x, y = where
    fill = mix(HEAT_LOW, HEAT_HIGH, share)
    stroke = f'stroke="{INK}" stroke-width="2"' if diagonal else 'stroke="#FFFFFF"'
    return (
        f"<g><title>{text(name)}: {number(value)} ties</title>"
        f'<rect x="{x:g}" y="{y:g}" width="{size:g}" height="{size:g}" fill="{fill}" {stroke}/>'
        f'<text x="{x + size / 2:g}" y="{y + size / 2 + 4:g}" text-anchor="middle" '
        f'fill="{text_colour_on(fill)}">{number(value)}</text></g>'
    )


def commitments_over_time_svg(series: Sequence[tuple[str, Mapping[str, int]]]) -> str:
    """Stacked bars of commitments by state, one bar per period (e.g. "2026-03"), with a legend.

    Examples
    --------
    >>> svg = commitments_over_time_svg([("2026-03", {"fulfilled": 4, "missed": 1})])
    >>> "2026-03 fulfilled: 4" in svg and ">5</text>" in svg
    True
    """
    states = list(STATES) + sorted({s for _, c in series for s in c} - set(STATES))
    colours = _state_colours(states)
    bar, plot_height = 28, 200
    rotate = len(series) > 12
    longest = max((text_width(period) for period, _ in series), default=0)
    slot = bar + 14 if rotate else max(bar + 14, longest + 10)
    left, top, bottom = 44, 24, 70 if rotate else 40
    plot_width = max(len(series), 1) * slot
    highest = max((sum(c.values()) for _, c in series), default=0)
    step = nice_step(highest)
    steps = max(math.ceil(highest / step), 1)
    body = _value_axis(left, top, plot_width, plot_height, step, steps)
    unit = plot_height / (step * steps)
    for i, (period, counts) in enumerate(series):
        x = left + (slot - bar) / 2 + i * slot
        body.append(_bar(x, top + plot_height, bar, unit, period, counts, states))
        body.append(_period_label(period, x + bar / 2, top + plot_height + 16, rotate))
    legend_x = left + plot_width + 20
    body += _legend(states, colours, legend_x, top)
    if not series:
        body.append(f'<text x="{left + 8}" y="{top + plot_height / 2}">No commitments yet</text>')
    label = f"Commitments by state over {len(series)} periods"
    width = legend_x + max(text_width(s) for s in states) + 30
    return svg_root(width, top + plot_height + bottom, label, body, _summary(series))


def _state_colours(states: Sequence[str]) -> dict[str, str]:
    extras = iter(_EXTRA_STATE_COLOURS * len(states))
    return {s: STATE_COLOURS.get(s) or next(extras) for s in states}


def _value_axis(left: float, top: float, width: float, height: float, step: int, steps: int) -> list[str]:
    parts = []
    for i in range(steps + 1):
        value = step * i
        y = top + height - height * i / steps
        parts.append(
            f'<line x1="{left:g}" x2="{left + width:g}" y1="{y:g}" y2="{y:g}" stroke="#D9D9D9"/>'
            f'<text x="{left - 6:g}" y="{y + 4:g}" text-anchor="end" fill="{MUTED_INK}">'
            f"{number(value)}</text>"
        )
    return parts


def _bar(
    x: float,
    base: float,
    width: float,
    unit: float,
    period: str,
    counts: Mapping[str, int],
    states: Sequence[str],
) -> str:
    colours = _state_colours(states)
    parts, y = [], base
    for state in states:
        count = counts.get(state, 0)
        if count <= 0:
            continue
        y -= count * unit
        parts.append(
            f'<rect x="{x:g}" y="{y:g}" width="{width:g}" height="{count * unit:g}" '
            f'fill="{colours[state]}" stroke="{PAPER}" stroke-width="0.5">'
            f"<title>{text(period)} {text(state.replace('_', ' '))}: {number(count)}</title></rect>"
        )
    total = sum(counts.values())
    parts.append(f'<text x="{x + width / 2:g}" y="{y - 4:g}" text-anchor="middle">{number(total)}</text>')
    return "".join(parts)


def _period_label(period: str, x: float, y: float, rotate: bool) -> str:
    if rotate:
        return (
            f'<text x="{x:g}" y="{y:g}" text-anchor="end" '
            f'transform="rotate(-45 {x:g} {y:g})">{text(period)}</text>'
        )
    return f'<text x="{x:g}" y="{y:g}" text-anchor="middle">{text(period)}</text>'


def _legend(states: Sequence[str], colours: Mapping[str, str], x: float, y: float) -> list[str]:
    return [
        f'<rect x="{x:g}" y="{y + i * 20:g}" width="12" height="12" fill="{colours[s]}"/>'
        f'<text x="{x + 18:g}" y="{y + i * 20 + 10:g}">{text(s.replace("_", " "))}</text>'
        for i, s in enumerate(states)
    ]


def _summary(series: Sequence[tuple[str, Mapping[str, int]]]) -> str:
    return "; ".join(
        f"{period}: " + ", ".join(f"{s.replace('_', ' ')} {n}" for s, n in counts.items() if n)
        for period, counts in series
    )


def sparkline_svg(values: Sequence[float | None], *, median: Sequence[float | None] | None = None) -> str:
    """A small trend line; gaps where a value is missing, the network median dashed.

    Examples
    --------
    >>> svg = sparkline_svg([0.2, None, 0.4, 0.5], median=[0.3, 0.3, 0.3, 0.3])
    >>> "last 0.5" in svg and "median 0.3" in svg
    True
    """
    if median is not None and len(median) != len(values):
        raise ValueError("median must have one value per period, like values")
    width, height, pad = 120, 32, 4
    known = [v for v in [*values, *(median or [])] if v is not None]
    low, high = (min(known), max(known)) if known else (0.0, 1.0)
    span = (high - low) or 1.0
    step = (width - 2 * pad) / max(len(values) - 1, 1)

    def point(i: int, v: float) -> tuple[float, float]:
        flat = high == low
        y = height / 2 if flat else height - pad - (v - low) / span * (height - 2 * pad)
        return pad + i * step, y

    def points(series: Sequence[float | None]) -> list[tuple[float, float] | None]:
        return [None if v is None else point(i, v) for i, v in enumerate(series)]

    body = [] if median is None else [_line(points(median), dashed=True)]
    body.append(_line(points(values)))
    last = next(((i, v) for i, v in reversed(list(enumerate(values))) if v is not None), None)
    if last is not None:
        x, y = point(*last)
        body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{INK}"/>')
    return svg_root(width, height, _trend_label(values, median), body)


def _line(points: Sequence[tuple[float, float] | None], dashed: bool = False) -> str:
    """Polylines through runs of known points; a lone point becomes a dot."""
    runs: list[list[tuple[float, float]]] = [[]]
    for p in points:
        if p is None:
            runs.append([])
        else:
            runs[-1].append(p)
    colour = MUTED_INK if dashed else INK
    style = f'stroke="{colour}" stroke-width="{1 if dashed else 1.5}" fill="none"'
    style += ' stroke-dasharray="3 2"' if dashed else ""
    parts = []
    for run in (r for r in runs if r):
        if len(run) == 1:
            parts.append(f'<circle cx="{run[0][0]:.1f}" cy="{run[0][1]:.1f}" r="1.5" fill="{colour}"/>')
        else:
            coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
            parts.append(f'<polyline points="{coords}" {style}/>')
    return "".join(parts)


def _trend_label(values: Sequence[float | None], median: Sequence[float | None] | None) -> str:
    known = [v for v in values if v is not None]
    if not known:
        return "Trend: no data"
    label = f"Trend over {len(values)} periods: first {number(known[0])}, last {number(known[-1])}"
    medians = [m for m in median or [] if m is not None]
    return label + (f"; network median {number(medians[-1])}" if medians else "")
