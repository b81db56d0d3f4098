"""The answers of the write routes, which the routes encode themselves (service/api/writes.py):
each is what the route's OpenAPI entry promises, with its status, and carries the new
version as ETag."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi.routing import APIRoute
from pydantic import BaseModel

from tests.service.conftest import HOME, Api
from tests.service.test_api_commitments import days, people, register
from tests.service.test_api_meetings import record

__all__ = ["people"]  # the fixture, used below

API = "/api/v1"


def declared(api: Api, method: str, template: str) -> APIRoute:
    """The app's route of ``method`` and ``template`` (under ``API``)."""
    app: Any = api.client.app
    (route,) = [
        r for r in app.routes if isinstance(r, APIRoute) and r.path == API + template and method in r.methods
    ]
    return route


def check(api: Api, answer: httpx.Response, method: str, template: str) -> dict[str, Any]:
    """The answer has the route's declared status and validates against its response model."""
    route = declared(api, method, template)
    assert answer.status_code == (route.status_code or 200), answer.text
    model = route.response_model
    assert isinstance(model, type) and issubclass(model, BaseModel)
    body: dict[str, Any] = answer.json()
    assert model.model_validate(body).model_dump(mode="json") == body
    assert answer.headers["content-type"] == "application/json"
    return body


def test_every_kind_of_write_answer_is_what_its_route_declares(api: Api, people: dict[str, str]) -> None:
    facilitator = api.as_("facilitator")
    base = f"{API}/localities/{HOME}"

    made = api.client.post(
        f"{base}/commitments",
        headers=facilitator,
        json={
            "promisor_id": people["council"],
            "promisee_ids": [people["nhs"]],
            "what": "Hub",
            "due": days(9),
        },
    )
    body = check(api, made, "POST", "/localities/{slug}/commitments")
    assert made.headers["etag"] == '"1"'
    assert body["version"] == 1 and body["view_lag"] is False and body["position"] > 0

    progressed = api.client.post(
        f"{base}/commitments/{body['id']}/progress",
        headers=api.as_("facilitator", **{"If-Match": '"1"'}),
        json={"note": "Venue found"},
    )
    assert (
        check(api, progressed, "POST", "/localities/{slug}/commitments/{commitment_id}/progress")["version"]
        == 2
    )
    assert progressed.headers["etag"] == '"2"'

    asset = api.client.post(
        f"{base}/stakeholders/{people['food_bank']}/assets",
        headers=facilitator,
        json={"category": "venue", "description": "Church hall"},
    )
    assert "asset_id" in check(api, asset, "POST", "/localities/{slug}/stakeholders/{stakeholder_id}/assets")

    recorded = api.client.post(f"{base}/meetings/record", headers=facilitator, json=record(people))
    meeting = check(api, recorded, "POST", "/localities/{slug}/meetings/record")
    assert len(meeting["commitments"]) == 2
    assert recorded.headers["etag"] == f'"{meeting["version"]}"'

    sector = api.client.post(
        f"{base}/sectors", headers=api.as_("administrator"), json={"sector": "arts", "label": "Arts"}
    )
    check(api, sector, "POST", "/localities/{slug}/sectors")


def test_a_write_is_answered_once_its_views_include_it(api: Api, people: dict[str, str]) -> None:
    stakeholder = register(api, "Riverside Arts Trust", "vcse")
    answer = api.client.post(
        f"{API}/localities/{HOME}/stakeholders/{stakeholder}/archive",
        headers=api.as_("facilitator"),
        json={"reason": "Closed"},
    )
    assert (
        check(api, answer, "POST", "/localities/{slug}/stakeholders/{stakeholder_id}/archive")["view_lag"]
        is False
    )
    shown = api.client.get(
        f"{API}/localities/{HOME}/stakeholders/{stakeholder}", headers=api.as_("facilitator")
    )
    assert shown.json()["status"] == "archived"
