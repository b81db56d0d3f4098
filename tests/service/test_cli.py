"""The civicweave command line, run with typer's CliRunner against SQLite files."""

from __future__ import annotations

import json
import shlex
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from domain.application import CivicWeave
from domain.persistence import environment
from service.console import cli
from service.demo import ROSTER

runner = CliRunner()
PEOPLE = [who.name for who in ROSTER if who.kind == "person"]


def run(url: str, command: str, *, columns: int = 80) -> Result:
    """``civicweave --database-url URL COMMAND`` in a terminal ``columns`` wide."""
    args = ["--database-url", url, *shlex.split(command)]
    return runner.invoke(cli, args, env={"COLUMNS": str(columns)})


def jsonl(result: Result) -> list[dict[str, Any]]:
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('cli') / 'demo.db'}"
    assert run(url, "demo").exit_code == 0
    return url


def test_demo_says_what_it_loaded_then_that_it_is_already_there(database_url: str) -> None:
    first = run(database_url, "demo")
    assert first.exit_code == 0, first.output
    assert "Loaded Riverside" in first.stdout
    assert "150" in first.stdout and "overdue" in first.stdout
    second = run(database_url, "demo")
    assert second.exit_code == 0, second.output
    assert "already loaded" in second.stdout


def test_the_database_url_option_also_works_after_the_command(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'after.db'}"
    created = runner.invoke(
        cli, [*shlex.split("locality create eastfield --name Eastfield"), "--database-url", url]
    )
    assert created.exit_code == 0, created.output
    assert [e["locality"] for e in jsonl(run(url, "events --format jsonl"))] == ["eastfield"]


def test_events_as_jsonl_are_one_json_object_per_event(demo_url: str) -> None:
    lines = jsonl(run(demo_url, "events --format jsonl"))
    with CivicWeave(environment(demo_url)) as app:
        assert len(lines) == app.recorder.max_notification_id()
    assert [line["position"] for line in lines] == sorted(line["position"] for line in lines)
    assert {line["locality"] for line in lines} == {"riverside"}
    keys = {"position", "recorded_at", "locality", "aggregate_type", "event_type", "actor", "effective"}
    assert all(keys | {"fields"} <= set(line) for line in lines)
    first = lines[0]
    assert (first["aggregate_type"], first["event_type"], first["actor"]) == (
        "Locality",
        "Registered",
        "demo",
    )
    assert datetime.fromisoformat(first["recorded_at"]).tzinfo is not None
    fulfilled = next(line for line in lines if line["event_type"] == "Fulfilled")
    assert fulfilled["effective"] == fulfilled["fields"]["on"]


def test_the_table_prints_a_header_and_one_line_per_event(demo_url: str) -> None:
    result = run(demo_url, "events --limit 25")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 26
    assert lines[0].split()[:2] == ["position", "recorded"]
    assert "riverside" in lines[1] and "Registered" in lines[1]


def test_events_filter_by_type_short_or_qualified(demo_url: str) -> None:
    short = jsonl(run(demo_url, "events --type Fulfilled --format jsonl"))
    qualified = jsonl(run(demo_url, "events --type commitment.fulfilled --format jsonl"))
    assert short == qualified
    assert short and {(e["aggregate_type"], e["event_type"]) for e in short} == {("Commitment", "Fulfilled")}
    both = jsonl(run(demo_url, "events --type Missed --type Withdrawn --format jsonl"))
    assert {e["event_type"] for e in both} == {"Missed", "Withdrawn"}
    assert len(jsonl(run(demo_url, "events --type Formed --limit 7 --format jsonl"))) == 7


def test_events_filter_by_locality_and_since(database_url: str) -> None:
    assert run(database_url, "demo").exit_code == 0
    since = datetime.now(UTC).isoformat()
    assert run(database_url, "locality create eastfield --name Eastfield").exit_code == 0
    added = run(
        database_url,
        "stakeholder add --locality eastfield --kind group --sector community_group --name 'Eastfield Allotments'",
    )
    assert added.exit_code == 0, added.output
    eastfield = jsonl(run(database_url, "events --locality eastfield --format jsonl"))
    assert [e["event_type"] for e in eastfield] == ["Registered", "Registered"]
    assert eastfield[1]["fields"]["name"] == "Eastfield Allotments"
    assert jsonl(run(database_url, f"events --since {since} --format jsonl")) == eastfield
    riverside = jsonl(run(database_url, "events --locality riverside --format jsonl"))
    assert len(riverside) > 500 and {e["locality"] for e in riverside} == {"riverside"}
    assert jsonl(run(database_url, "events --since 2999-01-01 --format jsonl")) == []


@pytest.mark.parametrize("format_", ["table", "jsonl"])
def test_events_never_show_a_persons_name_or_ciphertext(demo_url: str, format_: str) -> None:
    with CivicWeave(environment(demo_url)) as app:
        notifications = app.recorder.select_notifications(1, 100_000)
        sealed = [vars(app.mapper.to_domain_event(n)).get("sealed") for n in notifications]
    ciphertexts = [text for text in sealed if text]
    assert len(ciphertexts) == len(PEOPLE)
    result = run(demo_url, f"events --format {format_}")
    assert result.exit_code == 0
    assert "[sealed]" in result.stdout
    for secret in [*PEOPLE, *ciphertexts]:
        assert secret not in result.stdout


def test_stakeholders_are_added_and_listed_with_peoples_names_unsealed(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'list.db'}"
    assert run(url, "locality create eastfield --name Eastfield --region 'West Midlands'").exit_code == 0
    added = run(
        url, "stakeholder add --locality eastfield --kind person --sector lived_experience --name 'Jo Bloggs'"
    )
    assert added.exit_code == 0, added.output
    listed = run(url, "stakeholder list --locality eastfield", columns=200)
    assert listed.exit_code == 0, listed.output
    assert "Jo Bloggs" in listed.stdout and "lived_experience" in listed.stdout
    assert "Jo Bloggs" not in run(url, "events").stdout


def test_the_demo_lists_every_stakeholder(demo_url: str) -> None:
    listed = run(demo_url, "stakeholder list --locality riverside", columns=250)
    assert listed.exit_code == 0, listed.output
    assert "(68)" in listed.stdout
    assert "Riverside Food Bank" in listed.stdout and "Margaret Doyle" in listed.stdout
    assert "merged" in listed.stdout and "archived" in listed.stdout


@pytest.mark.parametrize(
    ("command", "message"),
    [
        ("locality create riverside --name Again", "already exists"),
        ("locality create 'Not A Slug' --name X", "lower-case letters"),
        ("stakeholder list --locality nowhere", "locality nowhere not found"),
        (
            "stakeholder add --locality riverside --kind robot --sector vcse --name X",
            "'robot' is not allowed",
        ),
        ("stakeholder add --locality riverside --kind group --sector pets --name X", "'pets' is not allowed"),
        ("events --locality nowhere", "locality nowhere not found"),
        ("events --type Fulfiled", "unknown event type Fulfiled"),
        ("events --since 'last week'", "ISO date"),
    ],
)
def test_errors_exit_2_with_a_message_not_a_traceback(demo_url: str, command: str, message: str) -> None:
    result = run(demo_url, command)
    assert result.exit_code == 2
    assert message in " ".join(result.stderr.split())
    assert "Traceback" not in result.output
