"""The import and export pages: a dry run writes nothing, a commit writes, a bad row is
shown by file, line and column and keeps anything from being written; a lead downloads
the exports but cannot import; a form without the session's CSRF token is refused."""

from __future__ import annotations

import networkx as nx
import pytest

from .conftest import HOME, Site
from .html import text

IMPORT = f"/l/{HOME}/import"
GOOD = b"name,kind,sector\nRepair Cafe Riverside,group,vcse\nTool Library Riverside,group,vcse\n"
BAD = b"name,kind,sector\nRepair Cafe Riverside,group,vcse\nSpace Club,spaceship,vcse\n"


def _import(site: Site, role: str, content: bytes, **fields: str) -> tuple[int, str]:
    data = {"csrf_token": site.csrf(role), "kind": "stakeholders", **fields}
    answer = site.client(role).post(IMPORT, data=data, files=[("files", ("groups.csv", content, "text/csv"))])
    return answer.status_code, answer.text


def _names(site: Site) -> set[str]:
    site.catch_up()
    return {s.name for s in site.runtime.reader.state(HOME).stakeholders.values()}


def test_the_import_form_lists_the_kinds_and_their_columns(site: Site) -> None:
    page = site.client("facilitator").get(IMPORT)
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.text
    words = text(page.text)
    for column in ("promisor", "held_on", "intensity", "Connections"):
        assert column in words


def test_a_dry_run_shows_the_counts_and_writes_nothing(site: Site) -> None:
    before = site.events()
    status, page = _import(site, "facilitator", GOOD)

    assert status == 200
    words = text(page)
    assert "A dry run: nothing was written" in words
    assert "Stakeholders 2 0" in words
    assert "Repair Cafe Riverside" in words
    assert site.events() == before
    assert "Repair Cafe Riverside" not in _names(site)


def test_with_commit_the_records_are_written(site: Site) -> None:
    status, page = _import(site, "facilitator", GOOD, commit="yes")

    assert status == 200
    assert "Written:" in text(page)
    assert {"Repair Cafe Riverside", "Tool Library Riverside"} <= _names(site)
    listing = site.client("facilitator").get(f"/l/{HOME}/stakeholders?q=Tool+Library")
    assert "Tool Library Riverside" in listing.text
    # The same files again: already present, nothing new.
    status, page = _import(site, "facilitator", GOOD, commit="yes")
    assert status == 200 and "Nothing was written" in text(page)
    assert "Stakeholders 0 2" in text(page)


@pytest.mark.parametrize("commit", ["", "yes"])
def test_a_bad_row_is_shown_by_file_line_and_column_and_nothing_is_written(site: Site, commit: str) -> None:
    before = site.events()
    status, page = _import(site, "facilitator", BAD, commit=commit)

    assert status == (422 if commit else 200)
    words = text(page)
    assert "Bad rows: 1" in words
    assert "groups.csv 3 kind spaceship" in words
    assert "Nothing was written" in words or "nothing was written" in words
    assert site.events() == before
    assert "Repair Cafe Riverside" not in _names(site)


def test_skipping_bad_rows_writes_the_good_ones(site: Site) -> None:
    status, page = _import(site, "facilitator", BAD, commit="yes", skip_bad_rows="yes")

    assert status == 200 and "Written:" in text(page)
    names = _names(site)
    assert "Repair Cafe Riverside" in names and "Space Club" not in names


def test_a_lead_downloads_the_exports_but_cannot_import(site: Site) -> None:
    client = site.client("lead")
    page = client.get(f"/l/{HOME}/export")
    assert page.status_code == 200
    assert f'href="/l/{HOME}/export/graphml?graph=combined"' in page.text
    assert f'href="{IMPORT}"' not in page.text

    answer = client.get(f"/l/{HOME}/export/graphml", params={"as_of": "2026-01-01"})
    assert answer.status_code == 200
    assert "attachment" in answer.headers["content-disposition"]
    graph = nx.parse_graphml(answer.text)
    assert graph.number_of_nodes() > 0

    assert client.get(IMPORT).status_code == 403
    before = site.events()
    status, _ = _import(site, "lead", GOOD, commit="yes")
    assert status == 403
    assert site.events() == before


def test_every_export_format_downloads(site: Site) -> None:
    client = site.client("facilitator")
    for fmt in ("graphml", "gexf", "json", "nodes-csv", "edges-csv", "audit-csv", "figures-csv"):
        answer = client.get(f"/l/{HOME}/export/{fmt}")
        assert answer.status_code == 200, fmt
        assert answer.content, fmt
    assert client.get(f"/l/{HOME}/export/pdf").status_code == 422
    assert client.get(f"/l/{HOME}/export/json", params={"as_of": "not a day"}).status_code == 422


def test_an_import_without_the_csrf_token_is_refused(site: Site) -> None:
    before = site.events()
    answer = site.client("facilitator").post(
        IMPORT,
        data={"kind": "stakeholders", "commit": "yes"},
        files=[("files", ("groups.csv", GOOD, "text/csv"))],
    )
    assert answer.status_code == 403
    assert "The form has expired" in answer.text
    assert site.events() == before


def test_an_import_without_files_shows_the_form_again(site: Site) -> None:
    answer = site.post("facilitator", IMPORT, {"kind": "stakeholders"})
    assert answer.status_code == 422
    assert "choose one or more CSV files" in text(answer.text)


def test_a_peer_gets_the_note_on_both_pages(site: Site) -> None:
    client = site.client("peer")
    for path in (IMPORT, f"/l/{HOME}/export"):
        answer = client.get(path)
        assert answer.status_code == 403 and "Peers compare localities" in answer.text
