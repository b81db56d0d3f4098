"""The civicweave Application: every command of the record, as use cases."""

from __future__ import annotations

from domain.usecases.commitments import CommitmentUseCases
from domain.usecases.core import Receipt
from domain.usecases.network import NetworkUseCases
from domain.usecases.peers import PeerNetworkUseCases
from domain.usecases.plans import PlanUseCases

__all__ = ["CivicWeave", "Receipt"]


class CivicWeave(CommitmentUseCases, NetworkUseCases, PlanUseCases, PeerNetworkUseCases):
    """Load, check the invariant, save atomically; return a Receipt.

    Every command names the locality it acts in (an aggregate of another locality is
    "not found") and the actor who records it.
    """
