"""Facts: the events of the log as plain, JSON-ready rows, the unit every view folds.

A fact keeps what the event said, who recorded it, when it was recorded (system time)
and when it took effect in the world (valid time). Sealed personal fields never
become facts: they stay ciphertext in the log, and a person's name reaches a view
only as the ``name`` the projection unseals for the stakeholder row.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

STANDARD_FIELDS = frozenset(
    {
        "originator_id",
        "originator_version",
        "timestamp",
        "originator_topic",
        "actor",
        "effective",
        "locality_id",
    }
)
PERSONAL_FIELDS = frozenset({"sealed"})


@dataclass(frozen=True)
class Fact:
    position: int
    locality_id: str
    aggregate_id: str
    aggregate_type: str
    version: int
    event_type: str
    actor: str
    recorded_at: datetime
    effective: date | None
    data: dict[str, Any]

    @property
    def when(self) -> date:
        """The date the fact took effect: its effective date, else the day it was recorded."""
        return self.effective or self.recorded_at.date()

    def row(self) -> tuple[Any, ...]:
        return (
            self.position,
            self.locality_id,
            self.aggregate_id,
            self.aggregate_type,
            self.version,
            self.event_type,
            self.actor,
            self.recorded_at.isoformat(),
            self.effective.isoformat() if self.effective else None,
            json.dumps(self.data, sort_keys=True),
        )

    @classmethod
    def from_row(cls, row: tuple[Any, ...]) -> Fact:
        (
            position,
            locality,
            aggregate,
            kind,
            version,
            event_type,
            actor,
            recorded,
            effective,
            data,
        ) = row
        return cls(
            position=int(position),
            locality_id=str(locality),
            aggregate_id=str(aggregate),
            aggregate_type=str(kind),
            version=int(version),
            event_type=str(event_type),
            actor=str(actor),
            recorded_at=datetime.fromisoformat(str(recorded)),
            effective=date.fromisoformat(str(effective)) if effective else None,
            data=json.loads(data),
        )


def plain(value: Any) -> Any:
    """A JSON-ready copy of an event field value."""
    if isinstance(value, UUID | Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list | frozenset | set):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    return value


def fact_from_event(event: Any, position: int, locality_id: str) -> Fact:
    """The fact of one domain event of civicweave's aggregates."""
    aggregate_type, _, event_type = type(event).__qualname__.rpartition(".")
    fields = event.__dict__
    return Fact(
        position=position,
        locality_id=locality_id,
        aggregate_id=str(event.originator_id),
        aggregate_type=aggregate_type,
        version=int(event.originator_version),
        event_type=event_type,
        actor=str(fields.get("actor", "")),
        recorded_at=event.timestamp,
        effective=fields.get("effective"),
        data={k: plain(v) for k, v in fields.items() if k not in STANDARD_FIELDS | PERSONAL_FIELDS},
    )
