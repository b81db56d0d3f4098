"""A rebuild reads and decodes its batches in processes of their own, ahead of the
projector: it writes the very rows an incremental projection writes, every batch read
ahead is used, and when the readers cannot be had or die half-way the projector reads
the rest itself, to the same rows. Stores no other process can open are read in place."""

from __future__ import annotations

from typing import Any

import pytest

from domain.application import CivicWeave
from domain.persistence import environment
from projections import projector as projector_module
from projections.projector import Projector, ReadingAhead
from projections.store import open_views
from tests.domain.builders import build_record
from tests.projections.conftest import durable_rows
from tests.projections.test_rebuild_indexes import incremental_rows


@pytest.fixture
def small_rebuilds(monkeypatch: pytest.MonkeyPatch) -> None:
    """A log of a few dozen events counts as long enough for a rebuild, in batches of four."""
    monkeypatch.setattr(projector_module, "REBUILD_AT", 10)
    monkeypatch.setattr(projector_module, "REBUILD_BATCH_SIZE", 4)


def rebuild(app: CivicWeave, database_url: str, **options: Any) -> tuple[dict[str, Any], list[bool]]:
    """The durable rows after a rebuild, and for each batch whether it had been read ahead."""
    db = open_views(database_url)
    try:
        projector = Projector(app, db, batch_size=1, **options)
        read_ahead: list[bool] = []
        run_once = projector.run_once

        def counted(**kwargs: Any) -> int:
            applied = run_once(**kwargs)
            if applied:
                read_ahead.append(kwargs.get("ahead") is not None)
            return applied

        projector.run_once = counted  # type: ignore[method-assign]
        assert projector.catch_up() == app.recorder.max_notification_id()
        return durable_rows(db), read_ahead
    finally:
        db.close()


@pytest.mark.usefixtures("small_rebuilds")
def test_a_rebuild_read_ahead_writes_the_rows_of_an_incremental_projection(
    app: CivicWeave, database_url: str
) -> None:
    build_record(app)  # every kind of event: a sealed name, an erasure, rows of each table
    rows, read_ahead = rebuild(app, database_url)
    assert len(read_ahead) > 2 and all(read_ahead)
    assert rows == incremental_rows(app)


@pytest.mark.usefixtures("small_rebuilds")
def test_without_reading_ahead_the_rows_are_the_same(app: CivicWeave, database_url: str) -> None:
    build_record(app)
    rows, read_ahead = rebuild(app, database_url, read_ahead=False)
    assert read_ahead and not any(read_ahead)
    assert rows == incremental_rows(app)


@pytest.mark.usefixtures("small_rebuilds")
def test_when_the_readers_die_half_way_the_projector_reads_the_rest_itself(
    app: CivicWeave, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_record(app)
    read = ReadingAhead.read
    calls: list[int] = []

    def dying(self: ReadingAhead, start: int, stop: int) -> Any:
        calls.append(start)
        if len(calls) == 4:
            raise RuntimeError("the reader process died")
        return read(self, start, stop)

    monkeypatch.setattr(ReadingAhead, "read", dying)
    rows, read_ahead = rebuild(app, database_url)
    assert any(read_ahead) and not all(read_ahead)
    assert rows == incremental_rows(app)


@pytest.mark.usefixtures("small_rebuilds")
def test_when_no_reader_can_be_started_the_projector_reads_everything_itself(
    app: CivicWeave, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_record(app)

    def cannot(*_: Any, **__: Any) -> None:
        raise OSError("no more processes")

    monkeypatch.setattr(ReadingAhead, "__init__", cannot)
    rows, read_ahead = rebuild(app, database_url)
    assert read_ahead and not any(read_ahead)
    assert rows == incremental_rows(app)


def test_only_stores_another_process_can_open_are_read_ahead(tmp_path: Any) -> None:
    assert ReadingAhead.possible(environment(f"sqlite:///{tmp_path}/x.db"))
    assert ReadingAhead.possible(environment("postgresql://postgres@127.0.0.1:5432/x"))
    assert not ReadingAhead.possible(environment("sqlite://"))
    assert not ReadingAhead.possible(environment("memory://"))
