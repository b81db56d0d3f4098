"""The network page in a real browser (Debian's Chromium through Playwright)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from visualisations import render_network

from .graphs import stakeholder_graph

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _open(browser: Any, page_html: str, path: Path) -> tuple[Any, list[str], list[str]]:
    """The page opened from a file, with the console errors and the requests it makes."""
    path.write_text(page_html, encoding="utf-8")
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri())
    page.wait_for_selector("#civicweave-network canvas")
    page.wait_for_selector("#civicweave-network[data-drawn='true']", timeout=60_000)
    return page, errors, requests


def test_the_200_stakeholder_page_draws_every_node_offline_without_errors(
    browser: Any, tmp_path: Path, artifacts_dir: Path
) -> None:
    G = stakeholder_graph(200)
    path = tmp_path / "network-200.html"
    page, errors, requests = _open(browser, render_network(G, title="200 stakeholders"), path)

    drawn = page.evaluate("window.civicweaveNetwork.body.data.nodes.length")
    lines = page.evaluate("window.civicweaveNetwork.body.data.edges.length")
    page.wait_for_timeout(1500)  # let physics settle before the picture is taken
    page.screenshot(path=str(artifacts_dir / "network-200.png"))
    page.close()

    assert (drawn, lines) == (G.number_of_nodes(), G.number_of_edges())
    assert errors == []
    assert requests == [path.as_uri()]


def _on_screen(page: Any, node: int) -> tuple[float, float]:
    """Where node `node` is drawn, in the page's coordinates."""
    x, y = page.evaluate(
        """(node) => {
            const network = window.civicweaveNetwork;
            const box = document.getElementById("civicweave-network").getBoundingClientRect();
            const at = network.canvasToDOM(network.getPosition(node));
            return [box.left + at.x, box.top + at.y];
        }""",
        node,
    )
    return x, y


def _tooltip_of(page: Any, node: int) -> str:
    """Hover node `node` and read the tooltip the user sees."""
    page.mouse.move(*_on_screen(page, node))
    tooltip = page.wait_for_selector("div.vis-tooltip", state="visible")
    assert tooltip is not None
    text: str = tooltip.inner_text()
    box = page.locator("#civicweave-network").bounding_box()
    page.mouse.move(box["x"] + 5, box["y"] + 5)  # an empty corner of the picture
    page.wait_for_selector("div.vis-tooltip", state="hidden")
    return text


def test_a_tooltip_shows_markup_as_text(browser: Any, tmp_path: Path) -> None:
    attack = "<img src=x onerror=\"document.title='owned'\">"
    G = nx.Graph([("a", "b")])
    G.nodes["a"].update(label=attack, sector="faith", tooltip=attack)
    G.nodes["b"].update(label="B", sector="health")
    html = render_network(G, title="Tooltip", physics_threshold=0)  # fixed positions
    page, errors, _ = _open(browser, html, tmp_path / "tooltip.html")

    shown = _tooltip_of(page, 0)
    images, title = page.locator("div.vis-tooltip img").count(), page.title()
    page.close()

    assert shown == f"{attack} (Faith)\n{attack}" and images == 0 and title == "Tooltip"
    assert errors == []


def test_a_tooltip_names_the_stakeholder_its_sector_and_its_figures(browser: Any, tmp_path: Path) -> None:
    G = nx.Graph([("food", "gp"), ("gp", "club")])
    G.nodes["food"].update(label="Food bank", sector="vcse", betweenness=0.25, tooltip="Assets: van")
    G.nodes["gp"].update(label="GP surgery", sector="health", betweenness=1.0, broker=True, bridge=True)
    G.nodes["club"].update(label="Allotment club", sector="allotments")
    html = render_network(G, title="Tooltips", physics_threshold=0)
    page, errors, _ = _open(browser, html, tmp_path / "tooltips.html")

    shown = [_tooltip_of(page, node) for node in range(3)]
    page.close()

    assert shown == [
        "Food bank (VCSE / VCFSE)\nBetweenness 0.250\nAssets: van",
        "GP surgery (Health (NHS))\nBetweenness 1.000\n"
        "Broker: links stakeholders who are not linked to each other\n"
        "Bridge: removing it would split the network",
        "Allotment club (allotments)",
    ]
    assert errors == []


def _middle(page: Any, u: int, v: int) -> tuple[float, float]:
    (x0, y0), (x1, y1) = _on_screen(page, u), _on_screen(page, v)
    return (x0 + x1) / 2, (y0 + y1) / 2


def _pixel(page: Any, x: float, y: float) -> list[int]:
    """The colour drawn on the network's canvas at page point (x, y)."""
    rgba: list[int] = page.evaluate(
        """([x, y]) => {
            const canvas = document.querySelector("#civicweave-network canvas");
            const box = canvas.getBoundingClientRect(), ratio = canvas.width / box.width;
            const at = [Math.round((x - box.left) * ratio), Math.round((y - box.top) * ratio)];
            return Array.from(canvas.getContext("2d").getImageData(at[0], at[1], 1, 1).data);
        }""",
        [x, y],
    )
    return rgba


def test_above_the_edge_threshold_lines_are_drawn_and_a_click_picks_out_a_stakeholders_links(
    browser: Any, tmp_path: Path, artifacts_dir: Path
) -> None:
    G = nx.Graph()
    G.add_nodes_from(["hub", "far", "near", "other"])
    nx.set_node_attributes(G, {"hub": "health", "far": "vcse", "near": "faith", "other": "housing"}, "sector")
    G.add_edge("hub", "far", intensity=4, kinds=("funds",))
    G.add_edge("hub", "near", intensity=2, kinds=("refers_to",))
    G.add_edge("far", "other", intensity=1, kinds=("collaborates",))
    lines = render_network(G, title="Lines", physics_threshold=0, edge_threshold=2)
    edges = render_network(G, title="Edges", physics_threshold=0)
    page, errors, _ = _open(browser, lines, tmp_path / "lines.html")
    x0, y0 = _on_screen(page, 0)
    middle = _middle(page, 0, 1)

    drawn_before = page.evaluate("window.civicweaveNetwork.body.data.edges.length")
    line_colour = _pixel(page, *middle)
    page.mouse.click(x0, y0)
    picked = page.evaluate(
        "window.civicweaveNetwork.getSelectedEdges().map(e => window.civicweaveNetwork.body.data.edges.get(e).title)"
    )
    page.screenshot(path=str(artifacts_dir / "network-lines-picked.png"))
    page.mouse.move(*middle)
    tooltip = page.wait_for_selector("div.vis-tooltip", state="visible")
    assert tooltip is not None
    edge_tooltip = tooltip.inner_text()
    box = page.locator("#civicweave-network").bounding_box()
    page.mouse.click(box["x"] + 5, box["y"] + 5)  # on no stakeholder: nothing picked
    drawn_after = page.evaluate("window.civicweaveNetwork.body.data.edges.length")
    page.close()
    page, more_errors, _ = _open(browser, edges, tmp_path / "edges.html")
    vis_colour = _pixel(page, *_middle(page, 0, 1))
    page.close()

    assert "Click a stakeholder to pick out its links" in lines
    assert drawn_before == 0 and line_colour == vis_colour != [0, 0, 0, 0]
    assert sorted(picked) == ["funds: integration (4 of 4)", "refers to: cooperation (2 of 4)"]
    assert edge_tooltip == "funds: integration (4 of 4)"
    assert drawn_after == 0
    assert errors == more_errors == []
