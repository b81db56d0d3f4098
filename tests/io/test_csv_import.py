"""Importing stakeholders, relationships, meetings and commitments from CSV: the dry run,
bad rows, skipping them, and re-imports that add nothing."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import pytest

from domain.stakeholder import Stakeholder
from projections.state import LocalityState
from service.io.csv_import import ImportKind
from service.io.importing import plan_import
from service.io.reading import Problem
from tests.io.conftest import SLUG, TODAY, Store

STAKEHOLDERS = """name,kind,sector,since,contact,assets
Riverside Food Bank,organisation,VCSE,01/02/2023,,venue: Church hall; volunteers: Twenty helpers
Mary Jones,person,lived experience,2023-02-01,mary@example.org,
Riverside Council,organisation,public,2022-01-01,,
St Mark's Church,organisation,Faith,15/06/2022,,venue: Parish hall
"""
RELATIONSHIPS = """from,to,kind,intensity,valid_from,valid_to
Riverside Food Bank,Riverside Council,funds,2,2023-03-01,
mary jones,Riverside Food Bank,collaborates,cooperation,01/03/2023,
Riverside Council,St Mark's Church,refers to,3,2023-01-01,01/06/2023
"""
MEETINGS = """title,held_on,kind,place,attendees
Change Group,2023-04-01,change_group,Town hall,Riverside Food Bank; Mary Jones; Riverside Council
Change Group,01/05/2023,,,Riverside Food Bank; St Mark's Church
"""
COMMITMENTS = """promisor,what,due,promisees,meeting,meeting_date,status,closed_on,outcome_note
Riverside Council,Open the hub two evenings a week,2023-06-30,Riverside Food Bank,Change Group,2023-04-01,fulfilled,20/06/2023,Hub open
Riverside Food Bank,Report on numbers,30/09/2023,,Change Group,01/05/2023,,,
"""


def names(store: Store) -> dict[str, str]:
    return {row.name: row.sector[-1][1] for row in store.state().stakeholders.values()}


def bad(problems: list[Problem]) -> list[tuple[str, int, str]]:
    return [(p.file, p.line, p.column) for p in problems]


@pytest.mark.parametrize("bom", [True, False], ids=["bom", "no-bom"])
def test_stakeholders_with_assets_are_imported_with_or_without_a_bom(store: Store, bom: bool) -> None:
    data = ("\ufeff" if bom else "") + STAKEHOLDERS

    report = store.load(ImportKind.STAKEHOLDERS, ("stakeholders.csv", data))

    assert report.written and not report.bad_rows
    assert (report.to_add["stakeholders"], report.to_add["assets"]) == (4, 3)
    assert names(store) == {
        "Riverside Food Bank": "vcse",
        "Mary Jones": "lived_experience",
        "Riverside Council": "public",
        "St Mark's Church": "faith",
    }
    food_bank = next(s for s in store.state().stakeholders.values() if s.name == "Riverside Food Bank")
    assert sorted(food_bank.assets.values()) == [("venue", "Church hall"), ("volunteers", "Twenty helpers")]


def test_both_date_formats_give_the_same_days(store: Store) -> None:
    store.load(ImportKind.STAKEHOLDERS, ("s.csv", STAKEHOLDERS))
    store.load(ImportKind.RELATIONSHIPS, ("r.csv", RELATIONSHIPS))

    state = store.state()
    since = {row.name: row.since for row in state.stakeholders.values()}
    assert since["Riverside Food Bank"] == since["Mary Jones"] == date(2023, 2, 1)
    assert since["St Mark's Church"] == date(2022, 6, 15)
    ties = sorted((r.kind, r.valid_from, r.valid_to) for r in state.relationships.values())
    assert ties == [
        ("collaborates", date(2023, 3, 1), None),
        ("funds", date(2023, 3, 1), None),
        ("refers_to", date(2023, 1, 1), date(2023, 6, 1)),
    ]


def test_a_persons_details_reach_the_log_only_sealed(store: Store) -> None:
    store.load(ImportKind.STAKEHOLDERS, ("s.csv", STAKEHOLDERS))

    mary = next(s for s in store.state().stakeholders.values() if s.name == "Mary Jones")
    stakeholder = store.app.load(Stakeholder, UUID(mary.id), locality=SLUG)
    assert stakeholder.sealed and stakeholder.name == stakeholder.contact == ""
    assert store.app.stakeholder_details(stakeholder)["contact"] == "mary@example.org"
    log = b"".join(n.state for n in store.app.recorder.select_notifications(1, 1000))
    assert b"Mary" not in log and b"mary@example.org" not in log


def test_the_dry_run_reports_what_would_be_added_and_writes_nothing(store: Store) -> None:
    before = store.app.recorder.max_notification_id()

    plan = store.plan(ImportKind.STAKEHOLDERS, ("s.csv", STAKEHOLDERS))

    assert store.app.recorder.max_notification_id() == before
    report = plan.report
    assert report.to_add["stakeholders"] == 4 and not report.written
    assert [(a.line, a.record) for a in report.additions] == [(n, "stakeholders") for n in (2, 3, 4, 5)]
    assert "Mary Jones (person, lived_experience)" in report.additions[1].description


def test_every_bad_cell_is_reported_with_file_line_column_and_what_is_allowed(store: Store) -> None:
    data = STAKEHOLDERS + "Robot Co,robot,space,31/02/2023,,\n,group,vcse,,,\nPlay Club,group,vcse,,,toys\n"

    report = store.plan(ImportKind.STAKEHOLDERS, ("s.csv", data)).report

    assert bad(report.bad_rows) == [
        ("s.csv", 6, "kind"),
        ("s.csv", 6, "sector"),
        ("s.csv", 6, "since"),
        ("s.csv", 7, "name"),
        ("s.csv", 8, "assets"),
    ]
    kind, sector, since, name, assets = report.bad_rows
    assert (kind.value, kind.allowed) == ("robot", "organisation, group, person")
    assert sector.value == "space" and "lived_experience" in sector.allowed and "vcse" in sector.allowed
    assert since.problem == "no such day" and since.allowed == "a date as YYYY-MM-DD or DD/MM/YYYY"
    assert name.problem == "must not be empty"
    assert "category: description" in assets.allowed
    assert report.bad_row_count == 3


def test_a_file_with_a_bad_row_writes_nothing_unless_bad_rows_are_skipped(store: Store) -> None:
    data = STAKEHOLDERS + "Robot Co,robot,vcse,,,\n"
    plan = store.plan(ImportKind.STAKEHOLDERS, ("s.csv", data))
    assert plan.report.bad_rows  # the CLI and the API refuse to write this plan (tests/io/test_cli_io.py)

    report = store.load(ImportKind.STAKEHOLDERS, ("s.csv", data))  # what --skip-bad-rows writes

    assert report.to_add["stakeholders"] == 4
    assert "Robot Co" not in names(store) and len(names(store)) == 4


def test_a_reimport_adds_nothing_and_says_everything_is_already_there(store_on: Store) -> None:
    files = [
        (ImportKind.STAKEHOLDERS, ("s.csv", STAKEHOLDERS)),
        (ImportKind.RELATIONSHIPS, ("r.csv", RELATIONSHIPS)),
        (ImportKind.MEETINGS, ("m.csv", MEETINGS)),
        (ImportKind.COMMITMENTS, ("c.csv", COMMITMENTS)),
    ]
    for kind, file in files:
        store_on.load(kind, file)
    events = store_on.app.recorder.max_notification_id()

    again = [store_on.plan(kind, file).report for kind, file in files]

    assert all(r.nothing_to_add and not r.bad_rows for r in again)
    assert [
        r.present[k]
        for r, k in zip(again, ("stakeholders", "relationships", "meetings", "commitments"), strict=True)
    ] == [4, 3, 2, 2]
    assert again[0].present["assets"] == 3 and again[2].present["attendances"] == 5
    assert store_on.app.recorder.max_notification_id() == events


def test_names_match_ignoring_case_and_spaces_and_new_assets_are_added_to_the_stakeholder(
    store: Store,
) -> None:
    store.load(ImportKind.STAKEHOLDERS, ("s.csv", STAKEHOLDERS))

    report = store.load(
        ImportKind.STAKEHOLDERS,
        (
            "more.csv",
            "name,kind,sector,assets\n  riverside  FOOD bank ,organisation,vcse,venue: church HALL; transport: A minibus\n",
        ),
    )

    assert (report.present["stakeholders"], report.present["assets"], report.to_add["assets"]) == (1, 1, 1)
    assert report.to_add["stakeholders"] == 0
    food_bank = next(s for s in store.state().stakeholders.values() if s.name == "Riverside Food Bank")
    assert ("transport", "A minibus") in food_bank.assets.values() and len(food_bank.assets) == 3


def test_a_name_given_twice_in_a_file_is_one_stakeholder_unless_kind_or_sector_differ(store: Store) -> None:
    data = "name,kind,sector,assets\nHub,group,vcse,venue: Room\nHUB,group,vcse,transport: Van\nhub,organisation,vcse,\n"

    plan = store.plan(ImportKind.STAKEHOLDERS, ("s.csv", data))

    assert plan.report.to_add["stakeholders"] == 1 and plan.report.to_add["assets"] == 2
    assert bad(plan.report.bad_rows) == [("s.csv", 4, "name")]
    assert "already on line 2 of s.csv" in plan.report.bad_rows[0].problem


def test_relationships_naming_unknown_or_ambiguous_stakeholders_are_bad_rows(store: Store) -> None:
    store.load(ImportKind.STAKEHOLDERS, ("s.csv", STAKEHOLDERS))
    store.app.register_stakeholder(
        SLUG, kind="organisation", sector="public", name="RIVERSIDE COUNCIL", actor="t"
    )
    data = "from,to,kind,intensity\nNobody,Mary Jones,funds,2\nRiverside Council,Mary Jones,funds,2\nMary Jones,mary jones,funds,2\n"

    report = store.plan(ImportKind.RELATIONSHIPS, ("r.csv", data)).report

    assert bad(report.bad_rows) == [("r.csv", 2, "from"), ("r.csv", 3, "from"), ("r.csv", 4, "to")]
    unknown, ambiguous, same = report.bad_rows
    assert "no stakeholder of the locality is named 'Nobody'" in unknown.problem
    assert "import the stakeholders first" in unknown.allowed
    assert "2 stakeholders of the locality are named" in ambiguous.problem
    assert same.problem == "the same stakeholder as from"
    assert report.nothing_to_add


def test_a_merged_or_archived_stakeholder_cannot_be_given_new_ties(store: Store) -> None:
    store.load(ImportKind.STAKEHOLDERS, ("s.csv", STAKEHOLDERS))
    church = next(s for s in store.state().stakeholders.values() if s.name == "St Mark's Church")
    store.app.archive_stakeholder(SLUG, UUID(church.id), reason="closed", actor="t")

    report = store.plan(ImportKind.RELATIONSHIPS, ("r.csv", RELATIONSHIPS)).report

    assert bad(report.bad_rows) == [("r.csv", 4, "to")]
    assert "is archived" in report.bad_rows[0].problem
    assert report.to_add["relationships"] == 2


def test_undirected_ties_match_either_way_round_and_directed_ones_only_one_way(store: Store) -> None:
    store.load(ImportKind.STAKEHOLDERS, ("s.csv", STAKEHOLDERS))
    store.load(ImportKind.RELATIONSHIPS, ("r.csv", RELATIONSHIPS))
    flipped = "from,to,kind,intensity\nRiverside Food Bank,Mary Jones,collaborates,2\nRiverside Council,Riverside Food Bank,funds,2\n"

    report = store.plan(ImportKind.RELATIONSHIPS, ("r2.csv", flipped)).report

    assert (report.present["relationships"], report.to_add["relationships"]) == (1, 1)
    assert "Riverside Council funds Riverside Food Bank" in report.additions[0].description


def test_meetings_are_held_with_their_attendance_and_a_reimport_adds_only_new_attendees(store: Store) -> None:
    store.load(ImportKind.STAKEHOLDERS, ("s.csv", STAKEHOLDERS))
    store.load(ImportKind.MEETINGS, ("m.csv", MEETINGS))

    more = "title,held_on,attendees\nchange group,2023-04-01,Mary Jones; St Mark's Church\n"
    report = store.load(ImportKind.MEETINGS, ("m2.csv", more))

    assert (report.present["meetings"], report.present["attendances"], report.to_add["attendances"]) == (
        1,
        1,
        1,
    )
    meetings = sorted(store.state().meetings.values(), key=lambda m: m.held_on)
    assert [(m.held_on, m.status, len(m.attendees)) for m in meetings] == [
        (date(2023, 4, 1), "held", 4),
        (date(2023, 5, 1), "held", 2),
    ]
    assert meetings[0].place == "Town hall"


def test_a_meeting_after_today_is_scheduled_not_held(store: Store) -> None:
    store.load(ImportKind.STAKEHOLDERS, ("s.csv", STAKEHOLDERS))

    store.load(ImportKind.MEETINGS, ("m.csv", f"title,held_on\nNext,{TODAY.replace(month=3).isoformat()}\n"))

    (meeting,) = store.state().meetings.values()
    assert meeting.status == "scheduled"


def test_commitments_are_made_at_their_meeting_and_closed_as_the_sheet_says(store: Store) -> None:
    for kind, file in (
        (ImportKind.STAKEHOLDERS, ("s.csv", STAKEHOLDERS)),
        (ImportKind.MEETINGS, ("m.csv", MEETINGS)),
        (ImportKind.COMMITMENTS, ("c.csv", COMMITMENTS)),
    ):
        store.load(kind, file)

    figures = store.reader.accountability(SLUG, as_of=date(2023, 7, 1))["locality"]
    assert (figures["made"], figures["fulfilled"], figures["open"]) == (2, 1, 1)
    state = store.state()
    by_what = {c.what: c for c in state.commitments.values()}
    hub = by_what["Open the hub two evenings a week"]
    assert hub.made_on == date(2023, 4, 1) and hub.outcome == ("fulfilled", date(2023, 6, 20))
    assert state.meetings[hub.meeting_id].held_on == date(2023, 4, 1)
    numbers = by_what["Report on numbers"]
    assert numbers.to_change_group and numbers.promisees == () and numbers.made_on == date(2023, 5, 1)


def test_bad_commitments_say_which_date_or_meeting_is_wrong(store: Store) -> None:
    store.load(ImportKind.STAKEHOLDERS, ("s.csv", STAKEHOLDERS))
    store.load(ImportKind.MEETINGS, ("m.csv", MEETINGS))
    data = (
        "promisor,what,due,meeting,meeting_date,status,closed_on\n"
        "Mary Jones,A,2023-03-01,Change Group,2023-04-01,,\n"  # due before the meeting
        "Mary Jones,B,2023-09-01,Change Group,,,\n"  # two meetings have the title
        "Mary Jones,C,2023-09-01,Lunch,,,\n"  # no such meeting
        "Mary Jones,D,2023-09-01,,,fulfilled,\n"  # closed without a date
        "Mary Jones,E,2024-09-01,,,,\n"  # made today (the default) after it was due
        "Mary Jones,F,2025-09-01,,,,\n"  # made today, due later: fine
    )

    report = store.plan(ImportKind.COMMITMENTS, ("c.csv", data)).report

    assert bad(report.bad_rows) == [
        ("c.csv", 2, "due"),
        ("c.csv", 3, "meeting"),
        ("c.csv", 4, "meeting"),
        ("c.csv", 5, "closed_on"),
        ("c.csv", 6, "due"),
    ]
    assert "before the commitment was made (2023-04-01)" in report.bad_rows[0].problem
    assert "meeting_date" in report.bad_rows[1].allowed
    assert "no meeting of the locality has this title" in report.bad_rows[2].problem
    assert "made_on" in report.bad_rows[4].allowed
    assert report.to_add["commitments"] == 1


def test_a_relationship_to_a_stakeholder_whose_row_was_bad_is_bad_too() -> None:
    """Rows that depend on a bad row fail with it rather than invent the stakeholder."""
    state = LocalityState(id="x", slug="x")
    kumu = ("e.csv", b"Label,Type\nFood Bank,robot\nCouncil,council\n")
    links = ("c.csv", b"From,To\nFood Bank,Council\n")

    report = plan_import(ImportKind.KUMU, [kumu, links], state, today=TODAY).report

    assert bad(report.bad_rows) == [("e.csv", 2, "type"), ("c.csv", 2, "from")]
