"""The accountability and participation figures on the Riverside demo, checked against
what the demo loaded and against the facts in the feed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest

from service.demo import MEETINGS, ROSTER
from tests.service.test_api_network import BASE, ROLES, Demo, serve_demo


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    yield from serve_demo(tmp_path_factory.mktemp("figures") / "riverside.db")


def test_the_accountability_counts_are_the_demos_with_every_state_present(demo: Demo) -> None:
    counts = demo.get("/accountability")["locality"]
    loaded = demo.summary.commitments
    assert all(loaded.values())
    assert counts["made"] == sum(loaded.values())
    for state in ("fulfilled", "missed", "withdrawn", "overdue", "due_soon"):
        assert counts[state] == loaded[state], state
    assert counts["open"] == loaded["open"] + loaded["due_soon"]  # open includes those due soon
    assert counts["renegotiations"] == demo.summary.renegotiations


def test_the_kept_rate_is_fulfilled_over_fulfilled_missed_and_overdue(demo: Demo) -> None:
    counts = demo.get("/accountability")["locality"]
    fulfilled, missed, overdue = counts["fulfilled"], counts["missed"], counts["overdue"]
    assert counts["kept_rate"] == pytest.approx(fulfilled / (fulfilled + missed + overdue))
    assert 0 < counts["on_time_rate"] < 1


def test_promisors_and_sectors_add_up_to_the_locality(demo: Demo) -> None:
    figures = demo.get("/accountability")
    made = figures["locality"]["made"]
    assert sum(p["made"] for p in figures["by_promisor"].values()) == made
    assert sum(s["made"] for s in figures["by_sector"].values()) == made
    names = {p["name"] for p in figures["by_promisor"].values()}
    assert "Riverside Borough Council Adult Social Care" in names


def test_since_counts_only_the_commitments_made_from_that_date(demo: Demo) -> None:
    since = demo.today - timedelta(days=120)
    made = demo.get("/events", type="Commitment.Made", limit=1000)["data"]
    expected = sum(date.fromisoformat(e["data"]["made_on"]) >= since for e in made)
    figures = demo.get("/accountability", since=since.isoformat())
    assert 0 < figures["locality"]["made"] == expected < len(made)
    assert figures["since"] == since.isoformat()


def test_accountability_a_year_ago_counts_only_what_was_made_by_then(demo: Demo) -> None:
    day = demo.today - timedelta(days=300)
    made = demo.get("/events", type="Commitment.Made", limit=1000)["data"]
    expected = sum(date.fromisoformat(e["data"]["made_on"]) <= day for e in made)
    assert demo.get("/accountability", as_of=day.isoformat())["locality"]["made"] == expected


def test_accountability_as_recorded_before_the_demo_was_loaded_is_empty(demo: Demo) -> None:
    figures = demo.get("/accountability", recorded_at=demo.before.isoformat())
    assert figures["locality"]["made"] == 0 and figures["locality"]["kept_rate"] is None
    assert figures["by_promisor"] == {} and figures["by_sector"] == {}


def test_the_lived_experience_share_is_a_share_of_all_attendances(demo: Demo) -> None:
    figures = demo.get("/participation")
    share = figures["lived_experience_share"]
    assert 0 < share < 1
    lived = figures["by_sector"]["lived_experience"]["attendances"]
    assert share == pytest.approx(lived / figures["attendances"])


def test_participation_over_the_year_counts_every_demo_meeting_and_attendance(demo: Demo) -> None:
    figures = demo.get("/participation")
    assert figures["meetings_held"] == demo.summary.meetings
    assert figures["attendances"] == demo.summary.attendances
    assert figures["change_group_meetings_held"] == sum(m.kind == "change_group" for m in MEETINGS)
    assert figures["distinct_attendees"] <= len(ROSTER)
    assert figures["window"] == {
        "from": (demo.today - timedelta(days=364)).isoformat(),
        "to": demo.today.isoformat(),
    }


@pytest.mark.parametrize("days", [30, 100, 200])
def test_the_window_counts_the_meetings_held_in_it(demo: Demo, days: int) -> None:
    figures = demo.get("/participation", window_days=days)
    assert figures["meetings_held"] == sum(m.days_ago < days for m in MEETINGS)
    since = demo.get("/participation", since=(demo.today - timedelta(days=days - 1)).isoformat())
    assert since["meetings_held"] == figures["meetings_held"]


@pytest.mark.parametrize(("role", "status"), ROLES.items())
def test_the_figures_are_read_by_the_localitys_own_roles_only(demo: Demo, role: str, status: int) -> None:
    for path in ("/accountability", "/participation"):
        assert demo.api.client.get(f"{BASE}{path}", headers=demo.api.as_(role)).status_code == status


def test_the_figures_need_a_token(demo: Demo) -> None:
    assert demo.api.client.get(f"{BASE}/accountability").status_code == 401
    assert demo.api.client.get(f"{BASE}/participation").status_code == 401


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/accountability", {"as_of": "2025-13-01"}, "as_of"),
        ("/accountability", {"since": "last week"}, "since"),
        ("/accountability", {"since": "2030-01-02", "as_of": "2030-01-01"}, "since"),
        ("/accountability", {"recorded_at": "2025-06-31T10:00:00"}, "recorded_at"),
        ("/participation", {"window_days": "a year"}, "window_days"),
        ("/participation", {"window_days": "-5"}, "window_days"),
        ("/participation", {"as_of": "9999-12-31"}, "as_of"),
        ("/participation", {"since": "2026-01-02", "as_of": "2026-01-01"}, "since"),
    ],
)
def test_bad_query_parameters_are_refused_naming_the_parameter(
    demo: Demo, path: str, params: dict[str, str], field: str
) -> None:
    answer = demo.api.client.get(f"{BASE}{path}", headers=demo.api.as_("lead"), params=params)
    assert answer.status_code == 422, answer.text
    assert f"query.{field}" in [p["field"] for p in answer.json()["problems"]]
