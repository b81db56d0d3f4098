"""The dashboard: the headline figures of METRICS.md at a glance, each linking to its
detail, and the same figures as CSV."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

import pytest

from .conftest import HOME, Site
from .html import csv_rows, text


def test_the_dashboard_shows_the_headline_figures_of_the_views(site: Site) -> None:
    reader = site.runtime.reader
    network = reader.figures(HOME)
    kept = reader.accountability(HOME)["locality"]
    came = reader.participation(HOME)
    page = site.client("lead").get(f"/l/{HOME}").text

    def card(key: str) -> str:
        found = re.search(
            rf'<h3 id="fig-{key}">.*?<p class="value"><a href="([^"]*)"[^>]*>(.*?)</a>', page, re.S
        )
        assert found, key
        return text(found.group(2))

    assert card("stakeholders") == str(network["nodes"])
    assert card("cross_sector_share") == f"{network['cross_sector_share'] * 100:.0f}%"
    assert card("ei_index") == f"{network['ei_index']['whole']:+.2f}".replace("-", "−")
    assert card("due_soon") == str(kept["due_soon"]) and card("overdue") == str(kept["overdue"])
    assert card("kept_rate") == f"{kept['kept_rate'] * 100:.0f}%"
    assert card("on_time_rate") == f"{kept['on_time_rate'] * 100:.0f}%"
    assert card("lived_experience_share") == f"{came['lived_experience_share'] * 100:.0f}%"
    assert card("sectors_missing") == str(len(network["missing_sectors"]["no_stakeholder"]))


def test_each_headline_figure_links_to_the_page_that_explains_it(site: Site) -> None:
    client = site.client("lead")
    page = client.get(f"/l/{HOME}").text
    links = re.findall(r'<p class="value"><a href="([^"]*)"', page)

    assert len(links) == 10
    assert any("/commitments?as_of=" in link and link.endswith("#overdue") for link in links)
    for link in links:
        assert client.get(link.replace("&amp;", "&")).status_code == 200, link


def test_the_network_size_by_sector_counts_the_stakeholders_present(site: Site) -> None:
    state = site.runtime.reader.state(HOME)
    day = site.runtime.reader.today()
    sizes = Counter(state.sector_of(s.id, day) for s in state.present_stakeholders(day))
    rows = {r["figure"]: r for r in csv_rows(site.client("lead").get(f"/l/{HOME}?format=csv"))}

    for sector, count in sizes.items():
        assert rows[f"stakeholders_in_sector:{sector}"]["value"] == str(count)
    assert sum(sizes.values()) == int(rows["stakeholders"]["value"])


def test_the_headline_csv_holds_every_figure_of_the_page(site: Site) -> None:
    kept = site.runtime.reader.accountability(HOME, as_of=site.runtime.reader.today())["locality"]
    rows = {r["figure"]: r for r in csv_rows(site.client("lead").get(f"/l/{HOME}?format=csv"))}

    assert float(rows["kept_rate"]["value"]) == pytest.approx(kept["kept_rate"])
    assert int(rows["overdue"]["value"]) == kept["overdue"]
    assert {r["as_of"] for r in rows.values()} == {site.runtime.reader.today().isoformat()}


def test_the_dashboard_answers_for_a_past_day(site: Site) -> None:
    client = site.client("lead")
    past = client.get(f"/l/{HOME}?as_of=2025-01-01")
    nodes = site.runtime.reader.figures(HOME, as_of=date(2025, 1, 1))["nodes"]

    assert past.status_code == 200 and "1 Jan 2025" in past.text
    assert re.search(rf'id="fig-stakeholders".*?>{nodes}</a>', past.text, re.S)
    assert client.get(f"/l/{HOME}?as_of=yesterday").status_code == 422
    assert client.get(f"/l/{HOME}?as_of=0001-01-01").status_code == 422
