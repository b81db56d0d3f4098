"""Recording a meeting in one go: details, attendance, decisions and commitments, all
checked before anything is written; the meetings list with its participation figures."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from .conftest import HOME, Site
from .html import csv_rows, field_errors, text

NEW = f"/l/{HOME}/meetings/new"


def _people(site: Site) -> list[Any]:
    state = site.runtime.reader.state(HOME)
    return sorted((s for s in state.stakeholders.values() if s.status == "active"), key=lambda s: s.name)


def _meeting(site: Site, **changes: Any) -> dict[str, Any]:
    people = _people(site)
    due = (site.runtime.reader.today() + timedelta(days=10)).isoformat()
    fields = {
        "decisions": "2",
        "commitments": "3",
        "kind": "change_group",
        "title": "Change Group: short breaks",
        "held_on": site.runtime.reader.today().isoformat(),
        "place": "Riverside Central Library",
        "notes": "Warm room; good turnout.",
        "attendee": [people[0].id, people[1].id, people[2].id],
        "d0-text": "Pilot a booking line for breaks",
        "d0-all": "yes",
        "c0-promisor": people[0].id,
        "c0-promisee": [people[1].id, people[2].id],
        "c0-what": "Draft the booking line's script",
        "c0-due": due,
        "c1-promisor": people[1].id,
        "c1-group": "yes",
        "c1-what": "Report back on carers' views",
        "c1-due": due,
    }
    fields.update(changes)
    return fields


def test_a_meeting_is_recorded_with_its_attendance_decisions_and_commitments(site: Site) -> None:
    people = _people(site)
    answer = site.post("facilitator", NEW, _meeting(site))
    assert answer.status_code == 303
    key = re.search(r"/meetings/([0-9a-f-]+)\?done=recorded", answer.headers["location"])
    assert key

    meeting = site.runtime.reader.state(HOME).meetings[key.group(1)]
    assert meeting.status == "held" and meeting.attendees == {p.id for p in people[:3]}
    assert [d["text"] for d in meeting.decisions] == ["Pilot a booking line for breaks"]
    assert set(meeting.decisions[0]["agreed_by"]) == meeting.attendees
    made = [c for c in site.runtime.reader.state(HOME).commitments.values() if c.meeting_id == meeting.id]
    assert sorted(c.what for c in made) == ["Draft the booking line's script", "Report back on carers' views"]

    page = text(site.client("facilitator").get(answer.headers["location"]).text)
    assert "The meeting is recorded." in page and "Who attended (3)" in page
    assert "Draft the booking line's script" in page and "Warm room; good turnout." in page


def test_the_commitments_made_at_the_meeting_are_on_the_board(site: Site) -> None:
    site.post("facilitator", NEW, _meeting(site))
    board = site.client("lead").get(f"/l/{HOME}/commitments").text
    due_soon = board.split('id="due_soon"')[1].split("</section>")[0]

    assert "Draft the booking line&#39;s script" in due_soon
    assert "Report back on carers&#39; views" in due_soon


def test_a_meeting_with_errors_comes_back_as_typed_with_each_error_beside_its_field(site: Site) -> None:
    people = _people(site)
    before = site.events()
    fields = _meeting(
        site,
        title="",
        held_on="2026-02-30",
        attendee=[people[0].id, "not-a-stakeholder"],
        **{"c0-what": "", "c0-promisee": [people[0].id], "c1-due": "", "c2-what": "Half a row"},
    )
    answer = site.post("facilitator", NEW, fields)
    errors = field_errors(answer.text)

    assert answer.status_code == 422
    assert site.events() == before
    assert errors == {
        "title": "enter a title",
        "held_on": "enter a date as YYYY-MM-DD, e.g. 2026-03-27",
        "attendee": "1 of the attendees ticked cannot attend: reload the form",
        "c0-promisee": "a stakeholder cannot make a commitment to itself",
        "c0-what": "say what was promised",
        "c1-due": "enter a date",
        "c2-promisor": "choose who made the commitment",
        "c2-promisee": "choose whom it was promised to, or tick “to the Change Group”",
        "c2-due": "enter a date",
    }
    assert (
        'value="Riverside Central Library"' in answer.text
        and "Pilot a booking line for breaks</textarea>" in answer.text
    )
    assert 'value="Half a row"' in answer.text
    assert f'value="{people[0].id}" id="a-1" checked' in answer.text
    assert 'href="#f-c2-promisor"' in answer.text  # the summary links to the field


def test_a_commitment_due_before_the_meeting_or_an_archived_promisor_is_refused(site: Site) -> None:
    people = _people(site)
    site.post("facilitator", f"/l/{HOME}/stakeholders/{people[3].id}/archive", {"reason": "Closed"})
    before = site.events()
    fields = _meeting(site, held_on="2026-03-10", **{"c0-due": "2026-03-09", "c1-promisor": people[3].id})
    errors = field_errors(site.post("facilitator", NEW, fields).text)

    assert errors == {
        "c0-due": "the due date is before the meeting (2026-03-10)",
        "c1-promisor": "this stakeholder has been archived or merged: choose another",
    }
    assert site.events() == before


def test_adding_a_row_sends_the_form_back_with_one_more_and_writes_nothing(site: Site) -> None:
    before = site.events()
    answer = site.post("facilitator", NEW, _meeting(site, add="commitment"))

    assert answer.status_code == 200 and site.events() == before
    assert answer.text.count('class="commitment-row') == 4
    assert 'name="commitments" value="4"' in answer.text
    assert 'value="Draft the booking line&#39;s script"' in answer.text
    assert field_errors(answer.text) == {}


def test_the_attendance_can_be_filtered_by_a_search_box_that_needs_no_script_to_submit(site: Site) -> None:
    page = site.client("facilitator").get(NEW).text
    people = _people(site)

    assert '<div class="field" id="attendance-search" hidden>' in page  # shown by the script only
    assert page.count('name="attendee"') == len(people)
    assert f'data-search="{people[0].name.lower()}' in page.replace("&#39;", "'")


def test_the_meetings_list_and_its_participation_figures_download_as_csv(site: Site) -> None:
    client = site.client("lead")
    came = site.runtime.reader.participation(HOME)
    meetings = csv_rows(client.get(f"/l/{HOME}/meetings?format=csv"))
    by_sector = {
        r["sector"]: r for r in csv_rows(client.get(f"/l/{HOME}/meetings?format=csv&table=participation"))
    }
    page = text(client.get(f"/l/{HOME}/meetings").text)

    assert len(meetings) == len(site.runtime.reader.state(HOME).meetings)
    assert int(by_sector["all"]["attendances"]) == came["attendances"]
    for sector, figures in came["by_sector"].items():
        assert int(by_sector[sector]["attendances"]) == figures["attendances"]
    assert f"{came['lived_experience_share'] * 100:.0f}%" in page
