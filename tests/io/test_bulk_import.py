"""BulkImport: the use cases' checks, batched saves, and an import stopped part way."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest
from typer.testing import CliRunner

from domain.application import CivicWeave
from domain.commitment import Commitment
from domain.errors import InvalidInputError, NotFoundError
from domain.importing import BulkImport
from domain.meeting import Meeting
from domain.persistence import environment
from domain.relationship import Relationship
from domain.stakeholder import Stakeholder, StakeholderInactiveError
from service.console import cli
from service.io.csv_import import ImportKind
from service.io.importing import ImportStoppedError, write_plan
from tests.io.conftest import SLUG, Store
from tests.io.generate import relationships_csv, stakeholders_csv


@pytest.fixture
def app() -> CivicWeave:
    application = CivicWeave(environment("memory://"))
    application.register_locality(SLUG, "Testville", actor="setup")
    return application


def test_records_are_saved_a_batch_at_a_time_and_the_rest_on_flush(app: CivicWeave) -> None:
    bulk = BulkImport(app, SLUG, actor="importer", batch_size=4)
    start = app.recorder.max_notification_id()

    keys = [bulk.register_stakeholder(kind="group", sector="vcse", name=f"Group {n}") for n in range(10)]

    assert bulk.saved == 8 and app.recorder.max_notification_id() == start + 8
    bulk.flush()
    assert bulk.saved == 10
    assert [app.load(Stakeholder, key, locality=SLUG).name for key in keys] == [
        f"Group {n}" for n in range(10)
    ]


def test_the_records_carry_what_the_use_cases_would_record(app: CivicWeave) -> None:
    bulk = BulkImport(app, SLUG, actor="importer")
    a = bulk.register_stakeholder(kind="organisation", sector="health", name="Trust", since=date(2023, 1, 1))
    b = bulk.register_stakeholder(kind="person", sector="lived_experience", name="Mary", contact="m@x.org")
    bulk.record_asset(a, category="venue", description="Hall")
    tie = bulk.form_relationship(
        source_id=a,
        target_id=b,
        kind="funds",
        intensity=3,
        valid_from=date(2023, 2, 1),
        valid_to=date(2023, 5, 1),
        end_reason="Grant ended",
    )
    meeting = bulk.schedule_meeting(
        kind="workshop", title="Kick-off", held_on=date(2023, 3, 1), held=True, attendees=[a, b]
    )
    promise = bulk.make_commitment(
        promisor_id=a,
        what="Fund the pantry",
        due=date(2023, 6, 1),
        promisee_ids=[b],
        meeting_id=meeting,
        outcome=("fulfilled", date(2023, 5, 20), "Paid"),
    )
    bulk.flush()

    mary = app.load(Stakeholder, b, locality=SLUG)
    assert mary.name == "" and app.stakeholder_details(mary) == {
        "name": "Mary",
        "contact": "m@x.org",
        "notes": "",
    }
    relationship = app.load(Relationship, tie, locality=SLUG)
    assert (relationship.directed, relationship.intensity, relationship.valid_to) == (
        True,
        3,
        date(2023, 5, 1),
    )
    held = app.load(Meeting, meeting, locality=SLUG)
    assert (held.status, held.attendees) == ("held", frozenset({a, b}))
    commitment = app.load(Commitment, promise, locality=SLUG)
    assert (commitment.made_on, commitment.status, commitment.closed_on) == (
        date(2023, 3, 1),
        "fulfilled",
        date(2023, 5, 20),
    )
    events = [app.mapper.to_domain_event(n) for n in app.recorder.select_notifications(2, 100)]
    assert {event.actor for event in events} == {"importer"}
    assert [type(event).__name__ for event in events] == [
        "Registered",
        "AssetRecorded",
        "Registered",
        "Formed",
        "Ended",
        "Scheduled",
        "Held",
        "AttendanceRecorded",
        "Made",
        "Fulfilled",
    ]


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (
            lambda bulk, a, b: bulk.register_stakeholder(kind="robot", sector="vcse", name="X"),
            InvalidInputError,
        ),
        (
            lambda bulk, a, b: bulk.register_stakeholder(kind="group", sector="space", name="X"),
            InvalidInputError,
        ),
        (
            lambda bulk, a, b: bulk.form_relationship(source_id=a, target_id=a, kind="funds", intensity=2),
            InvalidInputError,
        ),
        (
            lambda bulk, a, b: bulk.form_relationship(
                source_id=a, target_id=uuid4(), kind="funds", intensity=2
            ),
            NotFoundError,
        ),
        (
            lambda bulk, a, b: bulk.form_relationship(source_id=a, target_id=b, kind="funds", intensity=9),
            InvalidInputError,
        ),
        (
            lambda bulk, a, b: bulk.make_commitment(
                promisor_id=a, what="X", due=date(2020, 1, 1), to_change_group=True
            ),
            InvalidInputError,
        ),
        (
            lambda bulk, a, b: bulk.make_commitment(promisor_id=a, what="X", due=date(2030, 1, 1)),
            InvalidInputError,
        ),
        (lambda bulk, a, b: bulk.record_attendance(uuid4(), [a]), NotFoundError),
    ],
)
def test_a_broken_rule_raises_the_use_cases_error(
    app: CivicWeave, call: object, error: type[Exception]
) -> None:
    bulk = BulkImport(app, SLUG, actor="importer")
    a = bulk.register_stakeholder(kind="group", sector="vcse", name="A")
    b = bulk.register_stakeholder(kind="group", sector="vcse", name="B")

    with pytest.raises(error):
        call(bulk, a, b)  # type: ignore[operator]


def test_an_archived_stakeholder_is_given_no_ties(app: CivicWeave) -> None:
    a = app.register_stakeholder(SLUG, kind="group", sector="vcse", name="A", actor="t").id
    b = app.register_stakeholder(SLUG, kind="group", sector="vcse", name="B", actor="t").id
    app.archive_stakeholder(SLUG, b, reason="closed", actor="t")

    with pytest.raises(StakeholderInactiveError):
        BulkImport(app, SLUG, actor="importer").form_relationship(
            source_id=a, target_id=b, kind="funds", intensity=2
        )


def test_a_write_stopped_part_way_names_the_row_and_keeps_the_batches_saved_before_it(store: Store) -> None:
    store.load(ImportKind.STAKEHOLDERS, ("s.csv", stakeholders_csv(30)))
    plan = store.plan(ImportKind.RELATIONSHIPS, ("r.csv", relationships_csv(30, 40)))
    first_tie = {}
    for number, tie in enumerate(plan.relationships):
        first_tie.setdefault(tie.source_id, number)
        first_tie.setdefault(tie.target_id, number)
    archived, at = next((key, n) for key, n in first_tie.items() if 20 <= n < 30)
    victim = plan.relationships[at]
    store.app.archive_stakeholder(SLUG, archived, reason="closed after the dry run", actor="t")

    with pytest.raises(ImportStoppedError) as stopped:
        write_plan(store.app, SLUG, plan, actor="importer", batch_size=10)

    assert f"r.csv line {victim.row.record.line}:" in str(stopped.value)
    assert "20 records were saved before this" in str(stopped.value)
    again = store.plan(ImportKind.RELATIONSHIPS, ("r.csv", relationships_csv(30, 40))).report
    assert again.present["relationships"] == 20


def test_an_import_projected_and_chained_verifies_on_sqlite_and_postgres(store_on: Store) -> None:
    store_on.load(ImportKind.STAKEHOLDERS, ("s.csv", stakeholders_csv(30)))
    store_on.load(ImportKind.RELATIONSHIPS, ("r.csv", relationships_csv(30, 40)))  # and chained
    total = store_on.app.recorder.max_notification_id()

    result = CliRunner().invoke(cli, ["verify", "--database-url", store_on.url], env={"COLUMNS": "200"})

    assert total is not None and total > 70
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"{total} events verified"
