"""Accessible pages: a label for every field, one name per id, the language set, text
colours that read on their backgrounds (WCAG AA, 4.5:1)."""

from __future__ import annotations

import re

import pytest

from visualisations.palette import contrast_ratio

from .conftest import Site
from .html import parse, unlabelled

AA = 4.5


def test_every_field_of_every_page_has_a_label(site: Site) -> None:
    client = site.client("facilitator")
    for path in site.every_page():
        page = client.get(path).text
        assert unlabelled(page) == [], path
        assert 'lang="en-GB"' in page and '<main id="main"' in page
        ids = [c.get("id") for c in parse(page).controls if c.get("id")]
        assert len(ids) == len(set(ids)), path


def _css(site: Site) -> str:
    return site.client().get("/static/civicweave.css").text


def test_every_badge_reads_on_its_background(site: Site) -> None:
    badges = re.findall(
        r"\.badge-(\w+)(?:, \.badge-\w+)? \{ color: (#\w+); background: (#\w+); \}", _css(site)
    )

    assert {name for name, _, _ in badges} >= {
        "due_soon",
        "overdue",
        "open",
        "fulfilled",
        "missed",
        "withdrawn",
    }
    for name, ink, paper in badges:
        assert contrast_ratio(ink, paper) >= AA, name


@pytest.mark.parametrize("ink, paper", [("--ink", "--paper"), ("--muted", "--paper"), ("--link", "--paper"),
                                        ("--link-visited", "--paper"), ("--error", "--paper"), ("--muted", "--wash")])  # fmt: skip
def test_text_colours_read_on_the_page(site: Site, ink: str, paper: str) -> None:
    colours = dict(re.findall(r"(--[\w-]+): (#[0-9a-fA-F]{6});", _css(site)))
    assert contrast_ratio(colours[ink], colours[paper]) >= AA
