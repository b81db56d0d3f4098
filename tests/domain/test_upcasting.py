"""Old events are upcast when read, never rewritten: a commitment made before version 2
of ``Commitment.Made`` (which added ``goal_id``) still loads, serving no goal."""

from __future__ import annotations

import json
from datetime import date
from uuid import UUID, uuid4

from eventsourcing.persistence import StoredEvent

from domain.application import CivicWeave
from domain.commitment import OPEN, Commitment
from tests.domain.builders import ACTOR, Testville, build_testville, events_of


def stored_made_event(app: CivicWeave, key: UUID) -> StoredEvent:
    (made,) = app.recorder.select_events(key, lte=1)
    return made


def store_as_version_1(app: CivicWeave, town: Testville) -> tuple[UUID, dict[str, object]]:
    """Store a copy of a freshly made commitment's first event as version 1 wrote it: no
    ``goal_id`` and no ``class_version`` key (eventsourcing writes that key only above 1)."""
    template = stored_made_event(app, town.commitment(town.council, town.food_bank, town.mary))
    state = json.loads(template.state)
    assert state.pop("class_version") == 2
    del state["goal_id"]
    old_key = uuid4()
    app.recorder.insert_events(
        [
            StoredEvent(
                originator_id=old_key,
                originator_version=1,
                topic=template.topic,
                state=json.dumps(state, separators=(",", ":")).encode(),
            )
        ]
    )
    return old_key, state


def test_a_new_commitment_is_stored_as_version_2_with_its_goal(memory_app: CivicWeave) -> None:
    town = build_testville(memory_app)

    state = json.loads(stored_made_event(memory_app, town.commitment()).state)

    assert state["class_version"] == Commitment.Made.class_version == 2
    assert "goal_id" in state


def test_a_version_1_commitment_loads_with_no_goal_and_all_else_intact(app: CivicWeave) -> None:
    town = build_testville(app)
    old_key, _ = store_as_version_1(app, town)

    old = app.load(Commitment, old_key, locality=town.slug)

    assert old.goal_id is None
    assert (old.promisor_id, set(old.promisee_ids)) == (town.council, {town.food_bank, town.mary})
    assert (old.what, old.made_on, old.due, old.status) == (
        "Open the community hub two evenings a week",
        date(2024, 3, 5),
        date(2024, 6, 30),
        OPEN,
    )
    (made,) = events_of(app, old_key)
    assert (made.actor, made.effective, made.goal_id) == (ACTOR, date(2024, 3, 5), None)


def test_an_upcast_commitment_takes_new_events_and_its_old_event_is_never_rewritten(
    app: CivicWeave,
) -> None:
    town = build_testville(app)
    old_key, old_state = store_as_version_1(app, town)

    app.fulfil(town.slug, old_key, evidence="Done", on=date(2024, 5, 1), actor=ACTOR)

    assert app.load(Commitment, old_key, locality=town.slug).closed_on == date(2024, 5, 1)
    still_stored = json.loads(stored_made_event(app, old_key).state)
    assert still_stored == old_state
    assert "goal_id" not in still_stored and "class_version" not in still_stored
