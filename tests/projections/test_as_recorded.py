"""As recorded: what the record said at a past moment (system time), whatever has been
recorded since, including later entries about earlier days (valid time)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from uuid import UUID

import pytest

from projections.accountability import accountability
from projections.network import tie_graph
from tests.projections.conftest import ACTOR, SLUG, ReadSide, Town

JUNE = date(2024, 6, 1)


@dataclass(frozen=True)
class Story:
    council: UUID
    nhs: UUID
    food_bank: UUID
    meeting: UUID
    commitment: UUID
    then: datetime  # a moment between the first writes and the later ones


def moment_between_writes() -> datetime:
    """A timestamp strictly after every write so far and before every later one."""
    time.sleep(0.002)
    moment = datetime.now(UTC)
    time.sleep(0.002)
    return moment


@pytest.fixture
def story(town: Town) -> Story:
    app = town.app
    council = town.stakeholder("Riverside Council", "public")
    nhs = town.stakeholder("Riverside NHS Trust", "health")
    meeting = town.meeting(date(2024, 3, 5), council, nhs)
    commitment = town.promise(council, nhs, made_on=date(2024, 3, 5), due=date(2024, 4, 30))

    then = moment_between_writes()

    # Recorded later, though about earlier days: a new stakeholder and tie, a changed
    # sector, an attendance correction and the fulfilment, all effective before June.
    food_bank = town.stakeholder("Riverside Food Bank", "vcse", since=date(2024, 1, 1))
    town.tie(council, food_bank, valid_from=date(2024, 2, 1))
    app.change_sector(SLUG, nhs, "public", on=date(2024, 2, 1), actor=ACTOR)
    app.correct_attendance(
        SLUG, meeting, added=[food_bank], removed=[nhs], reason="Signed in wrongly", actor=ACTOR
    )
    app.fulfil(SLUG, commitment, on=date(2024, 4, 20), actor=ACTOR)
    return Story(council, nhs, food_bank, meeting, commitment, then)


def test_the_record_as_it_was_leaves_out_every_fact_recorded_after_that_moment(
    story: Story, read_side: ReadSide
) -> None:
    now = read_side.state()

    then = read_side.views.as_recorded(SLUG, story.then)

    assert set(then.stakeholders) == {str(story.council), str(story.nhs)}
    assert str(story.food_bank) in now.stakeholders
    assert then.relationships == {}
    assert then.sector_of(str(story.nhs), JUNE) == "health"
    assert now.sector_of(str(story.nhs), JUNE) == "public"
    assert then.meetings[str(story.meeting)].attendees == {str(story.council), str(story.nhs)}
    assert now.meetings[str(story.meeting)].attendees == {str(story.council), str(story.food_bank)}
    assert then.position < now.position
    assert all(p <= then.position for p in then.stakeholders[str(story.nhs)].events)


def test_as_recorded_and_as_of_combine_what_was_known_then_about_a_past_day(
    story: Story, read_side: ReadSide
) -> None:
    read_side.state()
    reader = read_side.reader

    # On 1 June the commitment (due 30 April) was fulfilled on 20 April: the record says so now,
    # but as recorded at the moment before the fulfilment was entered, it was overdue.
    assert reader.accountability(SLUG, as_of=JUNE)["locality"]["fulfilled"] == 1
    then = reader.accountability(SLUG, as_of=JUNE, recorded_at=story.then)["locality"]
    assert (then["fulfilled"], then["overdue"], then["kept_rate"]) == (0, 1, 0.0)
    assert reader.network(SLUG, graph="tie", as_of=JUNE, recorded_at=story.then).number_of_edges() == 0
    assert reader.network(SLUG, graph="tie", as_of=JUNE).number_of_edges() == 1
    assert (
        reader.figures(SLUG, graph="tie", as_of=JUNE, recorded_at=story.then)["recorded_at"]
        == story.then.isoformat()
    )
    assert reader.figures(SLUG, graph="tie", as_of=JUNE, recorded_at=story.then)["edges"] == 0


@pytest.mark.parametrize("hours", [-5, 0, 5, 13])
def test_the_same_moment_in_any_time_zone_gives_the_same_record(
    story: Story, read_side: ReadSide, hours: int
) -> None:
    read_side.state()
    expected = set(read_side.views.as_recorded(SLUG, story.then).stakeholders)

    elsewhere = story.then.astimezone(timezone(timedelta(hours=hours)))

    assert set(read_side.views.as_recorded(SLUG, elsewhere).stakeholders) == expected
    naive_utc = story.then.replace(tzinfo=None)
    assert set(read_side.views.as_recorded(SLUG, naive_utc).stakeholders) == expected


def test_a_moment_before_anything_was_recorded_gives_an_empty_record(
    story: Story, read_side: ReadSide
) -> None:
    read_side.state()

    empty = read_side.views.as_recorded(SLUG, datetime(2000, 1, 1, tzinfo=UTC))

    assert (empty.stakeholders, empty.commitments, empty.position) == ({}, {}, 0)
    assert tie_graph(empty, JUNE).number_of_nodes() == 0
    assert accountability(empty, JUNE)["locality"]["made"] == 0
