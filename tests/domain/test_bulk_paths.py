"""The bulk import's fast path (events built by ``domain.bulk.create``, inserted by the
batch recorders) stores what the plain path (the aggregates' own ``@event`` calls, saved
by eventsourcing's recorders) stores, on SQLite and on PostgreSQL."""

from __future__ import annotations

import gc
import json
import re
import sqlite3
import sys
from collections.abc import Iterator
from datetime import date
from itertools import islice
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4, uuid5

import pytest
from eventsourcing.persistence import OperationalError
from eventsourcing.sqlite import SQLiteConnection

import domain.importing
from domain.application import CivicWeave, Receipt
from domain.base import CivicAggregate
from domain.batches import _Background, batch_writer
from domain.bulk import QUICK_SWITCH_SECONDS, create, quick_handoffs, random_ids
from domain.errors import ConflictError, NotFoundError
from domain.importing import BulkImport
from domain.persistence import environment
from domain.recorders import batch_events
from domain.stakeholder import Stakeholder

SLUG = "bulkville"
HEX_ID = re.compile("[0-9a-f]{32}")
NS = UUID("7f1f5e0e-2f35-4c36-9a53-1f0f3d3c9a11")


def _class_call(
    cls: type[CivicAggregate], event_class: type[Any], *, id: UUID | None = None, **fields: Any
) -> Any:
    """The plain path: the aggregate class called, through its ``@event`` ``__init__``
    (``_create`` is what the class call calls, with the id it would draw)."""
    return cls._create(event_class, id=id, **fields) if id is not None else cls(**fields)


def _import(app: CivicWeave) -> list[UUID]:
    app.register_locality(SLUG, "Bulkville", actor="setup")
    bulk = BulkImport(app, SLUG, actor="importer", batch_size=7)
    people = [
        bulk.register_stakeholder(
            kind=kind,
            sector="vcse",
            name=f"S{n}",
            since=date(2024, 1, 1 + n),
            stakeholder_id=uuid5(NS, str(n)),
        )
        for n, kind in enumerate(["organisation", "group", "organisation", "group", "organisation"])
    ]
    bulk.record_asset(people[0], category="venue", description="Hall")
    for n in range(8):
        bulk.form_relationship(
            source_id=people[n % 5],
            target_id=people[(n + 1 + n // 5) % 5],
            kind="funds" if n % 2 else "collaborates",
            intensity=1 + n % 4,
            valid_from=date(2024, 2, 1 + n),
            valid_to=date(2024, 6, 1) if n % 3 == 0 else None,
            end_reason="It ended",
        )
    meeting = bulk.schedule_meeting(
        kind="workshop", title="Kick-off", held_on=date(2024, 3, 1), held=True, attendees=people[:3]
    )
    bulk.make_commitment(
        promisor_id=people[0],
        what="Open the hall",
        due=date(2024, 5, 1),
        promisee_ids=people[1:3],
        meeting_id=meeting,
        outcome=("fulfilled", date(2024, 4, 1), "Opened"),
    )
    bulk.make_commitment(
        promisor_id=people[3], what="Report back", due=date(2099, 9, 1), to_change_group=True
    )
    bulk.flush()
    return people


def _stored(app: CivicWeave) -> list[tuple[int, str, int, str, dict[str, Any]]]:
    """(notification id, topic, version, aggregate, state) of every event, the state
    decoded and its timestamp dropped; every id, random or not, is replaced by its order of
    first appearance (the two paths draw different random ids, in the same order)."""
    names: dict[str, str] = {}

    def rename(match: re.Match[str]) -> str:
        return names.setdefault(match.group(0), f"id-{len(names)}")

    out = []
    for n in app.recorder.select_notifications(1, 10_000):
        state = json.loads(n.state)
        del state["timestamp"]
        aggregate = HEX_ID.sub(rename, UUID(str(n.originator_id)).hex)
        renamed = json.loads(HEX_ID.sub(rename, json.dumps(state, sort_keys=True)))
        out.append((n.id, n.topic, n.originator_version, aggregate, renamed))
    return out


@pytest.fixture
def plain() -> Iterator[CivicWeave]:
    """An application on a fresh SQLite store, for ``_plain_import``."""
    application = CivicWeave(environment("sqlite://"))
    yield application
    application.close()


def _plain_import(app: CivicWeave) -> list[UUID]:
    """``_import`` through the class calls and ``app.events`` (eventsourcing's transcoder and recorder)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(domain.importing, "create", _class_call)
        patch.setattr(domain.importing, "batch_events", lambda mapper, recorder: app.events)
        return _import(app)


def test_the_fast_path_stores_the_events_the_plain_path_stores(app: CivicWeave, plain: CivicWeave) -> None:
    _import(app)
    _plain_import(plain)
    fast = _stored(app)

    assert len(fast) == 24  # 1 locality, 6 stakeholder, 11 relationship, 3 meeting, 3 commitment events
    assert [row[0] for row in fast] == list(range(1, len(fast) + 1))
    assert fast == _stored(plain)


def test_imported_aggregates_read_back_as_the_plain_path_built_them(
    app: CivicWeave, plain: CivicWeave
) -> None:
    for application, imported in ((app, _import), (plain, _plain_import)):
        people = imported(application)
        application.rename_locality(SLUG, "Bulkville again", "", actor="t")
        application.archive_stakeholder(SLUG, people[4], reason="closed", actor="t")

    assert _stored(app) == _stored(plain)


def test_the_batch_recorder_returns_the_notification_ids_it_stored(app: CivicWeave) -> None:
    locality = app.register_locality(SLUG, "Bulkville", actor="setup").id
    aggregates = [
        create(
            Stakeholder,
            Stakeholder.Registered,
            locality_id=locality,
            kind="group",
            sector="vcse",
            name=f"G{n}",
            contact="",
            notes="",
            sealed="",
            actor="importer",
            effective=None,
        )
        for n in range(5)
    ]
    keys = [a.id for a in aggregates]

    receipt: Receipt = app.commit(*aggregates, events=batch_events(app.mapper, app.recorder))

    stored = app.recorder.select_notifications(1, 100)
    assert receipt.position == stored[-1].id == app.recorder.max_notification_id()
    assert [n.originator_id for n in stored[1:]] == keys


@pytest.mark.parametrize("enabled", [True, False])
def test_a_flush_leaves_the_garbage_collector_as_it_found_it(app: CivicWeave, enabled: bool) -> None:
    app.register_locality(SLUG, "Bulkville", actor="setup")
    bulk = BulkImport(app, SLUG, actor="importer")
    bulk.register_stakeholder(kind="group", sector="vcse", name="G")
    seen: list[bool] = []
    write = bulk._writer.write
    bulk._writer.write = lambda *batch: seen.append(gc.isenabled()) or write(*batch)  # type: ignore[method-assign]
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        bulk.flush()
        after = gc.isenabled()
    finally:
        (gc.enable if was else gc.disable)()

    assert seen == [False] and after is enabled and bulk.saved == 1


def test_a_batch_that_conflicts_is_refused_whole_as_a_conflict(app: CivicWeave) -> None:
    app.register_locality(SLUG, "Bulkville", actor="setup")
    taken = app.register_stakeholder(SLUG, kind="group", sector="vcse", name="Already here", actor="t").id
    before = app.recorder.max_notification_id()
    bulk = BulkImport(app, SLUG, actor="importer")
    first = bulk.register_stakeholder(kind="group", sector="vcse", name="New")
    bulk.register_stakeholder(kind="group", sector="vcse", name="Same id", stakeholder_id=taken)

    with pytest.raises(ConflictError):
        bulk.flush()

    assert app.recorder.max_notification_id() == before and bulk.saved == 0
    with pytest.raises(NotFoundError):
        app.load(Stakeholder, first, locality=SLUG)
    assert app.load(Stakeholder, taken, locality=SLUG).name == "Already here"


def test_new_ids_are_random_version_4_uuids_across_draws() -> None:
    ids = list(islice(random_ids(per_draw=8), 20))  # three draws

    assert len(set(ids)) == 20
    assert {(i.version, i.variant) for i in ids} == {(4, uuid4().variant)}
    for made in ids:  # each the UUID its bytes make, as uuid4 would make it
        same = UUID(bytes=made.bytes, version=4)
        assert (made, str(made), hash(made), made.is_safe) == (same, str(same), hash(same), same.is_safe)
        assert type(made) is UUID and made.bytes == same.bytes


def test_a_commit_that_fails_on_sqlite_stops_the_import_after_the_batches_saved(tmp_path: Path) -> None:
    app = CivicWeave(environment(f"sqlite:///{tmp_path / 'store.db'}"))
    app.register_locality(SLUG, "Bulkville", actor="setup")
    before = app.recorder.max_notification_id()
    commits: list[int] = []
    commit = SQLiteConnection.commit

    def second_fails(connection: SQLiteConnection) -> None:
        commits.append(1)
        if len(commits) == 2:
            raise sqlite3.OperationalError("disk I/O error")
        commit(connection)

    bulk = BulkImport(app, SLUG, actor="importer", batch_size=4)
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(SQLiteConnection, "commit", second_fails)
            for n in range(10):
                bulk.register_stakeholder(kind="group", sector="vcse", name=f"G{n}")
            with pytest.raises(OperationalError, match="disk I/O error"):
                bulk.flush()
            with pytest.raises(OperationalError):  # and stays stopped
                bulk.flush()

        assert bulk.saved == 4 and len(commits) == 2
        assert app.recorder.max_notification_id() == before + 4
        app.register_locality("after", "After", actor="setup")  # the writer connection is usable
    finally:
        app.close()


def test_a_batch_s_keys_are_saved_with_its_events_or_not_at_all(app: CivicWeave) -> None:
    """On SQLite and PostgreSQL, in the transaction of the events."""
    app.register_locality(SLUG, "Bulkville", actor="setup")
    taken = app.register_stakeholder(SLUG, kind="group", sector="vcse", name="Here", actor="t").id
    bulk = BulkImport(app, SLUG, actor="importer")
    kept = bulk.register_stakeholder(kind="person", sector="vcse", name="Ann")
    bulk.flush()
    refused = bulk.register_stakeholder(kind="person", sector="vcse", name="Bob")
    bulk.register_stakeholder(kind="group", sector="vcse", name="Same id", stakeholder_id=taken)

    with pytest.raises(ConflictError):
        bulk.flush()

    assert app.personal.keys.get(kept) is not None
    assert app.personal.keys.get(refused) is None
    assert app.stakeholder_details(app.load(Stakeholder, kept, locality=SLUG))["name"] == "Ann"


def test_create_refuses_a_missing_or_unknown_field_as_the_event_class_does() -> None:
    fields: dict[str, Any] = {
        "locality_id": uuid4(),
        "kind": "group",
        "sector": "vcse",
        "name": "G",
        "contact": "",
        "notes": "",
        "sealed": "",
        "actor": "importer",
        "effective": None,
    }
    create(Stakeholder, Stakeholder.Registered, **fields)  # the class is known after its first event
    missing = {k: v for k, v in fields.items() if k != "sealed"}

    with pytest.raises(TypeError):
        create(Stakeholder, Stakeholder.Registered, **missing)
    with pytest.raises(TypeError):
        create(Stakeholder, Stakeholder.Registered, **missing, colour="red")
    with pytest.raises(TypeError):
        create(Stakeholder, Stakeholder.Registered, id="not a UUID", **fields)  # type: ignore[arg-type]


def test_quick_handoffs_lower_the_switch_interval_while_any_save_is_under_way() -> None:
    usual = sys.getswitchinterval()
    first, second = quick_handoffs(), quick_handoffs()  # two imports' saves, overlapping
    first.__enter__()
    assert sys.getswitchinterval() == pytest.approx(QUICK_SWITCH_SECONDS)
    second.__enter__()
    first.__exit__(None, None, None)
    assert sys.getswitchinterval() == pytest.approx(QUICK_SWITCH_SECONDS)  # the second still saves
    second.__exit__(None, None, None)
    assert sys.getswitchinterval() == usual


def test_a_save_on_a_thread_sets_the_switch_interval_back_even_when_it_fails(app: CivicWeave) -> None:
    usual = sys.getswitchinterval()
    seen: list[float] = []

    def failing() -> None:
        seen.append(sys.getswitchinterval())
        raise RuntimeError("the disk is full")

    writer = batch_writer(batch_events(app.mapper, app.recorder).recorder, app.personal.keys)
    if not isinstance(writer, _Background):
        pytest.skip("the in-memory store saves in the importer's thread")
    writer._start(failing)
    with pytest.raises(RuntimeError, match="disk is full"):
        writer.wait()
    assert seen == [pytest.approx(QUICK_SWITCH_SECONDS)]
    assert sys.getswitchinterval() == usual
