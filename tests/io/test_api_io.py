"""Imports (multipart uploads, a dry run unless commit=true) and exports through the API."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.runtime import Runtime
from service.settings import Settings
from tests.io.test_csv_import import RELATIONSHIPS, STAKEHOLDERS

BASE = "/api/v1/localities/testville"


class Client:
    def __init__(self, client: TestClient, tokens: dict[str, str]) -> None:
        self.client, self.tokens = client, tokens

    def upload(self, kind: str, *files: tuple[str, str], role: str = "facilitator", **params: Any) -> Any:
        multipart = [("files", (name, text.encode("utf-8"), "text/csv")) for name, text in files]
        return self.client.post(
            f"{BASE}/import/{kind}",
            files=multipart,
            params=params,
            headers={"Authorization": f"Bearer {self.tokens[role]}"},
        )

    def download(self, fmt: str, role: str = "lead", **params: Any) -> Any:
        return self.client.get(
            f"{BASE}/export/{fmt}", params=params, headers={"Authorization": f"Bearer {self.tokens[role]}"}
        )


@pytest.fixture
def api(tmp_path: Path) -> Iterator[Client]:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'api.db'}")
    runtime = Runtime.open(settings)
    with TestClient(create_app(settings, runtime=runtime)) as client:
        runtime.app.register_locality("testville", "Testville", actor="setup")
        runtime.app.register_locality("elsewhere", "Elsewhere", actor="setup")
        tokens = {
            role: runtime.tokens.create(name=f"{role} token", role=role, locality="testville")
            for role in ("facilitator", "lead", "peer")
        }
        tokens["stranger"] = runtime.tokens.create(name="stranger", role="facilitator", locality="elsewhere")
        runtime.projector.catch_up()
        yield Client(client, tokens)
    runtime.close()


def test_an_upload_is_a_dry_run_unless_commit_is_asked_for(api: Client) -> None:
    dry = api.upload("stakeholders", ("s.csv", "\ufeff" + STAKEHOLDERS))

    assert dry.status_code == 200, dry.text
    report = dry.json()
    assert report["to_add"]["stakeholders"] == 4 and not report["written"]
    assert api.download("nodes-csv").text.count("\n") == 1  # the header only: nothing was written

    done = api.upload("stakeholders", ("s.csv", STAKEHOLDERS), commit=True)

    assert done.status_code == 200, done.text
    assert done.json()["written"] and done.json()["position"] and not done.json()["view_lag"]
    rows = list(csv.DictReader(io.StringIO(api.download("nodes-csv").content.decode("utf-8-sig"))))
    assert sorted(row["label"] for row in rows) == [
        "Mary Jones",
        "Riverside Council",
        "Riverside Food Bank",
        "St Mark's Church",
    ]


def test_bad_rows_come_back_with_file_line_column_and_what_is_allowed(api: Client) -> None:
    data = STAKEHOLDERS + "Robot Co,robot,vcse,,,\n"

    refused = api.upload("stakeholders", ("s.csv", data), commit=True)

    assert refused.status_code == 422
    body = refused.json()
    assert body["error"] == "invalid" and "skip_bad_rows" in body["detail"]
    (problem,) = body["report"]["bad_rows"]
    assert problem == {
        "file": "s.csv",
        "line": 6,
        "column": "kind",
        "value": "robot",
        "problem": "not one of the allowed values",
        "allowed": "organisation, group, person",
    }
    skipped = api.upload("stakeholders", ("s.csv", data), commit=True, skip_bad_rows=True)
    assert skipped.status_code == 200 and skipped.json()["to_add"]["stakeholders"] == 4


def test_several_files_of_a_kumu_map_are_uploaded_together(api: Client) -> None:
    elements = "Label,Type\nFood Bank,charity\nCouncil,council\n"
    connections = "From,To,Type\nCouncil,Food Bank,funding\n"

    answer = api.upload("kumu", ("Connections.csv", connections), ("Elements.csv", elements), commit=True)

    assert answer.status_code == 200, answer.text
    assert answer.json()["to_add"] == {
        "stakeholders": 2,
        "assets": 0,
        "relationships": 1,
        "meetings": 0,
        "attendances": 0,
        "commitments": 0,
    }


@pytest.mark.parametrize(("role", "status"), [("lead", 403), ("peer", 403), ("stranger", 404)])
def test_only_a_write_role_of_the_locality_may_import(api: Client, role: str, status: int) -> None:
    assert api.upload("stakeholders", ("s.csv", STAKEHOLDERS), role=role).status_code == status


@pytest.mark.parametrize(
    ("role", "status"), [("facilitator", 200), ("lead", 200), ("peer", 403), ("stranger", 404)]
)
def test_exports_need_a_read_role_of_the_locality(api: Client, role: str, status: int) -> None:
    assert api.download("graphml", role=role).status_code == status


def test_exports_are_files_named_for_the_locality_and_day(api: Client) -> None:
    api.upload("stakeholders", ("s.csv", STAKEHOLDERS), commit=True)
    api.upload("relationships", ("r.csv", RELATIONSHIPS), commit=True)

    graphml = api.download("graphml", as_of="2023-04-01", graph="tie")
    gexf = api.download("gexf")
    audit = api.download("audit-csv")

    assert graphml.headers["content-type"] == "application/graphml+xml"
    assert (
        graphml.headers["content-disposition"]
        == 'attachment; filename="testville-graphml-2023-04-01.graphml"'
    )
    assert nx.read_graphml(io.BytesIO(graphml.content)).number_of_edges() == 3
    assert nx.read_gexf(io.BytesIO(gexf.content)).number_of_edges() == 3
    assert audit.headers["content-type"] == "text/csv; charset=utf-8"
    lines = audit.content.decode("utf-8-sig").splitlines()
    # the header, the locality, 4 stakeholders, 3 assets, 3 relationships, 1 of them ended
    assert len(lines) == 1 + 1 + 4 + 3 + 3 + 1
    assert api.download("pdf").status_code == 422
