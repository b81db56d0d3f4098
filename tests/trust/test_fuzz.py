"""Fuzzing: schemathesis generates requests from the app's own OpenAPI document, sent with
an administrator's token to the Riverside demo; no answer is a 5xx, and every answer has
the status, content type and body the document promises."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from service.app import create_app
from service.demo import load_demo
from service.runtime import Runtime
from service.settings import Settings

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
HOME, PEERS = "riverside", "north"


@dataclass(frozen=True)
class Target:
    """The demo served, an administrator's headers, and the demo's real ids by path parameter."""

    app: FastAPI
    headers: dict[str, str]
    ids: dict[str, list[str]]

    def aim(self, path_parameters: dict[str, Any], path: str) -> None:
        """Point the request at the demo's locality (or peer network) and, for a generated
        id that starts with 0-7, at a real record: about half the requests reach one."""
        for name, value in path_parameters.items():
            if name == "slug":
                path_parameters[name] = PEERS if path.startswith("/api/v1/peer-networks") else HOME
            elif name == "locality":
                path_parameters[name] = HOME
            elif self.ids.get(name) and (key := _uuid(value)) is not None and key.hex[0] in "01234567":
                path_parameters[name] = self.ids[name][key.int % len(self.ids[name])]


def _uuid(value: Any) -> UUID | None:
    try:
        return UUID(str(value))
    except ValueError:
        return None


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Target]:
    directory: Path = tmp_path_factory.mktemp("fuzz")
    settings_ = Settings(database_url=f"sqlite:///{directory}/civicweave.db", log_level="warning")
    runtime = Runtime.open(settings_)
    load_demo(runtime.app, today=runtime.reader.today())
    runtime.app.create_peer_network(PEERS, "The North", actor="setup")
    runtime.app.join_peer_network(PEERS, HOME, actor="setup")
    token = runtime.tokens.create(name="Fuzz Admin", role="administrator", locality=None)
    app = create_app(settings_, runtime=runtime)
    with TestClient(app):
        runtime.projector.catch_up()
        state = runtime.reader.state(HOME)
        ids = {
            "stakeholder_id": list(state.stakeholders),
            "commitment_id": list(state.commitments),
            "meeting_id": list(state.meetings),
            "relationship_id": list(state.relationships),
            "plan_id": list(state.plans),
            "measure_id": list(state.measures),
            "asset_id": [key for s in state.stakeholders.values() for key in s.assets],
        }
        yield Target(app, {"Authorization": f"Bearer {token}"}, ids)
    runtime.close()


@pytest.fixture(scope="module")
def api_schema(target: Target) -> Any:
    return schemathesis.openapi.from_asgi("/openapi.json", target.app)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_generated_request_gets_a_5xx_or_an_answer_the_schema_does_not_promise(
    case: Any, target: Target
) -> None:
    if case.path_parameters:
        target.aim(case.path_parameters, case.operation.path)
    case.call_and_validate(headers=target.headers, checks=CHECKS)
