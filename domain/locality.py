"""A locality: the place doing the work, and the tenant that owns all its data."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain.base import MAX_NAME, CivicAggregate, text
from domain.errors import AlreadyExistsError, InvalidInputError, NotFoundError
from domain.vocabulary import DEFAULT_SECTORS

SLUG_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-")


class LocalityNotFoundError(NotFoundError):
    def __init__(self, slug: str) -> None:
        super().__init__("locality", slug)


class LocalityExistsError(AlreadyExistsError):
    def __init__(self, slug: str) -> None:
        super().__init__(f"locality {slug!r} already exists")


@lru_cache(maxsize=4096)
def locality_id(slug: str) -> UUID:
    """The deterministic id of the locality with this slug (remembered: a command asks
    for it several times, and a SHA-1 and a UUID each time were 2% of a command)."""
    return uuid5(NAMESPACE_URL, f"/localities/{slug}")


def valid_slug(field: str, slug: str) -> str:
    slug = text(field, slug, max_length=60)
    if not set(slug) <= SLUG_CHARS or slug.startswith("-"):
        raise InvalidInputError(field, "use lower-case letters, digits and hyphens, e.g. 'riverside'")
    return slug


class Locality(CivicAggregate):
    class Registered(CivicAggregate.Created):
        slug: str
        name: str
        region: str

    class Renamed(CivicAggregate.Event):
        name: str
        region: str

        def apply(self, aggregate: Any) -> None:
            aggregate.name = self.name
            aggregate.region = self.region

    class SectorAdded(CivicAggregate.Event):
        sector: str
        label: str

        def apply(self, aggregate: Any) -> None:
            aggregate.extra_sectors = {**aggregate.extra_sectors, self.sector: self.label}

    @staticmethod
    def create_id(slug: str, **_: Any) -> UUID:
        return locality_id(slug)

    @event(Registered)
    def __init__(
        self,
        slug: str,
        name: str,
        region: str,
        locality_id: Any,
        actor: str,
        effective: date | None,
    ) -> None:
        self.slug = slug
        self.name = name
        self.region = region
        self.locality_id = locality_id
        self.extra_sectors: dict[str, str] = {}

    @property
    def sectors(self) -> tuple[str, ...]:
        return DEFAULT_SECTORS + tuple(self.extra_sectors)

    def rename(self, name: str, region: str, *, actor: str) -> None:
        name = text("name", name, max_length=MAX_NAME)
        region = text("region", region, max_length=MAX_NAME, required=False)
        self.record(self.Renamed, actor=actor, name=name, region=region)

    def add_sector(self, sector: str, label: str, *, actor: str) -> None:
        sector = valid_slug("sector", sector).replace("-", "_")
        if sector in self.sectors:
            raise InvalidInputError("sector", f"{sector!r} is already one of this locality's sectors")
        self.record(
            self.SectorAdded,
            actor=actor,
            sector=sector,
            label=text("label", label, max_length=MAX_NAME),
        )
