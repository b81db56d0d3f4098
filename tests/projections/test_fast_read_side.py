"""The read side's shortcuts give what the long way gives: facts read straight from the
stored JSON equal those of the mapper's domain events (upcast events included), a
forked state leaves the one readers hold untouched, and a locality is folded when it is
first read, with no fact of another locality."""

from __future__ import annotations

import json
from datetime import date
from uuid import uuid4

from eventsourcing.persistence import StoredEvent

from domain.application import CivicWeave
from projections.facts import StoredEventDecoder, fact_from_event
from projections.folds import fold
from projections.state import LocalityState
from tests.domain.builders import build_testville
from tests.projections.conftest import SLUG, ReadSide, Town


def _all_notifications(app: CivicWeave) -> list:  # type: ignore[type-arg]
    return list(app.recorder.select_notifications(start=1, limit=10_000))


def test_facts_read_from_the_stored_json_equal_the_facts_of_the_domain_events(app: CivicWeave) -> None:
    build_testville(app)
    decoder = StoredEventDecoder(app.mapper)

    for n in _all_notifications(app):
        slow = fact_from_event(app.mapper.to_domain_event(n), n.id, "locality")
        fast = decoder.decode(n).fact(n.id, str(n.originator_id), n.originator_version, "locality")
        assert fast == slow
        assert fast.row() == slow.row()


def test_an_event_stored_by_an_older_version_is_read_upcast(memory_app: CivicWeave) -> None:
    town = build_testville(memory_app)
    (made,) = memory_app.recorder.select_events(town.commitment(), lte=1)
    state = json.loads(made.state)
    del state["class_version"], state["goal_id"]
    old = StoredEvent(uuid4(), 1, made.topic, json.dumps(state, separators=(",", ":")).encode())
    memory_app.recorder.insert_events([old])
    (notification,) = memory_app.recorder.select_notifications(
        start=memory_app.recorder.max_notification_id(), limit=1
    )

    decoded = StoredEventDecoder(memory_app.mapper).decode(notification)

    assert decoded.fields["goal_id"] is None
    assert decoded.fact(1, str(old.originator_id), 1, "x") == fact_from_event(
        memory_app.mapper.to_domain_event(notification), 1, "x"
    )


def test_a_fork_takes_new_facts_and_the_state_it_came_from_does_not(town: Town, read_side: ReadSide) -> None:
    council = town.stakeholder("Council", "public")
    charity = town.stakeholder("Charity", "vcse")
    tie = town.tie(council, charity, intensity=2)
    before = read_side.state()
    sector_before = list(before.stakeholders[str(council)].sector)

    town.app.change_sector(SLUG, council, "health", actor="facilitator", on=date(2025, 1, 1))
    town.app.change_intensity(SLUG, tie, 4, on=date(2025, 2, 1), actor="facilitator")
    after = read_side.state()

    assert after is not before
    assert before.stakeholders[str(council)].sector == sector_before
    assert len(before.relationships[str(tie)].intensity) == 1
    assert len(after.relationships[str(tie)].intensity) == 2
    assert after.stakeholders[str(council)].sector[-1][1] == "health"
    assert after == fold(LocalityState(id=after.id), read_side.views.facts(after.id, limit=1000))


def test_a_locality_is_folded_when_first_read_and_holds_only_its_own_facts(
    town: Town, read_side: ReadSide
) -> None:
    town.stakeholder("Council", "public")
    town.app.register_locality("hillside", "Hillside", "North", actor="admin")
    town.app.register_stakeholder(
        "hillside", kind="organisation", sector="faith", name="Chapel", actor="facilitator"
    )
    read_side.projector.catch_up()

    assert read_side.views._states == {}
    riverside = read_side.views.state(SLUG)

    assert [s.name for s in riverside.stakeholders.values()] == ["Council"]
    assert set(read_side.views._states) == {riverside.id}
    assert [s.name for s in read_side.views.state("hillside").stakeholders.values()] == ["Chapel"]
