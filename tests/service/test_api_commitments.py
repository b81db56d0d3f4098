"""The commitments API: the board and its filters, one commitment, and its lifecycle."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest

from tests.service.conftest import HOME, OTHER, Api

BOARD = f"/api/v1/localities/{HOME}/commitments"
TODAY = datetime.now(UTC).date()


def days(n: int) -> str:
    return (TODAY + timedelta(days=n)).isoformat()


def register(api: Api, name: str, sector: str = "public", locality: str = HOME) -> str:
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


def commit(api: Api, promisor: str, to: str, *, made_on: int = -30, due: int = 30, **extra: Any) -> str:
    """A commitment made through the API, with dates in days from today."""
    body = {"promisor_id": promisor, "promisee_ids": [to], "what": "Open the hub", "made_on": days(made_on)}
    answer = api.client.post(BOARD, headers=api.as_("facilitator"), json={**body, "due": days(due), **extra})
    assert answer.status_code == 201, answer.text
    return str(answer.json()["id"])


def change(api: Api, commitment: str, what: str, body: dict[str, Any], version: int | None = None) -> Any:
    headers = (
        api.as_("facilitator") if version is None else api.as_("facilitator", **{"If-Match": f'"{version}"'})
    )
    return api.client.post(f"{BOARD}/{commitment}/{what}", headers=headers, json=body)


def board(api: Api, role: str = "lead", **filters: str) -> list[dict[str, Any]]:
    answer = api.client.get(BOARD, headers=api.as_(role), params=filters)
    assert answer.status_code == 200, answer.text
    data: list[dict[str, Any]] = answer.json()["data"]
    assert answer.json()["count"] == len(data)
    return data


# The main path, on SQLite and PostgreSQL


def test_a_commitment_is_made_progressed_renegotiated_reassigned_and_fulfilled(api_on: Api) -> None:
    api = api_on
    council, food_bank, nhs = (
        register(api, n, s) for n, s in (("Council", "public"), ("Food Bank", "vcse"), ("NHS", "health"))
    )
    made = api.client.post(
        BOARD,
        headers=api.as_("facilitator"),
        json={
            "promisor_id": council,
            "promisee_ids": [food_bank],
            "what": "Open the hub",
            "made_on": days(-10),
            "due": days(5),
        },
    )
    assert made.status_code == 201 and made.headers["ETag"] == '"1"'
    commitment = made.json()["id"]

    assert change(api, commitment, "progress", {"note": "Keys cut", "percent": 40}, 1).status_code == 200
    renegotiated = change(api, commitment, "renegotiations", {"due": days(40), "reason": "Builders late"}, 2)
    assert renegotiated.json()["version"] == 3 and renegotiated.headers["ETag"] == '"3"'
    assert (
        change(
            api, commitment, "reassignment", {"promisor_id": nhs, "reason": "NHS owns it now"}, 3
        ).status_code
        == 200
    )
    fulfilled = change(
        api, commitment, "fulfilment", {"evidence": "Hub open Tuesdays", "on": TODAY.isoformat()}, 4
    )
    assert fulfilled.status_code == 200

    detail = api.client.get(f"{BOARD}/{commitment}", headers=api.as_("lead"))
    assert detail.status_code == 200 and detail.headers["ETag"] == '"5"'
    shown = detail.json()
    assert shown["state"] == "fulfilled" and shown["closed_on"] == TODAY.isoformat()
    assert (shown["original_due"], shown["due"]) == (days(5), days(40))
    assert shown["renegotiations"] == 1
    assert shown["renegotiated"][0]["reason"] == "Builders late"
    assert shown["progress"][0]["percent"] == 40
    assert shown["promisor"] == {"id": nhs, "name": "NHS", "sector": "health"}
    assert shown["promisees"] == [{"id": food_bank, "name": "Food Bank", "sector": "vcse"}]
    assert [row["id"] for row in board(api, state="fulfilled")] == [commitment]


def test_the_actor_on_every_event_is_the_name_of_the_token(api: Api, people: dict[str, str]) -> None:
    commitment = commit(api, people["council"], people["food_bank"])
    change(api, commitment, "withdrawal", {"reason": "No longer needed"})
    facts = api.runtime.views.history(commitment)
    assert [f.event_type for f in facts] == ["Made", "Withdrawn"]
    assert {f.actor for f in facts} == {"Fran Facilitator"}


# The board


def test_the_board_shows_each_commitment_in_its_state_today(api: Api, people: dict[str, str]) -> None:
    council, food_bank = people["council"], people["food_bank"]
    expected = {
        "overdue": commit(api, council, food_bank, due=-1),
        "due today": commit(api, council, food_bank, due=0),
        "due in 14 days": commit(api, council, food_bank, due=14),
        "due in 15 days": commit(api, council, food_bank, due=15),
        "fulfilled": commit(api, council, food_bank, due=-5),
        "missed": commit(api, council, food_bank, due=-5),
        "withdrawn": commit(api, council, food_bank, due=60),
    }
    change(api, expected["fulfilled"], "fulfilment", {"on": days(-6)})
    change(api, expected["missed"], "missed", {"reason": "Funding fell through"})
    change(api, expected["withdrawn"], "withdrawal", {"reason": "Superseded"})

    def ids(state: str) -> set[str]:
        return {row["id"] for row in board(api, state=state)}

    assert ids("overdue") == {expected["overdue"]}
    assert ids("due_soon") == {expected["due today"], expected["due in 14 days"]}
    assert ids("open") == {expected["due in 15 days"]}
    assert ids("fulfilled") == {expected["fulfilled"]}
    assert ids("missed") == {expected["missed"]}
    assert ids("withdrawn") == {expected["withdrawn"]}
    states = {row["id"]: row["state"] for row in board(api)}
    assert states[expected["overdue"]] == "overdue" and states[expected["due in 15 days"]] == "open"
    assert [row["due"] for row in board(api)] == sorted(row["due"] for row in board(api))


def test_a_renegotiated_commitment_is_no_longer_overdue(api: Api, people: dict[str, str]) -> None:
    commitment = commit(api, people["council"], people["food_bank"], due=-2)
    assert [row["id"] for row in board(api, state="overdue")] == [commitment]
    change(api, commitment, "renegotiations", {"due": days(20), "reason": "Agreed a later date"})
    assert board(api, state="overdue") == []
    assert [row["id"] for row in board(api, state="open")] == [commitment]


def test_the_board_filters_by_promisor_sector_due_dates_and_meeting(api: Api, people: dict[str, str]) -> None:
    council, food_bank, nhs = people["council"], people["food_bank"], people["nhs"]
    meeting = api.client.post(
        f"/api/v1/localities/{HOME}/meetings",
        headers=api.as_("facilitator"),
        json={"kind": "change_group", "title": "Change Group", "held_on": days(-30)},
    ).json()["id"]
    councils = commit(api, council, food_bank, due=10, meeting_id=meeting)
    nhss = commit(api, nhs, food_bank, due=20)

    def ids(**filters: str) -> list[str]:
        return [row["id"] for row in board(api, **filters)]

    assert ids(promisor=council) == [councils]
    assert ids(sector="health") == [nhss]
    assert ids(sector="vcse") == []
    assert ids(due_before=days(20)) == [councils]
    assert ids(due_after=days(10)) == [nhss]
    assert ids(due_after=days(5), due_before=days(25)) == [councils, nhss]
    assert ids(meeting=meeting) == [councils]


def test_an_unknown_sector_on_the_board_is_422_naming_it(api: Api) -> None:
    answer = api.client.get(BOARD, headers=api.as_("lead"), params={"sector": "astronauts"})
    assert answer.status_code == 422 and answer.json()["field"] == "sector"


def test_the_board_pages_through_the_commitments(api: Api, people: dict[str, str]) -> None:
    made = [commit(api, people["council"], people["food_bank"], due=n) for n in (1, 2, 3)]
    page = api.client.get(BOARD, headers=api.as_("lead"), params={"limit": 2, "offset": 1}).json()
    assert page["count"] == 3 and [row["id"] for row in page["data"]] == made[1:]


# Roles


def test_a_lead_reads_the_board_but_cannot_make_or_change_a_commitment(
    api: Api, people: dict[str, str]
) -> None:
    commitment = commit(api, people["council"], people["food_bank"])
    assert api.client.get(f"{BOARD}/{commitment}", headers=api.as_("lead")).status_code == 200
    body = {"promisor_id": people["council"], "to_change_group": True, "what": "x", "due": days(3)}
    assert api.client.post(BOARD, headers=api.as_("lead"), json=body).status_code == 403
    fulfil = api.client.post(f"{BOARD}/{commitment}/fulfilment", headers=api.as_("lead"), json={})
    assert fulfil.status_code == 403


def test_a_peer_may_neither_read_nor_write_commitments(api: Api, people: dict[str, str]) -> None:
    assert api.client.get(BOARD, headers=api.as_("peer")).status_code == 403
    body = {"promisor_id": people["council"], "to_change_group": True, "what": "x", "due": days(3)}
    assert api.client.post(BOARD, headers=api.as_("peer"), json=body).status_code == 403


def test_another_localitys_facilitator_finds_neither_the_board_nor_the_commitment(
    api: Api, people: dict[str, str]
) -> None:
    commitment = commit(api, people["council"], people["food_bank"])
    assert api.client.get(BOARD, headers=api.as_("other_facilitator")).status_code == 404
    assert api.client.get(f"{BOARD}/{commitment}", headers=api.as_("other_facilitator")).status_code == 404
    withdraw = {"reason": "Not ours"}
    answer = api.client.post(
        f"{BOARD}/{commitment}/withdrawal", headers=api.as_("other_facilitator"), json=withdraw
    )
    assert answer.status_code == 404


def test_without_a_token_the_board_is_401(api: Api) -> None:
    assert api.client.get(BOARD).status_code == 401


def test_an_administrator_may_make_a_commitment_in_any_locality(api: Api, people: dict[str, str]) -> None:
    body = {"promisor_id": people["council"], "to_change_group": True, "what": "Chair", "due": days(3)}
    answer = api.client.post(BOARD, headers=api.as_("administrator"), json=body)
    assert answer.status_code == 201
    assert api.runtime.views.history(answer.json()["id"])[0].actor == "Ada Admin"


# Errors


def test_an_unknown_commitment_is_404(api: Api) -> None:
    unknown = "00000000-0000-4000-8000-000000000000"
    assert api.client.get(f"{BOARD}/{unknown}", headers=api.as_("lead")).status_code == 404
    assert change(api, unknown, "fulfilment", {}).status_code == 404


def test_a_commitment_of_another_locality_is_404_here(api: Api) -> None:
    promisor, promisee = (
        register(api, "Hill Council", locality=OTHER),
        register(api, "Hill Club", locality=OTHER),
    )
    theirs = api.runtime.app.make_commitment(
        OTHER, promisor_id=UUID(promisor), promisee_ids=[UUID(promisee)], what="x", due=TODAY, actor="setup"
    )
    api.runtime.written(theirs)
    assert api.client.get(f"{BOARD}/{theirs.id}", headers=api.as_("lead")).status_code == 404
    assert change(api, str(theirs.id), "fulfilment", {}).status_code == 404


def test_a_promisor_of_another_locality_is_404(api: Api, people: dict[str, str]) -> None:
    stranger = register(api, "Hill Council", locality=OTHER)
    body = {"promisor_id": stranger, "promisee_ids": [people["food_bank"]], "what": "x", "due": days(3)}
    assert api.client.post(BOARD, headers=api.as_("facilitator"), json=body).status_code == 404


def test_a_stale_if_match_is_409_and_changes_nothing(api: Api, people: dict[str, str]) -> None:
    commitment = commit(api, people["council"], people["food_bank"])
    assert change(api, commitment, "progress", {"note": "Started"}, 1).status_code == 200
    stale = change(api, commitment, "fulfilment", {"evidence": "Done"}, 1)
    assert stale.status_code == 409 and "version 2, not 1" in stale.json()["detail"]
    assert api.client.get(f"{BOARD}/{commitment}", headers=api.as_("lead")).json()["state"] != "fulfilled"


def test_a_malformed_if_match_is_422(api: Api, people: dict[str, str]) -> None:
    commitment = commit(api, people["council"], people["food_bank"])
    headers = api.as_("facilitator", **{"If-Match": "yesterday"})
    answer = api.client.post(f"{BOARD}/{commitment}/progress", headers=headers, json={"note": "x"})
    assert answer.status_code == 422 and answer.json()["field"] == "If-Match"


def test_fulfilling_a_withdrawn_commitment_is_409_saying_it_is_withdrawn(
    api: Api, people: dict[str, str]
) -> None:
    commitment = commit(api, people["council"], people["food_bank"])
    change(api, commitment, "withdrawal", {"reason": "Superseded"})
    answer = change(api, commitment, "fulfilment", {"evidence": "Done anyway"})
    assert answer.status_code == 409 and "withdrawn" in answer.json()["detail"]


def test_fulfilling_a_fulfilled_commitment_is_409(api: Api, people: dict[str, str]) -> None:
    commitment = commit(api, people["council"], people["food_bank"])
    assert change(api, commitment, "fulfilment", {}).status_code == 200
    answer = change(api, commitment, "fulfilment", {})
    assert answer.status_code == 409 and "fulfilled" in answer.json()["detail"]


def test_a_due_date_before_the_day_it_was_made_is_422_naming_due(api: Api, people: dict[str, str]) -> None:
    body = {"promisor_id": people["council"], "to_change_group": True, "what": "x"}
    answer = api.client.post(
        BOARD, headers=api.as_("facilitator"), json={**body, "made_on": days(0), "due": days(-1)}
    )
    assert answer.status_code == 422 and answer.json()["field"] == "due"
    assert board(api) == []


def test_a_renegotiation_without_a_reason_is_422_naming_reason(api: Api, people: dict[str, str]) -> None:
    commitment = commit(api, people["council"], people["food_bank"])
    answer = change(api, commitment, "renegotiations", {"due": days(90)})
    assert answer.status_code == 422
    assert [p["field"] for p in answer.json()["problems"]] == ["reason"]


def test_progress_of_150_percent_is_422_naming_percent(api: Api, people: dict[str, str]) -> None:
    commitment = commit(api, people["council"], people["food_bank"])
    answer = change(api, commitment, "progress", {"note": "Beyond", "percent": 150})
    assert answer.status_code == 422
    assert [p["field"] for p in answer.json()["problems"]] == ["percent"]


def test_an_unknown_field_is_422_naming_it(api: Api, people: dict[str, str]) -> None:
    body = {
        "promisor_id": people["council"],
        "to_change_group": True,
        "what": "x",
        "due": days(3),
        "colour": "red",
    }
    answer = api.client.post(BOARD, headers=api.as_("facilitator"), json=body)
    assert answer.status_code == 422
    assert [p["field"] for p in answer.json()["problems"]] == ["colour"]


def test_a_commitment_to_nobody_is_422(api: Api, people: dict[str, str]) -> None:
    body = {"promisor_id": people["council"], "what": "x", "due": days(3)}
    answer = api.client.post(BOARD, headers=api.as_("facilitator"), json=body)
    assert answer.status_code == 422 and answer.json()["field"] == "promisee_ids"


def test_reassigning_to_a_promisee_is_422(api: Api, people: dict[str, str]) -> None:
    commitment = commit(api, people["council"], people["food_bank"])
    answer = change(api, commitment, "reassignment", {"promisor_id": people["food_bank"], "reason": "Swap"})
    assert answer.status_code == 422 and answer.json()["field"] == "promisor_id"


@pytest.mark.parametrize(
    "what, body",
    [
        ("progress", {"note": "\x00"}),
        ("progress", {"note": "x", "percent": True}),
        ("progress", {"note": "x", "percent": 10**40}),
        ("progress", {"note": "x", "on": "2024-02-30"}),
        ("progress", {"note": ["x"]}),
        ("progress", {"note": "x" * 5000}),
        ("renegotiations", {"due": "9999-12-31T10:00:00", "reason": "x"}),
        ("renegotiations", {"due": "0001-01-01", "reason": "x"}),
        ("reassignment", {"promisor_id": "not-a-uuid", "reason": "x"}),
        ("withdrawal", {"reason": " "}),
        ("fulfilment", {"on": None, "evidence": None}),
    ],
)
def test_bad_input_is_refused_never_a_server_error(
    api: Api, people: dict[str, str], what: str, body: dict[str, Any]
) -> None:
    commitment = commit(api, people["council"], people["food_bank"])
    answer = change(api, commitment, what, body)
    assert 400 <= answer.status_code < 500, answer.text


def test_a_far_future_due_date_is_kept_and_shown(api: Api, people: dict[str, str]) -> None:
    commitment = commit(api, people["council"], people["food_bank"])
    assert (
        change(api, commitment, "renegotiations", {"due": "9999-12-31", "reason": "Some day"}).status_code
        == 200
    )
    assert api.client.get(f"{BOARD}/{commitment}", headers=api.as_("lead")).json()["due"] == "9999-12-31"
    assert [row["id"] for row in board(api, state="open")] == [commitment]


# Safe retries


def test_a_retried_post_with_the_same_idempotency_key_makes_one_commitment(
    api: Api, people: dict[str, str]
) -> None:
    body = {
        "promisor_id": people["council"],
        "promisee_ids": [people["food_bank"]],
        "what": "x",
        "due": days(3),
    }
    headers = api.as_("facilitator", **{"Idempotency-Key": "make-hub-commitment"})
    first = api.client.post(BOARD, headers=headers, json=body)
    retry = api.client.post(BOARD, headers=headers, json=body)
    assert first.status_code == retry.status_code == 201
    assert retry.headers["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first.headers
    assert retry.json()["id"] == first.json()["id"]
    assert len(board(api)) == 1


def test_the_made_on_day_defaults_to_the_day_of_the_meeting(api: Api, people: dict[str, str]) -> None:
    meeting = api.client.post(
        f"/api/v1/localities/{HOME}/meetings",
        headers=api.as_("facilitator"),
        json={"kind": "workshop", "title": "Workshop", "held_on": "2024-03-05"},
    ).json()["id"]
    body = {"promisor_id": people["council"], "to_change_group": True, "what": "x", "due": "2024-04-01"}
    made = api.client.post(BOARD, headers=api.as_("facilitator"), json={**body, "meeting_id": meeting})
    shown = api.client.get(f"{BOARD}/{made.json()['id']}", headers=api.as_("lead")).json()
    assert shown["made_on"] == "2024-03-05" and shown["meeting_id"] == meeting
    assert date.fromisoformat(shown["due"]) < TODAY and shown["state"] == "overdue"
