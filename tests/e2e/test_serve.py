"""`civicweave serve` as a real process, talked to over HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.servers import serving

pytestmark = pytest.mark.slow


def test_serve_demo_prints_a_token_that_reads_and_writes_the_demo_locality(
    database_url: str, tmp_path: Path
) -> None:
    with serving(database_url, tmp_path, "--demo") as server, server.client() as http:
        localities = http.get("/api/v1/localities").json()
        assert [row["slug"] for row in localities] == ["riverside"]

        figures = http.get("/api/v1/localities/riverside/network/figures").json()
        assert figures["nodes"] >= 60

        created = http.post(
            "/api/v1/localities/riverside/stakeholders",
            json={"kind": "organisation", "sector": "vcse", "name": "Riverside Repair Cafe"},
            headers={"Idempotency-Key": "repair-cafe"},
        )
        assert created.status_code == 201, created.text
        assert created.json()["view_lag"] is False
        found = http.get("/api/v1/localities/riverside/stakeholders", params={"q": "repair cafe"}).json()
        assert [row["name"] for row in found["data"]] == ["Riverside Repair Cafe"]


def test_serve_demo_twice_on_the_same_store_loads_the_demo_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/civicweave.db"
    with serving(url, tmp_path, "--demo") as server, server.client() as http:
        first = http.get("/ready").json()["log_position"]
    with serving(url, tmp_path, "--demo") as server, server.client() as http:
        assert "already loaded" in server.output()
        assert http.get("/ready").json()["log_position"] == first
