"""Backup and restore: the Riverside demo moved from SQLite to a fresh PostgreSQL
database, where every projection rebuilt from the restored log equals the original's."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import psycopg
import pytest
from psycopg import sql

from projections.network import GraphKind
from service.demo import SLUG
from service.io.backup import BackupError, backup, check_backup, log_digest, restore
from tests.conftest import POSTGRES_HOST, POSTGRES_PORT
from tests.io.conftest import DEMO_TODAY, Store

DAYS = [DEMO_TODAY, DEMO_TODAY - timedelta(days=90), DEMO_TODAY - timedelta(days=400)]
TABLES = {
    "view_facts": "position",
    "view_aggregates": "aggregate_id",
    "view_localities": "locality_id",
    "view_stakeholders": "id",
    "view_commitments": "id",
}


def rows(store: Store, table: str) -> list[tuple[Any, ...]]:
    with store.projector.views.transaction() as cursor:
        cursor.execute(f"SELECT * FROM {table} ORDER BY {TABLES[table]}")
        return [tuple(row) for row in cursor.fetchall()]


@pytest.fixture(scope="module")
def erased(demo: Store) -> UUID:
    """A person of the demo whose key was destroyed before the backup."""
    person = next(s for s in demo.state(SLUG).stakeholders.values() if s.kind == "person")
    demo.app.erase_person(SLUG, UUID(person.id), reason="asked to be forgotten", actor="test")
    demo.projector.catch_up()
    return UUID(person.id)


@pytest.fixture(scope="module")
def backup_file(demo: Store, erased: UUID, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("backup") / "riverside.jsonl"
    with path.open("w", encoding="utf-8") as out:
        backup(demo.app, out)
    return path


@pytest.fixture(scope="module")
def postgres(postgres_admin: psycopg.Connection, backup_file: Path) -> Iterator[Store]:
    """A fresh PostgreSQL database, the backup restored into it and its views rebuilt."""
    dbname = f"civicweave_io_{uuid4().hex}"
    postgres_admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))
    store = Store(f"postgresql://postgres@{POSTGRES_HOST}:{POSTGRES_PORT}/{dbname}", today=DEMO_TODAY)
    try:
        restore(store.app, backup_file, batch_size=97)
        store.projector.catch_up()
        yield store
    finally:
        store.close()
        postgres_admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(dbname))
        )


def test_the_backup_holds_every_event_in_order_and_the_keys_that_still_exist(
    demo: Store, backup_file: Path, erased: UUID
) -> None:
    lines = [json.loads(line) for line in backup_file.read_text(encoding="utf-8").splitlines()]

    header, *body, trailer = lines
    events = [line for line in body if "topic" in line]
    keys = {line["subject"] for line in body if "subject" in line}
    assert header["format"] == "civicweave-backup" and trailer["end"] is True
    assert [e["position"] for e in events] == list(range(1, demo.app.recorder.max_notification_id() + 1))
    persons = {s.id for s in demo.state(SLUG).stakeholders.values() if s.kind == "person"}
    assert keys == persons - {str(erased)} and keys
    assert (trailer["events"], trailer["keys"]) == (len(events), len(keys))
    assert trailer["sha256"] == log_digest(demo.app)[1]


@pytest.mark.postgres
def test_the_restored_log_is_the_original_event_for_event(demo: Store, postgres: Store) -> None:
    assert log_digest(postgres.app) == log_digest(demo.app)
    original = demo.app.recorder.select_notifications(1, 10_000)
    restored = postgres.app.recorder.select_notifications(1, 10_000)
    assert [(n.id, n.originator_id, n.originator_version, n.topic, n.state) for n in restored] == [
        (n.id, n.originator_id, n.originator_version, n.topic, n.state) for n in original
    ]


@pytest.mark.postgres
@pytest.mark.parametrize("graph", list(GraphKind))
def test_every_figure_rebuilt_on_postgresql_equals_the_sqlite_original(
    demo: Store, postgres: Store, graph: GraphKind
) -> None:
    for day in DAYS:
        assert postgres.reader.figures(SLUG, graph=graph, as_of=day) == demo.reader.figures(
            SLUG, graph=graph, as_of=day
        )
        assert postgres.reader.accountability(SLUG, as_of=day) == demo.reader.accountability(SLUG, as_of=day)
        assert postgres.reader.participation(SLUG, as_of=day) == demo.reader.participation(SLUG, as_of=day)


@pytest.mark.postgres
def test_every_durable_view_and_the_hash_chain_are_rebuilt_the_same(demo: Store, postgres: Store) -> None:
    for table in TABLES:
        assert rows(postgres, table) == rows(demo, table), table
    locality = str(demo.app.locality(SLUG).id)
    assert demo.projector.chain is not None and postgres.projector.chain is not None
    assert postgres.projector.chain.head(locality) == demo.projector.chain.head(locality)
    assert postgres.projector.chain.verify().ok


@pytest.mark.postgres
def test_people_keep_their_names_and_the_erased_person_stays_erased(
    demo: Store, postgres: Store, erased: UUID
) -> None:
    names = {s.id: s.name for s in postgres.state(SLUG).stakeholders.values()}
    assert names == {s.id: s.name for s in demo.state(SLUG).stakeholders.values()}
    assert names[str(erased)] == "erased person"
    assert postgres.app.personal.keys.get(erased) is None
    mary = next(
        s for s in demo.state(SLUG).stakeholders.values() if s.kind == "person" and s.id != str(erased)
    )
    assert postgres.app.personal.keys.get(UUID(mary.id)) == demo.app.personal.keys.get(UUID(mary.id))


@pytest.mark.postgres
def test_a_store_that_is_not_empty_is_refused_and_left_as_it_was(postgres: Store, backup_file: Path) -> None:
    before = log_digest(postgres.app)

    with pytest.raises(BackupError, match="the store is not empty"):
        restore(postgres.app, backup_file)

    assert log_digest(postgres.app) == before


def test_a_damaged_or_incomplete_backup_is_refused_before_anything_is_written(
    backup_file: Path, tmp_path: Path
) -> None:
    lines = backup_file.read_text(encoding="utf-8").splitlines(keepends=True)
    damaged = tmp_path / "damaged.jsonl"
    damaged.write_text(
        "".join([*lines[:5], lines[5].replace("Riverside", "Riverbend"), *lines[6:]]), encoding="utf-8"
    )
    incomplete = tmp_path / "incomplete.jsonl"
    incomplete.write_text("".join(lines[:-1]), encoding="utf-8")
    not_a_backup = tmp_path / "notes.jsonl"
    not_a_backup.write_text('{"hello": "world"}\n', encoding="utf-8")
    store = Store(f"sqlite:///{tmp_path / 'empty.db'}")
    try:
        for path, message in (
            (damaged, "does not match its end line"),
            (incomplete, "has no end line"),
            (not_a_backup, "is not a civicweave backup"),
        ):
            with pytest.raises(BackupError, match=message):
                restore(store.app, path)
            assert store.app.recorder.max_notification_id() is None
    finally:
        store.close()
    assert "Riverbend" in damaged.read_text(encoding="utf-8")


def test_a_restore_into_sqlite_checks_its_digest_too(backup_file: Path, tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'copy.db'}")
    try:
        summary = restore(store.app, backup_file)
        assert summary == check_backup(backup_file)
        assert log_digest(store.app) == (summary.events, summary.sha256)
    finally:
        store.close()
