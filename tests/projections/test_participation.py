"""Participation figures (METRICS.md): who came to the table, in a window, on a
hand-worked year of Riverside's meetings."""

from __future__ import annotations

from datetime import date

import pytest

from domain.vocabulary import DEFAULT_SECTORS
from projections.participation import participation
from projections.state import LocalityState
from tests.projections.conftest import ACTOR, SLUG, ReadSide, Town

DAY = date(2024, 6, 30)


@pytest.fixture
def year(town: Town, read_side: ReadSide) -> LocalityState:
    """Meetings around the year to 30 June 2024 (the window runs 2 July 2023 - 30 June 2024).

    =========  ============  ===================================  ===================
    held       kind          attended                             counts?
    =========  ============  ===================================  ===================
    1 Jun 23   change group  council, NHS, Mary                   no: before window
    5 Mar 24   change group  council, NHS, Mary, Joe              yes
    10 Apr 24  workshop      council, food bank, church, Mary     yes, not "table"
    14 May 24  change group  council, Mary, NHS (food bank        yes
                             corrected out: sent apologies)
    11 Jun 24  change group  council, church                      no: cancelled
    9 Jul 24   change group  council, NHS                         no: after the day
    =========  ============  ===================================  ===================
    """
    app = town.app
    app.add_sector(SLUG, "arts", "Arts and culture", actor="admin")
    council = town.stakeholder("Riverside Council", "public")
    nhs = town.stakeholder("Riverside NHS Trust", "health")
    food_bank = town.stakeholder("Riverside Food Bank", "vcse")
    church = town.stakeholder("St Mark's", "faith")
    mary = town.stakeholder("Mary Okonkwo", "lived_experience", kind="person")
    joe = town.stakeholder("Joe Bloggs", "lived_experience", kind="person")

    town.meeting(date(2023, 6, 1), council, nhs, mary)
    town.meeting(date(2024, 3, 5), council, nhs, mary, joe)
    town.meeting(date(2024, 4, 10), council, food_bank, church, mary, kind="workshop", title="Asset mapping")
    may = town.meeting(date(2024, 5, 14), council, food_bank, mary)
    app.correct_attendance(SLUG, may, added=[nhs], removed=[food_bank], reason="Sent apologies", actor=ACTOR)
    cancelled = town.meeting(date(2024, 6, 11), council, church)
    app.cancel_meeting(SLUG, cancelled, reason="Snow", actor=ACTOR)
    town.meeting(date(2024, 7, 9), council, nhs)
    return read_side.state()


def test_the_window_holds_the_meetings_not_cancelled_of_the_365_days_up_to_the_day(
    year: LocalityState,
) -> None:
    figures = participation(year, DAY)

    assert figures["window"] == {"from": "2023-07-02", "to": "2024-06-30"}
    assert figures["meetings_held"] == 3  # 5 March, 10 April, 14 May
    assert figures["change_group_meetings_held"] == 2


def test_attendances_and_distinct_attendees_are_counted_by_sector(year: LocalityState) -> None:
    figures = participation(year, DAY)

    # 4 on 5 March + 4 on 10 April + 3 on 14 May (after the correction).
    assert figures["attendances"] == 11
    assert figures["distinct_attendees"] == 6  # council, NHS, food bank, church, Mary, Joe
    assert figures["by_sector"] == {
        "faith": {"attendances": 1, "distinct_attendees": 1},
        "health": {"attendances": 2, "distinct_attendees": 1},
        "lived_experience": {"attendances": 4, "distinct_attendees": 2},  # Mary 3, Joe 1
        "public": {"attendances": 3, "distinct_attendees": 1},
        "vcse": {"attendances": 1, "distinct_attendees": 1},
    }


def test_the_lived_experience_share_is_their_attendances_over_all_attendances(year: LocalityState) -> None:
    assert participation(year, DAY)["lived_experience_share"] == pytest.approx(4 / 11)


def test_sectors_at_the_table_are_those_attending_change_group_meetings_and_the_rest_are_missing(
    year: LocalityState,
) -> None:
    figures = participation(year, DAY)

    # The food bank and the church came only to the workshop (and the food bank's place at
    # the May meeting was corrected away): VCSE and faith are not at the table.
    assert figures["sectors_at_the_table"] == ["health", "lived_experience", "public"]
    assert figures["sectors_missing_from_the_table"] == [
        *(s for s in DEFAULT_SECTORS if s not in ("health", "lived_experience", "public")),
        "arts",  # the locality's own sector is missing too
    ]


def test_a_shorter_window_or_a_start_date_narrows_the_meetings_counted(year: LocalityState) -> None:
    # 60 days up to 30 June start on 2 May: only the May meeting.
    sixty = participation(year, DAY, window_days=60)
    assert (sixty["window"]["from"], sixty["meetings_held"], sixty["attendances"]) == ("2024-05-02", 1, 3)
    assert sixty["lived_experience_share"] == pytest.approx(1 / 3)
    # From 1 April: the workshop and the May meeting, 4 + 3 attendances.
    since = participation(year, DAY, since=date(2024, 4, 1))
    assert (since["meetings_held"], since["attendances"], since["distinct_attendees"]) == (2, 7, 5)
    # Nobody at all: no share rather than zero.
    empty = participation(year, date(2023, 1, 1))
    assert (empty["meetings_held"], empty["attendances"], empty["lived_experience_share"]) == (0, 0, None)
    assert empty["sectors_at_the_table"] == []
