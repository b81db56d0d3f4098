"""A locality: registered once under a slug, renamed, and given sectors of its own."""

from __future__ import annotations

import pytest

from domain.application import CivicWeave
from domain.errors import (
    AlreadyExistsError,
    ConflictError,
    InvalidInputError,
    NotFoundError,
    StaleVersionError,
)
from domain.locality import Locality, LocalityExistsError, LocalityNotFoundError, locality_id
from domain.vocabulary import DEFAULT_SECTORS
from tests.domain.builders import ACTOR, events_of, last_event


def test_a_registered_locality_is_found_by_its_slug(memory_app: CivicWeave) -> None:
    receipt = memory_app.register_locality("riverside", "Riverside", "North West", actor=ACTOR)

    locality = memory_app.locality("riverside")
    assert (locality.slug, locality.name, locality.region) == ("riverside", "Riverside", "North West")
    assert receipt.id == locality.id == locality_id("riverside")
    assert receipt.version == 1
    assert locality.locality_id == locality.id


def test_the_id_of_a_locality_follows_from_its_slug_alone() -> None:
    assert locality_id("riverside") == locality_id("riverside")
    assert locality_id("riverside") != locality_id("hillside")


def test_the_registration_names_who_recorded_it_and_has_no_world_date(
    memory_app: CivicWeave,
) -> None:
    memory_app.register_locality("riverside", "Riverside", actor="admin")

    (registered,) = events_of(memory_app, locality_id("riverside"))
    assert isinstance(registered, Locality.Registered)
    assert registered.actor == "admin"
    assert registered.effective is None


def test_an_unknown_locality_is_not_found(memory_app: CivicWeave) -> None:
    assert memory_app.find_locality("nowhere") is None
    with pytest.raises(LocalityNotFoundError, match="locality nowhere not found") as caught:
        memory_app.locality("nowhere")
    assert isinstance(caught.value, NotFoundError)


def test_a_slug_can_be_registered_only_once(memory_app: CivicWeave) -> None:
    memory_app.register_locality("riverside", "Riverside", actor=ACTOR)

    with pytest.raises(LocalityExistsError, match="'riverside' already exists") as caught:
        memory_app.register_locality("riverside", "Another Riverside", actor=ACTOR)
    assert isinstance(caught.value, AlreadyExistsError)
    assert isinstance(caught.value, ConflictError)
    assert memory_app.locality("riverside").name == "Riverside"


@pytest.mark.parametrize(
    "slug", ["River Side", "Riverside", "-riverside", "river_side", "rivér", "r" * 61, "  "]
)
def test_a_slug_is_lower_case_letters_digits_and_hyphens(memory_app: CivicWeave, slug: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        memory_app.register_locality(slug, "Riverside", actor=ACTOR)
    assert caught.value.field == "slug"
    assert memory_app.find_locality(slug.strip().lower()) is None


def test_a_slug_may_hold_digits_and_inner_hyphens(memory_app: CivicWeave) -> None:
    memory_app.register_locality("ward-12", "Ward 12", actor=ACTOR)

    assert memory_app.locality("ward-12").name == "Ward 12"


def test_an_invalid_slug_error_says_what_is_allowed(memory_app: CivicWeave) -> None:
    with pytest.raises(InvalidInputError, match=r"^slug: use lower-case letters, digits and hyphens"):
        memory_app.register_locality("River Side", "Riverside", actor=ACTOR)


def test_a_locality_needs_a_name(memory_app: CivicWeave) -> None:
    with pytest.raises(InvalidInputError, match=r"^name: must not be empty$"):
        memory_app.register_locality("riverside", "   ", actor=ACTOR)


def test_a_name_is_at_most_two_hundred_characters(memory_app: CivicWeave) -> None:
    with pytest.raises(InvalidInputError, match=r"^name: must be at most 200 characters$"):
        memory_app.register_locality("riverside", "R" * 201, actor=ACTOR)


def test_names_are_trimmed(memory_app: CivicWeave) -> None:
    memory_app.register_locality("riverside", "  Riverside ", " North West ", actor=ACTOR)

    assert memory_app.locality("riverside").name == "Riverside"
    assert memory_app.locality("riverside").region == "North West"


def test_a_locality_can_be_renamed(memory_app: CivicWeave) -> None:
    memory_app.register_locality("riverside", "Riverside", actor=ACTOR)

    receipt = memory_app.rename_locality("riverside", "Riverside Borough", "North", actor="admin")

    locality = memory_app.locality("riverside")
    assert (locality.name, locality.region) == ("Riverside Borough", "North")
    assert receipt.version == 2
    renamed = last_event(memory_app, locality.id)
    assert isinstance(renamed, Locality.Renamed)
    assert renamed.actor == "admin"


def test_a_rename_needs_a_name(memory_app: CivicWeave) -> None:
    memory_app.register_locality("riverside", "Riverside", actor=ACTOR)

    with pytest.raises(InvalidInputError) as caught:
        memory_app.rename_locality("riverside", "", "North", actor=ACTOR)
    assert caught.value.field == "name"


def test_renaming_an_unknown_locality_is_not_found(memory_app: CivicWeave) -> None:
    with pytest.raises(NotFoundError):
        memory_app.rename_locality("nowhere", "Nowhere", "", actor=ACTOR)


def test_a_rename_based_on_an_old_version_is_stale(memory_app: CivicWeave) -> None:
    memory_app.register_locality("riverside", "Riverside", actor=ACTOR)
    memory_app.rename_locality("riverside", "Riverside Borough", "", actor=ACTOR)

    with pytest.raises(StaleVersionError, match="at version 2, not 1") as caught:
        memory_app.rename_locality("riverside", "Riverside Town", "", actor=ACTOR, expected_version=1)
    assert isinstance(caught.value, ConflictError)
    assert (caught.value.expected, caught.value.actual) == (1, 2)
    assert memory_app.locality("riverside").name == "Riverside Borough"


def test_a_locality_starts_with_the_default_sectors(memory_app: CivicWeave) -> None:
    memory_app.register_locality("riverside", "Riverside", actor=ACTOR)

    assert memory_app.locality("riverside").sectors == DEFAULT_SECTORS
    assert "lived_experience" in DEFAULT_SECTORS


def test_a_locality_can_add_a_sector_of_its_own(memory_app: CivicWeave) -> None:
    memory_app.register_locality("riverside", "Riverside", actor=ACTOR)

    memory_app.add_sector("riverside", "arts-culture", "Arts and culture", actor=ACTOR)

    locality = memory_app.locality("riverside")
    assert locality.sectors == (*DEFAULT_SECTORS, "arts_culture")
    assert locality.extra_sectors == {"arts_culture": "Arts and culture"}
    added = last_event(memory_app, locality.id)
    assert isinstance(added, Locality.SectorAdded)
    assert added.actor == ACTOR


def test_a_sector_already_in_the_list_cannot_be_added_again(memory_app: CivicWeave) -> None:
    memory_app.register_locality("riverside", "Riverside", actor=ACTOR)
    memory_app.add_sector("riverside", "arts", "Arts", actor=ACTOR)

    for sector in ("health", "arts"):
        with pytest.raises(InvalidInputError, match="already one of this locality's sectors") as e:
            memory_app.add_sector("riverside", sector, "Again", actor=ACTOR)
        assert e.value.field == "sector"


def test_a_new_sector_is_a_slug_and_has_a_label(memory_app: CivicWeave) -> None:
    memory_app.register_locality("riverside", "Riverside", actor=ACTOR)

    with pytest.raises(InvalidInputError) as bad_slug:
        memory_app.add_sector("riverside", "Arts & Culture", "Arts", actor=ACTOR)
    with pytest.raises(InvalidInputError) as no_label:
        memory_app.add_sector("riverside", "arts", "", actor=ACTOR)

    assert bad_slug.value.field == "sector"
    assert no_label.value.field == "label"
    assert memory_app.locality("riverside").sectors == DEFAULT_SECTORS


def test_a_sector_of_one_locality_is_not_a_sector_of_another(memory_app: CivicWeave) -> None:
    memory_app.register_locality("riverside", "Riverside", actor=ACTOR)
    memory_app.register_locality("hillside", "Hillside", actor=ACTOR)

    memory_app.add_sector("riverside", "arts", "Arts", actor=ACTOR)

    assert "arts" not in memory_app.locality("hillside").sectors
