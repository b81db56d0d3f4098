"""The record on disk, on SQLite and on PostgreSQL: it reads back as written, concurrent
changes never overwrite each other, and a person's details are stored only sealed."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

import psycopg
import pytest

from domain.application import CivicWeave
from domain.commitment import FULFILLED, MISSED, OPEN, WITHDRAWN, Commitment
from domain.errors import ConflictError, StaleVersionError
from domain.meeting import CANCELLED, HELD
from domain.persistence import environment
from domain.plan import DRAFT, Measure, Plan
from domain.relationship import Relationship
from domain.stakeholder import ARCHIVED, MERGED, Stakeholder
from domain.usecases.network import ERASED_NAME
from tests.domain.builders import ACTOR, Record, build_record, build_testville, events_of


@contextmanager
def reopened(database_url: str) -> Iterator[CivicWeave]:
    """A second application on the same store, as another process would open it."""
    other = CivicWeave(environment(database_url))
    try:
        yield other
    finally:
        other.close()


def query(database_url: str, statement: str, *params: Any) -> list[tuple[Any, ...]]:
    """Rows read straight from the database, bypassing the application."""
    if database_url.startswith("sqlite:///"):
        path = database_url[len("sqlite:///") :]
        with closing(sqlite3.connect(path)) as connection:
            return connection.execute(statement.replace("%s", "?"), params).fetchall()
    with psycopg.connect(database_url) as connection:
        return connection.execute(statement, params).fetchall()  # type: ignore[arg-type]


def stored_states(database_url: str, app: CivicWeave) -> list[bytes]:
    """The raw ``state`` column of every stored event (a BLOB in SQLite, bytea in PostgreSQL)."""
    table = app.recorder.events_table_name  # type: ignore[attr-defined]
    return [bytes(state) for (state,) in query(database_url, f"SELECT state FROM {table}")]


def test_the_store_is_the_one_the_url_names(database_url: str, app: CivicWeave) -> None:
    expected = "sqlite" if database_url.startswith("sqlite") else "postgres"
    assert type(app.recorder).__module__ == f"eventsourcing.{expected}"


def test_a_whole_record_reads_back_equal_from_a_new_application(database_url: str, app: CivicWeave) -> None:
    record = build_record(app)
    keys = record.aggregate_ids
    written = {key: vars(app.repository.get(key)) for key in keys}
    log = [(n.id, n.topic, n.state) for n in app.recorder.select_notifications(start=1, limit=500)]
    app.close()

    with reopened(database_url) as other:
        assert {key: vars(other.repository.get(key)) for key in keys} == written
        assert [
            (n.id, n.topic, n.state) for n in other.recorder.select_notifications(start=1, limit=500)
        ] == log
        assert_the_record_says_what_was_written(other, record)


def assert_the_record_says_what_was_written(app: CivicWeave, record: Record) -> None:
    town, slug = record.town, record.town.slug

    locality = app.locality(slug)
    assert (locality.name, locality.region) == ("Testville", "North West England")
    assert locality.extra_sectors == {"arts": "Arts and culture"}

    food_bank = app.load(Stakeholder, town.food_bank, locality=slug)
    assert (food_bank.name, food_bank.contact, food_bank.sector) == (
        "Testville Food Bank CIO",
        "hello@foodbank.example",
        "faith",
    )
    assert list(food_bank.assets.values()) == [("venue", "Church hall")]
    assert app.stakeholder_details(app.load(Stakeholder, town.mary, locality=slug))["name"] == (
        "Mary Okonkwo"
    )
    assert app.stakeholder_details(app.load(Stakeholder, record.joe, locality=slug))["name"] == (ERASED_NAME)
    duplicate = app.load(Stakeholder, record.duplicate, locality=slug)
    assert (duplicate.status, duplicate.merged_into) == (MERGED, town.council)
    assert app.load(Stakeholder, town.housing, locality=slug).status == ARCHIVED

    tie = app.load(Relationship, record.relationship, locality=slug)
    assert (tie.kind, tie.directed, tie.intensity, tie.valid_from) == (
        "funds",
        True,
        3,
        date(2024, 1, 10),
    )
    assert tie.ratings == {"food bank": ((3, 4, 2), (4, 3, 1))}
    assert app.load(Relationship, record.ended_relationship, locality=slug).valid_to == date(2024, 5, 31)

    meeting = app.repository.get(record.meeting)
    assert (meeting.status, meeting.held_on, meeting.notes) == (
        HELD,
        date(2024, 3, 5),
        "Warm discussion; hub agreed.",
    )
    assert meeting.attendees == {town.council, town.mary, town.food_bank}
    ((_, wording, agreed_by),) = meeting.decisions
    assert (wording, set(agreed_by)) == ("Open a community hub", {town.council, town.mary})
    assert app.repository.get(record.cancelled_meeting).status == CANCELLED

    plan = app.load(Plan, record.plan, locality=slug)
    assert (plan.status, plan.revision, plan.agreed_at) == (DRAFT, 2, record.meeting)
    assert plan.goals == {record.goal: ("Fewer lonely people", "")}
    measure = app.load(Measure, record.measure, locality=slug)
    assert (measure.baseline, measure.target, measure.shared_code) == (
        Decimal("120"),
        Decimal("200.5"),
        "ASCOT-1A",
    )
    assert measure.observations == ((date(2024, 6, 1), Decimal("131.5"), ""),)
    assert app.load(Measure, record.story, locality=slug).observations == (
        (date(2024, 6, 1), None, "Mrs B comes every week"),
    )

    statuses = {
        key: app.load(Commitment, key, locality=slug).status
        for key in (record.fulfilled, record.renegotiated, record.missed, record.withdrawn)
    }
    assert statuses == {
        record.fulfilled: FULFILLED,
        record.renegotiated: OPEN,
        record.missed: MISSED,
        record.withdrawn: WITHDRAWN,
    }
    renegotiated = app.load(Commitment, record.renegotiated, locality=slug)
    assert (renegotiated.original_due, renegotiated.due, renegotiated.promisor_id) == (
        date(2024, 6, 30),
        date(2024, 9, 30),
        town.nhs_trust,
    )
    assert set(renegotiated.promisee_ids) == {town.food_bank, town.mary}
    assert (renegotiated.goal_id, renegotiated.meeting_id) == (record.goal, record.meeting)
    fulfilled = app.load(Commitment, record.fulfilled, locality=slug)
    assert (fulfilled.closed_on, fulfilled.progress) == (date(2024, 5, 14), (("Hall booked", 50),))


def test_dates_survive_the_round_trip_as_dates(database_url: str, app: CivicWeave) -> None:
    town = build_testville(app)
    key = town.commitment(made_on=date(2024, 2, 29), due=date(2024, 12, 31))
    app.fulfil(town.slug, key, on=date(2024, 3, 1), actor=ACTOR)

    with reopened(database_url) as other:
        commitment = other.load(Commitment, key, locality=town.slug)
        made, fulfilled = events_of(other, key)

    for value in (commitment.made_on, commitment.due, commitment.closed_on, made.effective):
        assert type(value) is date
    assert (commitment.made_on, commitment.due, commitment.closed_on) == (
        date(2024, 2, 29),
        date(2024, 12, 31),
        date(2024, 3, 1),
    )
    assert (type(fulfilled.on), fulfilled.on) == (date, date(2024, 3, 1))
    assert fulfilled.timestamp.tzinfo is not None


def test_of_two_concurrent_changes_the_second_is_refused_not_saved_over_the_first(
    database_url: str, app: CivicWeave
) -> None:
    town = build_testville(app)
    key = town.commitment()

    with reopened(database_url) as other:
        ours = app.load(Commitment, key, locality=town.slug)
        theirs = other.load(Commitment, key, locality=town.slug)
        ours.fulfil("Hub open", on=date(2024, 5, 1), actor="facilitator")
        theirs.withdraw("Funding cut", on=date(2024, 5, 2), actor="lead")
        app.commit(ours)

        with pytest.raises(ConflictError, match="reload it and try again"):
            other.commit(theirs)

        history = events_of(other, key)
    assert [type(event).__name__ for event in history] == ["Made", "Fulfilled"]
    assert app.load(Commitment, key, locality=town.slug).status == FULFILLED


def test_a_change_based_on_a_version_another_application_moved_on_is_stale(
    database_url: str, app: CivicWeave
) -> None:
    town = build_testville(app)
    key = town.commitment()
    version = app.load(Commitment, key, locality=town.slug).version

    with reopened(database_url) as other:
        other.fulfil(town.slug, key, on=date(2024, 5, 1), actor="lead", expected_version=version)

    with pytest.raises(StaleVersionError) as caught:
        app.withdraw(town.slug, key, reason="Cut", on=date(2024, 5, 2), actor=ACTOR, expected_version=version)
    assert isinstance(caught.value, ConflictError)
    assert [type(event).__name__ for event in events_of(app, key)] == ["Made", "Fulfilled"]


def test_a_persons_name_is_never_stored_in_the_clear(database_url: str, app: CivicWeave) -> None:
    town = build_testville(app)
    app.change_stakeholder_details(
        town.slug, town.mary, name="Mary Okonkwo", contact="07700 900123", actor=ACTOR
    )

    stored = b"\n".join(stored_states(database_url, app))

    assert b"Testville Food Bank" in stored, "an organisation's name is stored in the clear"
    for personal in (b"Mary", b"Okonkwo", b"mary.okonkwo@example.org", b"07700 900123", b"her son"):
        assert personal not in stored
    mary = app.load(Stakeholder, town.mary, locality=town.slug)
    assert app.stakeholder_details(mary) == {
        "name": "Mary Okonkwo",
        "contact": "07700 900123",
        "notes": "",
    }
    with reopened(database_url) as other:
        assert other.stakeholder_details(other.repository.get(town.mary))["name"] == "Mary Okonkwo"


def test_an_erased_person_reads_erased_and_their_key_is_gone(database_url: str, app: CivicWeave) -> None:
    town = build_testville(app)
    keys_before = key_rows(database_url, town.mary)
    stored_before = stored_states(database_url, app)

    app.erase_person(town.slug, town.mary, reason="Asked to be forgotten", actor="admin")

    assert keys_before == 1
    assert key_rows(database_url, town.mary) == 0
    assert stored_states(database_url, app)[: len(stored_before)] == stored_before
    with reopened(database_url) as other:
        mary = other.load(Stakeholder, town.mary, locality=town.slug)
        assert mary.erased
        assert other.stakeholder_details(mary) == {"name": ERASED_NAME, "contact": "", "notes": ""}


def key_rows(database_url: str, subject: UUID) -> int:
    ((count,),) = query(
        database_url,
        "SELECT COUNT(*) FROM civicweave_person_keys WHERE subject = %s",
        str(subject),
    )
    return int(count)


@pytest.mark.postgres
def test_the_session_has_a_postgres_database_of_its_own(postgres_url: str) -> None:
    with psycopg.connect(postgres_url) as connection:
        ((name,),) = connection.execute("SELECT current_database()").fetchall()
    assert name.startswith("civicweave_test_")
    assert postgres_url.endswith(f"/{name}")
