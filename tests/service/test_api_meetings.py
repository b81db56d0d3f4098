"""The meetings API: scheduling, attendance, decisions, notes, holding and cancelling,
and recording a whole meeting in one request."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.service.conftest import HOME, OTHER, Api

MEETINGS = f"/api/v1/localities/{HOME}/meetings"
COMMITMENTS = f"/api/v1/localities/{HOME}/commitments"
TODAY = datetime.now(UTC).date()
HELD_ON = (TODAY - timedelta(days=7)).isoformat()


def days(n: int) -> str:
    return (TODAY + timedelta(days=n)).isoformat()


def register(api: Api, name: str, sector: str, locality: str = HOME) -> str:
    """A stakeholder registered directly on the record, once the views include it."""
    receipt = api.runtime.app.register_stakeholder(
        locality, kind="organisation", sector=sector, name=name, actor="setup"
    )
    api.runtime.written(receipt)
    return str(receipt.id)


@pytest.fixture
def people(api: Api) -> dict[str, str]:
    return {
        "council": register(api, "Riverside Council", "public"),
        "food_bank": register(api, "Riverside Food Bank", "vcse"),
        "nhs": register(api, "Riverside NHS Trust", "health"),
    }


def record(people: dict[str, str], **changes: Any) -> dict[str, Any]:
    """The body of a Change Group meeting held a week ago, with one decision and two commitments."""
    council, food_bank, nhs = people["council"], people["food_bank"], people["nhs"]
    return {
        "kind": "change_group",
        "title": "Change Group, autumn",
        "held_on": HELD_ON,
        "place": "Riverside Library",
        "attendee_ids": [council, food_bank, nhs],
        "decisions": [{"text": "Open a community hub", "agreed_by": [council, food_bank]}],
        "commitments": [
            {"promisor_id": council, "promisee_ids": [food_bank], "what": "Find a venue", "due": days(30)},
            {
                "promisor_id": nhs,
                "to_change_group": True,
                "what": "Bring a social prescriber",
                "due": days(5),
            },
        ],
        **changes,
    }


def schedule(
    api: Api, held_on: str = HELD_ON, kind: str = "change_group", title: str = "Change Group"
) -> str:
    body = {"kind": kind, "title": title, "held_on": held_on}
    answer = api.client.post(MEETINGS, headers=api.as_("facilitator"), json=body)
    assert answer.status_code == 201, answer.text
    return str(answer.json()["id"])


def post(
    api: Api, meeting: str, what: str, body: dict[str, Any], role: str = "facilitator", **headers: str
) -> Any:
    return api.client.post(f"{MEETINGS}/{meeting}/{what}", headers=api.as_(role, **headers), json=body)


def shown(api: Api, meeting: str) -> dict[str, Any]:
    answer = api.client.get(f"{MEETINGS}/{meeting}", headers=api.as_("lead"))
    assert answer.status_code == 200, answer.text
    result: dict[str, Any] = answer.json()
    return result


def log_position(api: Api) -> int:
    return api.runtime.app.recorder.max_notification_id() or 0


# Recording a whole meeting, on SQLite and PostgreSQL


def test_a_whole_meeting_is_recorded_in_one_request(api_on: Api) -> None:
    api = api_on
    people = {
        "council": register(api, "Council", "public"),
        "food_bank": register(api, "Food Bank", "vcse"),
        "nhs": register(api, "NHS Trust", "health"),
    }
    answer = api.client.post(f"{MEETINGS}/record", headers=api.as_("facilitator"), json=record(people))
    assert answer.status_code == 201, answer.text
    meeting, made = answer.json()["id"], answer.json()["commitments"]
    assert answer.headers["ETag"] == f'"{answer.json()["version"]}"'

    detail = shown(api, meeting)
    assert detail["status"] == "held" and detail["held_on"] == HELD_ON
    assert [(a["name"], a["sector"]) for a in detail["attendees"]] == [
        ("Council", "public"),
        ("Food Bank", "vcse"),
        ("NHS Trust", "health"),
    ]
    assert detail["decisions"][0]["text"] == "Open a community hub"
    assert {a["name"] for a in detail["decisions"][0]["agreed_by"]} == {"Council", "Food Bank"}
    assert [c["id"] for c in detail["commitments"]] == [c["id"] for c in made]
    assert [c["state"] for c in detail["commitments"]] == ["open", "due_soon"]
    assert detail["version"] == answer.json()["version"]

    at_meeting = api.client.get(COMMITMENTS, headers=api.as_("lead"), params={"meeting": meeting}).json()
    assert at_meeting["count"] == 2
    assert {row["made_on"] for row in at_meeting["data"]} == {HELD_ON}
    facts = [fact for key in [meeting, *(c["id"] for c in made)] for fact in api.runtime.views.history(key)]
    assert {fact.actor for fact in facts} == {"Fran Facilitator"}


def test_a_record_with_one_bad_promisor_writes_nothing_at_all(api: Api, people: dict[str, str]) -> None:
    body = record(people)
    body["commitments"][1]["promisor_id"] = "00000000-0000-4000-8000-000000000000"
    before = log_position(api)
    answer = api.client.post(f"{MEETINGS}/record", headers=api.as_("facilitator"), json=body)
    assert answer.status_code == 422 and answer.json()["field"] == "commitments.1.promisor_id"
    assert log_position(api) == before


def test_a_record_with_a_stakeholder_of_another_locality_writes_nothing(
    api: Api, people: dict[str, str]
) -> None:
    body = record(people)
    body["attendee_ids"].append(register(api, "Hillside Council", "public", locality=OTHER))
    before = log_position(api)
    answer = api.client.post(f"{MEETINGS}/record", headers=api.as_("facilitator"), json=body)
    assert answer.status_code == 422 and answer.json()["field"] == "attendee_ids.3"
    assert log_position(api) == before


@pytest.mark.parametrize(
    "change, field",
    [
        (
            {"decisions": [{"text": "Agreed", "agreed_by": ["00000000-0000-4000-8000-000000000000"]}]},
            "decisions.0.agreed_by",
        ),
        ({"attendee_ids": []}, "decisions.0.agreed_by"),
    ],
)
def test_a_record_whose_decision_is_agreed_by_someone_absent_writes_nothing(
    api: Api, people: dict[str, str], change: dict[str, Any], field: str
) -> None:
    before = log_position(api)
    answer = api.client.post(
        f"{MEETINGS}/record", headers=api.as_("facilitator"), json=record(people, **change)
    )
    assert answer.status_code == 422 and answer.json()["field"] == field
    assert log_position(api) == before


def test_a_record_with_a_commitment_due_before_the_meeting_writes_nothing(
    api: Api, people: dict[str, str]
) -> None:
    body = record(people)
    body["commitments"][0]["due"] = days(-8)
    before = log_position(api)
    answer = api.client.post(f"{MEETINGS}/record", headers=api.as_("facilitator"), json=body)
    assert answer.status_code == 422 and answer.json()["field"] == "commitments.0.due"
    assert log_position(api) == before


@pytest.mark.parametrize(
    "commitment, field",
    [
        ({"promisee_ids": []}, "commitments.0.promisee_ids"),
        ({"promisee_ids": ["<council>"]}, "commitments.0.promisee_ids"),
        ({"promisee_ids": ["00000000-0000-4000-8000-000000000000"]}, "commitments.0.promisee_ids.0"),
        ({"what": "  "}, "commitments.0.what"),
        ({"due": "2024-13-01"}, "commitments.0.due"),
    ],
)
def test_a_record_with_a_bad_commitment_writes_nothing(
    api: Api, people: dict[str, str], commitment: dict[str, Any], field: str
) -> None:
    body = record(people)
    replaced = [
        people["council"] if key == "<council>" else key for key in commitment.get("promisee_ids", [])
    ]
    body["commitments"][0] |= commitment | (
        {"promisee_ids": replaced} if "promisee_ids" in commitment else {}
    )
    before = log_position(api)
    answer = api.client.post(f"{MEETINGS}/record", headers=api.as_("facilitator"), json=body)
    assert answer.status_code == 422
    fields = [answer.json().get("field")] + [p["field"] for p in answer.json().get("problems", [])]
    assert field in fields
    assert log_position(api) == before


def test_a_retried_record_with_the_same_idempotency_key_records_one_meeting(
    api: Api, people: dict[str, str]
) -> None:
    headers = api.as_("facilitator", **{"Idempotency-Key": "autumn-change-group"})
    first = api.client.post(f"{MEETINGS}/record", headers=headers, json=record(people))
    retry = api.client.post(f"{MEETINGS}/record", headers=headers, json=record(people))
    assert first.status_code == retry.status_code == 201
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert retry.json() == first.json()
    assert api.client.get(MEETINGS, headers=api.as_("lead")).json()["count"] == 1
    assert api.client.get(COMMITMENTS, headers=api.as_("lead")).json()["count"] == 2


# One step at a time


def test_a_meeting_is_scheduled_attended_decided_noted_and_held(api: Api, people: dict[str, str]) -> None:
    meeting = schedule(api)
    assert shown(api, meeting)["status"] == "scheduled"
    attended = post(
        api,
        meeting,
        "attendance",
        {"stakeholder_ids": [people["council"], people["nhs"]]},
        **{"If-Match": '"1"'},
    )
    assert attended.status_code == 200 and attended.headers["ETag"] == '"2"'
    decided = post(api, meeting, "decisions", {"text": "Map the assets", "agreed_by": [people["council"]]})
    assert decided.status_code == 200
    notes = api.client.put(
        f"{MEETINGS}/{meeting}/notes", headers=api.as_("facilitator"), json={"notes": "Good turnout"}
    )
    assert notes.status_code == 200
    assert post(api, meeting, "hold", {"on": days(-6)}).status_code == 200

    detail = shown(api, meeting)
    assert detail["status"] == "held" and detail["held_on"] == days(-6)
    assert {a["name"] for a in detail["attendees"]} == {"Riverside Council", "Riverside NHS Trust"}
    assert detail["decisions"][0]["text"] == "Map the assets"
    assert detail["notes"] == "Good turnout"
    assert detail["version"] == 5


def test_holding_without_a_body_holds_the_meeting_on_its_planned_day(api: Api) -> None:
    meeting = schedule(api)
    answer = api.client.post(f"{MEETINGS}/{meeting}/hold", headers=api.as_("facilitator"))
    assert answer.status_code == 200
    assert shown(api, meeting)["held_on"] == HELD_ON


def test_attendance_is_corrected_with_a_reason_and_the_earlier_record_kept(
    api: Api, people: dict[str, str]
) -> None:
    meeting = schedule(api)
    post(api, meeting, "attendance", {"stakeholder_ids": [people["council"], people["nhs"]]})
    corrected = post(
        api,
        meeting,
        "attendance/corrections",
        {
            "added": [people["food_bank"]],
            "removed": [people["nhs"]],
            "reason": "Signed in on the wrong sheet",
        },
        **{"If-Match": '"2"'},
    )
    assert corrected.status_code == 200
    assert {a["name"] for a in shown(api, meeting)["attendees"]} == {
        "Riverside Council",
        "Riverside Food Bank",
    }
    assert [f.event_type for f in api.runtime.views.history(meeting)][-2:] == [
        "AttendanceRecorded",
        "AttendanceCorrected",
    ]


def test_a_stale_if_match_on_attendance_is_409(api: Api, people: dict[str, str]) -> None:
    meeting = schedule(api)
    post(api, meeting, "attendance", {"stakeholder_ids": [people["council"]]})
    stale = post(api, meeting, "attendance", {"stakeholder_ids": [people["nhs"]]}, **{"If-Match": '"1"'})
    assert stale.status_code == 409


def test_a_decision_agreed_by_someone_absent_is_422(api: Api, people: dict[str, str]) -> None:
    meeting = schedule(api)
    answer = post(api, meeting, "decisions", {"text": "Agreed", "agreed_by": [people["council"]]})
    assert answer.status_code == 422 and answer.json()["field"] == "agreed_by"


def test_nothing_more_can_be_recorded_at_a_cancelled_meeting(api: Api, people: dict[str, str]) -> None:
    meeting = schedule(api, held_on=days(7))
    assert post(api, meeting, "cancel", {"reason": "Venue flooded"}).status_code == 200
    assert shown(api, meeting)["status"] == "cancelled"
    for what, body in (
        ("attendance", {"stakeholder_ids": [people["council"]]}),
        ("decisions", {"text": "Too late"}),
        ("hold", {}),
        ("cancel", {"reason": "Again"}),
    ):
        answer = post(api, meeting, what, body)
        assert answer.status_code == 409, what
    commitment = {
        "promisor_id": people["council"],
        "to_change_group": True,
        "what": "x",
        "due": days(9),
        "meeting_id": meeting,
    }
    assert api.client.post(COMMITMENTS, headers=api.as_("facilitator"), json=commitment).status_code == 409


def test_meetings_are_listed_latest_first_and_filtered(api: Api) -> None:
    workshop = schedule(api, held_on="2024-05-01", kind="workshop", title="Asset mapping")
    spring = schedule(api, held_on="2024-03-05")
    autumn = schedule(api, held_on="2024-10-01")
    post(api, spring, "hold", {})

    def ids(**filters: str) -> list[str]:
        answer = api.client.get(MEETINGS, headers=api.as_("lead"), params=filters)
        assert answer.status_code == 200, answer.text
        return [m["id"] for m in answer.json()["data"]]

    assert ids() == [autumn, workshop, spring]
    assert ids(kind="workshop") == [workshop]
    assert ids(status="held") == [spring]
    assert ids(status="scheduled") == [autumn, workshop]
    assert ids(**{"from": "2024-04-01"}) == [autumn, workshop]
    assert ids(to="2024-05-01") == [workshop, spring]
    assert ids(limit="1", offset="1") == [workshop]
    assert api.client.get(MEETINGS, headers=api.as_("lead"), params={"limit": 2}).json()["count"] == 3


@pytest.mark.parametrize(
    "params", [{"kind": "party"}, {"status": "postponed"}, {"from": "yesterday"}, {"limit": 0}]
)
def test_a_bad_filter_is_422(api: Api, params: dict[str, Any]) -> None:
    assert api.client.get(MEETINGS, headers=api.as_("lead"), params=params).status_code == 422


# Roles


def test_a_lead_reads_meetings_but_cannot_record_them(api: Api, people: dict[str, str]) -> None:
    meeting = schedule(api)
    assert api.client.get(MEETINGS, headers=api.as_("lead")).status_code == 200
    assert api.client.get(f"{MEETINGS}/{meeting}", headers=api.as_("lead")).status_code == 200
    assert (
        api.client.post(f"{MEETINGS}/record", headers=api.as_("lead"), json=record(people)).status_code == 403
    )
    assert post(api, meeting, "hold", {}, role="lead").status_code == 403
    body = {"kind": "workshop", "title": "x", "held_on": HELD_ON}
    assert api.client.post(MEETINGS, headers=api.as_("lead"), json=body).status_code == 403


def test_a_peer_may_neither_read_nor_record_meetings(api: Api, people: dict[str, str]) -> None:
    assert api.client.get(MEETINGS, headers=api.as_("peer")).status_code == 403
    assert (
        api.client.post(f"{MEETINGS}/record", headers=api.as_("peer"), json=record(people)).status_code == 403
    )


def test_another_localitys_facilitator_finds_no_meetings_here(api: Api, people: dict[str, str]) -> None:
    meeting = schedule(api)
    assert api.client.get(MEETINGS, headers=api.as_("other_facilitator")).status_code == 404
    assert api.client.get(f"{MEETINGS}/{meeting}", headers=api.as_("other_facilitator")).status_code == 404
    assert post(api, meeting, "cancel", {"reason": "x"}, role="other_facilitator").status_code == 404
    before = log_position(api)
    answer = api.client.post(f"{MEETINGS}/record", headers=api.as_("other_facilitator"), json=record(people))
    assert answer.status_code == 404 and log_position(api) == before


def test_without_a_token_meetings_are_401(api: Api) -> None:
    assert api.client.get(MEETINGS).status_code == 401
    assert api.client.post(MEETINGS, json={}).status_code == 401


# Errors


def test_an_unknown_meeting_is_404(api: Api) -> None:
    unknown = "00000000-0000-4000-8000-000000000000"
    assert api.client.get(f"{MEETINGS}/{unknown}", headers=api.as_("lead")).status_code == 404
    assert post(api, unknown, "hold", {}).status_code == 404


def test_a_meeting_of_another_locality_is_404_here(api: Api) -> None:
    theirs = api.runtime.app.schedule_meeting(
        OTHER, kind="workshop", title="Hill workshop", held_on=TODAY, actor="setup"
    )
    api.runtime.written(theirs)
    assert api.client.get(f"{MEETINGS}/{theirs.id}", headers=api.as_("lead")).status_code == 404
    assert post(api, str(theirs.id), "cancel", {"reason": "Not ours"}).status_code == 404


@pytest.mark.parametrize(
    "body, field",
    [
        ({"kind": "party", "title": "x", "held_on": HELD_ON}, "kind"),
        ({"kind": "workshop", "title": " ", "held_on": HELD_ON}, "title"),
        ({"kind": "workshop", "title": "x", "held_on": "2024-02-30"}, "held_on"),
        ({"kind": "workshop", "title": "x", "held_on": HELD_ON, "agenda": "y"}, "agenda"),
        ({"kind": "workshop", "title": "x\x00", "held_on": HELD_ON}, "title"),
    ],
)
def test_a_bad_meeting_is_422_naming_the_field(api: Api, body: dict[str, Any], field: str) -> None:
    answer = api.client.post(MEETINGS, headers=api.as_("facilitator"), json=body)
    assert answer.status_code == 422
    assert [p["field"] for p in answer.json()["problems"]] == [field]


def test_the_allowed_meeting_kinds_are_listed_in_the_openapi_schema(api: Api) -> None:
    schema = api.client.get("/openapi.json").json()["components"]["schemas"]
    assert set(schema["MeetingKind"]["enum"]) == {
        "change_group",
        "workshop",
        "conversation",
        "networking",
        "peer_network",
    }


def test_notes_cannot_be_emptied(api: Api) -> None:
    meeting = schedule(api)
    answer = api.client.put(f"{MEETINGS}/{meeting}/notes", headers=api.as_("facilitator"), json={"notes": ""})
    assert answer.status_code == 422
