"""Fixtures for import and export: a store with its views (SQLite by default, or the
``database_url`` of tests/conftest.py), and the Riverside demo on SQLite."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from domain.application import CivicWeave
from domain.persistence import environment
from projections.projector import Projector, open_projector
from projections.reader import Reader
from projections.state import LocalityState
from projections.views import Views
from service.demo import load_demo
from service.io.csv_import import ImportKind
from service.io.importing import plan_import, write_plan
from service.io.plan import Plan
from service.io.report import ImportReport

SLUG = "testville"
#: The importer's "today": after every date in the test spreadsheets.
TODAY = date(2025, 1, 1)


class Store:
    """An application, its projector and views, and a locality to import into."""

    def __init__(self, url: str, *, today: date = TODAY) -> None:
        self.url = url
        self.app = CivicWeave(environment(url))
        self.app.today = lambda: today  # type: ignore[method-assign]
        self.projector: Projector = open_projector(self.app, url)
        self.views = Views(self.projector.views)
        self.reader = Reader(self.views, today=lambda: today)
        self.today = today

    def state(self, slug: str = SLUG) -> LocalityState:
        self.projector.catch_up()
        return self.views.state(slug)

    def plan(self, kind: ImportKind, *files: tuple[str, bytes | str], slug: str = SLUG) -> Plan:
        data = [(name, content.encode() if isinstance(content, str) else content) for name, content in files]
        return plan_import(kind, data, self.state(slug), today=self.today)

    def load(
        self, kind: ImportKind, *files: tuple[str, bytes | str], slug: str = SLUG, batch_size: int = 500
    ) -> ImportReport:
        """Plan and write (the good rows); the views caught up afterwards."""
        plan = self.plan(kind, *files, slug=slug)
        report = write_plan(self.app, slug, plan, actor="importer", batch_size=batch_size)
        self.projector.catch_up()
        return report

    def close(self) -> None:
        self.projector.close()
        self.app.close()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A fresh SQLite store with the empty locality testville."""
    opened = Store(f"sqlite:///{tmp_path / 'io.db'}")
    opened.app.register_locality(SLUG, "Testville", actor="setup")
    yield opened
    opened.close()


@pytest.fixture
def store_on(database_url: str) -> Iterator[Store]:
    """The same on SQLite and on PostgreSQL."""
    opened = Store(database_url)
    opened.app.register_locality(SLUG, "Testville", actor="setup")
    yield opened
    opened.close()


DEMO_TODAY = date(2025, 6, 1)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The Riverside demo, loaded as of 1 June 2025, on SQLite with its views."""
    opened = Store(f"sqlite:///{tmp_path_factory.mktemp('demo') / 'riverside.db'}", today=DEMO_TODAY)
    load_demo(opened.app, today=DEMO_TODAY)
    opened.projector.catch_up()
    yield opened
    opened.close()
