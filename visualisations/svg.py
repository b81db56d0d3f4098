"""Small helpers for hand-written SVG: escaping, numbers, the accessible root element."""

from __future__ import annotations

import math
from html import escape

from .palette import INK

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"


def text(value: object) -> str:
    """`value` escaped for SVG text and attributes.

    Examples
    --------
    >>> text('<b> & "x"')
    '&lt;b&gt; &amp; &quot;x&quot;'
    """
    return escape(str(value), quote=True)


def number(value: float) -> str:
    """A figure as people read it: whole numbers plain, others to three significant digits.

    Examples
    --------
    >>> number(12.0), number(0.42345), number(1234.5)
    ('12', '0.423', '1,234')
    """
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def svg_root(width: float, height: float, label: str, body: list[str], desc: str = "") -> str:
    """An `<svg>` with role="img", an aria-label, a `<title>` and (optional) `<desc>`."""
    description = f"<desc>{text(desc)}</desc>" if desc else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:g}" height="{height:g}" '
        f'viewBox="0 0 {width:g} {height:g}" role="img" aria-label="{text(label)}" '
        f'font-family="{FONT}" font-size="12" fill="{INK}">'
        f"<title>{text(label)}</title>{description}{''.join(body)}</svg>"
    )


def shorten(label: str, limit: int = 30) -> str:
    """`label` cut to `limit` characters with an ellipsis.

    Examples
    --------
    >>> shorten("Public sector (local authority, social care)", 20)
    'Public sector (loca…'
    """
    return label if len(label) <= limit else label[: limit - 1] + "…"


def text_width(label: str, size: float = 12) -> float:
    """A generous estimate of the width of `label` in pixels, for margins."""
    return 0.6 * size * len(label)


def nice_step(largest: float, intervals: int = 5) -> int:
    """A whole-number gridline step (1, 2 or 5 times a power of ten) giving at most `intervals`.

    Examples
    --------
    >>> nice_step(22), nice_step(3), nice_step(0), nice_step(480)
    (5, 1, 1, 100)
    """
    target = max(largest / intervals, 1.0)
    power = 10 ** math.floor(math.log10(target))
    return next(int(m * power) for m in (1, 2, 5, 10) if m * power >= target)


def mix(low: str, high: str, share: float) -> str:
    """The colour `share` (0 to 1) of the way from `low` to `high`.

    Examples
    --------
    >>> mix("#000000", "#FFFFFF", 0.5)
    '#808080'
    """
    channels = []
    for i in (1, 3, 5):
        a, b = int(low[i : i + 2], 16), int(high[i : i + 2], 16)
        channels.append(round(a + (b - a) * min(max(share, 0.0), 1.0)))
    return "#" + "".join(f"{c:02X}" for c in channels)
