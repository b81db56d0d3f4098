"""All network figures of a locality's tie graph (``Reader.figures``, uncached: graphs
built from the state, converted once, every figure of METRICS.md), against networkx's
exact betweenness alone at 2,000 stakeholders, and against the 2,000 figures scaled by
n x m at 20,000 (where betweenness may be sampled: its error is measured here)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import networkx as nx

from bench.context import Context
from bench.report import Figure, Target
from projections.figures import betweenness
from projections.network import GraphKind
from projections.reader import Reader
from projections.store import open_views
from projections.views import Views


@contextmanager
def reader_of(ctx: Context, url: str) -> Iterator[Views]:
    db = open_views(url)
    try:
        views = Views(db)
        views.refresh()
        yield views
    finally:
        db.close()


def _timed_figures(ctx: Context, views: Views, slug: str) -> tuple[float, dict[str, Any]]:
    reader = Reader(views, today=lambda: ctx.today)  # a new reader: nothing cached
    started = time.perf_counter()
    figures = reader.figures(slug, graph=GraphKind.TIE)
    return time.perf_counter() - started, figures


def small(ctx: Context) -> list[Figure]:
    stakeholders = ctx.sizes.figures_small
    plan = ctx.plan(stakeholders)
    with reader_of(ctx, ctx.locality_store(stakeholders)) as views:
        G = Reader(views, today=lambda: ctx.today).network(plan.slug, graph=GraphKind.TIE)
        n, m = G.number_of_nodes(), G.number_of_edges()
        figure = Figure(
            f"all network figures, {n:,} stakeholders / {m:,} ties",
            "s",
            baseline_name="networkx exact betweenness alone",
            target=Target("ratio<=", 0.05),
        )
        for _ in range(ctx.runs):
            elapsed, figures = _timed_figures(ctx, views, plan.slug)
            figure.runs.append(elapsed)
        started = time.perf_counter()
        exact = nx.betweenness_centrality(G)
        figure.baseline_runs.append(time.perf_counter() - started)
    ours = figures["betweenness"]["values"]
    error = max(abs(ours[v] - exact[v]) for v in G)
    figure.note = f"betweenness {figures['betweenness']['method']}: max |ours - networkx| = {error:.1e}"
    ctx.stash("figures_small", (statistics.median(figure.runs), n, m))
    return [figure]


def large(ctx: Context) -> list[Figure]:
    stakeholders = ctx.sizes.figures_large
    plan = ctx.plan(stakeholders)
    if ctx.recall("figures_small") is None:
        small(ctx)
    small_seconds, small_n, small_m = ctx.recall("figures_small")
    with reader_of(ctx, ctx.locality_store(stakeholders)) as views:
        G = Reader(views, today=lambda: ctx.today).network(plan.slug, graph=GraphKind.TIE)
        n, m = G.number_of_nodes(), G.number_of_edges()
        figure = Figure(
            f"all network figures, {n:,} stakeholders / {m:,} ties",
            "s",
            baseline_name=f"{small_n:,}-stakeholder figures x (n x m)",
            target=Target("ratio<=", 0.2),
        )
        for _ in range(ctx.runs):
            elapsed, figures = _timed_figures(ctx, views, plan.slug)
            figure.runs.append(elapsed)
            figure.baseline_runs.append(small_seconds * (n * m) / (small_n * small_m))
    figure.note = _betweenness_error(G, figures["betweenness"])
    return [figure]


def _betweenness_error(G: nx.Graph, result: dict[str, Any]) -> str:
    """How far sampled betweenness is from the exact values (igraph, every source)."""
    if result["method"] == "exact":
        return "betweenness exact"
    started = time.perf_counter()
    exact = betweenness(G, exact_up_to=G.number_of_nodes())["values"]
    seconds = time.perf_counter() - started
    sampled = result["values"]
    top = sorted(exact, key=exact.__getitem__, reverse=True)[:100]
    relative = statistics.fmean(abs(sampled[v] - exact[v]) / exact[v] for v in top if exact[v])
    largest = max(abs(sampled[v] - exact[v]) for v in G)
    ranked = sorted(sampled, key=sampled.__getitem__, reverse=True)[:100]
    overlap = len(set(top) & set(ranked))
    return (
        f"betweenness sampled (k={result['k']}): mean relative error of the top 100 {relative:.1%}, "
        f"max absolute error {largest:.1e}, top-100 overlap {overlap}/100 "
        f"(exact, for the check: {seconds:.0f} s)"
    )
