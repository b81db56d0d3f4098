"""Who sees what: a lead reads everything and sees no forms that change the record; a
peer sees only a note that peers use comparisons; another locality's pages do not exist."""

from __future__ import annotations

import pytest

from .conftest import HOME, OTHER, Site
from .html import post_forms, text

WRITE_PAGES = ("/stakeholders/new", "/meetings/new", "/edit", "/merge", "/archive", "/import")


def test_a_facilitator_can_open_every_page_and_sees_the_forms(site: Site) -> None:
    client = site.client("facilitator")
    for path in site.every_page():
        assert client.get(path).status_code == 200, path
    assert post_forms(client.get(f"/l/{HOME}/meetings/new").text) == [f"/l/{HOME}/meetings/new"]


def test_a_lead_reads_every_page_but_sees_no_form_that_changes_the_record(site: Site) -> None:
    client = site.client("lead")
    for path in site.every_page():
        answer = client.get(path)
        if path.endswith(WRITE_PAGES):
            assert answer.status_code == 403, path
        else:
            assert answer.status_code == 200, path
            assert post_forms(answer.text) == [], path
    assert client.get("/").headers["location"] == f"/l/{HOME}"
    assert "Record a meeting" not in client.get(f"/l/{HOME}").text


@pytest.mark.parametrize(
    "path, data",
    [
        ("/stakeholders/new", {"kind": "organisation", "sector": "faith", "name": "Lead's own"}),
        ("/meetings/new", {"kind": "workshop", "title": "Lead's meeting", "held_on": "2026-01-05"}),
    ],
)
def test_a_form_sent_by_a_lead_is_refused_and_writes_nothing(
    site: Site, path: str, data: dict[str, str]
) -> None:
    before = site.events()
    answer = site.post("lead", f"/l/{HOME}{path}", data)

    assert answer.status_code == 403
    assert "can read the record but not change it" in text(answer.text)
    assert site.events() == before


def test_a_peer_sees_only_a_note_that_peers_compare_localities(site: Site) -> None:
    client = site.client("peer")
    home = client.get("/")
    assert home.status_code == 200 and "Peers compare localities" in home.text
    for path in site.every_page():
        answer = client.get(path)
        assert answer.status_code == 403, path
        assert "Peers compare localities" in answer.text
        assert "Riverside Borough Council" not in answer.text


def test_another_locality_is_not_found_for_its_pages_or_its_forms(site: Site) -> None:
    client = site.client("other")
    for path in site.every_page():
        assert client.get(path).status_code == 404, path
    before = site.events()
    token = site.csrf("other", f"/l/{OTHER}")
    answer = client.post(
        f"/l/{HOME}/stakeholders/new",
        data={"csrf_token": token, "kind": "group", "sector": "faith", "name": "Not yours"},
    )
    assert answer.status_code == 404
    assert site.events() == before
    assert client.get(f"/l/{OTHER}").status_code == 200


def test_an_administrator_starts_from_the_list_of_localities(site: Site) -> None:
    client = site.client("administrator")
    home = client.get("/")

    assert f'href="/l/{HOME}"' in home.text and f'href="/l/{OTHER}"' in home.text
    assert client.get(f"/l/{OTHER}/stakeholders").status_code == 200


def test_a_facilitator_starts_from_their_own_locality(site: Site) -> None:
    answer = site.client("facilitator").get("/")
    assert answer.status_code == 303 and answer.headers["location"] == f"/l/{HOME}"


def test_an_unknown_locality_or_record_is_a_page_saying_not_found(site: Site) -> None:
    client = site.client("administrator")
    for path in (
        "/l/nowhere",
        f"/l/{HOME}/stakeholders/00000000-0000-0000-0000-000000000000",
        f"/l/{HOME}/nothing",
    ):
        answer = client.get(path)
        assert answer.status_code == 404, path
        assert answer.headers["content-type"].startswith("text/html")
