"""Use cases of peer networks: establish one, and localities joining and leaving it."""

from __future__ import annotations

from datetime import date

from eventsourcing.application import AggregateNotFoundError

from domain.base import MAX_NAME, text
from domain.locality import valid_slug
from domain.peer_network import (
    PeerNetwork,
    PeerNetworkExistsError,
    PeerNetworkNotFoundError,
    peer_network_id,
)
from domain.usecases.core import Core, Receipt


class PeerNetworkUseCases(Core):
    def create_peer_network(self, slug: str, name: str, *, actor: str) -> Receipt:
        slug = valid_slug("slug", slug)
        if self.find_peer_network(slug) is not None:
            raise PeerNetworkExistsError(slug)
        network = PeerNetwork(
            slug=slug,
            name=text("name", name, max_length=MAX_NAME),
            locality_id=peer_network_id(slug),
            actor=actor,
            effective=None,
        )
        return self.commit(network)

    def find_peer_network(self, slug: str) -> PeerNetwork | None:
        try:
            aggregate: object = self.repository.get(peer_network_id(slug))
        except AggregateNotFoundError:
            return None
        return aggregate if isinstance(aggregate, PeerNetwork) else None

    def peer_network(self, slug: str) -> PeerNetwork:
        found = self.find_peer_network(slug)
        if found is None:
            raise PeerNetworkNotFoundError(slug)
        return found

    def join_peer_network(self, slug: str, locality: str, *, actor: str, on: date | None = None) -> Receipt:
        """The locality joins the network from ``on`` (default: today)."""
        network = self.peer_network(slug)
        network.join(self.locality(locality).slug, on or self.today(), actor=actor)
        return self.commit(network)

    def leave_peer_network(self, slug: str, locality: str, *, actor: str, on: date | None = None) -> Receipt:
        """The locality leaves the network on ``on`` (default: today); it is no longer a
        member from that day."""
        network = self.peer_network(slug)
        network.leave(self.locality(locality).slug, on or self.today(), actor=actor)
        return self.commit(network)
