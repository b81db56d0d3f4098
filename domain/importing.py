"""Bulk imports: many new records of one locality, made through their aggregates with the
checks of the use cases, and saved a batch of aggregates per transaction.

A spreadsheet of 20,000 stakeholders would take 20,000 transactions through the use
cases, each loading the locality and every aggregate it touches; here the locality is
read once, the stakeholders a row refers to are loaded at most once, and the aggregates
are saved ``batch_size`` at a time (several times faster on SQLite). Call ``flush`` at
the end: what is still pending is saved then. The import as a whole is not one
transaction: a failure leaves the batches already saved in place.

New aggregates are built from their created events by ``domain.bulk.create``, without
eventsourcing's generic ``@event`` call machinery, and each batch is written by
``domain.recorders.batch_events``: one insert statement, encoded by ``BulkTranscoder``.
An aggregate's new events are encoded as it is added to the batch, which holds only
their rows until it is written.
The stored events are those the aggregates' own calls and the library's recorders would
store (``tests/domain/test_bulk_paths.py``). On SQLite and PostgreSQL a batch is
committed while the next one is built (``domain.batches``); ``saved`` then counts the
batches committed, waiting for the one in flight.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from uuid import UUID

from domain.application import CivicWeave
from domain.base import MAX_NAME, CivicAggregate, choice, not_before, scale, text
from domain.batches import batch_writer
from domain.bulk import collector_paused, create, random_ids
from domain.commitment import FULFILLED, MISSED, WITHDRAWN, Commitment
from domain.encoding import Row, row_maker
from domain.errors import InvalidInputError
from domain.meeting import CANCELLED, Meeting, MeetingCancelledError
from domain.privacy import MemoryKeyStore, PersonalData
from domain.recorders import batch_events
from domain.relationship import Relationship
from domain.stakeholder import Stakeholder
from domain.vocabulary import DIRECTED_KINDS, MeetingKind, RelationshipKind, Source, StakeholderKind

BATCH_SIZE = 800
OUTCOMES = (FULFILLED, MISSED, WITHDRAWN)


class BulkImport:
    """Creates records of ``locality`` as ``actor``; each method checks what the use case
    of the same name checks, and returns the id of what it created."""

    def __init__(self, app: CivicWeave, locality: str, *, actor: str, batch_size: int = BATCH_SIZE) -> None:
        self.app = app
        self.slug = locality
        self.locality = app.locality(locality)
        self.actor = actor
        self.batch_size = batch_size
        # The rows of each aggregate of the batch, by its id's number, in the order the
        # aggregates were first added: a batch holds rows, not aggregates and events.
        self._pending: dict[int, list[Row]] = {}
        self._ids = random_ids()
        events = batch_events(app.mapper, app.recorder)
        self._row = row_maker(events.mapper)
        self._writer = batch_writer(events.recorder, app.personal.keys)
        # New people's keys, stored with the batch (before its events) instead of one
        # transaction each: on SQLite that halves the time of a list of residents.
        self._keys = MemoryKeyStore()
        self._sealer = PersonalData(self._keys)
        # Keyed by the ids' numbers: hashing or comparing a UUID is a Python call, and
        # an import looks its stakeholders up a few times a row.
        self._stakeholders: dict[int, Stakeholder] = {}
        self._meetings: dict[int, Meeting] = {}

    @property
    def saved(self) -> int:
        """How many records were saved (once the batch being committed is)."""
        return self._writer.saved

    def flush(self) -> None:
        """Save the pending aggregates in one transaction, and wait until every batch is saved."""
        self._write()
        self._writer.wait()

    def _write(self) -> None:
        """Save the pending aggregates in one transaction; on SQLite, committed while
        the next batch is built (``domain.batches``)."""
        if not self._pending:
            return
        with collector_paused():
            rows = [row for rows in self._pending.values() for row in rows]
            keys = list(self._keys.items())
            if keys:
                self._keys = self._sealer.keys = MemoryKeyStore()
            self._writer.write(len(self._pending), rows, keys)
        self._pending.clear()

    def _add(self, aggregate: CivicAggregate) -> None:
        """Encode the aggregate's new events into the batch, now: held until the batch
        is written, a batch's aggregates and events outlived the collector's young
        generations, and the full collections that followed walked every object of the
        process, the rows being imported too (about a tenth of an import)."""
        row = self._row
        rows = [row(event) for event in aggregate.collect_events()]
        key = aggregate.id.int
        found = self._pending.get(key)
        if found is None:
            self._pending[key] = rows
        else:
            found.extend(rows)
        if len(self._pending) >= self.batch_size:
            self._write()

    def _stakeholder(self, key: UUID) -> Stakeholder:
        found = self._stakeholders.get(key.int)
        if found is None:
            found = self._stakeholders[key.int] = self.app.load(Stakeholder, key, locality=self.slug)
        return found

    def _registered(self, keys: Iterable[UUID]) -> tuple[UUID, ...]:
        unique = tuple({key.int: key for key in keys}.values())  # in order, once each
        for key in unique:
            self._stakeholder(key).require_active()
        return unique

    def _meeting(self, key: UUID) -> Meeting:
        found = self._meetings.get(key.int)
        if found is None:
            found = self._meetings[key.int] = self.app.load(Meeting, key, locality=self.slug)
        return found

    # Stakeholders and assets

    def register_stakeholder(
        self,
        *,
        kind: str,
        sector: str,
        name: str,
        contact: str = "",
        notes: str = "",
        since: date | None = None,
        stakeholder_id: UUID | None = None,
    ) -> UUID:
        kind = choice("kind", kind, StakeholderKind)
        sectors = self.locality.sectors
        if sector not in sectors:
            raise InvalidInputError("sector", f"{sector!r} is not allowed; use one of: {', '.join(sectors)}")
        key = stakeholder_id or next(self._ids)
        stakeholder = create(
            Stakeholder,
            Stakeholder.Registered,
            id=key,
            locality_id=self.locality.id,
            kind=kind,
            sector=sector,
            actor=self.actor,
            effective=since,
            **self._details(key, kind, name, contact, notes),
        )
        self._stakeholders[key.int] = stakeholder
        self._add(stakeholder)
        return key

    def _details(self, key: UUID, kind: str, name: str, contact: str, notes: str) -> dict[str, str]:
        """As ``NetworkUseCases._details``, with the new key kept for the batch."""
        # The use case's checks of the fields, which it returns in the clear for an organisation.
        fields = self.app._details(key, StakeholderKind.ORGANISATION.value, name, contact, notes)
        if kind != StakeholderKind.PERSON.value:
            return fields
        clear = {"name": fields["name"], "contact": fields["contact"], "notes": fields["notes"]}
        return {"name": "", "contact": "", "notes": "", "sealed": self._sealer.seal(key, clear)}

    def record_asset(self, stakeholder_id: UUID, *, category: str, description: str) -> UUID:
        stakeholder = self._stakeholder(stakeholder_id)
        asset_id = next(self._ids)
        stakeholder.record_asset(asset_id, category, description, actor=self.actor)
        self._add(stakeholder)
        return asset_id

    # Relationships

    def form_relationship(
        self,
        *,
        source_id: UUID,
        target_id: UUID,
        kind: str,
        intensity: int,
        source: str = Source.DECLARED.value,
        directed: bool | None = None,
        valid_from: date | None = None,
        valid_to: date | None = None,
        end_reason: str = "",
    ) -> UUID:
        """A relationship; with ``valid_to``, one that has already ended (for ``end_reason``)."""
        if source_id.int == target_id.int:
            raise InvalidInputError("target_id", "a relationship needs two different stakeholders")
        self._stakeholder(source_id).require_active()
        self._stakeholder(target_id).require_active()
        kind = choice("kind", kind, RelationshipKind)
        relationship = create(
            Relationship,
            Relationship.Formed,
            id=next(self._ids),
            locality_id=self.locality.id,
            source_id=source_id,
            target_id=target_id,
            kind=kind,
            directed=kind in DIRECTED_KINDS if directed is None else bool(directed),
            intensity=scale("intensity", intensity),
            source=choice("source", source, Source),
            valid_from=valid_from or self.app.today(),
            actor=self.actor,
            effective=valid_from,
        )
        if valid_to is not None:
            relationship.end(valid_to, end_reason, actor=self.actor)
        self._add(relationship)
        return relationship.id

    # Meetings

    def schedule_meeting(
        self,
        *,
        kind: str,
        title: str,
        held_on: date,
        place: str = "",
        held: bool = False,
        attendees: Iterable[UUID] = (),
    ) -> UUID:
        """A meeting, held on ``held_on`` if ``held``, with its attendance if any."""
        meeting = create(
            Meeting,
            Meeting.Scheduled,
            id=next(self._ids),
            locality_id=self.locality.id,
            kind=choice("kind", kind, MeetingKind),
            title=text("title", title, max_length=MAX_NAME),
            held_on=held_on,
            place=text("place", place, max_length=MAX_NAME, required=False),
            actor=self.actor,
            effective=held_on,
        )
        if held:
            meeting.hold(held_on, actor=self.actor)
        present = self._registered(attendees)
        if present:
            meeting.record_attendance(present, actor=self.actor)
        self._meetings[meeting.id.int] = meeting
        self._add(meeting)
        return meeting.id

    def record_attendance(self, meeting_id: UUID, attendees: Iterable[UUID]) -> None:
        meeting = self._meeting(meeting_id)
        meeting.record_attendance(self._registered(attendees), actor=self.actor)
        self._add(meeting)

    # Commitments

    def make_commitment(
        self,
        *,
        promisor_id: UUID,
        what: str,
        due: date,
        promisee_ids: Iterable[UUID] = (),
        to_change_group: bool = False,
        made_on: date | None = None,
        meeting_id: UUID | None = None,
        outcome: tuple[str, date, str] | None = None,
    ) -> UUID:
        """A commitment; ``outcome`` (fulfilled, missed or withdrawn; on; evidence or
        reason) closes it as the spreadsheet says it was closed."""
        (promisor,) = self._registered((promisor_id,))
        promisees = self._registered(promisee_ids)
        if promisor in promisees:
            raise InvalidInputError("promisee_ids", "a stakeholder cannot make a commitment to itself")
        if not promisees and not to_change_group:
            raise InvalidInputError(
                "promisee_ids", "name at least one promisee, or make it to the Change Group"
            )
        meeting = self._meeting(meeting_id) if meeting_id is not None else None
        if meeting is not None and meeting.status == CANCELLED:
            raise MeetingCancelledError(meeting.id)
        made = made_on or (meeting.held_on if meeting else self.app.today())
        commitment = create(
            Commitment,
            Commitment.Made,
            id=next(self._ids),
            locality_id=self.locality.id,
            promisor_id=promisor,
            promisee_ids=promisees,
            to_change_group=bool(to_change_group),
            what=text("what", what),
            made_on=made,
            due=not_before("due", due, made, "the date the commitment was made"),
            meeting_id=meeting_id,
            goal_id=None,
            actor=self.actor,
            effective=made,
        )
        if outcome is not None:
            self._close(commitment, *outcome)
        self._add(commitment)
        return commitment.id

    def _close(self, commitment: Commitment, status: str, on: date, note: str) -> None:
        if status == FULFILLED:
            commitment.fulfil(note, on=on, actor=self.actor)
        elif status == MISSED:
            commitment.miss(note, on=on, actor=self.actor)
        elif status == WITHDRAWN:
            commitment.withdraw(note, on=on, actor=self.actor)
        else:
            raise InvalidInputError("status", f"{status!r} is not allowed; use one of: {', '.join(OUTCOMES)}")
