"""Scale out on PostgreSQL: one projection worker, two API processes. Writes through one
are read through the other; the worker is stopped and restarted mid-stream and the views
converge with nothing lost or doubled."""

from __future__ import annotations

from pathlib import Path

import httpx
import psycopg
import pytest

from domain.application import CivicWeave
from domain.persistence import environment
from service.auth import TokenStore
from tests.e2e.servers import serving, start_worker, stop, working

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


def _stakeholder(http: httpx.Client, number: int) -> httpx.Response:
    return http.post(
        "/api/v1/localities/riverside/stakeholders",
        json={"kind": "organisation", "sector": "vcse", "name": f"Group {number:03d}"},
        headers={"Idempotency-Key": f"group-{number}"},
    )


def _facts(url: str) -> tuple[int, int, int]:
    with psycopg.connect(url) as connection:
        count, distinct, top = connection.execute(
            "SELECT COUNT(*), COUNT(DISTINCT position), MAX(position) FROM view_facts"
        ).fetchone()  # type: ignore[misc]
        return int(count), int(distinct), int(top)


def test_two_api_processes_and_a_restarted_worker_converge(fresh_postgres_url: str, tmp_path: Path) -> None:
    url = fresh_postgres_url
    # Create the event store's tables once, before several processes race to create them.
    CivicWeave(environment(url)).close()
    tokens = TokenStore(url)
    token = tokens.create(name="Scale Test", role="administrator", locality=None)
    tokens.close()
    with (
        working(url, tmp_path),
        serving(url, tmp_path, "--no-projector") as one,
        serving(url, tmp_path, "--no-projector") as two,
        one.client(token) as writer,
        two.client(token) as reader,
    ):
        created = writer.post("/api/v1/localities", json={"slug": "riverside", "name": "Riverside"})
        assert created.status_code == 201, created.text
        for number in range(10):
            assert _stakeholder(writer, number).status_code == 201
        # Read-your-writes across processes: the worker has projected what the first answered.
        assert reader.get("/api/v1/localities/riverside/stakeholders").json()["count"] == 10

    # With no worker the API still takes writes, and says the views lag.
    with serving(url, tmp_path, "--no-projector") as one, one.client(token) as writer:
        lagging = _stakeholder(writer, 10)
        assert lagging.status_code == 201 and lagging.json()["view_lag"] is True
        worker = start_worker(url, tmp_path)
        for number in range(11, 30):
            assert _stakeholder(writer, number).status_code == 201
            if number == 20:
                stop(worker, kill=True)  # a crash mid-stream
                worker = start_worker(url, tmp_path)
        assert writer.post("/api/v1/localities/riverside/stakeholders", json={}).status_code == 422
        retried = _stakeholder(writer, 29)
        assert retried.headers.get("Idempotent-Replayed") == "true"
        listed = writer.get("/api/v1/localities/riverside/stakeholders", params={"limit": 100}).json()
        stop(worker)

    assert listed["count"] == 30
    assert sorted(row["name"] for row in listed["data"]) == [f"Group {n:03d}" for n in range(30)]
    count, distinct, top = _facts(url)
    assert count == distinct == top == 31  # the locality and 30 stakeholders, each applied once
