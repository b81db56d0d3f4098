"""The network page of a large locality, every stakeholder drawn: the server's render
(annotate the graph with its cached figures, then ``render_network``), against pyvis's
``Network.from_nx`` on the same graph; the page's size; and its first draw in headless
Chromium."""

from __future__ import annotations

import math
import pickle
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from bench.context import Context
from bench.report import Figure, Target, skipped
from bench.scenarios.figures import reader_of
from projections.network import GraphKind
from projections.reader import Reader
from visualisations import render_network

#: Stop pyvis after this long and extrapolate from the subgraphs it managed.
PYVIS_BUDGET_SECONDS = 120
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _annotate() -> Any:
    try:
        from service.pages.picture import annotate
    except ImportError:
        return None
    return annotate


def page(ctx: Context) -> list[Figure]:
    stakeholders = ctx.sizes.page_stakeholders
    plan = ctx.plan(stakeholders)
    annotate = _annotate()
    with reader_of(ctx, ctx.locality_store(stakeholders)) as views:
        reader = Reader(views, today=lambda: ctx.today)
        state = views.state(plan.slug)
        figures = reader.figures(plan.slug, graph=GraphKind.COMBINED)  # cached, as on the server
        communities = figures["communities"]["groups"]
        render = Figure(
            "",
            "s",
            baseline_name="pyvis Network.from_nx",
            target=Target("ratio<=", 0.05),
        )
        for _ in range(ctx.runs):
            started = time.perf_counter()
            G = reader.network(plan.slug, graph=GraphKind.COMBINED)
            if annotate is not None:
                annotate(G, figures, state, ctx.today)
            html = render_network(G, title=f"{plan.name}: network", communities=communities)
            render.runs.append(time.perf_counter() - started)
    n, m = G.number_of_nodes(), G.number_of_edges()
    render.scenario = f"network page, {n:,} stakeholders / {m:,} edges: server render"
    baseline, note = _pyvis(ctx, G)
    render.baseline_runs.append(baseline)
    render.note = note + ("" if annotate else "; page annotation not available, render only")
    size = Figure(f"network page, {n:,} stakeholders: HTML size", "MB", target=Target("value<=", 6))
    size.runs.append(len(html.encode()) / 1e6)
    size.note = (
        "standalone page, vis-network inlined; tooltips written in the browser, edges as index columns"
    )
    path = ctx.workdir / "network-page.html"
    path.write_text(html, encoding="utf-8")
    return [render, size, _first_draw(ctx, path, n)]


def _pyvis(ctx: Context, G: Any) -> tuple[float, str]:
    """Seconds of from_nx on G: measured, or extrapolated (power law in the number of
    edges, fitted to the largest subgraphs measured) when it would overrun the budget.
    The child is killed at the deadline, whatever step it is in."""
    path = ctx.workdir / "page-graph.pickle"
    path.write_bytes(pickle.dumps(G))
    command = [sys.executable, "-m", "bench.pyvis_baseline", str(path)]
    points: list[tuple[int, int, float]] = []
    lines: queue.Queue[str | None] = queue.Queue()
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as child:
        threading.Thread(target=_forward, args=(child, lines), daemon=True).start()
        deadline = time.monotonic() + PYVIS_BUDGET_SECONDS
        try:
            while (left := deadline - time.monotonic()) > 0:
                try:
                    line = lines.get(timeout=left)
                except queue.Empty:
                    break
                if line is None:
                    break
                nodes, edges, seconds = line.split()
                points.append((int(nodes), int(edges), float(seconds)))
                if _next_step(points, G.number_of_edges()) > deadline - time.monotonic():
                    break
        finally:
            child.kill()
    path.unlink()
    if not points:
        return math.nan, f"from_nx did not finish its smallest step in {PYVIS_BUDGET_SECONDS} s"
    if points[-1][0] == G.number_of_nodes():
        return points[-1][2], "from_nx measured on the whole graph"
    _, fitted = _extrapolate(points, G.number_of_edges())
    exponent = max(2.0, fitted) if math.isfinite(fitted) else 2.0
    largest_nodes, largest_edges, largest_seconds = points[-1]
    estimate = largest_seconds * (G.number_of_edges() / max(1, largest_edges)) ** exponent
    return estimate, (
        f"from_nx EXTRAPOLATED: capped at {PYVIS_BUDGET_SECONDS} s; measured {largest_seconds:.1f} s at "
        f"{largest_nodes:,} nodes / {largest_edges:,} edges, then t ~ E^{exponent:.2f} "
        f"(fitted {fitted:.2f}; from_nx is at least quadratic)"
    )


def _forward(child: subprocess.Popen[str], lines: queue.Queue[str | None]) -> None:
    assert child.stdout is not None
    for line in child.stdout:
        lines.put(line)
    lines.put(None)


def _next_step(points: list[tuple[int, int, float]], edges: int) -> float:
    """How long the next step (twice the nodes: about four times the edges) would take,
    counting from_nx as at least quadratic in the edges (it is: each edge is checked
    against all earlier ones), whatever the small steps' fit says."""
    _, last_edges, last_seconds = points[-1]
    _, fitted = _extrapolate(points, edges)
    exponent = max(2.0, fitted) if math.isfinite(fitted) else 2.0
    return float(last_seconds * (min(edges, 4 * last_edges) / max(1, last_edges)) ** exponent)


def _extrapolate(points: list[tuple[int, int, float]], edges: int) -> tuple[float, float]:
    usable = [(e, s) for _, e, s in points if e > 0 and s > 0][-3:]
    if len(usable) < 2:
        return math.nan, math.nan
    xs = [math.log(e) for e, _ in usable]
    ys = [math.log(s) for _, s in usable]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mean_x) ** 2 for x in xs
    )
    return math.exp(mean_y + slope * (math.log(edges) - mean_x)), slope


def _first_draw(ctx: Context, path: Path, n: int) -> Figure:
    name = f"network page, {n:,} stakeholders: first draw in headless Chromium"
    if not Path(CHROMIUM).exists():
        return skipped(name, f"no Chromium at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return skipped(name, "playwright is not installed")
    figure = Figure(name, "s", target=Target("value<=", 5))
    drawn, lines = 0, False
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for _ in range(ctx.runs):
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                started = time.perf_counter()
                page.goto(path.as_uri(), wait_until="commit")
                page.wait_for_selector("#civicweave-network[data-drawn='true']", timeout=120_000)
                figure.runs.append(time.perf_counter() - started)
                drawn = page.evaluate("window.civicweaveNetwork.body.data.nodes.length")
                lines = page.evaluate(
                    "JSON.parse(document.getElementById('civicweave-network-data').textContent).lines"
                )
                page.close()
        finally:
            browser.close()
    figure.note = "from navigation to vis-network's first afterDrawing; " + (
        "edges drawn by the page's own line layer" if lines else "edges drawn by vis-network"
    )
    if drawn != n:
        figure.note += f"; ONLY {drawn:,} of {n:,} stakeholders drawn"
    return figure
