"""Stakeholders: list, search, sector filter and pages; register, edit, change sector,
record and retire assets, merge, archive; a stakeholder's page; the asset map."""

from __future__ import annotations

import re
from uuid import UUID

from domain.stakeholder import Stakeholder

from .conftest import HOME, Site
from .html import csv_rows, field_errors, text

BASE = f"/l/{HOME}/stakeholders"


def _names(page: str) -> list[str]:
    return [text(n) for n in re.findall(rf'<td><a href="{BASE}/[0-9a-f-]+">(.*?)</a></td>', page)]


def _active(site: Site) -> list[str]:
    state = site.runtime.reader.state(HOME)
    return sorted(
        (s.id for s in state.stakeholders.values() if s.status == "active"),
        key=lambda i: state.stakeholders[i].name,
    )


def test_the_list_is_searched_by_name_filtered_by_sector_and_paged(site: Site) -> None:
    client = site.client("lead")
    state = site.runtime.reader.state(HOME)
    active = [s for s in state.stakeholders.values() if s.status == "active"]
    health = sorted((s.name for s in active if s.sector[-1][1] == "health"), key=str.lower)

    assert _names(client.get(f"{BASE}?sector=health").text) == health
    assert all("mosque" in n.lower() for n in _names(client.get(f"{BASE}?q=MOSQUE").text))
    assert _names(client.get(f"{BASE}?q=%25").text) == []  # a wildcard is searched for, not used
    first, second = client.get(BASE).text, client.get(f"{BASE}?page=2").text
    assert len(_names(first)) == 25 and not set(_names(first)) & set(_names(second))
    assert f"{len(active)} stakeholders found" in text(first) and "Page 1 of 3" in text(first)


def test_the_list_downloads_as_csv_with_every_match(site: Site) -> None:
    rows = csv_rows(site.client("lead").get(f"{BASE}?format=csv&sector=faith"))
    state = site.runtime.reader.state(HOME)
    faith = {
        s.name for s in state.stakeholders.values() if s.status == "active" and s.sector[-1][1] == "faith"
    }

    assert {r["name"] for r in rows} == faith and {r["sector"] for r in rows} == {"faith"}


def test_registering_a_stakeholder_shows_its_page(site: Site) -> None:
    answer = site.post(
        "facilitator",
        f"{BASE}/new",
        {
            "kind": "organisation",
            "sector": "health",
            "name": "Riverside Hospice",
            "contact": "0161 000",
            "since": "2026-01-10",
        },
    )
    assert answer.status_code == 303
    page = site.client("facilitator").get(answer.headers["location"]).text

    assert "<h1>Riverside Hospice</h1>" in page and "The stakeholder is registered." in page
    assert "10 Jan 2026" in page and "0161 000" in page and "Fran Facilitator" in page


def test_a_registration_with_errors_comes_back_as_typed_and_writes_nothing(site: Site) -> None:
    before = site.events()
    answer = site.post(
        "facilitator",
        f"{BASE}/new",
        {"kind": "person", "sector": "nowhere", "name": " ", "contact": "kept", "since": "10/01/2026"},
    )

    assert answer.status_code == 422
    assert set(field_errors(answer.text)) == {"sector", "name", "since"}
    assert 'value="kept"' in answer.text and 'value="10/01/2026"' in answer.text
    assert '<option value="person" selected>' in answer.text
    assert site.events() == before


def test_editing_details_records_them_and_a_stale_form_is_a_clear_conflict(site: Site) -> None:
    key = _active(site)[0]
    version = site.runtime.app.load(Stakeholder, UUID(key), locality=HOME).version
    fields = {"name": "Renamed Group", "contact": "", "notes": "Meets on Tuesdays", "version": str(version)}
    answer = site.post("facilitator", f"{BASE}/{key}/edit", fields)
    assert answer.status_code == 303
    assert "<h1>Renamed Group</h1>" in site.client("facilitator").get(answer.headers["location"]).text

    stale = site.post("facilitator", f"{BASE}/{key}/edit", {**fields, "name": "Lost update"})
    assert stale.status_code == 409
    assert "Someone changed this stakeholder since you opened the form" in stale.text
    assert 'value="Renamed Group"' in stale.text


def test_a_sector_change_and_an_asset_are_recorded_and_an_asset_retired(site: Site) -> None:
    key = _active(site)[0]
    assert (
        site.post("facilitator", f"{BASE}/{key}/sector", {"sector": "education", "since": ""}).status_code
        == 303
    )
    answer = site.post(
        "facilitator", f"{BASE}/{key}/assets", {"category": "venue", "description": "Hall for 80"}
    )
    assert answer.status_code == 303
    aggregate = site.runtime.app.load(Stakeholder, UUID(key), locality=HOME)
    asset = next(a for a, (_, d) in aggregate.assets.items() if d == "Hall for 80")

    refused = site.post("facilitator", f"{BASE}/{key}/assets/{asset}/retire", {"reason": ""})
    assert refused.status_code == 422 and field_errors(refused.text) == {
        f"reason-{asset}": "say why the asset is retired"
    }
    assert (
        site.post("facilitator", f"{BASE}/{key}/assets/{asset}/retire", {"reason": "Sold"}).status_code == 303
    )
    aggregate = site.runtime.app.load(Stakeholder, UUID(key), locality=HOME)
    assert aggregate.sector == "education" and asset not in aggregate.assets


def test_merging_a_duplicate_needs_the_target_and_a_reason(site: Site) -> None:
    duplicate, target = _active(site)[:2]
    refused = site.post("facilitator", f"{BASE}/{duplicate}/merge", {"into": "", "reason": ""})
    assert refused.status_code == 422 and set(field_errors(refused.text)) == {"into", "reason"}

    answer = site.post(
        "facilitator", f"{BASE}/{duplicate}/merge", {"into": target, "reason": "Registered twice"}
    )
    assert answer.status_code == 303
    page = site.client("facilitator").get(answer.headers["location"]).text
    assert "This stakeholder is merged" in text(page) and f'href="{BASE}/{target}"' in page


def test_archiving_takes_the_stakeholder_out_of_the_active_list(site: Site) -> None:
    key = _active(site)[0]
    name = site.runtime.reader.state(HOME).stakeholders[key].name
    assert site.post("facilitator", f"{BASE}/{key}/archive", {"reason": "Closed"}).status_code == 303

    assert name not in _names(site.client("lead").get(f"{BASE}?q={name}").text)
    assert name in _names(site.client("lead").get(f"{BASE}?q={name}&status=archived").text)
    again = site.post("facilitator", f"{BASE}/{key}/archive", {"reason": "Closed twice"})
    assert again.status_code == 409 and "archived" in text(again.text)


def test_a_stakeholder_page_shows_assets_ties_commitments_meetings_and_history(site: Site) -> None:
    state = site.runtime.reader.state(HOME)
    row = max(state.stakeholders.values(), key=lambda s: len(s.assets) + len(s.events))
    page = site.client("lead").get(f"{BASE}/{row.id}").text
    ties = [r for r in state.relationships.values() if row.id in (r.source, r.target)]

    tie_table = text(page.split('id="ties"')[1].split('id="commitments"')[0])
    history = text(page.split('id="history"')[1])

    for _, description in row.assets.values():
        assert description in text(page)
    for tie in ties:
        other = tie.target if tie.source == row.id else tie.source
        assert state.stakeholders[other].name in tie_table
    assert history.count("Recorded by") == len(row.events)
    assert "Registered as" in history and "Asset recorded" in history


def test_the_asset_map_counts_assets_by_category_and_sector(site: Site) -> None:
    state = site.runtime.reader.state(HOME)
    day = site.runtime.reader.today()
    expected = sum(len(s.assets) for s in state.present_stakeholders(day))
    rows = csv_rows(site.client("lead").get(f"/l/{HOME}/assets?format=csv"))
    counts = csv_rows(site.client("lead").get(f"/l/{HOME}/assets?format=csv&table=counts"))

    assert len(rows) == expected
    assert sum(int(r["total"]) for r in counts) == expected
    venues = sum(1 for r in rows if r["category"] == "venue")
    assert next(int(r["total"]) for r in counts if r["category"] == "venue") == venues
    assert f"{expected} assets" in text(site.client("lead").get(f"/l/{HOME}/assets").text)


def test_a_name_that_looks_like_a_formula_is_quoted_in_csv(site: Site) -> None:
    site.post("facilitator", f"{BASE}/new", {"kind": "group", "sector": "faith", "name": "=HYPERLINK(1)"})
    rows = csv_rows(site.client("lead").get(f"{BASE}?format=csv&q=HYPERLINK"))

    assert [r["name"] for r in rows] == ["'=HYPERLINK(1)"]
