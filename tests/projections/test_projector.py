"""The projector applies every fact of the log exactly once, across restarts and crashes,
on SQLite and on PostgreSQL: each batch, its rows and its tracking position are
committed together or not at all."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from domain.application import CivicWeave
from projections.facts import Fact
from projections.projector import VIEW, Projector
from projections.rows import ROW_WRITERS
from projections.store import Cursor, ViewDatabase, open_views, tracked_position
from projections.views import Views
from tests.domain.builders import ACTOR, build_record, build_testville
from tests.projections.conftest import durable_rows, table_rows

BATCH = 3


def notification_ids(app: CivicWeave) -> list[int]:
    return [n.id for n in app.recorder.select_notifications(start=1, limit=100_000)]


def event_kinds(app: CivicWeave) -> dict[int, tuple[str, str]]:
    """(aggregate type, event type) of every notification of the log, by position."""
    kinds: dict[int, tuple[str, str]] = {}
    for notification in app.recorder.select_notifications(start=1, limit=100_000):
        aggregate, _, event = type(app.mapper.to_domain_event(notification)).__qualname__.rpartition(".")
        kinds[notification.id] = (aggregate, event)
    return kinds


def one_shot_rows(app: CivicWeave) -> dict[str, list[tuple[Any, ...]]]:
    """The durable rows of a projection of the whole log in one go, into a views database of its own."""
    db = open_views("sqlite://")
    try:
        Projector(app, db).catch_up()
        return durable_rows(db)
    finally:
        db.close()


def position(db: ViewDatabase) -> int:
    with db.transaction() as cursor:
        return tracked_position(cursor, VIEW)


def run_restarting_after_every_batch(app: CivicWeave, views_url: str) -> list[int]:
    """Project one batch per "process": a new views connection and a new projector each time.
    Returns how many facts each batch applied."""
    applied: list[int] = []
    while True:
        db = open_views(views_url)
        try:
            count = Projector(app, db, batch_size=BATCH).run_once()
        finally:
            db.close()
        if not count:
            return applied
        applied.append(count)


def test_a_projector_restarted_after_every_batch_applies_every_fact_exactly_once(
    app: CivicWeave, database_url: str
) -> None:
    build_record(app)
    ids = notification_ids(app)

    applied = run_restarting_after_every_batch(app, database_url)

    assert sum(applied) == len(ids)
    assert all(count == BATCH for count in applied[:-1])
    db = open_views(database_url)
    try:
        positions = [row[0] for row in table_rows(db, "view_facts")]
        # Positions 1..N: no fact skipped, none applied twice.
        assert positions == ids == list(range(1, len(ids) + 1))
        assert position(db) == len(ids)
        assert durable_rows(db) == one_shot_rows(app)
        assert Projector(app, db, batch_size=BATCH).run_once() == 0
    finally:
        db.close()


Crash = Callable[[pytest.MonkeyPatch, int], list[int]]


def crash_in_a_row_writer(monkeypatch: pytest.MonkeyPatch, doomed: int) -> list[int]:
    """The row writer of fact ``doomed`` fails once, after the facts before it in its batch
    have written their rows; returns the positions whose rows were written."""
    written: list[int] = []
    failed: list[int] = []

    def failing(writer: Callable[[Cursor, Fact, str | None], None]) -> Any:
        def write(cursor: Cursor, fact: Fact, name: str | None) -> None:
            if fact.position == doomed and not failed:
                failed.append(fact.position)
                raise RuntimeError("power cut")
            writer(cursor, fact, name)
            written.append(fact.position)

        return write

    for key, writer in list(ROW_WRITERS.items()):
        monkeypatch.setitem(ROW_WRITERS, key, failing(writer))
    return written


def crash_before_the_tracking_update(monkeypatch: pytest.MonkeyPatch, doomed: int) -> list[int]:
    """Every row and fact of fact ``doomed``'s batch is written, then the process dies once
    before the tracking position is; returns the positions of the facts written."""
    written: list[int] = []
    failed: list[int] = []
    original = Projector._write

    def write_then_fail(self: Projector, cursor: Cursor, rows: Any, changes: Any) -> None:
        original(self, cursor, rows, changes)
        positions = [row[0] for row in rows]
        written.extend(positions)
        if doomed in positions and not failed:
            failed.append(doomed)
            raise RuntimeError("power cut")

    monkeypatch.setattr(Projector, "_write", write_then_fail)
    return written


@pytest.mark.parametrize("crash", [crash_in_a_row_writer, crash_before_the_tracking_update])
def test_a_batch_that_fails_half_way_leaves_no_trace_and_is_applied_once_when_retried(
    app: CivicWeave, database_url: str, monkeypatch: pytest.MonkeyPatch, crash: Crash
) -> None:
    build_record(app)
    ids = notification_ids(app)
    kinds = event_kinds(app)
    # The last fact of a batch of three whose facts all write rows (commitments, late in
    # the record), so that its batch has written rows of its own when it fails.
    doomed = max(p for p in ids if p % BATCH == 0 and all(kinds[p - i] in ROW_WRITERS for i in range(BATCH)))
    written = crash(monkeypatch, doomed)
    db = open_views(database_url)
    try:
        projector = Projector(app, db, batch_size=BATCH)
        while projector.position() < doomed - BATCH:
            projector.run_once()
        before = durable_rows(db)

        with pytest.raises(RuntimeError, match="power cut"):
            projector.run_once()

        assert {doomed - 2, doomed - 1} <= set(written)  # written inside the failed transaction...
        assert durable_rows(db) == before  # ...and rolled back with it
        assert projector.position() == doomed - BATCH
        # The worker retries the same batch; then a restarted projector carries on.
        assert projector.run_once() == BATCH
    finally:
        db.close()
    run_restarting_after_every_batch(app, database_url)

    db = open_views(database_url)
    try:
        assert [row[0] for row in table_rows(db, "view_facts")] == ids
        assert position(db) == ids[-1]
        assert durable_rows(db) == one_shot_rows(app)
    finally:
        db.close()


def test_the_worker_keeps_up_with_new_writes_and_survives_a_failing_batch(
    app: CivicWeave, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    town = build_testville(app)
    made = ROW_WRITERS[("Commitment", "Made")]
    failures: list[int] = []

    def fails_once(cursor: Cursor, fact: Fact, name: str | None) -> None:
        if not failures:
            failures.append(fact.position)
            raise RuntimeError("the database went away")
        made(cursor, fact, name)

    monkeypatch.setitem(ROW_WRITERS, ("Commitment", "Made"), fails_once)
    db = open_views(database_url)
    projector = Projector(app, db, batch_size=BATCH)
    stop = threading.Event()
    worker = threading.Thread(target=projector.run_forever, args=(stop,), kwargs={"poll_seconds": 0.02})
    worker.start()
    try:
        receipt = app.make_commitment(
            town.slug,
            promisor_id=town.council,
            promisee_ids=[town.food_bank],
            what="Open the hub",
            made_on=date(2024, 3, 5),
            due=date(2024, 6, 30),
            actor=ACTOR,
        )
        projector.nudge()
        assert Views(db).wait_for(receipt.position, timeout=20)
    finally:
        stop.set()
        worker.join(timeout=20)
    try:
        assert not worker.is_alive()
        assert failures == [receipt.position]
        assert [row[0] for row in table_rows(db, "view_facts")] == notification_ids(app)
        assert durable_rows(db) == one_shot_rows(app)
    finally:
        db.close()
