"""The read side at national scale (about 1,000,000 events in many localities): rebuilding
the views from the log, restarting a server until it answers reads, and the memory that
server holds, each against its physical baseline."""

from __future__ import annotations

import os
import shutil
import time

import httpx

from bench import servers
from bench.context import Context, application
from bench.report import Figure, Target
from projections.projector import Projector
from projections.store import SqliteDatabase
from projections.views import Views


def _path(url: str) -> str:
    return url.removeprefix("sqlite:///")


def _raw_read(url: str) -> float:
    """events/s of reading every notification, 1,000 at a time, as the projector reads them."""
    with application(url) as app:
        started = time.perf_counter()
        count, start = 0, 1
        while batch := app.recorder.select_notifications(start=start, limit=1000):
            count += len(batch)
            start = batch[-1].id + 1
        return count / (time.perf_counter() - started)


def _rebuild(ctx: Context, url: str) -> tuple[float, float, int]:
    """Seconds to project every event into empty views, seconds to fold them into the
    in-memory states, and the number of events."""
    views_path = str(ctx.workdir / "rebuild-views.db")
    _remove(views_path)
    with application(url) as app:
        views = SqliteDatabase(views_path)
        projector = Projector(app, views)
        try:
            started = time.perf_counter()
            events = projector.catch_up()
            projected = time.perf_counter()
            Views(views).refresh()
            folded = time.perf_counter()
        finally:
            projector.close()
    _remove(views_path)
    return projected - started, folded - projected, events


def _remove(path: str) -> None:
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)


def rebuild(ctx: Context) -> list[Figure]:
    url = ctx.national_store()
    figure = Figure(
        "projection rebuild from the whole log",
        "events/s",
        baseline_name="reading the notifications raw",
        target=Target("ratio>=", 0.3),
    )
    fold = Figure("fold of all facts into the in-memory views (part of ready)", "s")
    runs = 1 if ctx.sizes.events >= 500_000 else ctx.runs
    for _ in range(runs):
        figure.baseline_runs.append(_raw_read(url))
        projected, folded, events = _rebuild(ctx, url)
        figure.runs.append(events / projected)
        fold.runs.append(folded)
    figure.note = f"{events:,} events; projector.catch_up into empty views"
    fold.note = "Views.refresh after the rebuild"
    ctx.stash("rebuild", (projected + folded, events))
    return [figure, fold]


def _first_read(server: servers.Server, token: str, slug: str) -> float:
    """Seconds from starting the process until a read that needs the in-memory views answers."""
    response = httpx.get(
        f"{server.base_url}/api/v1/localities/{slug}/accountability",
        headers={"Authorization": f"Bearer {token}"},
        timeout=600,
    )
    response.raise_for_status()
    return time.perf_counter() - server.started


def _ready(
    ctx: Context, url: str, token: str, slugs: list[str], *, timeout: float = 600
) -> tuple[float, float, float]:
    """Start a server on the store; seconds until the smallest locality's read answered,
    until the largest one's did, and its RSS (MB) once every locality has been read."""
    with servers.civicweave(url, ctx.workdir, timeout=timeout) as server:
        smallest = _first_read(server, token, slugs[0])
        largest = _first_read(server, token, slugs[-1])
        for slug in slugs[1:-1]:
            _first_read(server, token, slug)
        return smallest, largest, servers.rss_bytes(server.pid) / 1e6


def restart(ctx: Context) -> list[Figure]:
    """A server restarted on the whole store until it answers reads (views and tracking
    in place), against one started on the same events with no views (rebuild from zero);
    and the memory of the server, every locality read, against the store on disk."""
    url = ctx.national_store()
    token = servers.administrator_token(url)
    slugs = _slugs_by_size(url)
    events = ctx.recall("events") or 0
    small = Figure(
        "restart to ready: first read of the smallest locality answered",
        "s",
        baseline_name="rebuild from zero, same read",
        target=Target("ratio<=", 0.1),
    )
    large = Figure(
        "restart to ready: first read of the largest locality answered",
        "s",
        baseline_name="rebuild from zero, same read",
        target=Target("ratio<=", 0.1),
    )
    memory = Figure(
        "memory of the server, every locality read (RSS)",
        "MB",
        baseline_name="event store on disk",
        target=Target("ratio<=", 1.0),
    )
    cold = Figure(
        "restart to ready, no snapshot kept yet: first read of the largest locality answered",
        "s",
        baseline_name="rebuild from zero, same read",
    )
    store = _size(_path(url)) + _size(_path(url) + "-wal")
    # The first start after the views were built folds every locality from its facts, and
    # keeps the snapshots the later starts begin from (as a server in use has kept them).
    _forget_snapshots(url)
    cold.runs.append(_ready(ctx, url, token, slugs)[1])
    for _ in range(ctx.runs):
        first, last, rss = _ready(ctx, url, token, slugs)
        small.runs.append(first)
        large.runs.append(last)
        memory.runs.append(rss)
        memory.baseline_runs.append(store / 1e6)
    copy = ctx.fresh_sqlite_url("from-zero")
    for suffix in ("", "-wal"):  # the events (and the tokens), without the views
        if os.path.exists(_path(url) + suffix):
            shutil.copyfile(_path(url) + suffix, _path(copy) + suffix)
    runs = 1 if ctx.sizes.events >= 500_000 else ctx.runs
    for _ in range(runs):
        _remove(_path(copy).removesuffix(".db") + "-views.db")
        first, last, _ = _ready(ctx, copy, token, slugs[:1] + slugs[-1:], timeout=3600)
        small.baseline_runs.append(first)
        large.baseline_runs.append(last)
        cold.baseline_runs.append(last)
    _remove(_path(copy))
    for figure in (small, large):
        figure.note = (
            f"{events:,} events, {len(slugs)} localities; a real `civicweave serve` on SQLite, "
            "started from the snapshots kept by its first start"
        )
    cold.note = "the first start: every locality folded from its facts, its snapshot then kept"
    memory.note = f"{events:,} events; RSS of the server process after reading every locality"
    return [small, large, cold, memory]


def _forget_snapshots(url: str) -> None:
    views = SqliteDatabase(_path(url).removesuffix(".db") + "-views.db")
    try:
        with views.transaction() as cursor:
            cursor.execute("DELETE FROM view_snapshots")
    finally:
        views.close()


def _size(path: str) -> int:
    return os.path.getsize(path) if os.path.exists(path) else 0


def _slugs_by_size(url: str) -> list[str]:
    """The store's localities, smallest first."""
    views = SqliteDatabase(_path(url).removesuffix(".db") + "-views.db")
    try:
        with views.transaction() as cursor:
            cursor.execute(
                "SELECT l.slug FROM view_localities l JOIN view_facts f ON f.locality_id = l.locality_id "
                "GROUP BY l.slug ORDER BY COUNT(*), l.slug"
            )
            return [str(row[0]) for row in cursor.fetchall()]
    finally:
        views.close()
