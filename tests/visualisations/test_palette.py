from __future__ import annotations

import pytest

from domain.vocabulary import DEFAULT_SECTORS
from visualisations.palette import (
    INK,
    MUTED_INK,
    PAPER,
    SECTOR_COLOURS,
    STATE_COLOURS,
    contrast_ratio,
    sector_colours,
    text_colour_on,
)


def test_every_default_sector_has_its_own_colour() -> None:
    assert set(SECTOR_COLOURS) == set(DEFAULT_SECTORS)
    assert len(set(SECTOR_COLOURS.values())) == len(DEFAULT_SECTORS)


def test_sectors_added_by_a_locality_get_colours_no_default_sector_uses() -> None:
    colours = sector_colours(["health", "allotments", "arts"])
    assert colours["health"] == SECTOR_COLOURS["health"]
    assert len({colours["allotments"], colours["arts"]} - set(SECTOR_COLOURS.values())) == 2


@pytest.mark.parametrize("colour", [*SECTOR_COLOURS.values(), *STATE_COLOURS.values()])
def test_numbers_on_any_fill_meet_wcag_aa_contrast(colour: str) -> None:
    assert contrast_ratio(text_colour_on(colour), colour) >= 4.5


def test_page_text_meets_wcag_aa_contrast() -> None:
    assert contrast_ratio(INK, PAPER) >= 7
    assert contrast_ratio(MUTED_INK, PAPER) >= 4.5
