"""Bulk import: a locality's records built as aggregates and saved a batch at a time
through the Application (the path a CSV import takes, ``domain.importing.BulkImport``),
against raw ``executemany`` of the very rows it stored, 1,000 per transaction, into a
table of the same definition."""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import psycopg

from bench.context import Context, application, postgres_available, postgres_database
from bench.generate import ACTOR, LocalityPlan
from bench.report import Figure, Target, skipped
from domain.application import CivicWeave
from domain.importing import BulkImport

RAW_BATCH = 1000
TARGET = Target("ratio>=", 0.5)


def import_locality(app: CivicWeave, plan: LocalityPlan) -> None:
    """What an importer does with the plan's rows (``BulkImport``), every row checked."""
    app.register_locality(plan.slug, plan.name, "Bench", actor=ACTOR)
    bulk = BulkImport(app, plan.slug, actor=ACTOR)
    ids = []
    for row in plan.stakeholders:
        ids.append(
            bulk.register_stakeholder(
                kind=row.kind, sector=row.sector, name=row.name, since=row.since, stakeholder_id=row.id
            )
        )
        for category, description in row.assets:
            bulk.record_asset(row.id, category=category, description=description)
    for tie in plan.ties:
        bulk.form_relationship(
            source_id=ids[tie.source],
            target_id=ids[tie.target],
            kind=tie.kind,
            intensity=tie.intensity,
            valid_from=tie.valid_from,
            valid_to=tie.ended,
            end_reason="the work together came to an end",
        )
    meetings = [
        bulk.schedule_meeting(
            kind=row.kind,
            title=row.title,
            held_on=row.held_on,
            place="Community hall",
            held=row.status == "held",
            attendees=[ids[i] for i in row.attendees],
        )
        for row in plan.meetings
    ]
    for commitment in plan.commitments:
        meeting = plan.meetings[commitment.meeting]
        outcome = None
        if commitment.outcome is not None:
            status, on = commitment.outcome
            outcome = (status, on, "as recorded in the spreadsheet")
        bulk.make_commitment(
            promisor_id=ids[commitment.promisor],
            what=commitment.what,
            due=commitment.due,
            promisee_ids=[ids[i] for i in commitment.promisees],
            to_change_group=not commitment.promisees,
            made_on=meeting.held_on,
            meeting_id=meetings[commitment.meeting],
            outcome=outcome,
        )
    bulk.flush()


def _timed_import(url: str, plan: LocalityPlan) -> tuple[float, list[tuple[Any, ...]], list[str]]:
    """events/s of the import, the rows it stored, and the DDL of their table."""
    with application(url) as app:
        started = time.perf_counter()
        import_locality(app, plan)
        elapsed = time.perf_counter() - started
        events = app.recorder.max_notification_id() or 0
        rows = _stored_rows(app)
        ddl = [str(s) for s in getattr(app.recorder, "create_table_statements", [])]
    return events / elapsed, rows, ddl


def _stored_rows(app: CivicWeave) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = []
    start = 1
    while batch := app.recorder.select_notifications(start=start, limit=10_000):
        rows += [(n.originator_id, n.originator_version, n.topic, n.state) for n in batch]
        start = batch[-1].id + 1
    return rows


def _sqlite_raw(path: Path, ddl: Sequence[str], rows: list[tuple[Any, ...]]) -> float:
    """rows/s of sqlite3 executemany into a fresh file, as the store is set up (WAL)."""
    plain = [(r[0].hex, r[1], r[2], r[3]) for r in rows]
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        for statement in ddl:
            connection.execute(statement)
        started = time.perf_counter()
        for i in range(0, len(plain), RAW_BATCH):
            connection.execute("BEGIN")
            connection.executemany("INSERT INTO stored_events VALUES (?,?,?,?)", plain[i : i + RAW_BATCH])
            connection.execute("COMMIT")
        return len(plain) / (time.perf_counter() - started)
    finally:
        connection.close()


def _remove(url_or_path: str) -> None:
    path = url_or_path.removeprefix("sqlite:///")
    for suffix in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)


def sqlite(ctx: Context) -> list[Figure]:
    plan = ctx.plan(ctx.sizes.import_stakeholders)
    figure = Figure(
        f"bulk import into SQLite ({len(plan.stakeholders):,} stakeholders, import path)",
        "events/s",
        baseline_name="sqlite3 executemany, 1,000/txn",
        target=TARGET,
    )
    for _ in range(ctx.runs):
        url = ctx.fresh_sqlite_url("import")
        rate, rows, ddl = _timed_import(url, plan)
        _remove(url)
        raw = ctx.workdir / "raw-import.db"
        _remove(str(raw))
        figure.runs.append(rate)
        figure.baseline_runs.append(_sqlite_raw(raw, ddl, rows))
        _remove(str(raw))
    figure.note = f"{len(rows):,} events per import"
    return [figure]


_PG_RAW_TABLE = """CREATE TABLE raw_events (
    originator_id uuid NOT NULL, originator_version bigint NOT NULL, topic text, state bytea,
    notification_id bigserial, PRIMARY KEY (originator_id, originator_version))"""


def _postgres_raw(url: str, rows: list[tuple[Any, ...]]) -> float:
    """rows/s of psycopg executemany into a table like eventsourcing's, 1,000 per transaction."""
    with psycopg.connect(url) as connection:
        connection.execute(_PG_RAW_TABLE)
        connection.execute("CREATE UNIQUE INDEX ON raw_events (notification_id)")
        connection.commit()
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for i in range(0, len(rows), RAW_BATCH):
                cursor.executemany(
                    "INSERT INTO raw_events (originator_id, originator_version, topic, state) "
                    "VALUES (%s, %s, %s, %s)",
                    rows[i : i + RAW_BATCH],
                )
                connection.commit()
        return len(rows) / (time.perf_counter() - started)


def postgres(ctx: Context) -> list[Figure]:
    name = "bulk import into PostgreSQL"
    unavailable = postgres_available()
    if unavailable:
        return [skipped(name, unavailable)]
    plan = ctx.plan(ctx.sizes.import_stakeholders)
    figure = Figure(
        f"{name} ({len(plan.stakeholders):,} stakeholders, import path)",
        "events/s",
        baseline_name="psycopg executemany, 1,000/txn",
        target=TARGET,
    )
    for _ in range(ctx.runs):
        with postgres_database() as url:
            rate, rows, _ = _timed_import(url, plan)
            figure.runs.append(rate)
            figure.baseline_runs.append(_postgres_raw(url, rows))
    figure.note = f"{len(rows):,} events per import"
    return [figure]
