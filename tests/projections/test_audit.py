"""Audit trails: the history of a commitment as a lead reads it, and a person's name kept
out of the facts and gone from every view once the person is erased."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from domain.application import CivicWeave
from projections.store import PostgresDatabase, ViewDatabase
from tests.projections.conftest import ACTOR, SLUG, ReadSide, Town, table_rows

NAME, CONTACT, NOTES = "Mary Okonkwo", "mary.okonkwo@example.org", "Cares for her son"
NEW_NAME = "Mary Okonkwo-Hale"


def test_a_commitments_history_lists_every_event_in_order_with_who_when_and_at_which_meeting(
    town: Town, read_side: ReadSide
) -> None:
    app = town.app
    council = town.stakeholder("Riverside Council", "public")
    nhs = town.stakeholder("Riverside NHS Trust", "health")
    food_bank = town.stakeholder("Riverside Food Bank", "vcse")
    march = town.meeting(date(2024, 3, 5), council, nhs, food_bank, title="Change Group, March")
    april = town.meeting(date(2024, 4, 16), council, nhs, food_bank, title="Change Group, April")
    started = datetime.now(UTC)
    receipts = [
        app.make_commitment(
            SLUG,
            promisor_id=council,
            promisee_ids=[food_bank],
            what="Open the hub two evenings a week",
            due=date(2024, 6, 30),
            meeting_id=march,
            actor="facilitator",
        )
    ]
    commitment = receipts[0].id
    receipts += [
        app.report_progress(SLUG, commitment, note="Hall booked", meeting_id=april, actor="lead"),
        app.renegotiate(
            SLUG,
            commitment,
            due=date(2024, 7, 31),
            reason="Budget round moved",
            meeting_id=april,
            actor="lead",
        ),
        app.reassign(
            SLUG, commitment, promisor_id=nhs, reason="The NHS funds it", on=date(2024, 5, 2), actor="admin"
        ),
        app.fulfil(SLUG, commitment, evidence="Open since July", on=date(2024, 7, 10), actor="lead"),
    ]
    finished = datetime.now(UTC)
    read_side.state()

    trail = read_side.reader.history(SLUG, str(commitment))

    assert trail is not None
    assert [e["position"] for e in trail] == [r.position for r in receipts]
    assert [e["version"] for e in trail] == [1, 2, 3, 4, 5]
    assert [e["event"] for e in trail] == [
        "Made",
        "ProgressReported",
        "Renegotiated",
        "Reassigned",
        "Fulfilled",
    ]
    assert [e["summary"] for e in trail] == [
        "Commitment made: Open the hub two evenings a week (due 2024-06-30)",
        "Progress reported: Hall booked",
        "Due date renegotiated to 2024-07-31: Budget round moved",
        "Reassigned to Riverside NHS Trust: The NHS funds it",
        "Fulfilled on 2024-07-10",
    ]
    assert [e["actor"] for e in trail] == ["facilitator", "lead", "lead", "admin", "lead"]
    # Effective dates: the meeting's day where it was at a meeting, else the day given.
    assert [e["effective"] for e in trail] == [
        "2024-03-05",
        "2024-04-16",
        "2024-04-16",
        "2024-05-02",
        "2024-07-10",
    ]
    assert [(e["meeting"] or {}).get("title") for e in trail] == [
        "Change Group, March",
        "Change Group, April",
        "Change Group, April",
        None,
        None,
    ]
    assert trail[0]["meeting"] == {"id": str(march), "title": "Change Group, March", "held_on": "2024-03-05"}
    recorded = [datetime.fromisoformat(e["recorded_at"]) for e in trail]
    assert recorded == sorted(recorded)
    assert started <= recorded[0] and recorded[-1] <= finished
    assert trail[2]["changes"]["due"] == "2024-07-31"
    assert trail[3]["changes"]["promisor_id"] == str(nhs)


def test_a_history_is_only_shown_in_the_locality_it_belongs_to(town: Town, read_side: ReadSide) -> None:
    council = town.stakeholder("Riverside Council", "public")
    town.app.register_locality("hillside", "Hillside", actor="admin")
    read_side.state()

    assert read_side.reader.history(SLUG, str(council)) is not None
    assert read_side.reader.history("hillside", str(council)) is None
    assert read_side.reader.history(SLUG, "not-a-record") is None


def every_text(db: ViewDatabase) -> list[str]:
    """Every value of every row of every table of the database, as text."""
    with db.transaction() as cursor:
        if isinstance(db, PostgresDatabase):
            cursor.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        tables = [str(row[0]) for row in cursor.fetchall()]
    assert "view_facts" in tables and "view_stakeholders" in tables
    return [_text(value) for table in tables for row in table_rows(db, table, "1") for value in row]


def _text(value: Any) -> str:
    return bytes(value).decode("utf-8", "replace") if isinstance(value, bytes | memoryview) else str(value)


def mentions(db: ViewDatabase, *secrets: str) -> list[str]:
    return [text for text in every_text(db) if any(secret in text for secret in secrets)]


def register_mary(app: CivicWeave, town: Town) -> UUID:
    mary = app.register_stakeholder(
        SLUG, kind="person", sector="lived_experience", name=NAME, contact=CONTACT, notes=NOTES, actor=ACTOR
    ).id
    council = town.stakeholder("Riverside Council", "public")
    town.tie(council, mary, kind="refers_to")
    town.meeting(date(2024, 3, 5), council, mary)
    town.promise(mary, council, made_on=date(2024, 3, 5), due=date(2024, 5, 1))
    return mary


def test_a_persons_name_reaches_the_stakeholder_row_but_never_the_facts(
    app: CivicWeave, database_url: str
) -> None:
    app.register_locality(SLUG, "Riverside", actor="admin")
    town = Town(app)
    mary = register_mary(app, town)
    app.change_stakeholder_details(SLUG, mary, name=NEW_NAME, contact=CONTACT, actor=ACTOR)
    side = ReadSide(app, database_url)
    try:
        state = side.state()

        facts = [str(row[-1]) for row in table_rows(side.db, "view_facts")]
        assert not [data for data in facts if any(s in data for s in ("Okonkwo", CONTACT, NOTES))]
        rows, _ = side.views.rows("view_stakeholders", state.id, where=[("kind = ?", "person")])
        assert [row["name"] for row in rows] == [NEW_NAME]
        assert state.stakeholders[str(mary)].name == NEW_NAME
        trail = side.reader.history(SLUG, str(mary))
        assert trail is not None and "Okonkwo" not in str([e["changes"] for e in trail])
    finally:
        side.close()


def test_after_erasure_a_persons_name_is_nowhere_in_the_views_even_after_a_rebuild(
    app: CivicWeave, database_url: str
) -> None:
    app.register_locality(SLUG, "Riverside", actor="admin")
    town = Town(app)
    mary = register_mary(app, town)
    app.change_stakeholder_details(SLUG, mary, name=NEW_NAME, contact=CONTACT, notes=NOTES, actor=ACTOR)
    side = ReadSide(app, database_url)
    try:
        assert side.state().stakeholders[str(mary)].name == NEW_NAME
        assert mentions(side.db, "Okonkwo")  # the search finds the name while it is there

        app.erase_person(SLUG, mary, reason="Asked to be forgotten", actor="admin")
        state = side.state()

        assert mentions(side.db, "Okonkwo", CONTACT, NOTES) == []
        assert state.stakeholders[str(mary)].name == "erased person"
        assert "Okonkwo" not in repr(state)
        trail = side.reader.history(SLUG, str(mary))
        assert trail is not None and trail[-1]["summary"] == "Personal data erased: Asked to be forgotten"
    finally:
        side.close()

    rebuilt = ReadSide(app, "sqlite://")
    try:
        assert rebuilt.state().stakeholders[str(mary)].name == "erased person"
        assert mentions(rebuilt.db, "Okonkwo", CONTACT, NOTES) == []
    finally:
        rebuilt.close()
