"""A stakeholder: registered in a sector of its locality, with assets; merged, archived,
and, for a person, erased."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

import pytest

from domain.application import CivicWeave
from domain.errors import (
    ConflictError,
    InvalidInputError,
    InvalidStateError,
    NotFoundError,
    StaleVersionError,
)
from domain.locality import LocalityNotFoundError
from domain.stakeholder import ACTIVE, ARCHIVED, MERGED, Stakeholder, StakeholderInactiveError
from domain.usecases.network import ERASED_NAME
from tests.domain.builders import ACTOR, Testville, build_testville, events_of, last_event


def stakeholder(town: Testville, key: UUID) -> Stakeholder:
    return town.app.load(Stakeholder, key, locality=town.slug)


def test_an_organisation_is_registered_in_a_sector_with_its_details_in_the_clear(
    testville: Testville,
) -> None:
    receipt = testville.app.register_stakeholder(
        testville.slug,
        kind="organisation",
        sector="education",
        name="Testville College",
        contact="01234 567890",
        notes="Has a hall",
        actor=ACTOR,
    )

    college = stakeholder(testville, receipt.id)
    assert (college.kind, college.sector, college.status) == ("organisation", "education", ACTIVE)
    assert (college.name, college.contact, college.notes) == (
        "Testville College",
        "01234 567890",
        "Has a hall",
    )
    assert college.locality_id == testville.app.locality("testville").id
    assert testville.app.stakeholder_details(college) == {
        "name": "Testville College",
        "contact": "01234 567890",
        "notes": "Has a hall",
    }


def test_the_registration_names_who_recorded_it(testville: Testville) -> None:
    (registered,) = events_of(testville.app, testville.council)

    assert isinstance(registered, Stakeholder.Registered)
    assert registered.actor == ACTOR
    assert registered.effective is None


def test_a_persons_details_are_sealed_in_the_record_and_read_through_the_app(
    testville: Testville,
) -> None:
    mary = stakeholder(testville, testville.mary)

    assert mary.is_person
    assert (mary.name, mary.contact, mary.notes) == ("", "", "")
    assert mary.sealed and "Mary" not in mary.sealed
    (registered,) = events_of(testville.app, testville.mary)
    assert "Okonkwo" not in repr(vars(registered))
    assert testville.app.stakeholder_details(mary) == {
        "name": "Mary Okonkwo",
        "contact": "mary.okonkwo@example.org",
        "notes": "Cares for her son; prefers evening meetings",
    }


def test_a_stakeholder_can_be_registered_under_a_given_id(testville: Testville) -> None:
    key = uuid4()

    receipt = testville.app.register_stakeholder(
        testville.slug, kind="group", sector="faith", name="St Anne's", actor=ACTOR, stakeholder_id=key
    )

    assert receipt.id == key
    assert stakeholder(testville, key).name == "St Anne's"


def test_a_stakeholder_id_cannot_be_registered_twice(testville: Testville) -> None:
    with pytest.raises(ConflictError):
        testville.app.register_stakeholder(
            testville.slug,
            kind="group",
            sector="faith",
            name="St Anne's",
            actor=ACTOR,
            stakeholder_id=testville.council,
        )
    assert stakeholder(testville, testville.council).name == "Testville Council"


def test_the_kind_of_stakeholder_is_organisation_group_or_person(testville: Testville) -> None:
    with pytest.raises(InvalidInputError, match="use one of: organisation, group, person") as e:
        testville.app.register_stakeholder(
            testville.slug, kind="company", sector="business", name="Acme", actor=ACTOR
        )
    assert e.value.field == "kind"


def test_the_sector_must_be_one_of_the_localitys_sectors(testville: Testville) -> None:
    with pytest.raises(InvalidInputError, match="'arts' is not allowed; use one of: public,") as e:
        testville.app.register_stakeholder(
            testville.slug, kind="group", sector="arts", name="Choir", actor=ACTOR
        )
    assert e.value.field == "sector"


def test_a_sector_the_locality_added_can_be_used(testville: Testville) -> None:
    testville.app.add_sector(testville.slug, "arts", "Arts and culture", actor=ACTOR)

    receipt = testville.app.register_stakeholder(
        testville.slug, kind="group", sector="arts", name="Choir", actor=ACTOR
    )

    assert stakeholder(testville, receipt.id).sector == "arts"


def test_a_stakeholder_needs_a_name(testville: Testville) -> None:
    with pytest.raises(InvalidInputError, match=r"^name: must not be empty$"):
        testville.app.register_stakeholder(
            testville.slug, kind="person", sector="lived_experience", name=" ", actor=ACTOR
        )


def test_a_stakeholder_of_an_unknown_locality_cannot_be_registered(memory_app: CivicWeave) -> None:
    with pytest.raises(LocalityNotFoundError):
        memory_app.register_stakeholder("nowhere", kind="group", sector="vcse", name="Food Bank", actor=ACTOR)


def test_a_stakeholder_of_another_locality_is_not_found(testville: Testville) -> None:
    hillside = build_testville(testville.app, "hillside")

    with pytest.raises(NotFoundError, match=f"stakeholder {hillside.council} not found"):
        testville.app.load(Stakeholder, hillside.council, locality=testville.slug)
    with pytest.raises(NotFoundError):
        testville.app.change_sector(testville.slug, hillside.council, "health", actor=ACTOR)
    with pytest.raises(NotFoundError):
        testville.app.archive_stakeholder(testville.slug, hillside.council, reason="wrong place", actor=ACTOR)


def test_an_id_that_is_not_a_stakeholder_is_not_found(testville: Testville) -> None:
    locality_id = testville.app.locality(testville.slug).id

    with pytest.raises(NotFoundError, match="stakeholder"):
        testville.app.load(Stakeholder, locality_id, locality=testville.slug)
    with pytest.raises(NotFoundError):
        testville.app.load(Stakeholder, uuid4(), locality=testville.slug)


def test_an_organisations_details_can_be_changed(testville: Testville) -> None:
    receipt = testville.app.change_stakeholder_details(
        testville.slug, testville.council, name="Testville Borough Council", actor="lead"
    )

    council = stakeholder(testville, testville.council)
    assert council.name == "Testville Borough Council"
    assert receipt.version == 2
    changed = last_event(testville.app, testville.council)
    assert isinstance(changed, Stakeholder.DetailsChanged)
    assert changed.actor == "lead"


def test_a_persons_changed_details_are_sealed_again(testville: Testville) -> None:
    testville.app.change_stakeholder_details(
        testville.slug, testville.mary, name="Mary O.", contact="07700 900123", actor=ACTOR
    )

    mary = stakeholder(testville, testville.mary)
    changed = last_event(testville.app, testville.mary)
    assert changed.name == "" and "07700" not in changed.sealed
    assert testville.app.stakeholder_details(mary) == {
        "name": "Mary O.",
        "contact": "07700 900123",
        "notes": "",
    }


def test_a_change_of_details_based_on_an_old_version_is_stale(testville: Testville) -> None:
    testville.app.change_sector(testville.slug, testville.food_bank, "faith", actor=ACTOR)

    with pytest.raises(StaleVersionError):
        testville.app.change_stakeholder_details(
            testville.slug, testville.food_bank, name="Food Bank", actor=ACTOR, expected_version=1
        )


def test_a_stakeholder_can_move_to_another_sector_from_a_date(testville: Testville) -> None:
    testville.app.change_sector(
        testville.slug, testville.food_bank, "faith", actor=ACTOR, on=date(2024, 4, 1)
    )

    assert stakeholder(testville, testville.food_bank).sector == "faith"
    changed = last_event(testville.app, testville.food_bank)
    assert isinstance(changed, Stakeholder.SectorChanged)
    assert (changed.actor, changed.effective) == (ACTOR, date(2024, 4, 1))


def test_a_stakeholder_cannot_move_to_the_sector_it_is_in(testville: Testville) -> None:
    with pytest.raises(InvalidInputError, match="already in sector 'vcse'") as e:
        testville.app.change_sector(testville.slug, testville.food_bank, "vcse", actor=ACTOR)
    assert e.value.field == "sector"


def test_a_stakeholder_cannot_move_to_a_sector_the_locality_does_not_have(
    testville: Testville,
) -> None:
    with pytest.raises(InvalidInputError, match="use one of") as e:
        testville.app.change_sector(testville.slug, testville.food_bank, "arts", actor=ACTOR)
    assert e.value.field == "sector"


def test_a_stakeholder_brings_assets(testville: Testville) -> None:
    testville.app.record_asset(
        testville.slug, testville.food_bank, category="venue", description="A hall for 80", actor=ACTOR
    )
    testville.app.record_asset(
        testville.slug, testville.food_bank, category="volunteers", description="30 drivers", actor=ACTOR
    )

    assets = stakeholder(testville, testville.food_bank).assets
    assert sorted(assets.values()) == [("venue", "A hall for 80"), ("volunteers", "30 drivers")]
    recorded = last_event(testville.app, testville.food_bank)
    assert isinstance(recorded, Stakeholder.AssetRecorded)
    assert recorded.actor == ACTOR


def test_an_asset_has_a_category_from_the_list(testville: Testville) -> None:
    with pytest.raises(InvalidInputError, match="'money' is not allowed; use one of: venue,") as e:
        testville.app.record_asset(
            testville.slug, testville.food_bank, category="money", description="£5k", actor=ACTOR
        )
    assert e.value.field == "category"


def test_an_asset_needs_a_description(testville: Testville) -> None:
    with pytest.raises(InvalidInputError) as e:
        testville.app.record_asset(
            testville.slug, testville.food_bank, category="venue", description="", actor=ACTOR
        )
    assert e.value.field == "description"


def test_a_retired_asset_is_no_longer_brought(testville: Testville) -> None:
    testville.app.record_asset(
        testville.slug, testville.food_bank, category="venue", description="A hall", actor=ACTOR
    )
    (asset_id,) = stakeholder(testville, testville.food_bank).assets

    testville.app.retire_asset(testville.slug, testville.food_bank, asset_id, reason="Hall sold", actor=ACTOR)

    assert stakeholder(testville, testville.food_bank).assets == {}
    retired = last_event(testville.app, testville.food_bank)
    assert isinstance(retired, Stakeholder.AssetRetired)
    assert (retired.asset_id, retired.reason) == (asset_id, "Hall sold")


def test_an_unknown_asset_cannot_be_retired(testville: Testville) -> None:
    unknown = uuid4()

    with pytest.raises(NotFoundError, match=f"asset {unknown} not found"):
        testville.app.retire_asset(testville.slug, testville.food_bank, unknown, reason="gone", actor=ACTOR)


def test_retiring_an_asset_needs_a_reason(testville: Testville) -> None:
    testville.app.record_asset(
        testville.slug, testville.food_bank, category="venue", description="A hall", actor=ACTOR
    )
    (asset_id,) = stakeholder(testville, testville.food_bank).assets

    with pytest.raises(InvalidInputError) as e:
        testville.app.retire_asset(testville.slug, testville.food_bank, asset_id, reason="", actor=ACTOR)
    assert e.value.field == "reason"


def test_a_duplicate_is_merged_into_the_stakeholder_it_duplicates(testville: Testville) -> None:
    duplicate = testville.app.register_stakeholder(
        testville.slug, kind="organisation", sector="public", name="TV Council", actor=ACTOR
    ).id

    testville.app.merge_stakeholder(
        testville.slug, duplicate, testville.council, reason="Same council", actor=ACTOR
    )

    merged = stakeholder(testville, duplicate)
    assert (merged.status, merged.merged_into) == (MERGED, testville.council)
    assert stakeholder(testville, testville.council).status == ACTIVE
    event = last_event(testville.app, duplicate)
    assert isinstance(event, Stakeholder.MergedInto)
    assert (event.target_id, event.reason, event.actor) == (testville.council, "Same council", ACTOR)


def test_a_stakeholder_cannot_be_merged_into_itself(testville: Testville) -> None:
    with pytest.raises(InvalidInputError, match="cannot be merged into itself") as e:
        testville.app.merge_stakeholder(
            testville.slug, testville.council, testville.council, reason="oops", actor=ACTOR
        )
    assert e.value.field == "target_id"


def test_a_merge_needs_a_reason(testville: Testville) -> None:
    with pytest.raises(InvalidInputError) as e:
        testville.app.merge_stakeholder(
            testville.slug, testville.housing, testville.council, reason=" ", actor=ACTOR
        )
    assert e.value.field == "reason"


def test_a_stakeholder_cannot_be_merged_into_one_of_another_locality(testville: Testville) -> None:
    hillside = build_testville(testville.app, "hillside")

    with pytest.raises(NotFoundError):
        testville.app.merge_stakeholder(
            testville.slug, testville.council, hillside.council, reason="same", actor=ACTOR
        )


def test_the_same_locality_check_holds_in_the_aggregate_too(testville: Testville) -> None:
    hillside = build_testville(testville.app, "hillside")
    ours = stakeholder(testville, testville.council)
    theirs = testville.app.load(Stakeholder, hillside.council, locality="hillside")

    with pytest.raises(InvalidInputError, match="same locality") as e:
        ours.merge_into(theirs, "same", actor=ACTOR)
    assert e.value.field == "target_id"


def test_a_stakeholder_cannot_be_merged_into_one_merged_away(testville: Testville) -> None:
    testville.app.merge_stakeholder(
        testville.slug, testville.housing, testville.council, reason="Same", actor=ACTOR
    )

    with pytest.raises(StakeholderInactiveError, match="is merged"):
        testville.app.merge_stakeholder(
            testville.slug, testville.nhs_trust, testville.housing, reason="Same", actor=ACTOR
        )


def test_a_merged_away_stakeholder_cannot_be_changed(testville: Testville) -> None:
    testville.app.merge_stakeholder(
        testville.slug, testville.housing, testville.council, reason="Same", actor=ACTOR
    )

    with pytest.raises(StakeholderInactiveError) as e:
        testville.app.change_sector(testville.slug, testville.housing, "vcse", actor=ACTOR)
    assert isinstance(e.value, InvalidStateError)
    assert isinstance(e.value, ConflictError)
    with pytest.raises(StakeholderInactiveError):
        testville.app.change_stakeholder_details(testville.slug, testville.housing, name="Homes", actor=ACTOR)
    with pytest.raises(StakeholderInactiveError):
        testville.app.record_asset(
            testville.slug, testville.housing, category="venue", description="Flat", actor=ACTOR
        )
    with pytest.raises(StakeholderInactiveError):
        testville.app.archive_stakeholder(testville.slug, testville.housing, reason="x", actor=ACTOR)
    with pytest.raises(StakeholderInactiveError):
        testville.app.merge_stakeholder(
            testville.slug, testville.housing, testville.nhs_trust, reason="x", actor=ACTOR
        )


def test_an_archived_stakeholder_stays_in_the_record_but_cannot_be_changed(
    testville: Testville,
) -> None:
    testville.app.archive_stakeholder(testville.slug, testville.housing, reason="Closed down", actor="lead")

    housing = stakeholder(testville, testville.housing)
    assert housing.status == ARCHIVED
    archived = last_event(testville.app, testville.housing)
    assert isinstance(archived, Stakeholder.Archived)
    assert (archived.reason, archived.actor) == ("Closed down", "lead")
    with pytest.raises(StakeholderInactiveError, match="is archived"):
        testville.app.change_sector(testville.slug, testville.housing, "vcse", actor=ACTOR)


def test_archiving_needs_a_reason(testville: Testville) -> None:
    with pytest.raises(InvalidInputError) as e:
        testville.app.archive_stakeholder(testville.slug, testville.housing, reason="", actor=ACTOR)
    assert e.value.field == "reason"


def test_archiving_based_on_an_old_version_is_stale(testville: Testville) -> None:
    testville.app.change_sector(testville.slug, testville.housing, "vcse", actor=ACTOR)

    with pytest.raises(StaleVersionError):
        testville.app.archive_stakeholder(
            testville.slug, testville.housing, reason="x", actor=ACTOR, expected_version=1
        )
    assert stakeholder(testville, testville.housing).status == ACTIVE


def test_an_erased_persons_details_read_erased_person(testville: Testville) -> None:
    testville.app.erase_person(testville.slug, testville.mary, reason="Asked to be forgotten", actor="admin")

    mary = stakeholder(testville, testville.mary)
    assert mary.erased
    assert testville.app.stakeholder_details(mary) == {
        "name": ERASED_NAME,
        "contact": "",
        "notes": "",
    }
    assert ERASED_NAME == "erased person"
    erased = last_event(testville.app, testville.mary)
    assert isinstance(erased, Stakeholder.PersonErased)
    assert (erased.reason, erased.actor) == ("Asked to be forgotten", "admin")


def test_an_erased_persons_details_cannot_be_recorded_again(testville: Testville) -> None:
    testville.app.erase_person(testville.slug, testville.mary, reason="Asked", actor=ACTOR)

    with pytest.raises(InvalidInputError, match="erased and cannot be recorded again") as e:
        testville.app.change_stakeholder_details(
            testville.slug, testville.mary, name="Mary Okonkwo", actor=ACTOR
        )
    assert e.value.field == "stakeholder_id"


def test_a_person_is_erased_only_once(testville: Testville) -> None:
    testville.app.erase_person(testville.slug, testville.mary, reason="Asked", actor=ACTOR)

    with pytest.raises(InvalidStateError, match="already erased"):
        testville.app.erase_person(testville.slug, testville.mary, reason="Again", actor=ACTOR)


def test_only_a_persons_data_can_be_erased(testville: Testville) -> None:
    with pytest.raises(InvalidInputError, match="only a person's personal data") as e:
        testville.app.erase_person(testville.slug, testville.council, reason="x", actor=ACTOR)
    assert e.value.field == "stakeholder_id"


def test_an_erasure_needs_a_reason(testville: Testville) -> None:
    with pytest.raises(InvalidInputError) as e:
        testville.app.erase_person(testville.slug, testville.mary, reason="", actor=ACTOR)
    assert e.value.field == "reason"
    assert testville.app.stakeholder_details(stakeholder(testville, testville.mary))["name"] == (
        "Mary Okonkwo"
    )


def test_a_merged_away_person_can_still_be_erased(testville: Testville) -> None:
    twin = testville.app.register_stakeholder(
        testville.slug, kind="person", sector="lived_experience", name="Mary O", actor=ACTOR
    ).id
    testville.app.merge_stakeholder(testville.slug, twin, testville.mary, reason="Same", actor=ACTOR)

    testville.app.erase_person(testville.slug, twin, reason="Asked", actor=ACTOR)

    assert testville.app.stakeholder_details(stakeholder(testville, twin))["name"] == ERASED_NAME


def test_erasing_one_person_leaves_anothers_details_readable(testville: Testville) -> None:
    joe = testville.app.register_stakeholder(
        testville.slug, kind="person", sector="lived_experience", name="Joe Bloggs", actor=ACTOR
    ).id

    testville.app.erase_person(testville.slug, testville.mary, reason="Asked", actor=ACTOR)

    assert testville.app.stakeholder_details(stakeholder(testville, joe))["name"] == "Joe Bloggs"
