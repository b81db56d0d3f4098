"""The plans and measures API: drafting, goals, agreement and revision of an action plan,
and the measures of its goals with their observations."""

from __future__ import annotations

from typing import Any

import pytest

from tests.service.conftest import HOME, OTHER, Api

PLANS = f"/api/v1/localities/{HOME}/plans"
MEASURES = f"/api/v1/localities/{HOME}/measures"
UNKNOWN = "00000000-0000-4000-8000-000000000000"


def post(api: Api, path: str, body: dict[str, Any], role: str = "facilitator", **headers: str) -> Any:
    return api.client.post(path, headers=api.as_(role, **headers), json=body)


def created(api: Api, path: str, body: dict[str, Any]) -> str:
    answer = post(api, path, body)
    assert answer.status_code == 201, answer.text
    return str(answer.json()["id"])


def read(api: Api, path: str) -> dict[str, Any]:
    answer = api.client.get(path, headers=api.as_("lead"))
    assert answer.status_code == 200, answer.text
    result: dict[str, Any] = answer.json()
    return result


def meeting_with(api: Api, *names: str, held_on: str = "2024-03-05") -> tuple[str, list[str]]:
    """A held meeting attended by newly registered stakeholders: its id and theirs."""
    people = []
    for name in names:
        receipt = api.runtime.app.register_stakeholder(
            HOME, kind="organisation", sector="public", name=name, actor="setup"
        )
        people.append(str(receipt.id))
    body = {"kind": "change_group", "title": "Change Group", "held_on": held_on, "attendee_ids": people}
    return created(api, f"/api/v1/localities/{HOME}/meetings/record", body), people


@pytest.fixture
def plan(api: Api) -> tuple[str, str]:
    """A draft plan with one goal: their ids."""
    plan_id = created(api, PLANS, {"title": "Healthy ageing", "summary": "Fewer people lonely"})
    return plan_id, created(api, f"{PLANS}/{plan_id}/goals", {"title": "Fewer people lonely"})


def measure(api: Api, plan: tuple[str, str], **changes: Any) -> Any:
    body = {
        "plan_id": plan[0],
        "goal_id": plan[1],
        "name": "People lonely",
        "kind": "quantitative",
        "unit": "%",
    }
    return post(api, MEASURES, {**body, "baseline": "40", "target": "20", **changes})


# The main path, on SQLite and PostgreSQL


def test_a_plan_is_drafted_agreed_measured_and_observed(api_on: Api) -> None:
    api = api_on
    plan_id = created(api, PLANS, {"title": "Healthy ageing"})
    goal = post(api, f"{PLANS}/{plan_id}/goals", {"title": "Fewer people lonely", "description": "Over 65s"})
    assert goal.status_code == 201 and goal.json()["id"] != plan_id and goal.headers["ETag"] == '"2"'
    meeting, (council, nhs) = meeting_with(api, "Council", "NHS")
    agreed = post(
        api,
        f"{PLANS}/{plan_id}/agreement",
        {"meeting_id": meeting, "agreed_by": [council, nhs]},
        **{"If-Match": '"2"'},
    )
    assert agreed.status_code == 200 and agreed.json()["version"] == 3
    measure_id = created(
        api,
        MEASURES,
        {
            "plan_id": plan_id,
            "goal_id": goal.json()["id"],
            "name": "People lonely",
            "kind": "quantitative",
            "unit": "%",
            "baseline": 40,
            "target": 20,
            "shared_code": "ascot-1a",
        },
    )
    for on, value in (("2024-06-01", 35), ("2024-03-01", 38)):
        assert (
            post(api, f"{MEASURES}/{measure_id}/observations", {"on": on, "value": value}).status_code == 200
        )

    shown = read(api, f"{PLANS}/{plan_id}")
    assert (shown["status"], shown["agreed_at"], shown["agreed_on"]) == ("agreed", meeting, "2024-03-05")
    assert shown["goals"] == [
        {"id": goal.json()["id"], "title": "Fewer people lonely", "description": "Over 65s"}
    ]
    assert [m["id"] for m in shown["measures"]] == [measure_id]
    assert shown["version"] == 3 and shown["revision"] == 1

    observed = read(api, f"{MEASURES}/{measure_id}")
    assert [o["on"] for o in observed["observations"]] == ["2024-03-01", "2024-06-01"]
    assert observed["latest"]["value"] == "35" and observed["shared_code"] == "ASCOT-1A"
    assert observed["towards_target"] == pytest.approx(0.25)  # (35 - 40) / (20 - 40)
    assert {fact.actor for fact in api.runtime.views.history(measure_id)} == {"Fran Facilitator"}


def test_plans_and_measures_are_listed(api: Api, plan: tuple[str, str]) -> None:
    created(api, PLANS, {"title": "Active travel"})
    measure(api, plan)
    plans = read(api, PLANS)
    assert plans["count"] == 2 and [p["title"] for p in plans["data"]] == ["Active travel", "Healthy ageing"]
    assert read(api, f"{PLANS}?limit=1&offset=1")["data"][0]["id"] == plan[0]
    measures = read(api, MEASURES)
    assert measures["count"] == 1 and measures["data"][0]["goal_id"] == plan[1]


def test_a_revision_reopens_the_plan_as_a_draft(api: Api, plan: tuple[str, str]) -> None:
    meeting, (council,) = meeting_with(api, "Council")
    post(api, f"{PLANS}/{plan[0]}/agreement", {"meeting_id": meeting, "agreed_by": [council]})
    body = {"title": "Healthy ageing, revised", "reason": "New data on loneliness"}
    revised = post(api, f"{PLANS}/{plan[0]}/revisions", body, **{"If-Match": '"3"'})
    assert revised.status_code == 200
    shown = read(api, f"{PLANS}/{plan[0]}")
    assert (shown["status"], shown["title"], shown["revision"]) == ("draft", "Healthy ageing, revised", 2)


def test_a_stale_if_match_on_a_revision_is_409(api: Api, plan: tuple[str, str]) -> None:
    body = {"title": "Healthy ageing", "reason": "Typo"}
    stale = post(api, f"{PLANS}/{plan[0]}/revisions", body, **{"If-Match": '"1"'})
    assert stale.status_code == 409
    assert read(api, f"{PLANS}/{plan[0]}")["revision"] == 1


def test_a_revision_without_a_reason_is_422_naming_reason(api: Api, plan: tuple[str, str]) -> None:
    answer = post(api, f"{PLANS}/{plan[0]}/revisions", {"title": "Healthy ageing"})
    assert answer.status_code == 422 and [p["field"] for p in answer.json()["problems"]] == ["reason"]


# Agreement


def test_a_plan_without_goals_cannot_be_agreed(api: Api) -> None:
    plan_id = created(api, PLANS, {"title": "Empty"})
    meeting, (council,) = meeting_with(api, "Council")
    answer = post(api, f"{PLANS}/{plan_id}/agreement", {"meeting_id": meeting, "agreed_by": [council]})
    assert answer.status_code == 422 and answer.json()["field"] == "goals"


def test_a_plan_is_agreed_only_by_attendees_of_the_meeting(api: Api, plan: tuple[str, str]) -> None:
    meeting, _ = meeting_with(api, "Council")
    _, (absent,) = meeting_with(api, "Absent friend")
    answer = post(api, f"{PLANS}/{plan[0]}/agreement", {"meeting_id": meeting, "agreed_by": [absent]})
    assert answer.status_code == 422 and answer.json()["field"] == "agreed_by"


def test_a_plan_agreed_by_nobody_is_422(api: Api, plan: tuple[str, str]) -> None:
    meeting, _ = meeting_with(api, "Council")
    answer = post(api, f"{PLANS}/{plan[0]}/agreement", {"meeting_id": meeting, "agreed_by": []})
    assert answer.status_code == 422 and [p["field"] for p in answer.json()["problems"]] == ["agreed_by"]


def test_an_agreed_plan_cannot_be_agreed_again(api: Api, plan: tuple[str, str]) -> None:
    meeting, (council,) = meeting_with(api, "Council")
    body = {"meeting_id": meeting, "agreed_by": [council]}
    assert post(api, f"{PLANS}/{plan[0]}/agreement", body).status_code == 200
    assert post(api, f"{PLANS}/{plan[0]}/agreement", body).status_code == 409


def test_a_plan_cannot_be_agreed_at_a_cancelled_meeting(api: Api, plan: tuple[str, str]) -> None:
    meeting = created(
        api,
        f"/api/v1/localities/{HOME}/meetings",
        {"kind": "change_group", "title": "CG", "held_on": "2030-01-01"},
    )
    post(api, f"/api/v1/localities/{HOME}/meetings/{meeting}/cancel", {"reason": "Snow"})
    answer = post(api, f"{PLANS}/{plan[0]}/agreement", {"meeting_id": meeting, "agreed_by": [UNKNOWN]})
    assert answer.status_code == 409 and "cancelled" in answer.json()["detail"]


def test_a_plan_cannot_be_agreed_at_an_unknown_meeting(api: Api, plan: tuple[str, str]) -> None:
    answer = post(api, f"{PLANS}/{plan[0]}/agreement", {"meeting_id": UNKNOWN, "agreed_by": [UNKNOWN]})
    assert answer.status_code == 404


# Measures


def test_a_measure_of_a_goal_of_another_plan_is_422(api: Api, plan: tuple[str, str]) -> None:
    other = created(api, PLANS, {"title": "Active travel"})
    answer = measure(api, (other, plan[1]))
    assert answer.status_code == 422 and answer.json()["field"] == "goal_id"


def test_a_quantitative_measure_needs_a_unit_and_its_observations_a_value(
    api: Api, plan: tuple[str, str]
) -> None:
    assert measure(api, plan, unit="").json()["field"] == "unit"
    measure_id = measure(api, plan).json()["id"]
    answer = post(api, f"{MEASURES}/{measure_id}/observations", {"on": "2024-06-01", "story": "Felt better"})
    assert answer.status_code == 422 and answer.json()["field"] == "value"


def test_a_qualitative_measure_is_observed_through_stories(api: Api, plan: tuple[str, str]) -> None:
    measure_id = measure(api, plan, kind="qualitative", unit="", baseline=None, target=None).json()["id"]
    assert post(api, f"{MEASURES}/{measure_id}/observations", {"on": "2024-06-01"}).json()["field"] == "story"
    story = {"on": "2024-06-01", "story": "Mrs B now goes to the lunch club", "evidence": "Club register"}
    assert post(api, f"{MEASURES}/{measure_id}/observations", story).status_code == 200
    shown = read(api, f"{MEASURES}/{measure_id}")
    assert shown["latest"]["story"] == story["story"] and shown["towards_target"] is None


def test_the_allowed_measure_kinds_are_listed(api: Api, plan: tuple[str, str]) -> None:
    answer = measure(api, plan, kind="vibes")
    assert answer.status_code == 422 and "quantitative" in answer.json()["detail"]


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"baseline": "1e999999"}, "baseline"),
        ({"target": "NaN"}, "target"),
        ({"target": 10**20}, "target"),
        ({"baseline": "0.0000001"}, "baseline"),
        ({"name": "x" * 201}, "name"),
        ({"plan_id": "plan-one"}, "plan_id"),
        ({"weight": 3}, "weight"),
    ],
)
def test_a_bad_measure_is_422_naming_the_field(
    api: Api, plan: tuple[str, str], changes: dict[str, Any], field: str
) -> None:
    answer = measure(api, plan, **changes)
    assert answer.status_code == 422 and [p["field"] for p in answer.json()["problems"]] == [field]


# Roles and what is not there


def test_a_lead_reads_plans_and_measures_but_cannot_change_them(api: Api, plan: tuple[str, str]) -> None:
    measure_id = measure(api, plan).json()["id"]
    for path in (PLANS, f"{PLANS}/{plan[0]}", MEASURES, f"{MEASURES}/{measure_id}"):
        assert api.client.get(path, headers=api.as_("lead")).status_code == 200, path
    assert post(api, PLANS, {"title": "Mine"}, role="lead").status_code == 403
    assert post(api, f"{PLANS}/{plan[0]}/goals", {"title": "Mine"}, role="lead").status_code == 403
    assert (
        post(
            api, f"{MEASURES}/{measure_id}/observations", {"on": "2024-01-01", "value": 1}, role="lead"
        ).status_code
        == 403
    )


def test_a_peer_may_neither_read_nor_change_plans(api: Api, plan: tuple[str, str]) -> None:
    assert api.client.get(PLANS, headers=api.as_("peer")).status_code == 403
    assert api.client.get(MEASURES, headers=api.as_("peer")).status_code == 403
    assert post(api, PLANS, {"title": "Mine"}, role="peer").status_code == 403


def test_another_localitys_facilitator_finds_no_plans_here(api: Api, plan: tuple[str, str]) -> None:
    assert api.client.get(f"{PLANS}/{plan[0]}", headers=api.as_("other_facilitator")).status_code == 404
    assert (
        post(api, f"{PLANS}/{plan[0]}/goals", {"title": "Mine"}, role="other_facilitator").status_code == 404
    )
    assert api.client.get(MEASURES, headers=api.as_("other_facilitator")).status_code == 404


def test_without_a_token_plans_are_401(api: Api) -> None:
    assert api.client.get(PLANS).status_code == 401
    assert api.client.post(MEASURES, json={}).status_code == 401


def test_unknown_plans_and_measures_are_404(api: Api) -> None:
    assert api.client.get(f"{PLANS}/{UNKNOWN}", headers=api.as_("lead")).status_code == 404
    assert api.client.get(f"{MEASURES}/{UNKNOWN}", headers=api.as_("lead")).status_code == 404
    assert post(api, f"{PLANS}/{UNKNOWN}/goals", {"title": "Lost"}).status_code == 404
    assert (
        post(api, f"{MEASURES}/{UNKNOWN}/observations", {"on": "2024-01-01", "value": 1}).status_code == 404
    )


def test_a_plan_of_another_locality_is_404_here(api: Api) -> None:
    theirs = api.runtime.app.draft_plan(OTHER, title="Hill plan", actor="setup")
    api.runtime.written(theirs)
    assert api.client.get(f"{PLANS}/{theirs.id}", headers=api.as_("lead")).status_code == 404
    assert post(api, f"{PLANS}/{theirs.id}/goals", {"title": "Ours now"}).status_code == 404
    body = {"plan_id": str(theirs.id), "goal_id": UNKNOWN, "name": "x", "kind": "qualitative"}
    assert post(api, MEASURES, body).status_code == 404
