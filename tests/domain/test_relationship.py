"""A relationship: a tie between two stakeholders of one locality, rated, made more or less
intense, and ended, over an interval of valid time."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID, uuid4

import pytest

from domain.errors import ConflictError, InvalidInputError, NotFoundError, StaleVersionError
from domain.relationship import Relationship, RelationshipEndedError
from domain.stakeholder import StakeholderInactiveError
from tests.domain.builders import ACTOR, Testville, build_testville, events_of, last_event

FORMED = date(2024, 1, 15)


def form(town: Testville, source_id: UUID, target_id: UUID, /, **options: Any) -> UUID:
    fields: dict[str, Any] = {"kind": "collaborates", "intensity": 2, "valid_from": FORMED}
    fields.update(options)
    return town.app.form_relationship(
        town.slug, source_id=source_id, target_id=target_id, actor=ACTOR, **fields
    ).id


def relationship(town: Testville, key: UUID) -> Relationship:
    return town.app.load(Relationship, key, locality=town.slug)


def test_two_stakeholders_form_a_relationship_from_a_date(testville: Testville) -> None:
    key = form(testville, testville.council, testville.food_bank, intensity=3, source="survey")

    tie = relationship(testville, key)
    assert (tie.source_id, tie.target_id) == (testville.council, testville.food_bank)
    assert (tie.kind, tie.intensity, tie.source) == ("collaborates", 3, "survey")
    assert (tie.valid_from, tie.valid_to) == (FORMED, None)
    assert tie.ratings == {}
    (formed,) = events_of(testville.app, key)
    assert isinstance(formed, Relationship.Formed)
    assert (formed.actor, formed.effective) == (ACTOR, FORMED)


def test_a_relationship_without_a_start_date_is_valid_from_today(testville: Testville) -> None:
    key = testville.app.form_relationship(
        testville.slug,
        source_id=testville.council,
        target_id=testville.nhs_trust,
        kind="shares_information",
        intensity=1,
        actor=ACTOR,
    ).id

    assert relationship(testville, key).valid_from == testville.app.today()


def test_funding_has_a_direction_and_collaboration_has_none(testville: Testville) -> None:
    funds = form(testville, testville.council, testville.food_bank, kind="funds")
    collaborates = form(testville, testville.council, testville.food_bank)

    assert relationship(testville, funds).directed
    assert not relationship(testville, collaborates).directed


def test_the_direction_can_be_given_explicitly(testville: Testville) -> None:
    key = form(testville, testville.food_bank, testville.mary, kind="other", directed=True)

    assert relationship(testville, key).directed


def test_a_relationship_needs_two_different_stakeholders(testville: Testville) -> None:
    with pytest.raises(InvalidInputError, match="two different stakeholders") as e:
        form(testville, testville.council, testville.council)
    assert e.value.field == "target_id"


def test_a_relationship_needs_two_stakeholders_of_the_same_locality(testville: Testville) -> None:
    hillside = build_testville(testville.app, "hillside")

    with pytest.raises(NotFoundError, match=f"stakeholder {hillside.food_bank} not found"):
        form(testville, testville.council, hillside.food_bank)
    with pytest.raises(NotFoundError, match=f"stakeholder {hillside.council} not found"):
        form(testville, hillside.council, testville.food_bank)


def test_a_relationship_needs_registered_stakeholders(testville: Testville) -> None:
    with pytest.raises(NotFoundError, match="stakeholder"):
        form(testville, testville.council, uuid4())


def test_a_merged_away_stakeholder_cannot_be_given_new_relationships(testville: Testville) -> None:
    testville.app.merge_stakeholder(
        testville.slug, testville.housing, testville.council, reason="Same", actor=ACTOR
    )

    with pytest.raises(StakeholderInactiveError, match="cannot be changed or given new ties") as e:
        form(testville, testville.housing, testville.food_bank)
    assert isinstance(e.value, ConflictError)
    with pytest.raises(StakeholderInactiveError):
        form(testville, testville.food_bank, testville.housing)


def test_an_archived_stakeholder_cannot_be_given_new_relationships(testville: Testville) -> None:
    testville.app.archive_stakeholder(testville.slug, testville.housing, reason="Closed", actor=ACTOR)

    with pytest.raises(StakeholderInactiveError, match="is archived"):
        form(testville, testville.housing, testville.food_bank)


def test_the_kind_of_relationship_is_one_of_the_list(testville: Testville) -> None:
    with pytest.raises(InvalidInputError, match="'likes' is not allowed; use one of: collab") as e:
        form(testville, testville.council, testville.food_bank, kind="likes")
    assert e.value.field == "kind"


@pytest.mark.parametrize("intensity", [0, 5, -1, True, 2.5, "2"])
def test_the_intensity_is_a_whole_number_from_one_to_four(testville: Testville, intensity: object) -> None:
    with pytest.raises(InvalidInputError, match=r"^intensity: must be a whole number from 1 to 4$"):
        form(testville, testville.council, testville.food_bank, intensity=intensity)


def test_the_source_of_a_relationship_is_declared_survey_or_observed(testville: Testville) -> None:
    with pytest.raises(InvalidInputError, match="use one of: declared, survey, observed") as e:
        form(testville, testville.council, testville.food_bank, source="rumour")
    assert e.value.field == "source"


def test_a_relationship_of_another_locality_is_not_found(testville: Testville) -> None:
    hillside = build_testville(testville.app, "hillside")
    theirs = form(hillside, hillside.council, hillside.food_bank)

    with pytest.raises(NotFoundError, match=f"relationship {theirs} not found"):
        testville.app.change_intensity(testville.slug, theirs, 3, actor=ACTOR, on=FORMED)
    with pytest.raises(NotFoundError):
        testville.app.end_relationship(testville.slug, theirs, reason="x", actor=ACTOR)


def test_a_relationship_is_rated_on_trust_and_value_once_per_rater(testville: Testville) -> None:
    key = form(testville, testville.council, testville.food_bank)

    testville.app.rate_relationship(
        testville.slug,
        key,
        rater="council",
        trust=(3, 4, 2),
        value=(1, 2, 3),
        actor=ACTOR,
        on=date(2024, 2, 1),
    )
    testville.app.rate_relationship(
        testville.slug, key, rater="food bank", trust=(2, 2, 2), value=(4, 4, 4), actor=ACTOR
    )
    testville.app.rate_relationship(
        testville.slug, key, rater="council", trust=(4, 4, 4), value=(1, 1, 1), actor=ACTOR
    )

    assert relationship(testville, key).ratings == {
        "council": ((4, 4, 4), (1, 1, 1)),
        "food bank": ((2, 2, 2), (4, 4, 4)),
    }
    first_rating = events_of(testville.app, key)[1]
    assert isinstance(first_rating, Relationship.Rated)
    assert (first_rating.actor, first_rating.effective) == (ACTOR, date(2024, 2, 1))


def test_a_rating_gives_one_score_on_each_of_three_dimensions(testville: Testville) -> None:
    key = form(testville, testville.council, testville.food_bank)

    with pytest.raises(InvalidInputError, match="give 3 ratings, for reliability, in_comm") as e:
        testville.app.rate_relationship(
            testville.slug, key, rater="council", trust=(3, 4), value=(1, 2, 3), actor=ACTOR
        )
    assert e.value.field == "trust"
    with pytest.raises(InvalidInputError, match="for power_influence, level_of_involvement") as e:
        testville.app.rate_relationship(
            testville.slug, key, rater="council", trust=(3, 4, 4), value=(1, 2, 3, 4), actor=ACTOR
        )
    assert e.value.field == "value"


def test_a_rating_names_the_dimension_out_of_range(testville: Testville) -> None:
    key = form(testville, testville.council, testville.food_bank)

    with pytest.raises(InvalidInputError, match="from 1 to 4") as e:
        testville.app.rate_relationship(
            testville.slug, key, rater="council", trust=(3, 5, 4), value=(1, 2, 3), actor=ACTOR
        )
    assert e.value.field == "trust.in_community_interest"


def test_a_rating_names_its_rater(testville: Testville) -> None:
    key = form(testville, testville.council, testville.food_bank)

    with pytest.raises(InvalidInputError) as e:
        testville.app.rate_relationship(
            testville.slug, key, rater="", trust=(3, 3, 3), value=(1, 2, 3), actor=ACTOR
        )
    assert e.value.field == "rater"
    assert relationship(testville, key).ratings == {}


def test_a_relationship_grows_more_intense_from_a_date(testville: Testville) -> None:
    key = form(testville, testville.council, testville.food_bank, intensity=2)

    testville.app.change_intensity(testville.slug, key, 4, actor=ACTOR, on=date(2024, 5, 1))

    assert relationship(testville, key).intensity == 4
    changed = last_event(testville.app, key)
    assert isinstance(changed, Relationship.IntensityChanged)
    assert (changed.actor, changed.effective) == (ACTOR, date(2024, 5, 1))


def test_a_change_of_intensity_must_change_it(testville: Testville) -> None:
    key = form(testville, testville.council, testville.food_bank, intensity=2)

    with pytest.raises(InvalidInputError, match="already 2") as e:
        testville.app.change_intensity(testville.slug, key, 2, actor=ACTOR, on=FORMED)
    assert e.value.field == "intensity"


def test_a_change_of_intensity_stays_on_the_scale(testville: Testville) -> None:
    key = form(testville, testville.council, testville.food_bank, intensity=2)

    with pytest.raises(InvalidInputError, match="from 1 to 4"):
        testville.app.change_intensity(testville.slug, key, 5, actor=ACTOR, on=FORMED)


def test_a_change_of_intensity_cannot_precede_the_relationship(testville: Testville) -> None:
    key = form(testville, testville.council, testville.food_bank, intensity=2)

    with pytest.raises(InvalidInputError, match="2024-01-14 is before the relationship was formed") as e:
        testville.app.change_intensity(testville.slug, key, 3, actor=ACTOR, on=date(2024, 1, 14))
    assert e.value.field == "on"


def test_a_change_of_intensity_based_on_an_old_version_is_stale(testville: Testville) -> None:
    key = form(testville, testville.council, testville.food_bank, intensity=2)
    testville.app.change_intensity(testville.slug, key, 3, actor=ACTOR, on=FORMED)

    with pytest.raises(StaleVersionError, match=r"relationship .* is at version 2, not 1"):
        testville.app.change_intensity(testville.slug, key, 4, actor=ACTOR, on=FORMED, expected_version=1)
    assert relationship(testville, key).intensity == 3


def test_a_relationship_ends_on_a_date_for_a_reason(testville: Testville) -> None:
    key = form(testville, testville.council, testville.food_bank)

    testville.app.end_relationship(
        testville.slug, key, reason="Funding stopped", actor="lead", valid_to=date(2024, 9, 30)
    )

    assert relationship(testville, key).valid_to == date(2024, 9, 30)
    ended = last_event(testville.app, key)
    assert isinstance(ended, Relationship.Ended)
    assert (ended.reason, ended.actor, ended.effective) == (
        "Funding stopped",
        "lead",
        date(2024, 9, 30),
    )


def test_ending_a_relationship_needs_a_reason(testville: Testville) -> None:
    key = form(testville, testville.council, testville.food_bank)

    with pytest.raises(InvalidInputError) as e:
        testville.app.end_relationship(
            testville.slug, key, reason=" ", actor=ACTOR, valid_to=date(2024, 9, 30)
        )
    assert e.value.field == "reason"


def test_a_relationship_cannot_end_before_it_began(testville: Testville) -> None:
    key = form(testville, testville.council, testville.food_bank)

    with pytest.raises(InvalidInputError, match="before the relationship was formed") as e:
        testville.app.end_relationship(
            testville.slug, key, reason="x", actor=ACTOR, valid_to=date(2023, 12, 31)
        )
    assert e.value.field == "valid_to"


def test_an_ended_relationship_cannot_be_changed(testville: Testville) -> None:
    key = form(testville, testville.council, testville.food_bank)
    testville.app.end_relationship(
        testville.slug, key, reason="Over", actor=ACTOR, valid_to=date(2024, 9, 30)
    )

    with pytest.raises(RelationshipEndedError, match="has ended; form a new one instead") as e:
        testville.app.end_relationship(
            testville.slug, key, reason="Again", actor=ACTOR, valid_to=date(2024, 10, 1)
        )
    assert isinstance(e.value, ConflictError)
    with pytest.raises(RelationshipEndedError):
        testville.app.change_intensity(testville.slug, key, 4, actor=ACTOR, on=date(2024, 10, 1))
    with pytest.raises(RelationshipEndedError):
        testville.app.rate_relationship(
            testville.slug, key, rater="council", trust=(3, 3, 3), value=(1, 2, 3), actor=ACTOR
        )
