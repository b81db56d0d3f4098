"""The stakeholders API: registering, reading, changing, merging, archiving and erasing
stakeholders, their assets, and the locality's asset map."""

from __future__ import annotations

from typing import Any

import pytest

from tests.service.conftest import Api

BASE = "/api/v1/localities/riverside"
STAKEHOLDERS = f"{BASE}/stakeholders"
UNKNOWN = "00000000-0000-4000-8000-000000000000"


def register(api: Api, role: str = "facilitator", **fields: Any) -> str:
    body = {"kind": "organisation", "sector": "vcse", "name": "Riverside Food Bank", **fields}
    answer = api.client.post(STAKEHOLDERS, json=body, headers=api.as_(role))
    assert answer.status_code == 201, answer.text
    return str(answer.json()["id"])


def read(api: Api, stakeholder_id: str, role: str = "facilitator") -> dict[str, Any]:
    answer = api.client.get(f"{STAKEHOLDERS}/{stakeholder_id}", headers=api.as_(role))
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def listed(api: Api, role: str = "facilitator", **params: Any) -> dict[str, Any]:
    answer = api.client.get(STAKEHOLDERS, params=params, headers=api.as_(role))
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def names(page: dict[str, Any]) -> list[str]:
    return [row["name"] for row in page["data"]]


def post(api: Api, path: str, body: dict[str, Any], role: str = "facilitator", **headers: str) -> Any:
    return api.client.post(f"{STAKEHOLDERS}/{path}", json=body, headers=api.as_(role, **headers))


# The main path, on SQLite and PostgreSQL


def test_a_facilitator_registers_changes_and_maps_a_stakeholder_and_sees_each_write_at_once(
    api_on: Api,
) -> None:
    answer = api_on.client.post(
        STAKEHOLDERS,
        json={
            "kind": "organisation",
            "sector": "vcse",
            "name": "Riverside Food Bank",
            "contact": "01234 567890",
            "notes": "Open on Tuesdays",
            "since": "2024-01-15",
        },
        headers=api_on.as_("facilitator"),
    )
    assert answer.status_code == 201
    written = answer.json()
    assert written["version"] == 1 and written["view_lag"] is False
    assert answer.headers["ETag"] == '"1"'
    food_bank = written["id"]
    assert names(listed(api_on)) == ["Riverside Food Bank"]

    answer = api_on.client.patch(
        f"{STAKEHOLDERS}/{food_bank}",
        json={"name": "Riverside Community Food Bank"},
        headers=api_on.as_("facilitator", **{"If-Match": '"1"'}),
    )
    assert (answer.status_code, answer.headers["ETag"]) == (200, '"2"')
    answer = post(api_on, f"{food_bank}/sector", {"sector": "faith", "on": "2024-06-01"})
    assert answer.status_code == 200
    answer = post(api_on, f"{food_bank}/assets", {"category": "venue", "description": "Church hall"})
    assert answer.status_code == 201
    hall = answer.json()["asset_id"]

    shown = read(api_on, food_bank)
    assert shown["name"] == "Riverside Community Food Bank"
    assert shown["sector"] == "faith"
    assert shown["sectors"] == [
        {"since": "2024-01-15", "sector": "vcse"},
        {"since": "2024-06-01", "sector": "faith"},
    ]
    assert (shown["contact"], shown["notes"]) == ("01234 567890", "Open on Tuesdays")
    assert shown["assets"] == [{"id": hall, "category": "venue", "description": "Church hall"}]
    assert (shown["status"], shown["version"], shown["since"]) == ("active", 4, "2024-01-15")
    assert listed(api_on)["data"][0]["sector"] == "faith"
    mapped = api_on.client.get(f"{BASE}/assets", headers=api_on.as_("facilitator")).json()
    assert (mapped["count"], mapped["by_category"]["venue"], mapped["by_sector"]["faith"]) == (1, 1, 1)


def test_a_name_with_a_nul_character_is_refused_and_the_views_keep_following_the_log(
    api_on: Api,
) -> None:
    answer = api_on.client.post(
        STAKEHOLDERS,
        json={"kind": "person", "sector": "vcse", "name": "Ann\u0000Smith"},
        headers=api_on.as_("facilitator"),
    )
    assert (answer.status_code, answer.json()["field"]) == (422, "name")

    register(api_on, name="After the refusal")

    assert names(listed(api_on)) == ["After the refusal"]


# Who may do what


WRITE_ANSWERS = [("administrator", 201), ("lead", 403), ("peer", 403), ("other_facilitator", 404)]
READ_ANSWERS = [
    ("administrator", 200),
    ("facilitator", 200),
    ("lead", 200),
    ("peer", 403),
    ("other_facilitator", 404),
]


@pytest.mark.parametrize(("role", "expected"), WRITE_ANSWERS)
def test_only_a_facilitator_or_administrator_of_the_locality_registers_stakeholders(
    api: Api, role: str, expected: int
) -> None:
    body = {"kind": "group", "sector": "community_group", "name": "Allotment Society"}

    answer = api.client.post(STAKEHOLDERS, json=body, headers=api.as_(role))

    assert answer.status_code == expected


@pytest.mark.parametrize(("role", "expected"), READ_ANSWERS)
def test_a_lead_reads_stakeholders_a_peer_may_not_and_another_locality_does_not_exist(
    api: Api, role: str, expected: int
) -> None:
    food_bank = register(api)

    assert api.client.get(STAKEHOLDERS, headers=api.as_(role)).status_code == expected
    assert api.client.get(f"{STAKEHOLDERS}/{food_bank}", headers=api.as_(role)).status_code == expected
    assert api.client.get(f"{BASE}/assets", headers=api.as_(role)).status_code == expected


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("PATCH", "{id}", {"name": "Renamed"}),
        ("POST", "{id}/sector", {"sector": "health"}),
        ("POST", "{id}/assets", {"category": "venue", "description": "Hall"}),
        ("DELETE", "{id}/assets/" + UNKNOWN, {"reason": "Sold"}),
        ("POST", "{id}/merge", {"into_id": UNKNOWN, "reason": "Duplicate"}),
        ("POST", "{id}/archive", {"reason": "Closed"}),
        ("POST", "{id}/erase", {"reason": "Asked to be forgotten"}),
    ],
)
@pytest.mark.parametrize(("role", "expected"), [("lead", 403), ("peer", 403), ("other_facilitator", 404)])
def test_every_change_to_a_stakeholder_is_refused_to_those_who_may_not_write_here(
    api: Api, method: str, path: str, body: dict[str, Any], role: str, expected: int
) -> None:
    food_bank = register(api)
    url = f"{STAKEHOLDERS}/{path.format(id=food_bank)}"

    answer = api.client.request(method, url, json=body, headers=api.as_(role))

    assert answer.status_code == expected
    assert read(api, food_bank)["version"] == 1


def test_without_a_token_nothing_is_read_or_written(api: Api) -> None:
    body = {"kind": "group", "sector": "community_group", "name": "Allotment Society"}

    assert api.client.get(STAKEHOLDERS).status_code == 401
    assert api.client.post(STAKEHOLDERS, json=body).status_code == 401
    assert api.client.get(f"{BASE}/assets").status_code == 401


def test_a_lead_sees_contact_details_and_notes(api: Api) -> None:
    food_bank = register(api, contact="01234 567890", notes="Open on Tuesdays")

    shown = read(api, food_bank, role="lead")

    assert (shown["contact"], shown["notes"]) == ("01234 567890", "Open on Tuesdays")


def test_the_events_of_a_stakeholder_name_the_token_that_recorded_them(api: Api) -> None:
    food_bank = register(api)
    post(api, f"{food_bank}/archive", {"reason": "Closed"}, role="administrator")

    actors = [fact.actor for fact in api.runtime.views.history(food_bank)]

    assert actors == ["Fran Facilitator", "Ada Admin"]


# Registering


def test_registering_in_an_unknown_sector_names_the_field_and_lists_the_allowed_sectors(api: Api) -> None:
    body = {"kind": "organisation", "sector": "space", "name": "Rocket Club"}

    answer = api.client.post(STAKEHOLDERS, json=body, headers=api.as_("facilitator"))

    assert answer.status_code == 422
    assert answer.json()["field"] == "sector"
    assert "use one of: public, health, housing, vcse" in answer.json()["detail"]


def test_a_locality_s_own_sector_can_be_used_once_added(api: Api) -> None:
    added = api.client.post(
        f"{BASE}/sectors", json={"sector": "youth", "label": "Youth"}, headers=api.as_("facilitator")
    )
    assert added.status_code == 201

    youth_club = register(api, sector="youth", name="Youth Club")

    assert read(api, youth_club)["sector"] == "youth"
    assert names(listed(api, sector="youth")) == ["Youth Club"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": "robot"}, "kind"),
        ({"name": "x" * 201}, "name"),
        ({"name": ""}, "name"),
        ({"notes": "x" * 4001}, "notes"),
        ({"since": "2024-02-30"}, "since"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_a_registration_that_breaks_a_rule_is_refused_naming_the_field(
    api: Api, change: dict[str, Any], field: str
) -> None:
    body = {"kind": "organisation", "sector": "vcse", "name": "Riverside Food Bank", **change}

    answer = api.client.post(STAKEHOLDERS, json=body, headers=api.as_("facilitator"))

    assert answer.status_code == 422
    assert field in {problem["field"] for problem in answer.json()["problems"]}
    assert listed(api)["count"] == 0


def test_the_allowed_kinds_are_listed_when_a_kind_is_unknown(api: Api) -> None:
    body = {"kind": "robot", "sector": "vcse", "name": "R2"}

    answer = api.client.post(STAKEHOLDERS, json=body, headers=api.as_("facilitator"))

    assert "'organisation', 'group' or 'person'" in answer.json()["detail"]


def test_a_name_of_only_spaces_is_refused_by_the_record(api: Api) -> None:
    answer = api.client.post(
        STAKEHOLDERS, json={"kind": "group", "sector": "vcse", "name": "   "}, headers=api.as_("facilitator")
    )

    assert (answer.status_code, answer.json()["field"]) == (422, "name")


def test_a_retried_registration_with_the_same_idempotency_key_makes_one_stakeholder(api: Api) -> None:
    body = {"kind": "organisation", "sector": "vcse", "name": "Riverside Food Bank"}
    headers = api.as_("facilitator", **{"Idempotency-Key": "register-food-bank-1"})

    first = api.client.post(STAKEHOLDERS, json=body, headers=headers)
    retry = api.client.post(STAKEHOLDERS, json=body, headers=headers)

    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.json()["id"] == first.json()["id"]
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert listed(api)["count"] == 1


# Reading


def test_an_unknown_stakeholder_is_not_found(api: Api) -> None:
    answer = api.client.get(f"{STAKEHOLDERS}/{UNKNOWN}", headers=api.as_("facilitator"))

    assert answer.status_code == 404


def test_a_stakeholder_id_that_is_not_a_uuid_is_refused(api: Api) -> None:
    answer = api.client.get(f"{STAKEHOLDERS}/not-a-uuid", headers=api.as_("facilitator"))

    assert answer.status_code == 422
    assert answer.json()["problems"][0]["field"] == "path.stakeholder_id"


def test_a_stakeholder_of_another_locality_is_not_found_here(api: Api) -> None:
    answer = api.client.post(
        "/api/v1/localities/hillside/stakeholders",
        json={"kind": "organisation", "sector": "vcse", "name": "Hillside Trust"},
        headers=api.as_("other_facilitator"),
    )
    hillside_trust = answer.json()["id"]

    assert (
        api.client.get(f"{STAKEHOLDERS}/{hillside_trust}", headers=api.as_("administrator")).status_code
        == 404
    )
    assert post(api, f"{hillside_trust}/archive", {"reason": "x"}, role="administrator").status_code == 404
    assert names(listed(api, role="administrator")) == []


def test_the_get_of_a_stakeholder_answers_its_version_as_etag(api: Api) -> None:
    food_bank = register(api)

    answer = api.client.get(f"{STAKEHOLDERS}/{food_bank}", headers=api.as_("lead"))

    assert answer.headers["ETag"] == '"1"'


def test_a_person_s_name_and_contact_are_shown_to_those_who_may_see_them(api: Api) -> None:
    ann = register(api, kind="person", sector="lived_experience", name="Ann Smith", contact="ann@example.org")

    shown = read(api, ann, role="lead")

    assert (shown["name"], shown["contact"], shown["erased"]) == ("Ann Smith", "ann@example.org", False)
    assert names(listed(api)) == ["Ann Smith"]


# Listing


def test_the_list_is_ordered_by_name_and_paged_with_the_total_count(api: Api) -> None:
    for name in ["Cedar Trust", "alder housing", "Birch Surgery"]:
        register(api, name=name)

    first = listed(api, limit=2)
    second = listed(api, limit=2, offset=2)

    assert names(first) == ["alder housing", "Birch Surgery"]
    assert names(second) == ["Cedar Trust"]
    assert (first["count"], first["limit"], second["offset"]) == (3, 2, 2)


def test_the_list_is_filtered_by_sector_kind_and_name_in_any_case(api: Api) -> None:
    register(api, name="Riverside Food Bank", sector="vcse")
    register(api, name="Riverside Surgery", sector="health")
    register(api, name="Ann Smith", kind="person", sector="lived_experience")

    assert names(listed(api, sector="health")) == ["Riverside Surgery"]
    assert names(listed(api, kind="person")) == ["Ann Smith"]
    assert names(listed(api, q="RIVERSIDE")) == ["Riverside Food Bank", "Riverside Surgery"]
    assert names(listed(api, q="side s")) == ["Riverside Surgery"]


def test_a_name_search_takes_percent_and_underscore_literally(api: Api) -> None:
    register(api, name="100% Local")
    register(api, name="1000 Local")
    register(api, name="Under_score Trust")
    register(api, name="Underscore Trust")

    assert names(listed(api, q="100%")) == ["100% Local"]
    assert names(listed(api, q="r_s")) == ["Under_score Trust"]


def test_a_name_search_finds_accented_names_in_any_case_of_their_plain_letters(api_on: Api) -> None:
    register(api_on, name="Église Saint-Jean")
    register(api_on, name="Eglise Road Surgery")

    assert names(listed(api_on, q="Église")) == ["Église Saint-Jean"]
    assert names(listed(api_on, q="ÉGLISE")) == ["Église Saint-Jean"]
    assert names(listed(api_on, q="saint-JEAN")) == ["Église Saint-Jean"]


def test_the_list_shows_active_stakeholders_unless_another_status_is_asked_for(api: Api) -> None:
    food_bank, duplicate, closed = (register(api, name=n) for n in ["Food Bank", "Food Bank (dup)", "Closed"])
    post(api, f"{duplicate}/merge", {"into_id": food_bank, "reason": "Same"})
    post(api, f"{closed}/archive", {"reason": "Closed down"})

    assert names(listed(api)) == ["Food Bank"]
    assert names(listed(api, status="merged")) == ["Food Bank (dup)"]
    assert names(listed(api, status="archived")) == ["Closed"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "gone"}, "query.status"),
        ({"kind": "robot"}, "query.kind"),
        ({"limit": 0}, "query.limit"),
        ({"limit": 501}, "query.limit"),
        ({"offset": -1}, "query.offset"),
        ({"q": "x" * 201}, "query.q"),
        ({"q": "a\u0000b"}, "query.q"),
    ],
)
def test_a_list_query_that_breaks_a_rule_is_refused_naming_the_parameter(
    api: Api, params: dict[str, Any], field: str
) -> None:
    answer = api.client.get(STAKEHOLDERS, params=params, headers=api.as_("facilitator"))

    assert answer.status_code == 422
    assert answer.json()["problems"][0]["field"] == field


def test_filtering_by_an_unknown_sector_lists_the_allowed_sectors(api: Api) -> None:
    answer = api.client.get(STAKEHOLDERS, params={"sector": "space"}, headers=api.as_("facilitator"))

    assert (answer.status_code, answer.json()["field"]) == (422, "sector")
    assert "use one of: public, health" in answer.json()["detail"]


# Changing details and sector


def test_a_patch_changes_only_the_details_it_names(api: Api) -> None:
    food_bank = register(api, contact="01234 567890", notes="Open on Tuesdays")

    answer = api.client.patch(
        f"{STAKEHOLDERS}/{food_bank}", json={"notes": ""}, headers=api.as_("facilitator")
    )

    assert answer.status_code == 200
    shown = read(api, food_bank)
    assert (shown["name"], shown["contact"], shown["notes"]) == ("Riverside Food Bank", "01234 567890", "")


def test_a_patch_of_a_person_keeps_their_details_sealed_and_readable(api: Api) -> None:
    ann = register(api, kind="person", sector="lived_experience", name="Ann Smith", contact="ann@example.org")

    api.client.patch(f"{STAKEHOLDERS}/{ann}", json={"name": "Ann Jones"}, headers=api.as_("facilitator"))

    shown = read(api, ann)
    assert (shown["name"], shown["contact"]) == ("Ann Jones", "ann@example.org")
    assert names(listed(api)) == ["Ann Jones"]


def test_a_change_with_a_stale_if_match_is_refused_as_a_conflict(api: Api) -> None:
    food_bank = register(api)
    api.client.patch(f"{STAKEHOLDERS}/{food_bank}", json={"name": "First"}, headers=api.as_("facilitator"))

    stale = {"If-Match": '"1"'}
    renamed = api.client.patch(
        f"{STAKEHOLDERS}/{food_bank}", json={"name": "Second"}, headers=api.as_("facilitator", **stale)
    )
    moved = post(api, f"{food_bank}/sector", {"sector": "health"}, **stale)
    merged = post(api, f"{food_bank}/merge", {"into_id": register(api, name="Other"), "reason": "x"}, **stale)
    archived = post(api, f"{food_bank}/archive", {"reason": "x"}, **stale)

    assert [a.status_code for a in (renamed, moved, merged, archived)] == [409, 409, 409, 409]
    assert "version 2, not 1" in renamed.json()["detail"]
    assert read(api, food_bank)["name"] == "First"


def test_an_if_match_that_is_not_a_version_is_refused(api: Api) -> None:
    food_bank = register(api)

    answer = api.client.patch(
        f"{STAKEHOLDERS}/{food_bank}",
        json={"name": "x"},
        headers=api.as_("facilitator", **{"If-Match": "abc"}),
    )

    assert (answer.status_code, answer.json()["field"]) == (422, "If-Match")


@pytest.mark.parametrize(
    ("body", "field"), [({}, ""), ({"name": "x" * 201}, "name"), ({"email": "a@b"}, "email")]
)
def test_a_patch_that_breaks_a_rule_is_refused(api: Api, body: dict[str, Any], field: str) -> None:
    food_bank = register(api)

    answer = api.client.patch(f"{STAKEHOLDERS}/{food_bank}", json=body, headers=api.as_("facilitator"))

    assert answer.status_code == 422
    assert answer.json()["problems"][0]["field"] == field


def test_a_patch_of_an_unknown_stakeholder_is_not_found(api: Api) -> None:
    answer = api.client.patch(f"{STAKEHOLDERS}/{UNKNOWN}", json={"name": "x"}, headers=api.as_("facilitator"))

    assert answer.status_code == 404


def test_moving_to_the_sector_it_is_in_or_an_unknown_one_is_refused(api: Api) -> None:
    food_bank = register(api)

    same = post(api, f"{food_bank}/sector", {"sector": "vcse"})
    unknown = post(api, f"{food_bank}/sector", {"sector": "space"})
    bad_date = post(api, f"{food_bank}/sector", {"sector": "health", "on": "yesterday"})

    assert (same.status_code, same.json()["field"]) == (422, "sector")
    assert "use one of" in unknown.json()["detail"]
    assert (bad_date.status_code, bad_date.json()["problems"][0]["field"]) == (422, "on")


# Assets


def test_an_asset_is_retired_with_a_reason_in_the_body_or_the_query(api: Api) -> None:
    food_bank = register(api)
    hall, bus = (
        post(api, f"{food_bank}/assets", {"category": c, "description": d}).json()["asset_id"]
        for c, d in [("venue", "Hall"), ("transport", "Minibus")]
    )

    by_body = api.client.request(
        "DELETE",
        f"{STAKEHOLDERS}/{food_bank}/assets/{hall}",
        json={"reason": "Sold"},
        headers=api.as_("facilitator"),
    )
    by_query = api.client.delete(
        f"{STAKEHOLDERS}/{food_bank}/assets/{bus}", params={"reason": "Sold"}, headers=api.as_("facilitator")
    )

    assert (by_body.status_code, by_query.status_code) == (200, 200)
    assert by_query.json()["version"] == 5
    assert read(api, food_bank)["assets"] == []


def test_retiring_an_asset_without_a_reason_or_an_unknown_asset_is_refused(api: Api) -> None:
    food_bank = register(api)
    hall = post(api, f"{food_bank}/assets", {"category": "venue", "description": "Hall"}).json()["asset_id"]

    no_reason = api.client.delete(f"{STAKEHOLDERS}/{food_bank}/assets/{hall}", headers=api.as_("facilitator"))
    unknown = api.client.delete(
        f"{STAKEHOLDERS}/{food_bank}/assets/{UNKNOWN}", params={"reason": "x"}, headers=api.as_("facilitator")
    )

    assert (no_reason.status_code, no_reason.json()["field"]) == (422, "reason")
    assert unknown.status_code == 404
    assert len(read(api, food_bank)["assets"]) == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"category": "spaceship", "description": "x"}, "category"),
        ({"category": "venue", "description": "x" * 1001}, "description"),
        ({"category": "venue"}, "description"),
        ({"category": "venue", "description": "x", "value": 3}, "value"),
    ],
)
def test_an_asset_that_breaks_a_rule_is_refused(api: Api, body: dict[str, Any], field: str) -> None:
    food_bank = register(api)

    answer = post(api, f"{food_bank}/assets", body)

    assert answer.status_code == 422
    assert answer.json()["problems"][0]["field"] == field


def test_an_unknown_asset_category_lists_the_allowed_ones(api: Api) -> None:
    food_bank = register(api)

    answer = post(api, f"{food_bank}/assets", {"category": "spaceship", "description": "x"})

    assert "'venue', 'volunteers', 'transport'" in answer.json()["detail"]


def test_the_asset_map_counts_the_assets_of_active_stakeholders_by_category_and_sector(api: Api) -> None:
    food_bank = register(api, name="Food Bank", sector="vcse")
    surgery = register(api, name="Surgery", sector="health")
    closed = register(api, name="Closed", sector="vcse")
    for who, category, description in [
        (food_bank, "venue", "Hall"),
        (food_bank, "volunteers", "Drivers"),
        (surgery, "venue", "Meeting room"),
        (closed, "funding", "Small grants"),
    ]:
        post(api, f"{who}/assets", {"category": category, "description": description})
    post(api, f"{closed}/archive", {"reason": "Closed down"})

    mapped = api.client.get(f"{BASE}/assets", headers=api.as_("lead")).json()

    assert mapped["count"] == 3
    assert (mapped["by_category"]["venue"], mapped["by_category"]["volunteers"]) == (2, 1)
    assert mapped["by_category"]["funding"] == 0
    assert (mapped["by_sector"]["vcse"], mapped["by_sector"]["health"], mapped["by_sector"]["faith"]) == (
        2,
        1,
        0,
    )
    assert [(a["category"], a["stakeholder_name"]) for a in mapped["data"]] == [
        ("venue", "Food Bank"),
        ("venue", "Surgery"),
        ("volunteers", "Food Bank"),
    ]


# Merging, archiving, erasing


def test_a_merged_duplicate_points_at_the_stakeholder_it_became_part_of(api: Api) -> None:
    food_bank, duplicate = register(api, name="Food Bank"), register(api, name="Food Bank (dup)")

    answer = post(api, f"{duplicate}/merge", {"into_id": food_bank, "reason": "Same organisation"})

    assert answer.status_code == 200
    shown = read(api, duplicate)
    assert (shown["status"], shown["merged_into"]) == ("merged", food_bank)


def test_a_merge_into_itself_an_unknown_or_an_inactive_stakeholder_is_refused(api: Api) -> None:
    food_bank, closed = register(api, name="Food Bank"), register(api, name="Closed")
    post(api, f"{closed}/archive", {"reason": "Closed down"})

    itself = post(api, f"{food_bank}/merge", {"into_id": food_bank, "reason": "x"})
    unknown = post(api, f"{food_bank}/merge", {"into_id": UNKNOWN, "reason": "x"})
    inactive = post(api, f"{food_bank}/merge", {"into_id": closed, "reason": "x"})
    not_a_uuid = post(api, f"{food_bank}/merge", {"into_id": "closed", "reason": "x"})

    assert (itself.status_code, itself.json()["field"]) == (422, "target_id")
    assert unknown.status_code == 404
    assert inactive.status_code == 409
    assert (not_a_uuid.status_code, not_a_uuid.json()["problems"][0]["field"]) == (422, "into_id")


def test_an_archived_stakeholder_cannot_be_archived_again_or_changed(api: Api) -> None:
    food_bank = register(api)
    assert post(api, f"{food_bank}/archive", {"reason": "Closed down"}).status_code == 200

    again = post(api, f"{food_bank}/archive", {"reason": "Closed down"})
    renamed = api.client.patch(
        f"{STAKEHOLDERS}/{food_bank}", json={"name": "x"}, headers=api.as_("facilitator")
    )
    without_reason = post(api, f"{register(api)}/archive", {})

    assert (again.status_code, renamed.status_code) == (409, 409)
    assert "is archived" in again.json()["detail"]
    assert (without_reason.status_code, without_reason.json()["problems"][0]["field"]) == (422, "reason")
    assert read(api, food_bank)["status"] == "archived"


def test_an_administrator_erases_a_person_who_then_shows_as_erased_everywhere(api: Api) -> None:
    ann = register(api, kind="person", sector="lived_experience", name="Ann Smith", contact="ann@example.org")

    answer = post(api, f"{ann}/erase", {"reason": "Asked to be forgotten"}, role="administrator")

    assert answer.status_code == 200
    shown = read(api, ann)
    assert (shown["name"], shown["contact"], shown["notes"], shown["erased"]) == (
        "erased person",
        "",
        "",
        True,
    )
    assert names(listed(api)) == ["erased person"]
    assert [fact.actor for fact in api.runtime.views.history(ann)][-1] == "Ada Admin"


def test_only_an_administrator_erases_and_only_a_person_once(api: Api) -> None:
    ann = register(api, kind="person", sector="lived_experience", name="Ann Smith")
    food_bank = register(api)

    by_facilitator = post(api, f"{ann}/erase", {"reason": "x"})
    organisation = post(api, f"{food_bank}/erase", {"reason": "x"}, role="administrator")
    post(api, f"{ann}/erase", {"reason": "x"}, role="administrator")
    twice = post(api, f"{ann}/erase", {"reason": "x"}, role="administrator")
    renamed = api.client.patch(f"{STAKEHOLDERS}/{ann}", json={"name": "Ann"}, headers=api.as_("facilitator"))

    assert by_facilitator.status_code == 403
    assert (organisation.status_code, organisation.json()["field"]) == (422, "stakeholder_id")
    assert twice.status_code == 409
    assert (renamed.status_code, renamed.json()["field"]) == (422, "stakeholder_id")


@pytest.mark.parametrize("body", [None, [], "text", 7, {"reason": None}, {"reason": ["a"]}])
def test_a_body_of_the_wrong_shape_is_refused_not_failed(api: Api, body: Any) -> None:
    food_bank = register(api)

    answer = api.client.post(f"{STAKEHOLDERS}/{food_bank}/archive", json=body, headers=api.as_("facilitator"))

    assert answer.status_code == 422
