"""How facts change the durable rows of localities, stakeholders, commitments and peer
networks (the tables that lists, search, the accountability read model and peer
comparisons read)."""

from __future__ import annotations

from collections.abc import Callable

from projections.facts import Fact
from projections.folds import ERASED_NAME
from projections.store import Cursor

RowWriter = Callable[[Cursor, Fact, str | None], None]
ROW_WRITERS: dict[tuple[str, str], RowWriter] = {}


def writes(aggregate_type: str, *event_types: str) -> Callable[[RowWriter], RowWriter]:
    def register(writer: RowWriter) -> RowWriter:
        for event_type in event_types:
            ROW_WRITERS[(aggregate_type, event_type)] = writer
        return writer

    return register


@writes("Locality", "Registered")
def _locality(cursor: Cursor, fact: Fact, _: str | None) -> None:
    data = fact.data
    cursor.execute(
        "INSERT INTO view_localities (locality_id, slug, name, region) VALUES (?, ?, ?, ?)",
        (fact.aggregate_id, data["slug"], data["name"], data["region"]),
    )


@writes("Locality", "Renamed")
def _locality_renamed(cursor: Cursor, fact: Fact, _: str | None) -> None:
    cursor.execute(
        "UPDATE view_localities SET name = ?, region = ? WHERE locality_id = ?",
        (fact.data["name"], fact.data["region"], fact.aggregate_id),
    )


@writes("Stakeholder", "Registered")
def _stakeholder(cursor: Cursor, fact: Fact, name: str | None) -> None:
    data = fact.data
    cursor.execute(
        "INSERT INTO view_stakeholders (id, locality_id, kind, sector, name, status, version, position) "
        "VALUES (?, ?, ?, ?, ?, 'active', ?, ?)",
        (
            fact.aggregate_id,
            fact.locality_id,
            data["kind"],
            data["sector"],
            name or data["name"],
            fact.version,
            fact.position,
        ),
    )


def _update_stakeholder(cursor: Cursor, fact: Fact, column: str, value: str) -> None:
    cursor.execute(
        f"UPDATE view_stakeholders SET {column} = ?, version = ?, position = ? WHERE id = ?",
        (value, fact.version, fact.position, fact.aggregate_id),
    )


@writes("Stakeholder", "DetailsChanged")
def _details(cursor: Cursor, fact: Fact, name: str | None) -> None:
    _update_stakeholder(cursor, fact, "name", name or fact.data["name"])


@writes("Stakeholder", "SectorChanged")
def _sector(cursor: Cursor, fact: Fact, _: str | None) -> None:
    _update_stakeholder(cursor, fact, "sector", fact.data["sector"])


@writes("Stakeholder", "MergedInto", "Archived")
def _status(cursor: Cursor, fact: Fact, _: str | None) -> None:
    _update_stakeholder(cursor, fact, "status", "merged" if fact.event_type == "MergedInto" else "archived")


@writes("Stakeholder", "PersonErased")
def _erased(cursor: Cursor, fact: Fact, _: str | None) -> None:
    _update_stakeholder(cursor, fact, "name", ERASED_NAME)


@writes("Stakeholder", "AssetRecorded", "AssetRetired")
def _version(cursor: Cursor, fact: Fact, _: str | None) -> None:
    cursor.execute(
        "UPDATE view_stakeholders SET version = ?, position = ? WHERE id = ?",
        (fact.version, fact.position, fact.aggregate_id),
    )


@writes("Commitment", "Made")
def _made(cursor: Cursor, fact: Fact, _: str | None) -> None:
    data = fact.data
    cursor.execute(
        "INSERT INTO view_commitments (id, locality_id, promisor_id, what, made_on, original_due, due, status, "
        "closed_on, renegotiations, meeting_id, version, position) VALUES (?, ?, ?, ?, ?, ?, ?, 'open', NULL, 0, ?, ?, ?)",
        (
            fact.aggregate_id,
            fact.locality_id,
            data["promisor_id"],
            data["what"],
            data["made_on"],
            data["due"],
            data["due"],
            data.get("meeting_id"),
            fact.version,
            fact.position,
        ),
    )


def _update_commitment(cursor: Cursor, fact: Fact, assignments: str, values: tuple[object, ...]) -> None:
    cursor.execute(
        f"UPDATE view_commitments SET {assignments}, version = ?, position = ? WHERE id = ?",
        (*values, fact.version, fact.position, fact.aggregate_id),
    )


@writes("Commitment", "ProgressReported")
def _progress(cursor: Cursor, fact: Fact, _: str | None) -> None:
    _update_commitment(cursor, fact, "status = status", ())


@writes("Commitment", "Renegotiated")
def _renegotiated(cursor: Cursor, fact: Fact, _: str | None) -> None:
    _update_commitment(cursor, fact, "due = ?, renegotiations = renegotiations + 1", (fact.data["due"],))


@writes("Commitment", "Reassigned")
def _reassigned(cursor: Cursor, fact: Fact, _: str | None) -> None:
    _update_commitment(cursor, fact, "promisor_id = ?", (fact.data["promisor_id"],))


@writes("Commitment", "Fulfilled", "Missed", "Withdrawn")
def _closed(cursor: Cursor, fact: Fact, _: str | None) -> None:
    status = {"Fulfilled": "fulfilled", "Missed": "missed", "Withdrawn": "withdrawn"}[fact.event_type]
    _update_commitment(cursor, fact, "status = ?, closed_on = ?", (status, fact.data["on"]))


@writes("PeerNetwork", "Established")
def _peer_network(cursor: Cursor, fact: Fact, _: str | None) -> None:
    cursor.execute(
        "INSERT INTO view_peer_networks (network_id, slug, name) VALUES (?, ?, ?)",
        (fact.aggregate_id, fact.data["slug"], fact.data["name"]),
    )


@writes("PeerNetwork", "LocalityJoined")
def _joined(cursor: Cursor, fact: Fact, _: str | None) -> None:
    cursor.execute(
        "INSERT INTO view_peer_members (network_id, version, locality_slug, joined_on, left_on) "
        "VALUES (?, ?, ?, ?, NULL)",
        (fact.aggregate_id, fact.version, fact.data["locality_slug"], fact.data["on"]),
    )


@writes("PeerNetwork", "LocalityLeft")
def _left(cursor: Cursor, fact: Fact, _: str | None) -> None:
    cursor.execute(
        "UPDATE view_peer_members SET left_on = ? WHERE network_id = ? AND locality_slug = ? AND left_on IS NULL",
        (fact.data["on"], fact.aggregate_id, fact.data["locality_slug"]),
    )
