"""A peer network: localities that agree to compare aggregate figures, and the dates
each one was a member (so membership is known on any day; a locality can rejoin).

A peer network belongs to no one locality: its events are filed under its own id, so
no locality's views, feed or hash chain carry them.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain.base import CivicAggregate, not_before
from domain.errors import AlreadyExistsError, InvalidInputError, InvalidStateError, NotFoundError

#: A locality's spells of membership: (joined on, left on), the last one open while it is a member.
Spell = tuple[date, date | None]


class PeerNetworkNotFoundError(NotFoundError):
    def __init__(self, slug: str) -> None:
        super().__init__("peer network", slug)


class PeerNetworkExistsError(AlreadyExistsError):
    def __init__(self, slug: str) -> None:
        super().__init__(f"peer network {slug!r} already exists")


class AlreadyAMemberError(InvalidStateError):
    def __init__(self, network: str, locality: str) -> None:
        super().__init__(f"locality {locality!r} is already a member of peer network {network!r}")


class NotAMemberError(InvalidStateError):
    def __init__(self, network: str, locality: str) -> None:
        super().__init__(f"locality {locality!r} is not a member of peer network {network!r}")


class LeftBeforeJoinedError(InvalidInputError):
    def __init__(self, left: date, joined: date) -> None:
        super().__init__("on", f"{left.isoformat()} is before the locality joined ({joined.isoformat()})")


def peer_network_id(slug: str) -> UUID:
    """The deterministic id of the peer network with this slug."""
    return uuid5(NAMESPACE_URL, f"/peer-networks/{slug}")


def member_on(spells: tuple[Spell, ...], day: date) -> bool:
    """Whether a locality with these spells was a member on ``day`` (it leaves on the day it left)."""
    return any(joined <= day and (left is None or day < left) for joined, left in spells)


class PeerNetwork(CivicAggregate):
    class Established(CivicAggregate.Created):
        slug: str
        name: str

    class LocalityJoined(CivicAggregate.Event):
        locality_slug: str
        on: date

        def apply(self, aggregate: Any) -> None:
            spells = aggregate.spells.get(self.locality_slug, ())
            aggregate.spells = {**aggregate.spells, self.locality_slug: (*spells, (self.on, None))}

    class LocalityLeft(CivicAggregate.Event):
        locality_slug: str
        on: date

        def apply(self, aggregate: Any) -> None:
            *earlier, (joined, _) = aggregate.spells[self.locality_slug]
            aggregate.spells = {**aggregate.spells, self.locality_slug: (*earlier, (joined, self.on))}

    @staticmethod
    def create_id(slug: str, **_: Any) -> UUID:
        return peer_network_id(slug)

    @event(Established)
    def __init__(self, slug: str, name: str, locality_id: Any, actor: str, effective: date | None) -> None:
        self.slug = slug
        self.name = name
        self.locality_id = locality_id
        self.spells: dict[str, tuple[Spell, ...]] = {}

    def is_member(self, locality: str) -> bool:
        """Whether the locality is a member now: it joined and has not left since."""
        spells = self.spells.get(locality, ())
        return bool(spells) and spells[-1][1] is None

    def members_on(self, day: date) -> list[str]:
        return sorted(slug for slug, spells in self.spells.items() if member_on(spells, day))

    def join(self, locality: str, on: date, *, actor: str) -> None:
        if self.is_member(locality):
            raise AlreadyAMemberError(self.slug, locality)
        spells = self.spells.get(locality, ())
        last_left = spells[-1][1] if spells else None
        if last_left is not None:
            not_before("on", on, last_left, "the day it last left")
        self.record(self.LocalityJoined, actor=actor, effective=on, locality_slug=locality, on=on)

    def leave(self, locality: str, on: date, *, actor: str) -> None:
        if not self.is_member(locality):
            raise NotAMemberError(self.slug, locality)
        joined = self.spells[locality][-1][0]
        if on < joined:
            raise LeftBeforeJoinedError(on, joined)
        self.record(self.LocalityLeft, actor=actor, effective=on, locality_slug=locality, on=on)
