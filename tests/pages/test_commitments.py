"""The commitments board, the actions on a commitment (with the reason asked for where
the record needs one), conflicts shown as clear messages, and the audit trail."""

from __future__ import annotations

import re
from datetime import timedelta
from uuid import UUID

import pytest

from domain.commitment import Commitment

from .conftest import HOME, Site
from .html import csv_rows, field_errors, text

BOARD = f"/l/{HOME}/commitments"


def _open_one(site: Site) -> str:
    state = site.runtime.reader.state(HOME)
    return next(c.id for c in sorted(state.commitments.values(), key=lambda c: c.id) if c.outcome is None)


def _section(page: str, key: str) -> str:
    return page.split(f'<section id="{key}"')[1].split("</section>")[0]


def test_the_board_puts_each_commitment_in_its_state_on_the_day(site: Site) -> None:
    kept = site.runtime.reader.accountability(HOME)["locality"]
    page = site.client("lead").get(f"{BOARD}?show=all").text
    cards = {key: _section(page, key).count('class="commitment-card"') for key in
             ("due_soon", "overdue", "open", "fulfilled", "missed", "withdrawn")}  # fmt: skip

    assert cards == {
        "due_soon": kept["due_soon"],
        "overdue": kept["overdue"],
        "open": kept["open"] - kept["due_soon"],
        "fulfilled": kept["fulfilled"],
        "missed": kept["missed"],
        "withdrawn": kept["withdrawn"],
    }
    assert "<svg" in page.split('id="over-time"')[1]


def test_the_board_as_of_a_past_day_shows_the_record_as_it_stood(site: Site) -> None:
    day = site.runtime.reader.today() - timedelta(days=200)
    kept = site.runtime.reader.accountability(HOME, as_of=day)["locality"]
    page = site.client("lead").get(f"{BOARD}?as_of={day.isoformat()}&show=all").text

    assert _section(page, "fulfilled").count('class="commitment-card"') == kept["fulfilled"]
    assert f"{kept['made']} commitments made by" in text(page)


def test_the_board_downloads_every_commitment_and_the_monthly_counts(site: Site) -> None:
    client = site.client("lead")
    state = site.runtime.reader.state(HOME)
    rows = csv_rows(client.get(f"{BOARD}?format=csv"))
    months = csv_rows(client.get(f"{BOARD}?format=csv&table=over_time"))
    kept = site.runtime.reader.accountability(HOME)["locality"]

    assert {r["id"] for r in rows} == set(state.commitments)
    assert sum(r["state"] == "overdue" for r in rows) == kept["overdue"]
    assert sum(int(m["made"]) for m in months) <= len(rows)
    assert sum(int(m["fulfilled"]) for m in months) <= kept["fulfilled"]


@pytest.mark.parametrize(
    "action, fields, state",
    [
        ("fulfil", {"fulfil-evidence": "Minutes of the group"}, "fulfilled"),
        ("missed", {"missed-reason": ""}, "missed"),
        ("withdraw", {"withdraw-reason": "No longer needed"}, "withdrawn"),
    ],
)
def test_closing_a_commitment_moves_it_on_the_board(
    site: Site, action: str, fields: dict[str, str], state: str
) -> None:
    key = _open_one(site)
    answer = site.post("facilitator", f"{BOARD}/{key}/{action}", fields)
    assert answer.status_code == 303

    assert site.runtime.reader.state(HOME).commitments[key].outcome[0] == state  # type: ignore[index]
    board = site.client("lead").get(f"{BOARD}?show=all").text
    assert f'href="{BOARD}/{key}"' in _section(board, state)


def test_progress_and_renegotiation_are_recorded_and_shown_in_the_history(site: Site) -> None:
    key = _open_one(site)
    new_due = (site.runtime.reader.today() + timedelta(days=60)).isoformat()
    site.post(
        "facilitator", f"{BOARD}/{key}/progress", {"progress-note": "Draft shared", "progress-percent": "40"}
    )
    site.post(
        "facilitator",
        f"{BOARD}/{key}/renegotiate",
        {"renegotiate-due": new_due, "renegotiate-reason": "Budget timing"},
    )
    page = site.client("lead").get(f"{BOARD}/{key}").text
    history = text(page.split('id="history"')[1])

    assert "Progress reported: Draft shared" in history and "per cent done: 40" in history
    assert f"Due date renegotiated to {new_due}: Budget timing" in history
    assert history.count("Recorded by Fran Facilitator") == 2


@pytest.mark.parametrize(
    "action, fields, errors",
    [
        ("withdraw", {"withdraw-reason": " "}, {"withdraw-reason": "say why it is withdrawn"}),
        ("renegotiate", {"renegotiate-due": "", "renegotiate-reason": ""},
         {"renegotiate-due": "enter a date", "renegotiate-reason": "say why the due date changes"}),
        ("progress", {"progress-note": "", "progress-percent": "140"},
         {"progress-note": "say what has been done", "progress-percent": "give a whole number from 0 to 100, or leave it empty"}),
        ("fulfil", {"fulfil-on": "1999-01-01"}, {"fulfil-on": "1999-01-01 is before the date the commitment was made (%s)"}),
    ],
)  # fmt: skip
def test_an_action_without_what_the_record_needs_is_asked_for_again(
    site: Site, action: str, fields: dict[str, str], errors: dict[str, str]
) -> None:
    key = _open_one(site)
    made = site.runtime.reader.state(HOME).commitments[key].made_on.isoformat()
    before = site.events()
    answer = site.post("facilitator", f"{BOARD}/{key}/{action}", fields)

    assert answer.status_code == 422 and site.events() == before
    assert field_errors(answer.text) == {k: v.replace("%s", made) for k, v in errors.items()}
    assert re.search(
        rf'<details class="action" open>\s*<summary>[^<]+</summary>\s*<form[^>]*/{action}"', answer.text
    )


def test_acting_on_a_closed_commitment_is_a_clear_conflict(site: Site) -> None:
    key = _open_one(site)
    site.post("facilitator", f"{BOARD}/{key}/fulfil", {})
    before = site.events()
    answer = site.post("facilitator", f"{BOARD}/{key}/withdraw", {"withdraw-reason": "Too late"})

    assert answer.status_code == 409 and site.events() == before
    assert f"commitment {key} is already fulfilled: only an open commitment can change" in text(answer.text)
    assert 'id="actions"' not in answer.text  # no forms for a closed commitment


def test_a_form_from_before_someone_else_changed_the_commitment_is_refused(site: Site) -> None:
    key = _open_one(site)
    version = site.runtime.app.load(Commitment, UUID(key), locality=HOME).version
    site.post("facilitator", f"{BOARD}/{key}/progress", {"progress-note": "First", "version": str(version)})
    answer = site.post("facilitator", f"{BOARD}/{key}/fulfil", {"version": str(version)})

    assert answer.status_code == 409
    assert "Someone else changed this commitment since you opened the page" in text(answer.text)
    assert site.runtime.reader.state(HOME).commitments[key].outcome is None


def test_the_history_says_what_who_when_effective_when_and_at_which_meeting(site: Site) -> None:
    state = site.runtime.reader.state(HOME)
    chosen = next(c for c in state.commitments.values() if c.meeting_id and len(c.events) >= 3)
    meeting = state.meetings[chosen.meeting_id]  # type: ignore[index]
    page = site.client("lead").get(f"{BOARD}/{chosen.id}").text
    entries = page.split('class="timeline-entry"')[1:]
    first = text(entries[0].split(">", 1)[1])

    assert len(entries) == len(chosen.events)
    assert first.startswith(f"Commitment made: {chosen.what}")
    assert "Recorded by demo" in first and "Recorded at" in first and " UTC" in first
    assert f"Took effect {chosen.made_on.day} {chosen.made_on:%b %Y}" in first
    assert f"At the meeting {meeting.title}" in first
    promisor = state.stakeholders[chosen.promisor[0][1]].name
    assert f"promisor: {promisor}" in first  # ids are shown as names
