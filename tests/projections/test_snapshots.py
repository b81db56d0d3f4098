"""Snapshots of a locality's folded state: a server started later begins from the last
one and folds only what came after it, to the same state as folding everything; a
snapshot of another fold, of views built anew, or of bytes that are not a state is not
used; an erasure deletes the locality's snapshot and none is written over it."""

from __future__ import annotations

import os
import pickle
from collections.abc import Iterator

import pytest

from domain.application import CivicWeave
from projections import snapshots
from projections.projector import Projector
from projections.state import LocalityState
from projections.store import ViewDatabase, open_views
from projections.views import Views
from tests.domain.builders import ACTOR, SLUG, build_record, build_testville


@pytest.fixture
def views_db(app: CivicWeave, database_url: str) -> Iterator[ViewDatabase]:
    db = open_views(database_url)
    yield db
    db.close()


def project(app: CivicWeave, db: ViewDatabase) -> None:
    Projector(app, db).catch_up()


def folded_anew(db: ViewDatabase) -> LocalityState:
    """The state folded from every fact, with no snapshot."""
    return Views(db, snapshot_every=0).state(SLUG)


def kept(db: ViewDatabase) -> tuple[int, str] | None:
    with db.read() as cursor:
        cursor.execute("SELECT position, format FROM view_snapshots")
        row = cursor.fetchone()
    return None if row is None else (int(row[0]), str(row[1]))


def same(a: LocalityState, b: LocalityState) -> bool:
    return a == b and a.position == b.position  # every row, field by field


def add_stakeholders(app: CivicWeave, count: int) -> None:
    for n in range(count):
        app.register_stakeholder(SLUG, kind="organisation", sector="vcse", name=f"Group {n}", actor=ACTOR)


def test_a_later_server_starts_from_the_snapshot_and_folds_only_what_came_after(
    app: CivicWeave, views_db: ViewDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    town = build_testville(app)
    add_stakeholders(app, 5)
    project(app, views_db)
    first = Views(views_db, snapshot_every=5)
    state = first.state(SLUG)
    first.close()  # the snapshot thread finishes what it was given
    assert kept(views_db) == (state.position, snapshots.FORMAT)

    app.form_relationship(
        SLUG, source_id=town.council, target_id=town.food_bank, kind="funds", actor=ACTOR, intensity=2
    )
    add_stakeholders(app, 2)
    project(app, views_db)

    loaded: list[int] = []
    load = snapshots.load
    monkeypatch.setattr(snapshots, "load", lambda data: loaded.append(len(data)) or load(data))
    later = Views(views_db, snapshot_every=5)
    restarted = later.state(SLUG)
    assert loaded, "the snapshot was not used"
    assert same(restarted, folded_anew(views_db))
    assert len(restarted.stakeholders) == 5 + 5 + 2 and len(restarted.relationships) == 1


def test_a_whole_record_through_a_snapshot_equals_the_fold_of_every_fact(
    app: CivicWeave, views_db: ViewDatabase
) -> None:
    build_record(app)
    project(app, views_db)
    views = Views(views_db, snapshot_every=1)
    views.state(SLUG)
    views.close()
    assert kept(views_db) is not None
    assert same(Views(views_db).state(SLUG), folded_anew(views_db))


def test_snapshots_are_kept_every_so_many_facts_and_not_by_views_that_keep_none(
    app: CivicWeave, views_db: ViewDatabase
) -> None:
    build_testville(app)
    project(app, views_db)
    none = Views(views_db, snapshot_every=0)
    none.state(SLUG)
    none.close()
    assert kept(views_db) is None

    views = Views(views_db, snapshot_every=100)
    views.state(SLUG)  # 6 facts: fewer than 100
    views.close()
    assert kept(views_db) is None
    assert views.keep(views.locality_id(SLUG))  # asked for, it keeps one now
    assert kept(views_db) == (views.state(SLUG).position, snapshots.FORMAT)


@pytest.mark.parametrize("spoil", ["format", "bytes", "code"])
def test_a_snapshot_of_another_fold_or_that_is_not_a_state_is_folded_anew(
    app: CivicWeave, views_db: ViewDatabase, spoil: str
) -> None:
    build_testville(app)
    project(app, views_db)
    views = Views(views_db)
    state = views.state(SLUG)
    assert views.keep(state.id)
    data = {
        "format": snapshots.dump(replace_name(state, "Not what the facts say")),
        "bytes": b"not a pickle",
        "code": pickle.dumps(os.getcwd),  # a snapshot may name no code to run
    }[spoil]
    with views_db.transaction() as cursor:
        cursor.execute(
            "UPDATE view_snapshots SET data = ?, format = ?",
            (data, "0-old" if spoil == "format" else snapshots.FORMAT),
        )
    with views_db.read() as cursor:
        assert snapshots.read(cursor, state.id) is None
    assert same(Views(views_db).state(SLUG), folded_anew(views_db))


def replace_name(state: LocalityState, name: str) -> LocalityState:
    copy = state.fork()
    copy.name = name
    return copy


def test_views_built_anew_do_not_trust_an_old_snapshot(app: CivicWeave, views_db: ViewDatabase) -> None:
    build_testville(app)
    project(app, views_db)
    views = Views(views_db)
    state = views.state(SLUG)
    assert views.keep(state.id)
    with views_db.transaction() as cursor:  # the facts are gone (as if the views were being rebuilt)
        cursor.execute("DELETE FROM view_facts WHERE position = ?", (state.position,))
        assert snapshots.read(cursor, state.id) is None


def test_an_erasure_deletes_the_snapshot_and_none_is_kept_over_it(
    app: CivicWeave, views_db: ViewDatabase
) -> None:
    town = build_testville(app)
    project(app, views_db)
    views = Views(views_db)
    before = views.state(SLUG)
    assert views.keep(before.id)
    with views_db.read() as cursor:
        cursor.execute("SELECT data FROM view_snapshots")
        assert b"Mary Okonkwo" in bytes(cursor.fetchone()[0])

    app.erase_person(SLUG, town.mary, reason="Asked to be forgotten", actor="admin")
    project(app, views_db)
    assert kept(views_db) is None
    # A process still holding the state from before the erasure may not keep it.
    assert not snapshots.write(views_db, before)
    assert kept(views_db) is None

    after = Views(views_db)
    assert after.keep(after.locality_id(SLUG))
    with views_db.read() as cursor:
        cursor.execute("SELECT data FROM view_snapshots")
        assert b"Mary Okonkwo" not in bytes(cursor.fetchone()[0])
    assert same(Views(views_db).state(SLUG), folded_anew(views_db))


def test_an_older_state_never_replaces_a_newer_snapshot(app: CivicWeave, views_db: ViewDatabase) -> None:
    build_testville(app)
    project(app, views_db)
    old = Views(views_db).state(SLUG)
    add_stakeholders(app, 1)
    project(app, views_db)
    views = Views(views_db)
    assert views.keep(views.locality_id(SLUG))
    newer = kept(views_db)
    snapshots.write(views_db, old)
    assert kept(views_db) == newer and newer is not None and newer[0] > old.position


def test_a_fork_is_kept_without_its_copy_on_write_bookkeeping() -> None:
    state = LocalityState(id="l", slug="x", position=3)
    state.extra_sectors["arts"] = "Arts"
    fork = state.fork()
    assert fork._owned == set()
    copy = snapshots.load(snapshots.dump(fork))
    assert copy == state and copy._owned is None
