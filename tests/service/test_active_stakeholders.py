"""A server remembers which stakeholders are active (domain/references.py) and still
refuses, once the change is heard of, a commitment naming one merged away or archived,
whether this process or another one changed it."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.application import CivicWeave
from domain.persistence import environment
from tests.service.conftest import HOME, Api
from tests.service.test_api_commitments import BOARD, days, register


def _commit(api: Api, promisor: str, to: str) -> Any:
    body = {"promisor_id": promisor, "promisee_ids": [to], "what": "Open the hub", "due": days(30)}
    return api.client.post(BOARD, headers=api.as_("facilitator"), json=body)


def test_a_stakeholder_merged_away_here_is_refused_at_once(api: Api) -> None:
    council, food_bank, duplicate = (
        register(api, name) for name in ("Council", "Food Bank", "Food Bank (dup)")
    )
    assert _commit(api, council, duplicate).status_code == 201  # now remembered as active
    assert api.runtime.app.active_stakeholders.knows(UUID(duplicate), api.runtime.app.locality(HOME).id)
    answer = api.client.post(
        f"/api/v1/localities/{HOME}/stakeholders/{duplicate}/merge",
        headers=api.as_("facilitator"),
        json={"into_id": food_bank, "reason": "Same organisation"},
    )
    assert answer.status_code == 200, answer.text
    refused = _commit(api, council, duplicate)
    assert refused.status_code == 409, refused.text
    assert "merged" in refused.text


def test_a_stakeholder_archived_by_another_process_is_refused_once_the_views_include_it(api: Api) -> None:
    council, nhs = register(api, "Council"), register(api, "NHS Trust")
    assert _commit(api, council, nhs).status_code == 201
    other = CivicWeave(environment(api.runtime.settings.database_url))  # as another process would
    try:
        receipt = other.archive_stakeholder(HOME, UUID(nhs), reason="Closed", actor="elsewhere")
    finally:
        other.close()
    assert api.runtime.views.wait_for(receipt.position, timeout=10)  # the projector here applied it
    refused = _commit(api, council, nhs)
    assert refused.status_code == 409, refused.text
    assert "archived" in refused.text


def test_an_api_process_beside_a_separate_projector_remembers_nothing(api: Api) -> None:
    fresh = CivicWeave(environment(api.runtime.settings.database_url))  # no projector tells it of changes
    try:
        council, nhs = register(api, "Council"), register(api, "NHS Trust")
        fresh.make_commitment(
            HOME, promisor_id=UUID(council), promisee_ids=[UUID(nhs)], what="x", due=fresh.today(), actor="a"
        )
        assert not fresh.active_stakeholders.knows(UUID(council), fresh.locality(HOME).id)
    finally:
        fresh.close()
