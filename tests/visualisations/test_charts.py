from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from visualisations import commitments_over_time_svg, mixing_heatmap_svg, sparkline_svg

SVG = "{http://www.w3.org/2000/svg}"


def _texts(root: ET.Element, tag: str) -> list[str]:
    return ["".join(e.itertext()) for e in root.iter(f"{SVG}{tag}")]


def _accessible(root: ET.Element) -> str:
    """The chart's accessible name, checked to be on the root and in its own <title>."""
    assert root.get("role") == "img"
    label = root.get("aria-label")
    assert label
    title = root.find(f"{SVG}title")
    assert title is not None and title.text == label
    return label


MATRIX = {
    "health": {"health": 4, "housing": 7, "faith": 0},
    "housing": {"health": 7, "housing": 2},
    "faith": {"health": 0, "faith": 1},
}
LABELS = {"housing": "Housing", "health": "Health (NHS)", "faith": "Faith & <belief>"}


def test_the_mixing_heatmap_is_accessible_svg_with_a_count_in_every_cell() -> None:
    root = ET.fromstring(mixing_heatmap_svg(MATRIX, labels=LABELS))

    assert "3 sectors" in _accessible(root)
    cells = list(root.iter(f"{SVG}g"))
    assert len(cells) == 9
    values = {g.findtext(f"{SVG}title"): g.findtext(f"{SVG}text") for g in cells}
    assert values["Housing – Health (NHS): 7 ties"] == "7"
    assert values["Health (NHS) – Housing: 7 ties"] == "7"
    assert values["Faith & <belief> – Housing: 0 ties"] == "0"


def test_the_heatmap_axes_follow_the_order_of_the_labels_then_the_rest() -> None:
    matrix = {**MATRIX, "business": {"health": 1}}
    root = ET.fromstring(mixing_heatmap_svg(matrix, labels=LABELS))
    rows = [t for t in root.iter(f"{SVG}text") if t.get("text-anchor") == "end"]
    names = [t.find(f"{SVG}title").text for t in rows]  # type: ignore[union-attr]

    assert names == ["Housing", "Health (NHS)", "Faith & <belief>", "business"]


def test_long_sector_names_are_shortened_on_the_axes_but_kept_whole_in_titles() -> None:
    long_name = "Public sector (local authority, social care, commissioning)"
    root = ET.fromstring(mixing_heatmap_svg({"public": {"public": 1}}, labels={"public": long_name}))
    axis = next(t for t in root.iter(f"{SVG}text") if t.get("text-anchor") == "end")

    assert axis.find(f"{SVG}title").text == long_name  # type: ignore[union-attr]
    assert "".join(axis.itertext()).endswith("…") and len(axis.text or "") == 0


def test_the_darkest_cells_get_white_numbers() -> None:
    svg = mixing_heatmap_svg({"a": {"a": 10, "b": 1}}, labels={})
    assert 'fill="#FFFFFF">10</text>' in svg and 'fill="#1A1A1A">1</text>' in svg


SERIES = [
    ("2026-01", {"fulfilled": 3, "missed": 1, "open": 2}),
    ("2026-02", {"fulfilled": 5, "overdue": 2, "withdrawn": 1}),
    ("2026-03", {}),
]


def test_commitments_over_time_stack_each_state_with_its_count() -> None:
    root = ET.fromstring(commitments_over_time_svg(SERIES))
    titles = _texts(root, "title")
    texts = _texts(root, "text")

    assert "3 periods" in _accessible(root)
    assert {"2026-01 fulfilled: 3", "2026-01 missed: 1", "2026-02 overdue: 2"} <= set(titles)
    assert "2026-02 withdrawn: 1" in titles
    assert {"6", "8", "0"} <= set(texts)  # totals above the bars
    assert [t for t in texts if t.isalpha()] == ["fulfilled", "missed", "overdue", "open", "withdrawn"]


def test_taller_bars_for_more_commitments() -> None:
    root = ET.fromstring(commitments_over_time_svg([("a", {"open": 2}), ("b", {"open": 6})]))
    bars = [r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    heights = [float(r.get("height", 0)) for r in bars]
    assert heights[1] == pytest.approx(3 * heights[0])


def test_a_state_outside_the_usual_five_still_gets_a_colour_and_a_legend_entry() -> None:
    root = ET.fromstring(commitments_over_time_svg([("2026-04", {"due_soon": 2})]))
    assert "due soon" in _texts(root, "text")
    assert "2026-04 due soon: 2" in _texts(root, "title")


def test_no_periods_gives_an_empty_chart_that_says_so() -> None:
    root = ET.fromstring(commitments_over_time_svg([]))
    assert "No commitments yet" in _texts(root, "text")


def test_a_sparkline_breaks_at_missing_values_and_dashes_the_median() -> None:
    svg = sparkline_svg([0.2, 0.3, None, 0.5, 0.4], median=[0.3, 0.3, 0.3, None, 0.35])
    root = ET.fromstring(svg)
    lines = list(root.iter(f"{SVG}polyline"))
    dashed = [p for p in lines if p.get("stroke-dasharray")]
    dots = list(root.iter(f"{SVG}circle"))

    assert len(lines) == 3 and len(dashed) == 1  # values: two runs; median: one run
    assert len(dots) == 2  # the median's lone last value, and the latest value
    assert _accessible(root) == ("Trend over 5 periods: first 0.2, last 0.4; network median 0.35")


def test_a_higher_value_is_drawn_higher() -> None:
    root = ET.fromstring(sparkline_svg([1.0, 3.0, 2.0]))
    line = next(root.iter(f"{SVG}polyline"))
    ys = [float(p.split(",")[1]) for p in line.get("points", "").split()]
    assert ys[1] < ys[2] < ys[0]  # SVG y grows downwards


def test_a_sparkline_without_data_says_so_and_mismatched_medians_are_refused() -> None:
    assert _accessible(ET.fromstring(sparkline_svg([None, None]))) == "Trend: no data"
    assert _accessible(ET.fromstring(sparkline_svg([]))) == "Trend: no data"
    with pytest.raises(ValueError, match="one value per period"):
        sparkline_svg([1.0, 2.0], median=[1.0])
