"""The relationships API: forming ties between stakeholders, rating them, changing their
intensity, ending them, and listing them as they stood on any day."""

from __future__ import annotations

from typing import Any

import pytest

from tests.service.conftest import Api

BASE = "/api/v1/localities/riverside"
RELATIONSHIPS = f"{BASE}/relationships"
UNKNOWN = "00000000-0000-4000-8000-000000000000"


def register(api: Api, name: str, sector: str = "vcse", locality: str = "riverside") -> str:
    role = "facilitator" if locality == "riverside" else "other_facilitator"
    answer = api.client.post(
        f"/api/v1/localities/{locality}/stakeholders",
        json={"kind": "organisation", "sector": sector, "name": name},
        headers=api.as_(role),
    )
    assert answer.status_code == 201, answer.text
    return str(answer.json()["id"])


def form(api: Api, one: str, other: str, /, role: str = "facilitator", **fields: Any) -> Any:
    body = {"source_id": one, "target_id": other, "kind": "collaborates", "intensity": 2, **fields}
    return api.client.post(RELATIONSHIPS, json=body, headers=api.as_(role))


def formed(api: Api, one: str, other: str, /, **fields: Any) -> str:
    answer = form(api, one, other, **fields)
    assert answer.status_code == 201, answer.text
    return str(answer.json()["id"])


def post(api: Api, path: str, body: dict[str, Any], role: str = "facilitator", **headers: str) -> Any:
    return api.client.post(f"{RELATIONSHIPS}/{path}", json=body, headers=api.as_(role, **headers))


def read(api: Api, relationship_id: str) -> dict[str, Any]:
    answer = api.client.get(f"{RELATIONSHIPS}/{relationship_id}", headers=api.as_("facilitator"))
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def listed(api: Api, **params: Any) -> dict[str, Any]:
    answer = api.client.get(RELATIONSHIPS, params=params, headers=api.as_("facilitator"))
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def ties(page: dict[str, Any]) -> list[tuple[str, str]]:
    return [(row["source_name"], row["target_name"]) for row in page["data"]]


@pytest.fixture
def pair(api: Api) -> tuple[str, str]:
    """A food bank and a surgery of riverside."""
    return register(api, "Food Bank"), register(api, "Surgery", sector="health")


# The main path, on SQLite and PostgreSQL


def test_a_facilitator_forms_rates_strengthens_and_ends_a_tie_and_sees_each_write_at_once(
    api_on: Api,
) -> None:
    food_bank, surgery = register(api_on, "Food Bank"), register(api_on, "Surgery", sector="health")

    answer = form(api_on, food_bank, surgery, kind="refers_to", valid_from="2024-01-10", source="survey")
    assert (answer.status_code, answer.headers["ETag"]) == (201, '"1"')
    tie = answer.json()["id"]
    assert ties(listed(api_on)) == [("Food Bank", "Surgery")]

    rated = post(
        api_on,
        f"{tie}/ratings",
        {"rater": "Fran", "trust": [4, 3, 2], "value": [1, 2, 3], "on": "2024-02-01"},
    )
    assert (rated.status_code, rated.json()["version"]) == (201, 2)
    stronger = post(api_on, f"{tie}/intensity", {"intensity": 3, "on": "2024-03-01"}, **{"If-Match": '"2"'})
    assert (stronger.status_code, stronger.headers["ETag"]) == (200, '"3"')

    shown = read(api_on, tie)
    assert (shown["kind"], shown["directed"], shown["intensity"], shown["version"]) == (
        "refers_to",
        True,
        3,
        3,
    )
    assert shown["intensities"] == [
        {"since": "2024-01-10", "intensity": 2},
        {"since": "2024-03-01", "intensity": 3},
    ]
    assert shown["ratings"] == [{"rater": "Fran", "trust": 3.0, "value": 2.0, "on": "2024-02-01"}]
    assert listed(api_on, valid_on="2024-02-15")["data"][0]["intensity"] == 2

    ended = post(
        api_on, f"{tie}/end", {"valid_to": "2024-09-30", "reason": "Service closed"}, **{"If-Match": '"3"'}
    )
    assert ended.status_code == 200
    assert read(api_on, tie)["valid_to"] == "2024-09-30"
    assert ties(listed(api_on, valid_on="2024-10-01")) == []
    assert ties(listed(api_on, valid_on="2024-09-29")) == [("Food Bank", "Surgery")]


# Who may do what


@pytest.mark.parametrize(
    ("role", "expected"), [("administrator", 201), ("lead", 403), ("peer", 403), ("other_facilitator", 404)]
)
def test_only_a_facilitator_or_administrator_of_the_locality_forms_ties(
    api: Api, pair: tuple[str, str], role: str, expected: int
) -> None:
    assert form(api, *pair, role=role).status_code == expected


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("{id}/ratings", {"rater": "Lee", "trust": [1, 1, 1], "value": [1, 1, 1]}),
        ("{id}/intensity", {"intensity": 4}),
        ("{id}/end", {"reason": "Over"}),
    ],
)
@pytest.mark.parametrize(("role", "expected"), [("lead", 403), ("peer", 403), ("other_facilitator", 404)])
def test_every_change_to_a_tie_is_refused_to_those_who_may_not_write_here(
    api: Api, pair: tuple[str, str], path: str, body: dict[str, Any], role: str, expected: int
) -> None:
    tie = formed(api, *pair)

    assert post(api, path.format(id=tie), body, role=role).status_code == expected
    assert read(api, tie)["version"] == 1


@pytest.mark.parametrize(
    ("role", "expected"), [("administrator", 200), ("lead", 200), ("peer", 403), ("other_facilitator", 404)]
)
def test_a_lead_reads_ties_a_peer_may_not_and_another_locality_does_not_exist(
    api: Api, pair: tuple[str, str], role: str, expected: int
) -> None:
    tie = formed(api, *pair)

    assert api.client.get(RELATIONSHIPS, headers=api.as_(role)).status_code == expected
    assert api.client.get(f"{RELATIONSHIPS}/{tie}", headers=api.as_(role)).status_code == expected


def test_without_a_token_no_tie_is_read_or_formed(api: Api, pair: tuple[str, str]) -> None:
    body = {"source_id": pair[0], "target_id": pair[1], "kind": "collaborates", "intensity": 2}

    assert api.client.get(RELATIONSHIPS).status_code == 401
    assert api.client.post(RELATIONSHIPS, json=body).status_code == 401


def test_the_events_of_a_tie_name_the_token_that_recorded_them(api: Api, pair: tuple[str, str]) -> None:
    tie = formed(api, *pair)
    post(api, f"{tie}/intensity", {"intensity": 3}, role="administrator")

    assert [fact.actor for fact in api.runtime.views.history(tie)] == ["Fran Facilitator", "Ada Admin"]


# Forming


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"intensity": 5}, "intensity"),
        ({"intensity": 0}, "intensity"),
        ({"intensity": "2"}, "intensity"),
        ({"intensity": True}, "intensity"),
        ({"kind": "loves"}, "kind"),
        ({"source": "rumour"}, "source"),
        ({"valid_from": "2024-13-01"}, "valid_from"),
        ({"source_id": "food-bank"}, "source_id"),
        ({"strength": 3}, "strength"),
    ],
)
def test_a_tie_that_breaks_a_rule_is_refused_naming_the_field(
    api: Api, pair: tuple[str, str], change: dict[str, Any], field: str
) -> None:
    answer = form(api, *pair, **change)

    assert answer.status_code == 422
    assert answer.json()["problems"][0]["field"] == field
    assert listed(api)["count"] == 0


def test_an_unknown_kind_of_tie_lists_the_allowed_kinds(api: Api, pair: tuple[str, str]) -> None:
    answer = form(api, *pair, kind="loves")

    assert "'collaborates', 'funds', 'commissions'" in answer.json()["detail"]


def test_a_tie_of_a_stakeholder_with_itself_is_refused(api: Api, pair: tuple[str, str]) -> None:
    answer = form(api, pair[0], pair[0])

    assert (answer.status_code, answer.json()["field"]) == (422, "target_id")


def test_a_tie_to_an_unknown_stakeholder_or_one_of_another_locality_is_not_found(
    api: Api, pair: tuple[str, str]
) -> None:
    hillside_trust = register(api, "Hillside Trust", locality="hillside")

    assert form(api, pair[0], UNKNOWN).status_code == 404
    assert form(api, hillside_trust, pair[1], role="administrator").status_code == 404


def test_a_tie_to_a_merged_stakeholder_is_refused_as_a_conflict(api: Api, pair: tuple[str, str]) -> None:
    food_bank, surgery = pair
    duplicate = register(api, "Food Bank (dup)")
    api.client.post(
        f"{BASE}/stakeholders/{duplicate}/merge",
        json={"into_id": food_bank, "reason": "Same"},
        headers=api.as_("facilitator"),
    )

    answer = form(api, duplicate, surgery)

    assert answer.status_code == 409
    assert "is merged" in answer.json()["detail"]


def test_the_direction_of_a_tie_follows_its_kind_unless_it_is_given(api: Api, pair: tuple[str, str]) -> None:
    funds, collaborates, directed = (
        formed(api, *pair, kind="funds"),
        formed(api, *pair, kind="collaborates"),
        formed(api, *pair, kind="collaborates", directed=True),
    )

    assert [read(api, tie)["directed"] for tie in (funds, collaborates, directed)] == [True, False, True]


# Reading and listing


def test_an_unknown_tie_or_one_of_another_locality_is_not_found(api: Api) -> None:
    trust, school = register(api, "Trust", locality="hillside"), register(api, "School", locality="hillside")
    hillside_tie = api.client.post(
        "/api/v1/localities/hillside/relationships",
        json={"source_id": trust, "target_id": school, "kind": "funds", "intensity": 1},
        headers=api.as_("other_facilitator"),
    ).json()["id"]

    assert api.client.get(f"{RELATIONSHIPS}/{UNKNOWN}", headers=api.as_("facilitator")).status_code == 404
    assert (
        api.client.get(f"{RELATIONSHIPS}/{hillside_tie}", headers=api.as_("administrator")).status_code == 404
    )
    assert post(api, f"{hillside_tie}/end", {"reason": "x"}, role="administrator").status_code == 404
    assert post(api, f"{UNKNOWN}/intensity", {"intensity": 3}).status_code == 404


def test_a_tie_id_that_is_not_a_uuid_is_refused(api: Api) -> None:
    answer = api.client.get(f"{RELATIONSHIPS}/42", headers=api.as_("facilitator"))

    assert (answer.status_code, answer.json()["problems"][0]["field"]) == (422, "path.relationship_id")


def test_the_get_of_a_tie_answers_its_version_as_etag(api: Api, pair: tuple[str, str]) -> None:
    tie = formed(api, *pair)
    post(api, f"{tie}/ratings", {"rater": "Fran", "trust": [2, 2, 2], "value": [2, 2, 2]})

    answer = api.client.get(f"{RELATIONSHIPS}/{tie}", headers=api.as_("lead"))

    assert answer.headers["ETag"] == '"2"'


def test_the_list_is_filtered_by_kind_and_by_a_stakeholder_at_either_end(
    api: Api, pair: tuple[str, str]
) -> None:
    food_bank, surgery = pair
    council = register(api, "Council", sector="public")
    formed(api, council, food_bank, kind="funds", valid_from="2024-01-01")
    formed(api, food_bank, surgery, kind="refers_to", valid_from="2024-02-01")
    formed(api, council, surgery, kind="commissions", valid_from="2024-03-01")

    assert ties(listed(api, kind="funds")) == [("Council", "Food Bank")]
    assert ties(listed(api, stakeholder=food_bank)) == [("Council", "Food Bank"), ("Food Bank", "Surgery")]
    assert ties(listed(api, stakeholder=surgery, kind="commissions")) == [("Council", "Surgery")]
    assert ties(listed(api, valid_on="2024-02-15")) == [("Council", "Food Bank"), ("Food Bank", "Surgery")]


def test_the_list_is_ordered_by_the_day_a_tie_began_and_paged_with_the_total(
    api: Api, pair: tuple[str, str]
) -> None:
    food_bank, surgery = pair
    for day in ["2024-03-01", "2024-01-01", "2024-02-01"]:
        formed(api, food_bank, surgery, valid_from=day)

    page = listed(api, limit=2, offset=1)

    assert [row["valid_from"] for row in page["data"]] == ["2024-02-01", "2024-03-01"]
    assert (page["count"], page["limit"], page["offset"]) == (3, 2, 1)
    assert page["data"][0]["valid_to"] is None


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"kind": "loves"}, "query.kind"),
        ({"stakeholder": "food-bank"}, "query.stakeholder"),
        ({"valid_on": "today"}, "query.valid_on"),
        ({"limit": 1000}, "query.limit"),
    ],
)
def test_a_list_query_that_breaks_a_rule_is_refused_naming_the_parameter(
    api: Api, params: dict[str, Any], field: str
) -> None:
    answer = api.client.get(RELATIONSHIPS, params=params, headers=api.as_("facilitator"))

    assert (answer.status_code, answer.json()["problems"][0]["field"]) == (422, field)


# Rating, intensity, ending


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"trust": [1, 2]}, "trust"),
        ({"trust": [1, 2, 3, 4]}, "trust"),
        ({"value": [1, 2, 5]}, "value.2"),
        ({"value": [0, 2, 3]}, "value.0"),
        ({"rater": ""}, "rater"),
        ({"on": "01/02/2024"}, "on"),
        ({"comment": "good"}, "comment"),
    ],
)
def test_a_rating_that_breaks_a_rule_is_refused_naming_the_field(
    api: Api, pair: tuple[str, str], change: dict[str, Any], field: str
) -> None:
    tie = formed(api, *pair)
    body = {"rater": "Fran", "trust": [3, 3, 3], "value": [3, 3, 3], **change}

    answer = post(api, f"{tie}/ratings", body)

    assert (answer.status_code, answer.json()["problems"][0]["field"]) == (422, field)


def test_a_rater_s_new_rating_replaces_their_earlier_one(api: Api, pair: tuple[str, str]) -> None:
    tie = formed(api, *pair)
    post(api, f"{tie}/ratings", {"rater": "Fran", "trust": [1, 1, 1], "value": [1, 1, 1], "on": "2024-01-01"})
    post(api, f"{tie}/ratings", {"rater": "Fran", "trust": [4, 4, 1], "value": [2, 2, 2], "on": "2024-02-01"})
    post(api, f"{tie}/ratings", {"rater": "Ann", "trust": [2, 2, 2], "value": [4, 4, 4], "on": "2024-02-01"})

    assert read(api, tie)["ratings"] == [
        {"rater": "Ann", "trust": 2.0, "value": 4.0, "on": "2024-02-01"},
        {"rater": "Fran", "trust": 3.0, "value": 2.0, "on": "2024-02-01"},
    ]


def test_an_ended_tie_cannot_be_rated_strengthened_or_ended_again(api: Api, pair: tuple[str, str]) -> None:
    tie = formed(api, *pair, valid_from="2024-01-01")
    post(api, f"{tie}/end", {"valid_to": "2024-06-30", "reason": "Service closed"})

    rated = post(api, f"{tie}/ratings", {"rater": "Fran", "trust": [3, 3, 3], "value": [3, 3, 3]})
    stronger = post(api, f"{tie}/intensity", {"intensity": 4})
    again = post(api, f"{tie}/end", {"reason": "Again"})

    assert [answer.status_code for answer in (rated, stronger, again)] == [409, 409, 409]
    assert "has ended" in rated.json()["detail"]


def test_a_change_of_a_tie_with_a_stale_if_match_is_refused_as_a_conflict(
    api: Api, pair: tuple[str, str]
) -> None:
    tie = formed(api, *pair)
    post(api, f"{tie}/ratings", {"rater": "Fran", "trust": [3, 3, 3], "value": [3, 3, 3]})

    stronger = post(api, f"{tie}/intensity", {"intensity": 4}, **{"If-Match": '"1"'})
    ended = post(api, f"{tie}/end", {"reason": "Over"}, **{"If-Match": '"1"'})

    assert (stronger.status_code, ended.status_code) == (409, 409)
    assert read(api, tie)["valid_to"] is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"intensity": 5}, "intensity"),
        ({"intensity": 2}, "intensity"),
        ({"intensity": 3, "on": "2023-12-31"}, "on"),
    ],
)
def test_an_intensity_out_of_range_unchanged_or_before_the_tie_began_is_refused(
    api: Api, pair: tuple[str, str], body: dict[str, Any], field: str
) -> None:
    tie = formed(api, *pair, valid_from="2024-01-01")

    answer = post(api, f"{tie}/intensity", body)

    assert answer.status_code == 422
    assert field in (answer.json().get("field"), answer.json().get("problems", [{}])[0].get("field"))


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"valid_to": "2023-12-31", "reason": "x"}, "valid_to"),
        ({"valid_to": "2024-06-30"}, "reason"),
        ({"valid_to": "2024-06-30", "reason": "x" * 4001}, "reason"),
    ],
)
def test_an_end_before_the_tie_began_or_without_a_reason_is_refused(
    api: Api, pair: tuple[str, str], body: dict[str, Any], field: str
) -> None:
    tie = formed(api, *pair, valid_from="2024-01-01")

    answer = post(api, f"{tie}/end", body)

    assert answer.status_code == 422
    assert field in (answer.json().get("field"), answer.json().get("problems", [{}])[0].get("field"))
    assert read(api, tie)["valid_to"] is None


def test_a_retried_tie_with_the_same_idempotency_key_is_formed_once(api: Api, pair: tuple[str, str]) -> None:
    body = {"source_id": pair[0], "target_id": pair[1], "kind": "collaborates", "intensity": 2}
    headers = api.as_("facilitator", **{"Idempotency-Key": "tie-1"})

    first = api.client.post(RELATIONSHIPS, json=body, headers=headers)
    retry = api.client.post(RELATIONSHIPS, json=body, headers=headers)

    assert retry.json()["id"] == first.json()["id"]
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert listed(api)["count"] == 1
