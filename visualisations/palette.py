"""Colours used by every picture, chosen for contrast on a white background.

Sector colours follow Paul Tol's "muted" scheme with two Okabe-Ito colours added,
so that the twelve default sectors get twelve distinct hues; the tooltip and the
legend always name the sector too, because no twelve colours are distinct for
every reader. Commitment states use the Okabe-Ito colours, which stay distinct
under the common forms of colour blindness.
"""

from __future__ import annotations

from collections.abc import Iterable

from domain.vocabulary import DEFAULT_SECTORS

SECTOR_COLOURS: dict[str, str] = {
    "public": "#332288",
    "health": "#88CCEE",
    "housing": "#44AA99",
    "vcse": "#117733",
    "faith": "#999933",
    "business": "#DDCC77",
    "elected_member": "#CC6677",
    "community_group": "#882255",
    "lived_experience": "#AA4499",
    "education": "#E69F00",
    "police_fire": "#0072B2",
    "other": "#BBBBBB",
}

#: Colours for sectors a locality added to the default list, handed out in order.
EXTRA_SECTOR_COLOURS: tuple[str, ...] = (
    "#EE7733",
    "#009988",
    "#EE3377",
    "#77AADD",
    "#AAAA00",
    "#FFAABB",
)

STATE_COLOURS: dict[str, str] = {
    "fulfilled": "#009E73",
    "missed": "#D55E00",
    "overdue": "#E69F00",
    "due_soon": "#F0E442",
    "open": "#56B4E9",
    "withdrawn": "#999999",
}

INK = "#1A1A1A"
MUTED_INK = "#595959"
PAPER = "#FFFFFF"


def sector_colours(sectors: Iterable[str]) -> dict[str, str]:
    """A colour for each sector: the fixed one for default sectors, extra ones in sorted order.

    Examples
    --------
    >>> sector_colours(["health", "allotments"])
    {'health': '#88CCEE', 'allotments': '#EE7733'}
    """
    wanted = list(dict.fromkeys(sectors))
    extras = sorted(s for s in wanted if s not in SECTOR_COLOURS)
    extra_colour = {s: EXTRA_SECTOR_COLOURS[i % len(EXTRA_SECTOR_COLOURS)] for i, s in enumerate(extras)}
    return {s: SECTOR_COLOURS.get(s) or extra_colour[s] for s in wanted}


def default_sectors_missing(sectors: Iterable[str]) -> list[str]:
    """The default sectors that do not occur in `sectors`, in the default order."""
    present = set(sectors)
    return [s for s in DEFAULT_SECTORS if s not in present]


def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance of a "#RRGGBB" colour."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2 contrast ratio between two "#RRGGBB" colours (1 to 21).

    Examples
    --------
    >>> round(contrast_ratio("#000000", "#FFFFFF"), 1)
    21.0
    """
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def text_colour_on(background: str) -> str:
    """Black or white, whichever reads better on `background`.

    Examples
    --------
    >>> text_colour_on("#332288"), text_colour_on("#DDCC77")
    ('#FFFFFF', '#1A1A1A')
    """
    return PAPER if contrast_ratio(PAPER, background) > contrast_ratio(INK, background) else INK


def darker(colour: str, factor: float = 0.6) -> str:
    """The same hue, darker: used for node borders so light colours keep an edge.

    Examples
    --------
    >>> darker("#88CCEE")
    '#527A8F'
    """
    channels = [round(int(colour[i : i + 2], 16) * factor) for i in (1, 3, 5)]
    return "#" + "".join(f"{c:02X}" for c in channels)
