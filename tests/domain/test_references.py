"""What a process remembers of the stakeholders it found active (domain/references.py)."""

from __future__ import annotations

from uuid import uuid4

from domain.references import ActiveStakeholders


def test_nothing_is_remembered_until_every_change_will_be_heard_of() -> None:
    active, stakeholder, locality = ActiveStakeholders(), uuid4(), uuid4()
    active.remember(stakeholder, locality, active.epoch)
    assert not active.knows(stakeholder, locality)
    active.keep()
    active.remember(stakeholder, locality, active.epoch)
    assert active.knows(stakeholder, locality)


def test_a_stakeholder_is_known_only_in_its_own_locality() -> None:
    active, stakeholder, locality = ActiveStakeholders(), uuid4(), uuid4()
    active.keep()
    active.remember(stakeholder, locality, active.epoch)
    assert not active.knows(stakeholder, uuid4())
    assert not active.knows(uuid4(), locality)


def test_a_changed_stakeholder_is_forgotten() -> None:
    active, changed, unchanged, locality = ActiveStakeholders(), uuid4(), uuid4(), uuid4()
    active.keep()
    for stakeholder in (changed, unchanged):
        active.remember(stakeholder, locality, active.epoch)
    active.forget([changed])
    assert not active.knows(changed, locality)
    assert active.knows(unchanged, locality)


def test_a_load_under_way_while_stakeholders_were_forgotten_is_not_remembered() -> None:
    active, stakeholder, locality = ActiveStakeholders(), uuid4(), uuid4()
    active.keep()
    epoch = active.epoch  # the load begins, and may read the stakeholder before a merge...
    active.forget([stakeholder])  # ...that is heard of before the load ends
    active.remember(stakeholder, locality, epoch)
    assert not active.knows(stakeholder, locality)
    active.forget([])  # nothing changed: a later load is still remembered
    active.remember(stakeholder, locality, active.epoch)
    assert active.knows(stakeholder, locality)
