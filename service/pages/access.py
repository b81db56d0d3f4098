"""Which locality a page is about, and whether the visitor may read or change it there.

Another locality's pages do not exist for a visitor (404); a peer sees only a note
that peers use comparisons (403); a lead reads everything and changes nothing (403 on
any form sent). A form is checked against the session's CSRF token before anything else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated

from fastapi import Depends, Request

from domain.vocabulary import SECTOR_LABELS
from projections.reader import Reader
from projections.state import LocalityState
from projections.views import UnknownLocalityError
from service.auth import ForbiddenError, Role
from service.pages.session import FormDep, Visitor, VisitorDep, require_csrf
from service.pages.web import PeerOnly, runtime_of
from service.runtime import Runtime

WRITERS = frozenset({Role.ADMINISTRATOR, Role.FACILITATOR})


@dataclass(frozen=True)
class Place:
    """The locality a page shows, for this visitor."""

    slug: str
    name: str
    id: str
    visitor: Visitor
    runtime: Runtime

    @property
    def can_write(self) -> bool:
        return self.visitor.principal.role in WRITERS

    @property
    def reader(self) -> Reader:
        return self.runtime.reader

    @property
    def actor(self) -> str:
        return self.visitor.name

    def today(self) -> date:
        return self.runtime.reader.today()

    def state(self) -> LocalityState:
        return self.runtime.reader.state(self.slug)

    def url(self, *parts: object) -> str:
        return "/".join((f"/l/{self.slug}", *map(str, parts)))


def sector_labels(state: LocalityState) -> dict[str, str]:
    """Every sector of the locality with its label, in the locality's order."""
    return {s: SECTOR_LABELS.get(s) or state.extra_sectors.get(s, s) for s in state.sectors}


def readable(slug: str, request: Request, visitor: VisitorDep) -> Place:
    principal = visitor.principal
    if not principal.can_see(slug):
        raise UnknownLocalityError(slug)  # another locality's existence must not leak
    if principal.role is Role.PEER:
        raise PeerOnly()
    runtime = runtime_of(request)
    row = runtime.views.locality(slug)
    place = Place(slug=slug, name=row.name, id=row.id, visitor=visitor, runtime=runtime)
    request.state.place = place
    return place


def writable(slug: str, request: Request, visitor: VisitorDep, form: FormDep) -> Place:
    require_csrf(visitor, form)
    place = readable(slug, request, visitor)
    if not place.can_write:
        raise ForbiddenError(f"a {visitor.role} can read the record but not change it")
    return place


ReadPlace = Annotated[Place, Depends(readable)]
WritePlace = Annotated[Place, Depends(writable)]
