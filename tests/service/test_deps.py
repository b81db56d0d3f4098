"""The shared dependencies (service/api/deps.py): who acts is the token's name, whether or
not the route had the token checked before asking."""

from __future__ import annotations

from typing import cast

from fastapi import FastAPI

from service.api.deps import ActorDep, PrincipalDep
from tests.service.conftest import Api


def test_the_actor_is_the_token_s_name_with_or_without_a_check_first(api: Api) -> None:
    app = cast(FastAPI, api.client.app)

    @app.get("/test/actor-alone")
    async def alone(actor: ActorDep) -> dict[str, str]:
        return {"actor": actor}

    @app.get("/test/actor-after")
    async def after(principal: PrincipalDep, actor: ActorDep) -> dict[str, str]:
        return {"actor": actor, "role": principal.role.value}

    assert api.client.get("/test/actor-alone", headers=api.as_("lead")).json() == {"actor": "Lee Lead"}
    assert api.client.get("/test/actor-after", headers=api.as_("facilitator")).json() == {
        "actor": "Fran Facilitator",
        "role": "facilitator",
    }
    assert api.client.get("/test/actor-alone").status_code == 401


def test_the_openapi_document_asks_for_a_bearer_token_where_one_is_needed(api: Api) -> None:
    document = api.client.get("/openapi.json").json()
    assert document["components"]["securitySchemes"]["bearer"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "A token made by `civicweave token create`",
    }
    make = document["paths"]["/api/v1/localities/{slug}/commitments"]["post"]
    assert make["security"] == [{"bearer": []}]
    assert "authorization" not in {parameter["name"].lower() for parameter in make["parameters"]}
    assert "security" not in document["paths"]["/health"]["get"]
