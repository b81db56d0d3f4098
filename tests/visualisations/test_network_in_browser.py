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


def test_a_tooltip_shows_markup_as_text(browser: Any, tmp_path: Path) -> None:
    attack = "<img src=x onerror=\"document.title='owned'\">"
    G = nx.Graph([("a", "b")])
    G.nodes["a"].update(label="A", sector="faith", tooltip=attack)
    G.nodes["b"].update(label="B", sector="health")
    html = render_network(G, title="Tooltip", physics_threshold=0)  # fixed positions
    page, errors, _ = _open(browser, html, tmp_path / "tooltip.html")

    x, y = page.evaluate(
        """() => {
            const network = window.civicweaveNetwork;
            const box = document.getElementById("civicweave-network").getBoundingClientRect();
            const at = network.canvasToDOM(network.getPosition(0));
            return [box.left + at.x, box.top + at.y];
        }"""
    )
    page.mouse.move(x, y)
    tooltip = page.wait_for_selector("div.vis-tooltip", state="visible")
    assert tooltip is not None
    shown, images, title = tooltip.inner_text(), page.locator("div.vis-tooltip img").count(), page.title()
    page.close()

    assert attack in shown and images == 0 and title == "Tooltip"
    assert errors == []
