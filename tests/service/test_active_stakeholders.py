"""A server remembers which stakeholders are active (domain/references.py) and still
refuses, once the change is heard of, a commitment naming one merged away or archived,
whether this process or another one changed it; an API process beside a projector in
another process hears of changes where the database announces them (PostgreSQL)."""

from __future__ import annotations

import threading
from typing import Any
from uuid import UUID

import pytest

from domain.application import CivicWeave
from domain.persistence import environment
from domain.stakeholder import StakeholderInactiveError
from projections.projector import open_projector
from service.runtime import Runtime
from service.settings import Settings
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


def test_an_api_process_beside_a_projector_elsewhere_hears_it_where_the_database_can_tell(
    database_url: str,
) -> None:
    runtime = Runtime.open(Settings(database_url=database_url, projector=False))
    elsewhere = CivicWeave(environment(database_url))  # the worker process: its projector and its writes
    worker = open_projector(elsewhere, database_url)
    stop = threading.Event()
    following = threading.Thread(target=worker.run_forever, args=(stop,), kwargs={"poll_seconds": 0.05})
    following.start()
    app = runtime.app
    try:
        runtime.start()
        app.register_locality(HOME, "Riverside", actor="setup")
        council, nhs = (
            app.register_stakeholder(HOME, kind="organisation", sector="public", name=n, actor="setup")
            for n in ("Council", "NHS Trust")
        )
        for registered in (council, nhs):
            runtime.written(registered)  # heard of before the commitment loads them
        made = app.make_commitment(
            HOME, promisor_id=council.id, promisee_ids=[nhs.id], what="x", due=app.today(), actor="a"
        )
        assert runtime.written(made)["view_lag"] is False
        hears = database_url.startswith("postgresql")  # PostgreSQL announces; SQLite cannot
        assert app.active_stakeholders.knows(nhs.id, app.locality(HOME).id) is hears
        archived = elsewhere.archive_stakeholder(HOME, nhs.id, reason="Closed", actor="elsewhere")
        assert runtime.views.wait_for(archived.position, timeout=10)
        with pytest.raises(StakeholderInactiveError):
            app.make_commitment(
                HOME, promisor_id=council.id, promisee_ids=[nhs.id], what="x", due=app.today(), actor="a"
            )
    finally:
        stop.set()
        following.join(10)
        runtime.close()
        worker.close()
        elsewhere.close()
