"""The events feed and the audit trails: on the Riverside demo, and on a small record
made by hand on both stores."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from domain.commitment import Commitment
from service.demo import DUPLICATE, ROSTER, stakeholder_id
from tests.service.conftest import HOME, OTHER, Api
from tests.service.test_api_network import BASE, ROLES, Demo, serve_demo


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    yield from serve_demo(tmp_path_factory.mktemp("feed") / "riverside.db")


def walk(api: Api, base: str, *, limit: int, **params: Any) -> list[list[dict[str, Any]]]:
    """Every page of the feed, following next_after until a page comes back empty."""
    pages: list[list[dict[str, Any]]] = []
    after = 0
    while True:
        answer = api.client.get(
            f"{base}/events", headers=api.as_("lead"), params={"after": after, "limit": limit, **params}
        )
        assert answer.status_code == 200, answer.text
        page = answer.json()
        assert page["count"] == len(page["data"]) <= limit
        if page["next_after"] is None:
            assert page["data"] == []
            return pages
        assert page["next_after"] == page["data"][-1]["position"]
        pages.append(page["data"])
        after = page["next_after"]


def test_the_feed_pages_through_every_fact_without_gaps_or_duplicates(demo: Demo) -> None:
    pages = walk(demo.api, BASE, limit=37)
    positions = [event["position"] for page in pages for event in page]
    assert len(positions) == demo.summary.events  # every event the demo stored, once
    assert positions == sorted(set(positions))
    assert all(len(page) == 37 for page in pages[:-1])
    first = pages[0][0]
    assert (first["aggregate_type"], first["event"], first["version"]) == ("Locality", "Registered", 1)
    assert set(first) == {
        "position",
        "aggregate_type",
        "aggregate_id",
        "version",
        "event",
        "actor",
        "recorded_at",
        "effective",
        "data",
    }


def test_no_persons_name_appears_in_the_feed(demo: Demo) -> None:
    answer = demo.api.client.get(f"{BASE}/events", headers=demo.api.as_("lead"), params={"limit": 1000})
    feed = answer.text
    assert answer.json()["count"] == demo.summary.events
    assert "Riverside Borough Council Adult Social Care" in feed  # organisations are named
    for who in ROSTER:
        if who.kind == "person":
            assert who.name not in feed
            assert who.name.split()[-1] not in feed


@pytest.mark.parametrize("asked", ["Commitment.Made", "commitment.made", "Made", " made "])
def test_the_feed_filters_by_event_type_in_any_case(demo: Demo, asked: str) -> None:
    events = demo.get("/events", type=asked, limit=1000)["data"]
    assert len(events) == sum(demo.summary.commitments.values())
    assert {(e["aggregate_type"], e["event"]) for e in events} == {("Commitment", "Made")}


def test_a_short_event_name_means_that_event_of_every_aggregate(demo: Demo) -> None:
    events = demo.get("/events", type="Registered", limit=1000)["data"]
    kinds = {e["aggregate_type"] for e in events}
    assert kinds == {"Locality", "Stakeholder"}
    assert sum(e["aggregate_type"] == "Stakeholder" for e in events) == demo.summary.stakeholders


def test_an_unknown_event_type_is_refused_listing_the_types_there_are(demo: Demo) -> None:
    answer = demo.api.client.get(f"{BASE}/events", headers=demo.api.as_("lead"), params={"type": "Fulfiled"})
    assert answer.status_code == 422
    assert answer.json()["problems"][0]["field"] == "query.type"
    assert "Commitment.Fulfilled" in answer.json()["detail"]


def commitment_with(demo: Demo, event: str) -> str:
    """The id of a demo commitment that has an event of this kind."""
    return str(demo.get("/events", type=f"Commitment.{event}", limit=1)["data"][0]["aggregate_id"])


def test_the_history_of_a_commitment_lists_its_events_in_order_with_actor_and_meeting(demo: Demo) -> None:
    commitment = commitment_with(demo, "Renegotiated")
    history = demo.get(f"/commitments/{commitment}/history")
    entries = history["data"]
    replayed = demo.api.runtime.app.load(Commitment, UUID(commitment), locality="riverside")
    assert history["count"] == len(entries) == replayed.version
    assert [e["version"] for e in entries] == list(range(1, replayed.version + 1))
    assert [e["position"] for e in entries] == sorted(e["position"] for e in entries)
    assert all(e["actor"] == "demo" and e["aggregate_id"] == commitment for e in entries)
    made, renegotiated = entries[0], next(e for e in entries if e["event"] == "Renegotiated")
    assert made["event"] == "Made" and made["summary"].startswith("Commitment made: ")
    assert made["meeting"]["id"] == made["changes"]["meeting_id"] and made["meeting"]["title"]
    assert renegotiated["meeting"]["held_on"] > made["meeting"]["held_on"]
    assert renegotiated["changes"]["due"] in renegotiated["summary"]


def test_the_history_of_a_merged_stakeholder_ends_with_the_merge(demo: Demo) -> None:
    entries = demo.get(f"/stakeholders/{stakeholder_id(DUPLICATE.key)}/history")["data"]
    assert entries[0]["event"] == "Registered"
    assert entries[-1]["event"] == "MergedInto"
    assert "Riverside Food Bank" in entries[-1]["summary"]


def test_the_history_of_a_meeting_shows_its_attendance_and_decisions(demo: Demo) -> None:
    meeting = demo.get("/events", type="Meeting.Scheduled", limit=1)["data"][0]["aggregate_id"]
    events = [e["event"] for e in demo.get(f"/meetings/{meeting}/history")["data"]]
    assert events[0] == "Scheduled"
    assert {"Held", "AttendanceRecorded", "DecisionRecorded", "NotesRecorded"} <= set(events)


@pytest.mark.parametrize(
    ("asked_as", "kind_of_id"),
    [("stakeholders", "commitment"), ("meetings", "commitment"), ("commitments", "stakeholder")],
)
def test_an_id_asked_for_as_another_kind_of_history_is_not_found(
    demo: Demo, asked_as: str, kind_of_id: str
) -> None:
    key = commitment_with(demo, "Made") if kind_of_id == "commitment" else str(stakeholder_id("asc"))
    answer = demo.api.client.get(f"{BASE}/{asked_as}/{key}/history", headers=demo.api.as_("lead"))
    assert answer.status_code == 404, answer.text


def test_an_unknown_id_has_no_history_and_a_malformed_one_is_refused(demo: Demo) -> None:
    headers = demo.api.as_("lead")
    assert demo.api.client.get(f"{BASE}/commitments/{uuid4()}/history", headers=headers).status_code == 404
    answer = demo.api.client.get(f"{BASE}/commitments/not-an-id/history", headers=headers)
    assert answer.status_code == 422
    assert answer.json()["problems"][0]["field"] == "path.commitment_id"


def test_another_localitys_stakeholder_has_no_history_here(demo: Demo) -> None:
    receipt = demo.api.runtime.app.register_stakeholder(
        OTHER, kind="organisation", sector="health", name="Hillside Surgery", actor="setup"
    )
    demo.api.runtime.written(receipt)
    other = f"/api/v1/localities/{OTHER}/stakeholders/{receipt.id}/history"
    assert demo.api.client.get(other, headers=demo.api.as_("administrator")).status_code == 200
    answer = demo.api.client.get(f"{BASE}/stakeholders/{receipt.id}/history", headers=demo.api.as_("lead"))
    assert answer.status_code == 404


@pytest.mark.parametrize(("role", "status"), ROLES.items())
def test_the_feed_and_the_trails_are_read_by_the_localitys_own_roles_only(
    demo: Demo, role: str, status: int
) -> None:
    commitment = commitment_with(demo, "Made")
    for path in ("/events", f"/commitments/{commitment}/history"):
        assert demo.api.client.get(f"{BASE}{path}", headers=demo.api.as_(role)).status_code == status
    assert demo.api.client.get(f"{BASE}/events").status_code == 401


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": "0"}, "limit"),
        ({"limit": "1001"}, "limit"),
        ({"after": "-1"}, "after"),
        ({"after": str(2**63)}, "after"),
        ({"after": "first"}, "after"),
        ({"type": "x" * 101}, "type"),
    ],
)
def test_bad_feed_parameters_are_refused_naming_the_parameter(
    demo: Demo, params: dict[str, str], field: str
) -> None:
    answer = demo.api.client.get(f"{BASE}/events", headers=demo.api.as_("lead"), params=params)
    assert answer.status_code == 422, answer.text
    assert [p["field"] for p in answer.json()["problems"]] == [f"query.{field}"]


def test_a_small_record_reads_the_same_through_every_view_on_both_stores(api_on: Api) -> None:
    app, today = api_on.runtime.app, api_on.runtime.reader.today()
    since = today - timedelta(days=60)

    def register(name: str, sector: str) -> UUID:
        receipt = app.register_stakeholder(
            HOME, kind="organisation", sector=sector, name=name, since=since, actor="setup"
        )
        return receipt.id

    council, food_bank, surgery = (
        register("Riverside Council", "public"),
        register("Riverside Food Bank", "vcse"),
        register("Riverside Surgery", "health"),
    )
    app.form_relationship(
        HOME,
        source_id=council,
        target_id=food_bank,
        kind="funds",
        intensity=3,
        valid_from=since,
        actor="setup",
    )
    meeting = app.schedule_meeting(
        HOME, kind="change_group", title="First meeting", held_on=today, actor="setup"
    )
    app.record_attendance(HOME, meeting.id, [council, surgery], actor="setup")
    made = app.make_commitment(
        HOME,
        promisor_id=surgery,
        promisee_ids=[food_bank],
        what="Refer patients to the pantry",
        due=today + timedelta(days=30),
        meeting_id=meeting.id,
        actor="Fran Facilitator",
    )
    api_on.runtime.written(app.fulfil(HOME, made.id, evidence="Referrals began", actor="Fran Facilitator"))
    base = f"/api/v1/localities/{HOME}"

    feed = [(e["aggregate_type"], e["event"]) for page in walk(api_on, base, limit=2) for e in page]
    assert feed == [
        ("Locality", "Registered"),
        ("Stakeholder", "Registered"),
        ("Stakeholder", "Registered"),
        ("Stakeholder", "Registered"),
        ("Relationship", "Formed"),
        ("Meeting", "Scheduled"),
        ("Meeting", "AttendanceRecorded"),
        ("Commitment", "Made"),
        ("Commitment", "Fulfilled"),
    ]
    network = api_on.client.get(f"{base}/network", headers=api_on.as_("lead")).json()
    links = {frozenset((link["source"], link["target"])): link for link in network["links"]}
    assert len(network["nodes"]) == 3
    assert links.keys() == {
        frozenset(map(str, (council, food_bank))),
        frozenset(map(str, (council, surgery))),
    }
    assert links[frozenset(map(str, (council, surgery)))]["meetings"] == [str(meeting.id)]
    history = api_on.client.get(f"{base}/commitments/{made.id}/history", headers=api_on.as_("lead")).json()
    assert [(e["event"], e["actor"]) for e in history["data"]] == [
        ("Made", "Fran Facilitator"),
        ("Fulfilled", "Fran Facilitator"),
    ]
    assert history["data"][0]["meeting"]["title"] == "First meeting"
    accountability = api_on.client.get(f"{base}/accountability", headers=api_on.as_("lead")).json()
    assert accountability["locality"]["fulfilled"] == accountability["locality"]["made"] == 1
    assert api_on.client.get(f"{base}/participation", headers=api_on.as_("lead")).json()["attendances"] == 2
