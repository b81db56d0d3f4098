"""A relationship: a tie between two stakeholders, valid over an interval of time."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain.base import CivicAggregate, not_before, scale, text
from domain.errors import InvalidInputError, InvalidStateError
from domain.vocabulary import TRUST_DIMENSIONS, VALUE_DIMENSIONS


class RelationshipEndedError(InvalidStateError):
    def __init__(self, relationship_id: UUID) -> None:
        super().__init__(f"relationship {relationship_id} has ended; form a new one instead")


def ratings(field: str, values: tuple[int, ...] | list[int], dimensions: tuple[str, ...]) -> tuple[int, ...]:
    """One rating 1-4 on each of PARTNER's dimensions, in their order."""
    if len(values) != len(dimensions):
        raise InvalidInputError(field, f"give {len(dimensions)} ratings, for {', '.join(dimensions)}")
    return tuple(scale(f"{field}.{d}", v) for d, v in zip(dimensions, values, strict=True))


class Relationship(CivicAggregate):
    class Formed(CivicAggregate.Created):
        source_id: UUID
        target_id: UUID
        kind: str
        directed: bool
        intensity: int
        source: str
        valid_from: date

    class Rated(CivicAggregate.Event):
        rater: str
        trust: tuple[int, ...]
        value: tuple[int, ...]

        def apply(self, aggregate: Any) -> None:
            aggregate.ratings = {
                **aggregate.ratings,
                self.rater: (tuple(self.trust), tuple(self.value)),
            }

    class IntensityChanged(CivicAggregate.Event):
        intensity: int

        def apply(self, aggregate: Any) -> None:
            aggregate.intensity = self.intensity

    class Ended(CivicAggregate.Event):
        valid_to: date
        reason: str

        def apply(self, aggregate: Any) -> None:
            aggregate.valid_to = self.valid_to

    @event(Formed)
    def __init__(
        self,
        locality_id: UUID,
        source_id: UUID,
        target_id: UUID,
        kind: str,
        directed: bool,
        intensity: int,
        source: str,
        valid_from: date,
        actor: str,
        effective: date | None,
    ) -> None:
        self.locality_id = locality_id
        self.source_id, self.target_id = source_id, target_id
        self.kind, self.directed, self.source = kind, directed, source
        self.intensity = intensity
        self.valid_from = valid_from
        self.valid_to: date | None = None
        self.ratings: dict[str, tuple[tuple[int, ...], tuple[int, ...]]] = {}

    def _require_current(self) -> None:
        if self.valid_to is not None:
            raise RelationshipEndedError(self.id)

    def rate(
        self, rater: str, trust: tuple[int, ...], value: tuple[int, ...], *, actor: str, on: date
    ) -> None:
        self._require_current()
        self.record(
            self.Rated,
            actor=actor,
            effective=on,
            rater=text("rater", rater, max_length=200),
            trust=ratings("trust", trust, TRUST_DIMENSIONS),
            value=ratings("value", value, VALUE_DIMENSIONS),
        )

    def change_intensity(self, intensity: int, *, actor: str, on: date) -> None:
        self._require_current()
        intensity = scale("intensity", intensity)
        if intensity == self.intensity:
            raise InvalidInputError("intensity", f"the intensity is already {intensity}")
        not_before("on", on, self.valid_from, "the relationship was formed")
        self.record(self.IntensityChanged, actor=actor, effective=on, intensity=intensity)

    def end(self, valid_to: date, reason: str, *, actor: str) -> None:
        self._require_current()
        not_before("valid_to", valid_to, self.valid_from, "the relationship was formed")
        self.record(
            self.Ended,
            actor=actor,
            effective=valid_to,
            valid_to=valid_to,
            reason=text("reason", reason),
        )
