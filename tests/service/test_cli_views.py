"""The commands that read the views: figures, network, audit, diff, verify and erase."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from domain.application import CivicWeave
from domain.persistence import environment
from projections.projector import open_projector
from projections.reader import Reader
from projections.views import Views
from tests.service.test_cli import run


@pytest.fixture
def demo_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    assert run(url, "demo").exit_code == 0
    return url


def _reader(url: str) -> Reader:
    app = CivicWeave(environment(url))
    projector = open_projector(app, url)
    projector.catch_up()
    return Reader(Views(projector.views), today=app.today)


def test_figures_as_json_are_the_figures_the_reader_computes(demo_url: str) -> None:
    result = run(demo_url, "figures --locality riverside --as-of 2026-06-30 --format json")
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    expected = _reader(demo_url).figures("riverside", as_of=date(2026, 6, 30))
    assert figures["network"]["density"] == pytest.approx(expected["density"])
    assert figures["network"]["nodes"] == expected["nodes"]
    assert set(figures["accountability"]) >= {"made", "kept_rate", "on_time_rate", "followed_up"}
    assert 0 <= figures["participation"]["lived_experience_share"] <= 1


def test_figures_as_a_table_name_each_figure(demo_url: str) -> None:
    result = run(demo_url, "figures --locality riverside", columns=160)
    assert result.exit_code == 0, result.output
    for name in ("network.density", "network.cross_sector_share", "accountability.kept_rate"):
        assert name in result.stdout


def test_network_prints_node_link_json_of_the_chosen_graph(demo_url: str) -> None:
    result = run(demo_url, "network --locality riverside --graph tie")
    data = json.loads(result.stdout)
    tie = _reader(demo_url).network("riverside", graph="tie")
    assert len(data["nodes"]) == tie.number_of_nodes()
    assert len(data["links"]) == tie.number_of_edges()


def test_an_unknown_graph_or_bad_date_is_refused_with_the_option_named(demo_url: str) -> None:
    assert run(demo_url, "network --locality riverside --graph spaghetti").exit_code == 2
    bad = run(demo_url, "figures --locality riverside --as-of 31/12/2025")
    assert bad.exit_code == 2 and "--as-of" in bad.output


def test_audit_of_a_commitment_lists_its_events_in_order(demo_url: str) -> None:
    reader = _reader(demo_url)
    commitment = next(c for c in reader.state("riverside").commitments.values() if len(c.events) > 2)
    result = run(demo_url, f"audit commitment {commitment.id} --format json")
    trail = json.loads(result.stdout)
    assert [entry["position"] for entry in trail] == sorted(commitment.events)
    assert trail[0]["event"] == "Made" and trail[0]["actor"] == "demo"


def test_audit_of_an_id_of_another_kind_is_refused(demo_url: str) -> None:
    commitment = next(iter(_reader(demo_url).state("riverside").commitments))
    result = run(demo_url, f"audit meeting {commitment}")
    assert result.exit_code == 2 and "no meeting" in result.output


def test_diff_lists_ties_gained_with_the_events_behind_them(demo_url: str) -> None:
    result = run(demo_url, "diff --locality riverside --from 2025-01-01 --to 2026-11-01 --format json")
    diff = json.loads(result.stdout)
    assert diff["ties_gained"]
    assert all(tie["events"] for tie in diff["ties_gained"])
    assert run(demo_url, "diff --locality riverside --from 2026-01-01 --to 2025-01-01").exit_code == 2


def test_verify_passes_on_an_untouched_store_and_names_a_tampered_event(
    demo_url: str, tmp_path: Path
) -> None:
    clean = run(demo_url, "verify --locality riverside")
    assert clean.exit_code == 0 and "events verified" in clean.stdout
    with sqlite3.connect(tmp_path / "demo.db") as db:
        (state,) = db.execute("SELECT state FROM stored_events WHERE rowid = 42").fetchone()
        db.execute(
            "UPDATE stored_events SET state = ? WHERE rowid = 42", (state.replace(b'"demo"', b'"omed"'),)
        )
    tampered = run(demo_url, "verify")
    assert tampered.exit_code == 1
    assert "event 42" in tampered.output


def test_erase_removes_a_persons_name_from_every_view(demo_url: str) -> None:
    reader = _reader(demo_url)
    person = next(s for s in reader.state("riverside").stakeholders.values() if s.kind == "person")
    result = run(demo_url, f"erase stakeholder {person.id} --reason 'subject access request 17'")
    assert result.exit_code == 0, result.output
    after = _reader(demo_url).state("riverside").stakeholders[person.id]
    assert after.name == "erased person" and after.erased
    events = run(demo_url, "events --type PersonErased --format jsonl")
    assert person.name not in events.stdout and "subject access request 17" in events.stdout
