"""Importing a Kumu map: Elements become stakeholders and Connections relationships, with
kind, sector and relationship kind read from Type and Tags by the documented rules."""

from __future__ import annotations

from uuid import UUID

from domain.stakeholder import Stakeholder
from service.io.csv_import import ImportKind
from tests.io.conftest import SLUG, TODAY, Store

ELEMENTS = """Label,Type,Description,Tags,Image
Riverside NHS Trust,Organization,The hospital trust,NHS,https://example.org/a.png
Food Bank,Charity,Runs the Tuesday pantry,food|volunteers,
Jo Bloggs,Person,,Lived Experience,
Cllr Patel,Councillor,,,
Allotment Friends,Group,,community group,
Mystery Ltd,Organization,,,
Nobody Knows,,,food,
"""
CONNECTIONS = """From,To,Type,Direction,Intensity
Riverside NHS Trust,Food Bank,Funding,,
Food Bank,Jo Bloggs,Collaboration,mutual,3
Cllr Patel,Allotment Friends,member of,,
Jo Bloggs,Mystery Ltd,knows,,integration
"""


def test_elements_and_connections_become_stakeholders_and_relationships(store: Store) -> None:
    report = store.load(ImportKind.KUMU, ("Connections.csv", CONNECTIONS), ("Elements.csv", ELEMENTS))

    state = store.state()
    stakeholders = {row.name: (row.kind, row.sector[-1][1]) for row in state.stakeholders.values()}
    assert stakeholders == {
        "Riverside NHS Trust": ("organisation", "health"),
        "Food Bank": ("organisation", "vcse"),
        "Jo Bloggs": ("person", "lived_experience"),
        "Cllr Patel": ("person", "elected_member"),
        "Allotment Friends": ("group", "community_group"),
        "Mystery Ltd": ("organisation", "other"),
    }
    by_name = {row.id: row.name for row in state.stakeholders.values()}
    ties = sorted(
        (by_name[r.source], by_name[r.target], r.kind, r.directed, r.intensity[0][1], r.valid_from)
        for r in state.relationships.values()
    )
    assert ties == [
        ("Cllr Patel", "Allotment Friends", "member_of", True, 2, TODAY),
        ("Food Bank", "Jo Bloggs", "collaborates", False, 3, TODAY),
        ("Jo Bloggs", "Mystery Ltd", "other", False, 4, TODAY),
        ("Riverside NHS Trust", "Food Bank", "funds", True, 2, TODAY),
    ]
    assert [(p.file, p.line, p.column) for p in report.bad_rows] == [("Elements.csv", 8, "type")]
    assert "person, group or organisation" in report.bad_rows[0].allowed
    assert "Elements.csv: columns not used: image" in report.notes
    assert any("1 elements have no Type or Tag naming a sector" in note for note in report.notes)
    assert any("1 connections have no Type naming a kind" in note for note in report.notes)


def test_a_description_becomes_the_notes_of_the_stakeholder(store: Store) -> None:
    store.load(ImportKind.KUMU, ("e.csv", ELEMENTS))

    food_bank = next(row for row in store.state().stakeholders.values() if row.name == "Food Bank")
    stakeholder = store.app.load(Stakeholder, UUID(food_bank.id), locality=SLUG)
    assert store.app.stakeholder_details(stakeholder)["notes"] == "Runs the Tuesday pantry"


def test_a_reimported_map_adds_nothing(store: Store) -> None:
    store.load(ImportKind.KUMU, ("e.csv", ELEMENTS), ("c.csv", CONNECTIONS))

    again = store.plan(ImportKind.KUMU, ("e.csv", ELEMENTS), ("c.csv", CONNECTIONS)).report

    assert again.nothing_to_add
    assert (again.present["stakeholders"], again.present["relationships"]) == (6, 4)


def test_a_sheet_that_is_neither_elements_nor_connections_is_a_bad_file(store: Store) -> None:
    report = store.plan(ImportKind.KUMU, ("notes.csv", "Title,Body\nA,B\n")).report

    (problem,) = report.bad_rows
    assert (problem.file, problem.line, problem.problem) == (
        "notes.csv",
        1,
        "neither an Elements nor a Connections sheet",
    )
