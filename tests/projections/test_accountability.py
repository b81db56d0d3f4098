"""Accountability figures (METRICS.md) on a hand-worked set of seven commitments, on
1 July 2024 and "as of" 1 May 2024."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

import pytest

from projections.accountability import accountability, commitment_state
from tests.projections.conftest import ACTOR, SLUG, ReadSide, Town

JULY = date(2024, 7, 1)
MAY = date(2024, 5, 1)


@dataclass(frozen=True)
class Promises:
    council: UUID
    nhs: UUID
    food_bank: UUID
    mary: UUID
    on_time: UUID
    late: UUID
    missed: UUID
    withdrawn: UUID
    overdue: UUID
    due_soon: UUID
    open: UUID


@pytest.fixture
def promises(town: Town) -> Promises:
    """Seven promises, made at two Change Group meetings (5 March, 16 April) or between them.

    ============  ==========  =========  ======  =========================================
    promise       promisor    made       due     what happened
    ============  ==========  =========  ======  =========================================
    on_time       council     5 Mar m1   31 May  progress at m2; fulfilled 20 May
    late          council     5 Mar m1   30 Apr  renegotiated at m2 to 15 Jun; fulfilled 10 Jun
    missed        NHS         5 Mar m1   30 Apr  progress at m2; marked missed 10 May
    withdrawn     food bank   5 Mar m1   30 Jun  withdrawn 20 Apr
    overdue       NHS         5 Mar m1   20 Jun  progress at m1 itself (not a later meeting)
    due_soon      food bank   1 Jun      10 Jul  --
    open          Mary        16 Apr m2  30 Sep  progress 1 Jun, at no meeting
    ============  ==========  =========  ======  =========================================
    """
    app = town.app
    council = town.stakeholder("Riverside Council", "public")
    nhs = town.stakeholder("Riverside NHS Trust", "health")
    food_bank = town.stakeholder("Riverside Food Bank", "vcse")
    mary = town.stakeholder("Mary Okonkwo", "lived_experience", kind="person")
    m1 = town.meeting(date(2024, 3, 5), council, nhs, food_bank, mary)
    m2 = town.meeting(date(2024, 4, 16), council, nhs, food_bank, mary)

    on_time = town.promise(council, food_bank, due=date(2024, 5, 31), meeting=m1)
    app.report_progress(SLUG, on_time, note="Hall booked", meeting_id=m2, actor=ACTOR)
    app.fulfil(SLUG, on_time, on=date(2024, 5, 20), actor=ACTOR)

    late = town.promise(council, mary, due=date(2024, 4, 30), meeting=m1)
    app.renegotiate(
        SLUG, late, due=date(2024, 6, 15), reason="Budget round moved", meeting_id=m2, actor=ACTOR
    )
    app.fulfil(SLUG, late, on=date(2024, 6, 10), actor=ACTOR)

    missed = town.promise(nhs, food_bank, due=date(2024, 4, 30), meeting=m1)
    app.report_progress(SLUG, missed, note="Data agreement drafted", meeting_id=m2, actor=ACTOR)
    app.mark_missed(SLUG, missed, reason="No data agreement", on=date(2024, 5, 10), actor=ACTOR)

    withdrawn = town.promise(food_bank, mary, due=date(2024, 6, 30), meeting=m1)
    app.withdraw(SLUG, withdrawn, reason="Minibus sold", on=date(2024, 4, 20), actor=ACTOR)

    overdue = town.promise(nhs, council, due=date(2024, 6, 20), meeting=m1)
    app.report_progress(SLUG, overdue, note="Started", meeting_id=m1, actor=ACTOR)

    due_soon = town.promise(food_bank, council, made_on=date(2024, 6, 1), due=date(2024, 7, 10))

    still_open = town.promise(mary, due=date(2024, 9, 30), meeting=m2)
    app.report_progress(SLUG, still_open, note="Spoke to neighbours", on=date(2024, 6, 1), actor=ACTOR)
    return Promises(
        council, nhs, food_bank, mary, on_time, late, missed, withdrawn, overdue, due_soon, still_open
    )


def test_the_locality_figures_on_a_day_count_each_state_and_the_rates_of_metrics(
    promises: Promises, read_side: ReadSide
) -> None:
    figures = accountability(read_side.state(), JULY)["locality"]

    assert {
        k: figures[k] for k in ("made", "fulfilled", "missed", "withdrawn", "open", "due_soon", "overdue")
    } == {
        "made": 7,
        "fulfilled": 2,  # on_time, late
        "missed": 1,
        "withdrawn": 1,
        "open": 2,  # due_soon (due in 9 days) and open (due in 91)
        "due_soon": 1,
        "overdue": 1,  # due 20 June, still open
    }
    # kept = fulfilled / (fulfilled + missed + overdue) = 2 / (2 + 1 + 1); withdrawn not counted.
    assert figures["kept_rate"] == pytest.approx(0.5)
    # On time against the ORIGINAL due date: on_time (20 May <= 31 May) yes; late (10 June,
    # before its renegotiated 15 June but after its original 30 April) no: 1 / 2.
    assert figures["on_time_rate"] == pytest.approx(0.5)
    assert figures["renegotiations"] == 1
    # Slippage: on_time 20 May - 31 May = -11 days, late 10 June - 30 April = +41: median 15.
    assert figures["median_slippage_days"] == pytest.approx(15.0)
    # Days to fulfil: 5 March -> 20 May = 76, 5 March -> 10 June = 97: median 86.5.
    assert figures["median_days_to_fulfil"] == pytest.approx(86.5)
    # Six were made at a meeting (all but due_soon); on_time and missed had progress at the
    # later meeting; overdue's progress was at the meeting it was made at, open's at none: 2 / 6.
    assert figures["followed_up"] == pytest.approx(2 / 6)


def test_the_figures_per_promisor_and_per_sector_split_the_same_commitments(
    promises: Promises, read_side: ReadSide
) -> None:
    result = accountability(read_side.state(), JULY)
    by_promisor = result["by_promisor"]

    council, nhs = by_promisor[str(promises.council)], by_promisor[str(promises.nhs)]
    food_bank, mary = by_promisor[str(promises.food_bank)], by_promisor[str(promises.mary)]
    assert council["name"] == "Riverside Council"
    assert (council["made"], council["fulfilled"], council["kept_rate"]) == (2, 2, pytest.approx(1.0))
    assert council["on_time_rate"] == pytest.approx(0.5)
    assert council["renegotiations"] == 1
    # NHS: one missed, one overdue, none fulfilled: kept 0 / (0 + 1 + 1).
    assert (nhs["missed"], nhs["overdue"], nhs["kept_rate"], nhs["on_time_rate"]) == (1, 1, 0.0, None)
    assert nhs["followed_up"] == pytest.approx(0.5)
    # The food bank's promises are withdrawn or not yet due: nothing to keep or break yet.
    assert (food_bank["withdrawn"], food_bank["due_soon"], food_bank["kept_rate"]) == (1, 1, None)
    assert (mary["name"], mary["open"], mary["due_soon"]) == ("Mary Okonkwo", 1, 0)
    assert sum(p["made"] for p in by_promisor.values()) == 7

    by_sector = result["by_sector"]
    assert sorted(by_sector) == ["health", "lived_experience", "public", "vcse"]
    for sector, promisor in (
        ("public", council),
        ("health", nhs),
        ("vcse", food_bank),
        ("lived_experience", mary),
    ):
        assert by_sector[sector] == {k: v for k, v in promisor.items() if k != "name"}


def test_as_of_an_earlier_day_a_commitment_is_in_the_state_it_was_in_then_against_the_due_date_then(
    promises: Promises, read_side: ReadSide
) -> None:
    state = read_side.state()

    figures = accountability(state, MAY)["locality"]

    # On 1 May: due_soon was not yet made; on_time (due 31 May) and late (renegotiated on
    # 16 April to 15 June) were open, not fulfilled; missed was overdue (due 30 April,
    # marked missed only on 10 May); withdrawn was withdrawn; overdue and open were open.
    assert {
        k: figures[k] for k in ("made", "fulfilled", "missed", "withdrawn", "open", "due_soon", "overdue")
    } == {
        "made": 6,
        "fulfilled": 0,
        "missed": 0,
        "withdrawn": 1,
        "open": 4,
        "due_soon": 0,
        "overdue": 1,
    }
    assert figures["kept_rate"] == pytest.approx(0.0)  # 0 / (0 + 0 + 1)
    assert figures["on_time_rate"] is None
    assert figures["renegotiations"] == 1
    assert figures["median_slippage_days"] is None
    assert figures["followed_up"] == pytest.approx(2 / 6)
    # The due date in force on the day: until its renegotiation on 16 April, late was due on
    # 30 April, 15 days after 15 April (open, not yet due soon); missed, due 30 April too, was
    # due soon on 16 April (14 days); from 16 April late was due 15 June.
    assert commitment_state(state, str(promises.late), date(2024, 4, 15)) == "open"  # 15 days to go
    assert commitment_state(state, str(promises.missed), date(2024, 4, 16)) == "due_soon"  # 14 days
    assert commitment_state(state, str(promises.late), MAY) == "open"
    assert commitment_state(state, str(promises.late), date(2024, 6, 1)) == "due_soon"
    assert commitment_state(state, str(promises.late), date(2024, 6, 10)) == "fulfilled"
    assert commitment_state(state, str(promises.due_soon), MAY) is None
    assert accountability(state, date(2024, 3, 4))["locality"]["made"] == 0


def test_since_keeps_only_the_commitments_made_from_that_day(promises: Promises, read_side: ReadSide) -> None:
    figures = accountability(read_side.state(), JULY, since=date(2024, 4, 1))

    assert figures["locality"]["made"] == 2  # due_soon (1 June) and open (16 April)
    assert sorted(figures["by_promisor"]) == sorted([str(promises.food_bank), str(promises.mary)])


def test_a_reassigned_commitment_counts_for_its_new_promisor_from_the_day_it_was_reassigned(
    town: Town, read_side: ReadSide
) -> None:
    council = town.stakeholder("Riverside Council", "public")
    nhs = town.stakeholder("Riverside NHS Trust", "health")
    food_bank = town.stakeholder("Riverside Food Bank", "vcse")
    handed_over = town.promise(council, food_bank, made_on=date(2024, 3, 5), due=date(2024, 9, 30))
    town.app.reassign(
        SLUG, handed_over, promisor_id=nhs, reason="The NHS funds it", on=date(2024, 6, 2), actor=ACTOR
    )
    state = read_side.state()

    def promisors(day: date) -> dict[str, int]:
        return {p: f["made"] for p, f in accountability(state, day)["by_promisor"].items()}

    assert promisors(date(2024, 6, 1)) == {str(council): 1}
    assert promisors(date(2024, 6, 2)) == {str(nhs): 1}
