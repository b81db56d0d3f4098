"""A write waits for the views to include it: woken by the projector of its own process
as soon as the batch is committed, and still answered by polling when the projector
runs in another process."""

from __future__ import annotations

import threading
import time
from uuid import UUID

import pytest

from projections.projector import Projector
from tests.projections.conftest import ReadSide, Town


def test_a_waiting_write_is_woken_by_the_projector_in_its_process(
    read_side: ReadSide, monkeypatch: pytest.MonkeyPatch
) -> None:
    views = read_side.views
    monkeypatch.setattr(views, "position", lambda: 0)  # polling would never see it
    threading.Timer(0.05, views.advanced, args=(7,)).start()
    started = time.monotonic()
    assert views.wait_for(7, timeout=5)
    assert time.monotonic() - started < 2


def test_a_write_is_told_the_views_lag_when_nothing_reaches_its_position(read_side: ReadSide) -> None:
    read_side.views.advanced(3)
    assert not read_side.views.wait_for(4, timeout=0.05)
    assert read_side.views.wait_for(3, timeout=0.05)


def test_the_projector_tells_the_views_each_position_it_commits(town: Town, read_side: ReadSide) -> None:
    told: list[int] = []
    read_side.projector.on_applied = told.append
    town.stakeholder("Food Bank", "vcse")
    read_side.projector.catch_up()
    assert told and told[-1] == town.positions[-1] == read_side.views.position()


def test_a_projector_in_another_process_is_polled(town: Town, read_side: ReadSide) -> None:
    town.stakeholder("Food Bank", "vcse")
    threading.Timer(0.05, read_side.projector.catch_up).start()  # on_applied unset: nobody is told
    assert read_side.views.wait_for(town.positions[-1], timeout=5)


def test_views_that_follow_the_projector_of_their_process_know_its_position_without_asking(
    town: Town, read_side: ReadSide, monkeypatch: pytest.MonkeyPatch
) -> None:
    views, projector = read_side.views, read_side.projector
    town.stakeholder("Food Bank", "vcse")
    projector.on_applied = views.advanced
    projector.catch_up()
    views.follow(projector.position())

    def no_read() -> None:
        raise AssertionError("the views asked the database for their position")

    monkeypatch.setattr(views.db, "read", no_read)
    assert views.position() == town.positions[-1]
    town.stakeholder("Hub", "vcse")
    projector.run_once()
    assert views.position() == town.positions[-1]
    assert views.wait_for(town.positions[-1], timeout=0.05)


def test_what_a_second_projector_applied_is_still_told(town: Town, read_side: ReadSide) -> None:
    here, elsewhere = read_side.projector, Projector(town.app, read_side.db)
    told: list[int] = []
    changed: list[UUID] = []
    here.on_applied, here.on_stakeholders_changed = told.append, changed.extend
    here.catch_up()
    food_bank = town.stakeholder("Food Bank", "vcse")  # applied by the other projector (started by mistake)
    elsewhere.catch_up()
    here.run_once()
    assert told[-1] == town.positions[-1]
    assert changed == [food_bank]
