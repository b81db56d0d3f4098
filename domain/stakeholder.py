"""A stakeholder: an organisation, an informal group or a person, with a sector and assets.

A person's name, contact details and notes are personal data: they reach the log only
sealed with that person's own key (see domain.privacy), so erasing the key erases them.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain.base import MAX_NAME, CivicAggregate, choice, text
from domain.errors import InvalidInputError, InvalidStateError, NotFoundError
from domain.vocabulary import AssetCategory, StakeholderKind

ACTIVE, MERGED, ARCHIVED = "active", "merged", "archived"


class StakeholderInactiveError(InvalidStateError):
    def __init__(self, stakeholder_id: UUID, status: str) -> None:
        self.stakeholder_id = stakeholder_id
        super().__init__(f"stakeholder {stakeholder_id} is {status}: it cannot be changed or given new ties")


class Stakeholder(CivicAggregate):
    class Registered(CivicAggregate.Created):
        kind: str
        sector: str
        name: str
        contact: str
        notes: str
        sealed: str

    class DetailsChanged(CivicAggregate.Event):
        name: str
        contact: str
        notes: str
        sealed: str

        def apply(self, aggregate: Any) -> None:
            aggregate.name, aggregate.contact = self.name, self.contact
            aggregate.notes, aggregate.sealed = self.notes, self.sealed

    class SectorChanged(CivicAggregate.Event):
        sector: str

        def apply(self, aggregate: Any) -> None:
            aggregate.sector = self.sector

    class AssetRecorded(CivicAggregate.Event):
        asset_id: UUID
        category: str
        description: str

        def apply(self, aggregate: Any) -> None:
            aggregate.assets = {
                **aggregate.assets,
                self.asset_id: (self.category, self.description),
            }

    class AssetRetired(CivicAggregate.Event):
        asset_id: UUID
        reason: str

        def apply(self, aggregate: Any) -> None:
            aggregate.assets = {k: v for k, v in aggregate.assets.items() if k != self.asset_id}

    class MergedInto(CivicAggregate.Event):
        target_id: UUID
        reason: str

        def apply(self, aggregate: Any) -> None:
            aggregate.status, aggregate.merged_into = MERGED, self.target_id

    class Archived(CivicAggregate.Event):
        reason: str

        def apply(self, aggregate: Any) -> None:
            aggregate.status = ARCHIVED

    class PersonErased(CivicAggregate.Event):
        """The person's key was destroyed: their sealed fields can never be read again."""

        reason: str

        def apply(self, aggregate: Any) -> None:
            aggregate.erased = True

    @event(Registered)
    def __init__(
        self,
        id: UUID,
        locality_id: UUID,
        kind: str,
        sector: str,
        name: str,
        contact: str,
        notes: str,
        sealed: str,
        actor: str,
        effective: date | None,
    ) -> None:
        self.locality_id = locality_id
        self.kind, self.sector = kind, sector
        self.name, self.contact, self.notes, self.sealed = name, contact, notes, sealed
        self.assets: dict[UUID, tuple[str, str]] = {}
        self.status = ACTIVE
        self.merged_into: UUID | None = None
        self.erased = False

    @property
    def is_person(self) -> bool:
        return self.kind == StakeholderKind.PERSON.value

    def require_active(self) -> None:
        if self.status != ACTIVE:
            raise StakeholderInactiveError(self.id, self.status)

    def change_details(self, *, name: str, contact: str, notes: str, sealed: str, actor: str) -> None:
        self.require_active()
        self.record(self.DetailsChanged, actor=actor, name=name, contact=contact, notes=notes, sealed=sealed)

    def change_sector(self, sector: str, *, actor: str, effective: date | None = None) -> None:
        self.require_active()
        if sector == self.sector:
            raise InvalidInputError("sector", f"the stakeholder is already in sector {sector!r}")
        self.record(self.SectorChanged, actor=actor, sector=sector, effective=effective)

    def record_asset(self, asset_id: UUID, category: str, description: str, *, actor: str) -> None:
        self.require_active()
        self.record(
            self.AssetRecorded,
            actor=actor,
            asset_id=asset_id,
            category=choice("category", category, AssetCategory),
            description=text("description", description, max_length=MAX_NAME * 5),
        )

    def retire_asset(self, asset_id: UUID, reason: str, *, actor: str) -> None:
        if asset_id not in self.assets:
            raise NotFoundError("asset", asset_id)
        self.record(self.AssetRetired, actor=actor, asset_id=asset_id, reason=text("reason", reason))

    def merge_into(self, target: Stakeholder, reason: str, *, actor: str) -> None:
        self.require_active()
        target.require_active()
        if target.id == self.id:
            raise InvalidInputError("target_id", "a stakeholder cannot be merged into itself")
        if target.locality_id != self.locality_id:
            raise InvalidInputError("target_id", "both stakeholders must belong to the same locality")
        self.record(self.MergedInto, actor=actor, target_id=target.id, reason=text("reason", reason))

    def archive(self, reason: str, *, actor: str) -> None:
        self.require_active()
        self.record(self.Archived, actor=actor, reason=text("reason", reason))

    def record_erasure(self, reason: str, *, actor: str) -> None:
        if not self.is_person:
            raise InvalidInputError("stakeholder_id", "only a person's personal data can be erased")
        if self.erased:
            raise InvalidStateError(f"the personal data of stakeholder {self.id} is already erased")
        self.record(self.PersonErased, actor=actor, reason=text("reason", reason))
