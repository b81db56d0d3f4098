"""A rebuild (a catch-up of a long log into views that hold much less) drops the facts'
secondary indexes and builds them once at its end: the rows it writes are those of an
incremental projection, every fact's row is the one its domain event gives, and a rebuild
that dies half-way leaves views that answer, with their indexes back once reopened."""

from __future__ import annotations

from typing import Any

import pytest

from domain.application import CivicWeave
from projections import projector as projector_module
from projections.facts import fact_from_event
from projections.projector import Projector
from projections.store import FACT_INDEXES, PostgresDatabase, ViewDatabase, open_views
from projections.views import Views
from tests.domain.builders import SLUG, build_record
from tests.projections.conftest import durable_rows, table_rows

BATCH = 3


def fact_indexes(db: ViewDatabase) -> set[str]:
    """The names of the facts' secondary indexes the views database has now."""
    with db.transaction() as cursor:
        if isinstance(db, PostgresDatabase):
            cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'view_facts'")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'view_facts'")
        return {str(row[0]) for row in cursor.fetchall()} & set(FACT_INDEXES)


def incremental_rows(app: CivicWeave) -> dict[str, list[tuple[Any, ...]]]:
    """The durable rows of the log projected a few facts at a time, as a live projector does."""
    db = open_views("sqlite://")
    try:
        projector = Projector(app, db, batch_size=BATCH)
        while projector.run_once():
            pass
        return durable_rows(db)
    finally:
        db.close()


@pytest.fixture
def small_rebuilds(monkeypatch: pytest.MonkeyPatch) -> None:
    """A log of a few dozen events counts as long enough for a rebuild, in batches of four."""
    monkeypatch.setattr(projector_module, "REBUILD_AT", 10)
    monkeypatch.setattr(projector_module, "REBUILD_BATCH_SIZE", 4)


@pytest.mark.usefixtures("small_rebuilds")
def test_a_rebuild_writes_the_rows_of_an_incremental_projection_and_ends_with_its_indexes(
    app: CivicWeave, database_url: str
) -> None:
    build_record(app)
    db = open_views(database_url)
    try:
        dropped: list[set[str]] = []
        projector = Projector(app, db, batch_size=1)
        projector.on_applied = lambda _: dropped.append(fact_indexes(db))

        applied = projector.catch_up()

        assert applied == app.recorder.max_notification_id()
        assert dropped and all(indexes == set() for indexes in dropped)  # the rebuild took place
        assert len(dropped) == -(-applied // 4)  # in batches of the rebuild's size
        assert fact_indexes(db) == set(FACT_INDEXES)
        assert durable_rows(db) == incremental_rows(app)
    finally:
        db.close()


@pytest.mark.usefixtures("small_rebuilds")
def test_a_short_catch_up_into_filled_views_keeps_the_indexes(app: CivicWeave, database_url: str) -> None:
    build_record(app)
    db = open_views(database_url)
    try:
        projector = Projector(app, db, batch_size=BATCH)
        total = app.recorder.max_notification_id()
        while projector.position() < total - 5:
            projector.run_once()
        seen: list[set[str]] = []
        projector.on_applied = lambda _: seen.append(fact_indexes(db))

        projector.catch_up()

        assert seen and all(indexes == set(FACT_INDEXES) for indexes in seen)
    finally:
        db.close()


@pytest.mark.usefixtures("small_rebuilds")
def test_a_rebuild_that_dies_half_way_leaves_views_that_answer_and_indexes_back_when_reopened(
    app: CivicWeave, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_record(app)
    db = open_views(database_url)
    projector = Projector(app, db, batch_size=1)
    applied: list[int] = []

    def power_cut(position: int) -> None:
        applied.append(position)
        if len(applied) == 2:
            # The process dies here: no finally of catch_up runs, the indexes stay dropped.
            monkeypatch.setattr(projector_module, "FACT_INDEXES", {})
            raise KeyboardInterrupt

    projector.on_applied = power_cut
    with pytest.raises(KeyboardInterrupt):
        projector.catch_up()
    monkeypatch.undo()
    try:
        assert fact_indexes(db) == set()
        assert projector.position() == applied[-1]
        # The views answer without their indexes, from the facts applied so far.
        assert Views(db).state(SLUG).stakeholders
    finally:
        db.close()

    reopened = open_views(database_url)
    try:
        assert fact_indexes(reopened) == set(FACT_INDEXES)
        Projector(app, reopened).catch_up()
        assert fact_indexes(reopened) == set(FACT_INDEXES)
        assert durable_rows(reopened) == incremental_rows(app)
    finally:
        reopened.close()


def test_every_fact_row_is_the_row_of_its_domain_event(app: CivicWeave, database_url: str) -> None:
    build_record(app)  # with a person's sealed name, an erasure and an upcast-free log
    db = open_views(database_url)
    try:
        Projector(app, db).catch_up()
        rows = table_rows(db, "view_facts")
    finally:
        db.close()
    notifications = app.recorder.select_notifications(start=1, limit=10_000)

    assert len(rows) == len(notifications)
    for row, notification in zip(rows, notifications, strict=True):
        event = app.mapper.to_domain_event(notification)
        assert row == fact_from_event(event, notification.id, row[1]).row()
