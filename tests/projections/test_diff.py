"""What changed in the network between two dates: ties and stakeholders gained and lost,
with the positions of the events that caused them."""

from __future__ import annotations

from datetime import date

from tests.projections.conftest import ACTOR, SLUG, TODAY, ReadSide, Town

START, END = date(2024, 2, 15), date(2024, 6, 15)


def test_ties_gained_and_lost_between_two_dates_name_the_events_that_caused_them(
    town: Town, read_side: ReadSide
) -> None:
    app = town.app
    council = town.stakeholder("Riverside Council", "public")
    nhs = town.stakeholder("Riverside NHS Trust", "health")
    food_bank = town.stakeholder("Riverside Food Bank", "vcse")
    housing = town.stakeholder("Riverside Homes", "housing")
    church = town.stakeholder("St Mark's", "faith", since=date(2024, 6, 1))

    # Held throughout, though its intensity changed: neither gained nor lost.
    steady = town.tie(council, food_bank, valid_from=date(2024, 1, 10))
    app.change_intensity(SLUG, steady, 4, on=date(2024, 4, 1), actor=ACTOR)
    gained = app.form_relationship(
        SLUG,
        source_id=council,
        target_id=nhs,
        kind="collaborates",
        intensity=2,
        valid_from=date(2024, 3, 1),
        actor=ACTOR,
    )
    hosted = app.form_relationship(
        SLUG,
        source_id=church,
        target_id=food_bank,
        kind="funds",
        intensity=1,
        valid_from=date(2024, 6, 5),
        actor=ACTOR,
    )
    lost = town.tie(nhs, food_bank, kind="refers_to", valid_from=date(2024, 1, 10))
    ended = app.end_relationship(SLUG, lost, reason="Service closed", valid_to=date(2024, 4, 1), actor=ACTOR)
    # Formed and ended inside the window: in neither graph, so in neither list.
    brief = town.tie(council, housing, valid_from=date(2024, 3, 1))
    app.end_relationship(SLUG, brief, reason="Pilot over", valid_to=date(2024, 5, 1), actor=ACTOR)
    read_side.state()

    diff = read_side.reader.diff(SLUG, START, END)

    assert (diff["from"], diff["to"]) == ("2024-02-15", "2024-06-15")
    gained_ties = {frozenset((t["source"], t["target"])): t for t in diff["ties_gained"]}
    assert set(gained_ties) == {frozenset((str(council), str(nhs))), frozenset((str(food_bank), str(church)))}
    council_nhs = gained_ties[frozenset((str(council), str(nhs)))]
    assert council_nhs["events"] == [gained.position]
    assert council_nhs["relationships"] == [str(gained.id)]
    assert council_nhs["kinds"] == ["collaborates"]
    assert {council_nhs["source_name"], council_nhs["target_name"]} == {
        "Riverside Council",
        "Riverside NHS Trust",
    }
    assert gained_ties[frozenset((str(food_bank), str(church)))]["events"] == [hosted.position]
    assert len(diff["ties_lost"]) == 1
    (lost_tie,) = diff["ties_lost"]
    assert {lost_tie["source"], lost_tie["target"]} == {str(nhs), str(food_bank)}
    assert lost_tie["events"] == [ended.position]
    assert lost_tie["relationships"] == [str(lost)]
    assert diff["stakeholders_joined"] == [str(church)]
    assert diff["stakeholders_left"] == []


def test_the_diff_the_other_way_round_swaps_gained_and_lost(town: Town, read_side: ReadSide) -> None:
    council = town.stakeholder("Riverside Council", "public")
    nhs = town.stakeholder("Riverside NHS Trust", "health")
    town.tie(council, nhs, valid_from=date(2024, 3, 1))
    read_side.state()

    forwards = read_side.reader.diff(SLUG, START, END)
    backwards = read_side.reader.diff(SLUG, END, START)

    assert [(t["source"], t["target"]) for t in forwards["ties_gained"]] == [
        (t["source"], t["target"]) for t in backwards["ties_lost"]
    ]
    assert forwards["ties_lost"] == backwards["ties_gained"] == []


def test_a_stakeholder_archived_in_the_period_has_left_and_its_ties_are_lost(
    town: Town, read_side: ReadSide
) -> None:
    council = town.stakeholder("Riverside Council", "public")
    housing = town.stakeholder("Riverside Homes", "housing")
    town.tie(council, housing)
    # Archiving takes effect on the day it is recorded: inside a period running to TODAY.
    town.app.archive_stakeholder(SLUG, housing, reason="Wound up", actor=ACTOR)
    read_side.state()

    diff = read_side.reader.diff(SLUG, END, TODAY)

    assert diff["stakeholders_left"] == [str(housing)]
    assert [{t["source"], t["target"]} for t in diff["ties_lost"]] == [{str(council), str(housing)}]
    assert diff["ties_gained"] == []
