"""A peer network: established once under a slug; localities join and leave it on dates,
so who was a member is known on any day, and a locality can rejoin."""

from __future__ import annotations

from datetime import date

import pytest

from domain.application import CivicWeave
from domain.errors import AlreadyExistsError, ConflictError, InvalidInputError, NotFoundError
from domain.locality import LocalityNotFoundError
from domain.peer_network import (
    AlreadyAMemberError,
    LeftBeforeJoinedError,
    NotAMemberError,
    PeerNetwork,
    PeerNetworkExistsError,
    PeerNetworkNotFoundError,
    peer_network_id,
)
from tests.domain.builders import events_of, last_event

ADMIN = "admin"
JAN, APR, JUL, OCT = date(2025, 1, 1), date(2025, 4, 1), date(2025, 7, 1), date(2025, 10, 1)


@pytest.fixture
def app(memory_app: CivicWeave) -> CivicWeave:
    for slug in ("riverside", "hillside"):
        memory_app.register_locality(slug, slug.title(), actor=ADMIN)
    memory_app.create_peer_network("north-west", "North West peers", actor=ADMIN)
    return memory_app


def test_a_peer_network_is_found_by_its_slug_and_its_id_follows_from_the_slug(app: CivicWeave) -> None:
    network = app.peer_network("north-west")

    assert (network.slug, network.name, network.spells) == ("north-west", "North West peers", {})
    assert network.id == peer_network_id("north-west") != peer_network_id("south-west")
    (established,) = events_of(app, network.id)
    assert isinstance(established, PeerNetwork.Established)
    assert (established.actor, established.effective) == (ADMIN, None)


def test_a_peer_network_belongs_to_no_locality_its_events_are_filed_under_its_own_id(app: CivicWeave) -> None:
    network = app.peer_network("north-west")

    assert network.locality_id == network.id
    assert network.locality_id not in {app.locality(s).id for s in ("riverside", "hillside")}


def test_a_slug_can_be_taken_only_once_and_must_be_a_slug(app: CivicWeave) -> None:
    with pytest.raises(PeerNetworkExistsError, match="'north-west' already exists") as caught:
        app.create_peer_network("north-west", "Another", actor=ADMIN)
    assert isinstance(caught.value, AlreadyExistsError)
    with pytest.raises(InvalidInputError) as invalid:
        app.create_peer_network("North West", "North West", actor=ADMIN)
    assert invalid.value.field == "slug"
    with pytest.raises(InvalidInputError) as unnamed:
        app.create_peer_network("south-west", "  ", actor=ADMIN)
    assert unnamed.value.field == "name"


def test_an_unknown_peer_network_is_not_found(app: CivicWeave) -> None:
    assert app.find_peer_network("nowhere") is None
    with pytest.raises(PeerNetworkNotFoundError, match="peer network nowhere not found") as caught:
        app.join_peer_network("nowhere", "riverside", on=JAN, actor=ADMIN)
    assert isinstance(caught.value, NotFoundError)


def test_a_locality_slug_is_not_a_peer_network(app: CivicWeave) -> None:
    assert app.find_peer_network("riverside") is None


def test_joining_records_the_day_as_the_effective_date(app: CivicWeave) -> None:
    receipt = app.join_peer_network("north-west", "riverside", on=APR, actor="Ada")

    joined = last_event(app, receipt.id)
    assert isinstance(joined, PeerNetwork.LocalityJoined)
    assert (joined.locality_slug, joined.on, joined.effective, joined.actor) == ("riverside", APR, APR, "Ada")
    assert receipt.version == 2


def test_membership_is_known_on_any_day_and_a_locality_leaves_on_the_day_it_left(app: CivicWeave) -> None:
    app.join_peer_network("north-west", "riverside", on=JAN, actor=ADMIN)
    app.join_peer_network("north-west", "hillside", on=APR, actor=ADMIN)
    app.leave_peer_network("north-west", "riverside", on=JUL, actor=ADMIN)

    network = app.peer_network("north-west")
    assert network.members_on(date(2024, 12, 31)) == []
    assert network.members_on(JAN) == ["riverside"]
    assert network.members_on(APR) == ["hillside", "riverside"]
    assert network.members_on(date(2025, 6, 30)) == ["hillside", "riverside"]
    assert network.members_on(JUL) == ["hillside"]
    assert not network.is_member("riverside") and network.is_member("hillside")


def test_a_locality_that_left_can_rejoin_and_both_spells_are_kept(app: CivicWeave) -> None:
    app.join_peer_network("north-west", "riverside", on=JAN, actor=ADMIN)
    app.leave_peer_network("north-west", "riverside", on=APR, actor=ADMIN)
    app.join_peer_network("north-west", "riverside", on=JUL, actor=ADMIN)

    network = app.peer_network("north-west")
    assert network.spells["riverside"] == ((JAN, APR), (JUL, None))
    assert [network.members_on(d) for d in (JAN, APR, date(2025, 6, 30), JUL, OCT)] == [
        ["riverside"],
        [],
        [],
        ["riverside"],
        ["riverside"],
    ]


def test_a_locality_can_rejoin_on_the_day_it_left_but_not_before(app: CivicWeave) -> None:
    app.join_peer_network("north-west", "riverside", on=JAN, actor=ADMIN)
    app.leave_peer_network("north-west", "riverside", on=APR, actor=ADMIN)

    with pytest.raises(InvalidInputError, match="before the day it last left") as caught:
        app.join_peer_network("north-west", "riverside", on=date(2025, 3, 31), actor=ADMIN)
    assert caught.value.field == "on"
    app.join_peer_network("north-west", "riverside", on=APR, actor=ADMIN)
    assert app.peer_network("north-west").members_on(APR) == ["riverside"]


def test_an_unknown_locality_cannot_join_or_leave(app: CivicWeave) -> None:
    with pytest.raises(LocalityNotFoundError):
        app.join_peer_network("north-west", "nowhere", on=JAN, actor=ADMIN)
    with pytest.raises(LocalityNotFoundError):
        app.leave_peer_network("north-west", "nowhere", on=JAN, actor=ADMIN)
    assert app.peer_network("north-west").version == 1


def test_a_member_cannot_join_again(app: CivicWeave) -> None:
    app.join_peer_network("north-west", "riverside", on=JAN, actor=ADMIN)

    with pytest.raises(AlreadyAMemberError, match="'riverside' is already a member") as caught:
        app.join_peer_network("north-west", "riverside", on=APR, actor=ADMIN)
    assert isinstance(caught.value, ConflictError)


def test_a_locality_that_is_not_a_member_cannot_leave(app: CivicWeave) -> None:
    with pytest.raises(NotAMemberError, match="'hillside' is not a member"):
        app.leave_peer_network("north-west", "hillside", on=APR, actor=ADMIN)
    app.join_peer_network("north-west", "hillside", on=JAN, actor=ADMIN)
    app.leave_peer_network("north-west", "hillside", on=APR, actor=ADMIN)
    with pytest.raises(NotAMemberError):
        app.leave_peer_network("north-west", "hillside", on=JUL, actor=ADMIN)


def test_a_locality_cannot_leave_before_it_joined(app: CivicWeave) -> None:
    app.join_peer_network("north-west", "riverside", on=APR, actor=ADMIN)

    with pytest.raises(LeftBeforeJoinedError, match="2025-01-01 is before the locality joined") as caught:
        app.leave_peer_network("north-west", "riverside", on=JAN, actor=ADMIN)
    assert caught.value.field == "on"
    assert app.peer_network("north-west").is_member("riverside")


def test_join_and_leave_default_to_today(app: CivicWeave) -> None:
    app.join_peer_network("north-west", "riverside", actor=ADMIN)
    app.leave_peer_network("north-west", "riverside", actor=ADMIN)

    assert app.peer_network("north-west").spells["riverside"] == ((app.today(), app.today()),)


def test_replaying_the_events_rebuilds_the_spells(app: CivicWeave) -> None:
    app.join_peer_network("north-west", "riverside", on=JAN, actor=ADMIN)
    app.leave_peer_network("north-west", "riverside", on=APR, actor=ADMIN)
    app.join_peer_network("north-west", "hillside", on=APR, actor=ADMIN)
    app.join_peer_network("north-west", "riverside", on=JUL, actor=ADMIN)

    replayed = None
    for event in events_of(app, peer_network_id("north-west")):
        replayed = event.mutate(replayed)
    assert replayed is not None
    assert (
        replayed.spells
        == app.peer_network("north-west").spells
        == {
            "riverside": ((JAN, APR), (JUL, None)),
            "hillside": ((APR, None),),
        }
    )
