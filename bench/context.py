"""What every scenario is given: the sizes of this run, how many runs, the load
generator, a scratch directory, and stores built once and shared between scenarios."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from uuid import uuid4

import psycopg
from psycopg import sql

from bench.generate import LocalityPlan, national_plans, plan_locality, write_locality
from domain.application import CivicWeave
from domain.persistence import environment
from projections.projector import open_projector

POSTGRES = "postgresql://postgres@127.0.0.1:5432"
FULL_EVENTS = 1_000_000


@dataclass(frozen=True)
class Sizes:
    """The sizes of a run: the full one, or the smoke test's smallest."""

    import_stakeholders: int  # the bulk import: one locality of this many
    command_stakeholders: int  # the locality commands are made in over HTTP
    read_stakeholders: int  # the locality whose figures / network JSON are read over HTTP
    figures_small: int  # all figures, exact, against networkx's betweenness
    figures_large: int  # all figures, sampled betweenness allowed, against small x (n x m)
    page_stakeholders: int  # the network page
    events: int  # the store that is rebuilt, restarted and held in memory
    http_seconds: float
    http_requests: int  # a bound for safety: the load stops by time (a run that hits it says so)

    @classmethod
    def full(cls, scale: float = 1.0) -> Sizes:
        return cls(
            import_stakeholders=20_000,
            command_stakeholders=200,
            read_stakeholders=2_000,
            figures_small=2_000,
            figures_large=20_000,
            page_stakeholders=20_000,
            events=max(2_000, round(FULL_EVENTS * scale)),
            http_seconds=10,
            http_requests=1_000_000,
        )

    @classmethod
    def quick(cls) -> Sizes:
        return cls(
            import_stakeholders=200,
            command_stakeholders=200,
            read_stakeholders=200,
            figures_small=200,
            figures_large=2_000,
            page_stakeholders=200,
            events=4_000,
            http_seconds=1.5,
            http_requests=20_000,
        )


@dataclass
class Context:
    sizes: Sizes
    runs: int
    load: str  # "wrk" or "python"
    workdir: Path
    today: date = field(default_factory=date.today)
    quick: bool = False
    log: Callable[[str], None] = print
    _stores: dict[str, Any] = field(default_factory=dict)

    def stash(self, key: str, value: Any) -> None:
        """Keep a figure for a later scenario (e.g. the 2,000-stakeholder figures' time)."""
        self._stores[f"stash/{key}"] = value

    def recall(self, key: str) -> Any:
        return self._stores.get(f"stash/{key}")

    def plan(self, stakeholders: int, slug: str | None = None) -> LocalityPlan:
        key = f"plan/{stakeholders}/{slug}"
        if key not in self._stores:
            self._stores[key] = plan_locality(stakeholders, slug=slug or f"l{stakeholders}", today=self.today)
        plan: LocalityPlan = self._stores[key]
        return plan

    def sqlite_url(self, name: str) -> str:
        return f"sqlite:///{self.workdir / name}.db"

    def fresh_sqlite_url(self, name: str) -> str:
        return self.sqlite_url(f"{name}-{uuid4().hex[:8]}")

    def locality_store(self, stakeholders: int) -> str:
        """A SQLite store of one locality of ``stakeholders``, projected; built once."""
        key = f"store/{stakeholders}"
        if key not in self._stores:
            url = self.sqlite_url(f"locality-{stakeholders}")
            started = time.perf_counter()
            with application(url) as app:
                plan = self.plan(stakeholders)
                kept = app.find_locality(plan.slug) is not None  # a --workdir kept from a run before
                events = 0 if kept else write_locality(app, plan)
                project(app, url)
            self.log(
                f"  reusing the locality of {stakeholders:,} stakeholders in {url}"
                if kept
                else f"  built a locality of {stakeholders:,} stakeholders ({events:,} events) "
                f"in {time.perf_counter() - started:.0f} s"
            )
            self._stores[key] = url
        return str(self._stores[key])

    def national_store(self) -> str:
        """A SQLite store of about ``sizes.events`` events in many localities, projected."""
        key = "store/national"
        if key not in self._stores:
            url = self.sqlite_url("national")
            started = time.perf_counter()
            with application(url) as app:
                for plan in national_plans(self.sizes.events, today=self.today):
                    if app.find_locality(plan.slug) is None:  # a --workdir kept from a run before
                        write_locality(app, plan)
                events = app.recorder.max_notification_id() or 0
                self.stash("events", events)
                written = time.perf_counter()
                project(app, url)
            self.log(
                f"  built the national store: {events:,} events in {written - started:.0f} s, "
                f"projected in {time.perf_counter() - written:.0f} s"
            )
            self._stores[key] = url
        return str(self._stores[key])


@contextlib.contextmanager
def application(url: str) -> Iterator[CivicWeave]:
    app = CivicWeave(environment(url))
    try:
        yield app
    finally:
        app.close()


def project(app: CivicWeave, url: str) -> int:
    projector = open_projector(app, url)
    try:
        return projector.catch_up()
    finally:
        projector.close()


@contextlib.contextmanager
def postgres_database(prefix: str = "civicweave_bench") -> Iterator[str]:
    """A fresh database on the local PostgreSQL server, dropped afterwards."""
    name = f"{prefix}_{uuid4().hex[:10]}"
    admin = psycopg.connect(f"{POSTGRES}/postgres", autocommit=True, connect_timeout=3)
    try:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        try:
            yield f"{POSTGRES}/{name}"
        finally:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    finally:
        admin.close()


def postgres_available() -> str | None:
    """None if the local PostgreSQL server answers; else why not."""
    try:
        psycopg.connect(f"{POSTGRES}/postgres", connect_timeout=3).close()
    except psycopg.Error as error:
        return f"PostgreSQL at 127.0.0.1:5432 is not reachable ({str(error).strip().splitlines()[0]})"
    return None
