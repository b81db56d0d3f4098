"""Use cases of the network: stakeholders, their assets, and the relationships between them."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

from domain.base import MAX_NAME, choice, scale, text
from domain.errors import InvalidInputError
from domain.relationship import Relationship
from domain.stakeholder import Stakeholder
from domain.usecases.core import Core, Receipt
from domain.vocabulary import DIRECTED_KINDS, RelationshipKind, Source, StakeholderKind

ERASED_NAME = "erased person"


class NetworkUseCases(Core):
    def _sector(self, locality: str, sector: str) -> str:
        sectors = self.locality(locality).sectors
        if sector not in sectors:
            raise InvalidInputError("sector", f"{sector!r} is not allowed; use one of: {', '.join(sectors)}")
        return sector

    def _details(
        self, stakeholder_id: UUID, kind: str, name: str, contact: str, notes: str
    ) -> dict[str, str]:
        """The event fields for a stakeholder's details: a person's are sealed with their key."""
        name = text("name", name, max_length=MAX_NAME)
        contact = text("contact", contact, max_length=MAX_NAME * 2, required=False)
        notes = text("notes", notes, required=False)
        if kind != StakeholderKind.PERSON.value:
            return {"name": name, "contact": contact, "notes": notes, "sealed": ""}
        sealed = self.personal.seal(stakeholder_id, {"name": name, "contact": contact, "notes": notes})
        return {"name": "", "contact": "", "notes": "", "sealed": sealed}

    def register_stakeholder(
        self,
        locality: str,
        *,
        kind: str,
        sector: str,
        name: str,
        contact: str = "",
        notes: str = "",
        actor: str,
        since: date | None = None,
        stakeholder_id: UUID | None = None,
    ) -> Receipt:
        """Register a stakeholder; ``since`` is when they joined the locality's network
        (the effective date: views "as of" an earlier day leave them out)."""
        kind = choice("kind", kind, StakeholderKind)
        sector = self._sector(locality, sector)
        key = stakeholder_id or uuid4()
        stakeholder = Stakeholder(
            id=key,
            locality_id=self.locality(locality).id,
            kind=kind,
            sector=sector,
            actor=actor,
            effective=since,
            **self._details(key, kind, name, contact, notes),
        )
        return self.commit(stakeholder)

    def stakeholder_details(self, stakeholder: Stakeholder) -> dict[str, str]:
        """Name, contact and notes in the clear; a person's come unsealed, or as
        "erased person" once their key is destroyed."""
        if not stakeholder.is_person:
            return {
                "name": stakeholder.name,
                "contact": stakeholder.contact,
                "notes": stakeholder.notes,
            }
        fields = self.personal.unseal(stakeholder.id, stakeholder.sealed)
        return fields if fields is not None else {"name": ERASED_NAME, "contact": "", "notes": ""}

    def change_stakeholder_details(
        self,
        locality: str,
        stakeholder_id: UUID,
        *,
        name: str,
        contact: str = "",
        notes: str = "",
        actor: str,
        expected_version: int | None = None,
    ) -> Receipt:
        stakeholder = self.load(
            Stakeholder, stakeholder_id, locality=locality, expected_version=expected_version
        )
        if stakeholder.erased:
            raise InvalidInputError(
                "stakeholder_id",
                "this person's personal data was erased and cannot be recorded again",
            )
        details = self._details(stakeholder.id, stakeholder.kind, name, contact, notes)
        stakeholder.change_details(actor=actor, **details)
        return self.commit(stakeholder)

    def change_sector(
        self,
        locality: str,
        stakeholder_id: UUID,
        sector: str,
        *,
        actor: str,
        on: date | None = None,
        expected_version: int | None = None,
    ) -> Receipt:
        stakeholder = self.load(
            Stakeholder, stakeholder_id, locality=locality, expected_version=expected_version
        )
        stakeholder.change_sector(self._sector(locality, sector), actor=actor, effective=on)
        return self.commit(stakeholder)

    def record_asset(
        self,
        locality: str,
        stakeholder_id: UUID,
        *,
        category: str,
        description: str,
        actor: str,
        asset_id: UUID | None = None,
    ) -> Receipt:
        """Record an asset of the stakeholder; ``asset_id`` lets the caller name the new asset."""
        stakeholder = self.load(Stakeholder, stakeholder_id, locality=locality)
        stakeholder.record_asset(asset_id or uuid4(), category, description, actor=actor)
        return self.commit(stakeholder)

    def retire_asset(
        self, locality: str, stakeholder_id: UUID, asset_id: UUID, *, reason: str, actor: str
    ) -> Receipt:
        stakeholder = self.load(Stakeholder, stakeholder_id, locality=locality)
        stakeholder.retire_asset(asset_id, reason, actor=actor)
        return self.commit(stakeholder)

    def merge_stakeholder(
        self,
        locality: str,
        duplicate_id: UUID,
        into_id: UUID,
        *,
        reason: str,
        actor: str,
        expected_version: int | None = None,
    ) -> Receipt:
        duplicate = self.load(Stakeholder, duplicate_id, locality=locality, expected_version=expected_version)
        target = self.load(Stakeholder, into_id, locality=locality)
        duplicate.merge_into(target, reason, actor=actor)
        return self.commit(duplicate)

    def archive_stakeholder(
        self,
        locality: str,
        stakeholder_id: UUID,
        *,
        reason: str,
        actor: str,
        expected_version: int | None = None,
    ) -> Receipt:
        stakeholder = self.load(
            Stakeholder, stakeholder_id, locality=locality, expected_version=expected_version
        )
        stakeholder.archive(reason, actor=actor)
        return self.commit(stakeholder)

    def erase_person(self, locality: str, stakeholder_id: UUID, *, reason: str, actor: str) -> Receipt:
        """Destroy a person's key (crypto-shredding) and record that it was done."""
        stakeholder = self.load(Stakeholder, stakeholder_id, locality=locality)
        stakeholder.record_erasure(reason, actor=actor)
        receipt = self.commit(stakeholder)
        self.personal.erase(stakeholder.id)
        return receipt

    # Relationships

    def form_relationship(
        self,
        locality: str,
        *,
        source_id: UUID,
        target_id: UUID,
        kind: str,
        intensity: int,
        source: str = Source.DECLARED.value,
        directed: bool | None = None,
        valid_from: date | None = None,
        actor: str,
    ) -> Receipt:
        if source_id == target_id:
            raise InvalidInputError("target_id", "a relationship needs two different stakeholders")
        ends = [self.load(Stakeholder, key, locality=locality) for key in (source_id, target_id)]
        for end in ends:
            end.require_active()
        kind = choice("kind", kind, RelationshipKind)
        relationship = Relationship(
            locality_id=ends[0].locality_id,
            source_id=source_id,
            target_id=target_id,
            kind=kind,
            directed=kind in DIRECTED_KINDS if directed is None else bool(directed),
            intensity=scale("intensity", intensity),
            source=choice("source", source, Source),
            valid_from=valid_from or self.today(),
            actor=actor,
            effective=valid_from,
        )
        return self.commit(relationship)

    def rate_relationship(
        self,
        locality: str,
        relationship_id: UUID,
        *,
        rater: str,
        trust: tuple[int, ...],
        value: tuple[int, ...],
        actor: str,
        on: date | None = None,
    ) -> Receipt:
        relationship = self.load(Relationship, relationship_id, locality=locality)
        relationship.rate(rater, tuple(trust), tuple(value), actor=actor, on=on or self.today())
        return self.commit(relationship)

    def change_intensity(
        self,
        locality: str,
        relationship_id: UUID,
        intensity: int,
        *,
        actor: str,
        on: date | None = None,
        expected_version: int | None = None,
    ) -> Receipt:
        relationship = self.load(
            Relationship, relationship_id, locality=locality, expected_version=expected_version
        )
        relationship.change_intensity(intensity, actor=actor, on=on or self.today())
        return self.commit(relationship)

    def end_relationship(
        self,
        locality: str,
        relationship_id: UUID,
        *,
        reason: str,
        actor: str,
        valid_to: date | None = None,
        expected_version: int | None = None,
    ) -> Receipt:
        relationship = self.load(
            Relationship, relationship_id, locality=locality, expected_version=expected_version
        )
        relationship.end(valid_to or self.today(), reason, actor=actor)
        return self.commit(relationship)
