"""``civicweave peer-network create|join|leave`` and ``civicweave compare``, on SQLite files."""

from __future__ import annotations

import csv
import io
import json
import shlex
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from domain.application import CivicWeave
from domain.persistence import environment
from projections.comparison import FIGURES
from service.console import cli
from tests.projections.peer_localities import NETWORK, SHAPES, Built, build_network

runner = CliRunner()
YEAR = "--from 2025-01-01 --to 2025-12-31"


def run(url: str, command: str, *, columns: int = 200) -> Result:
    """``civicweave --database-url URL COMMAND`` in a terminal ``columns`` wide."""
    return runner.invoke(cli, ["--database-url", url, *shlex.split(command)], env={"COLUMNS": str(columns)})


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, Built]]:
    url = f"sqlite:///{tmp_path_factory.mktemp('cli-peers') / 'peers.db'}"
    with CivicWeave(environment(url)) as app:
        built = build_network(app)
    return url, built


def test_create_join_and_leave_record_the_membership(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'peers.db'}"
    assert run(url, "locality create riverside --name Riverside").exit_code == 0

    created = run(url, "peer-network create north-west --name 'North West peers'")
    joined = run(url, "peer-network join north-west --locality riverside --on 2025-01-01")
    left = run(url, "peer-network leave north-west --locality riverside --on 2025-07-01")

    assert created.exit_code == joined.exit_code == left.exit_code == 0, (
        created.output + joined.output + left.output
    )
    assert "Established peer network north-west" in created.stdout
    assert "riverside joined north-west on 2025-01-01" in joined.stdout
    assert "riverside left north-west on 2025-07-01" in left.stdout
    with CivicWeave(environment(url)) as app:
        assert app.peer_network("north-west").spells == {"riverside": ((date(2025, 1, 1), date(2025, 7, 1)),)}


def test_joining_defaults_to_today(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'peers.db'}"
    run(url, "locality create riverside --name Riverside")
    run(url, "peer-network create north-west --name North")

    joined = run(url, "peer-network join north-west --locality riverside")

    assert joined.exit_code == 0, joined.output
    with CivicWeave(environment(url)) as app:
        assert app.peer_network("north-west").spells["riverside"] == ((app.today(), None),)


@pytest.mark.parametrize(
    ("command", "message"),
    [
        ("peer-network join nowhere --locality riverside", "peer network nowhere not found"),
        ("peer-network join north-west --locality nowhere", "locality nowhere not found"),
        ("peer-network leave north-west --locality riverside", "is not a member"),
        ("peer-network create north-west --name Again", "already exists"),
        ("compare --network nowhere", "peer network nowhere not found"),
    ],
)
def test_domain_errors_are_one_red_line(tmp_path: Path, command: str, message: str) -> None:
    url = f"sqlite:///{tmp_path / 'peers.db'}"
    run(url, "locality create riverside --name Riverside")
    run(url, "peer-network create north-west --name North")

    result = run(url, command)

    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.output


def test_a_date_that_is_not_a_date_is_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'peers.db'}"
    run(url, "locality create riverside --name Riverside")
    run(url, "peer-network create north-west --name North")

    result = run(url, "peer-network join north-west --locality riverside --on 1st-May")

    assert result.exit_code == 2
    assert "not a date" in result.output


def test_compare_as_json_is_the_comparison_with_every_small_count_suppressed(
    world: tuple[str, dict[str, Built]],
) -> None:
    url, _ = world
    result = run(url, f"compare --network {NETWORK} {YEAR} --format json")

    assert result.exit_code == 0, result.output
    comparison = json.loads(result.stdout)
    assert comparison["period"] == {"from": "2025-01-01", "to": "2025-12-31"}
    assert comparison["viewer"] is None
    rows = {r["slug"]: r for r in comparison["localities"]}
    assert list(rows) == [shape.slug for shape in SHAPES]
    assert rows["ashby"]["values"]["stakeholders.housing"] == "fewer than 5"
    assert rows["dunmore"]["values"]["stakeholders"] == 26


def test_compare_for_a_locality_shows_its_own_numbers_exactly(world: tuple[str, dict[str, Built]]) -> None:
    url, _ = world
    result = run(url, f"compare --network {NETWORK} {YEAR} --format json --locality ashby")

    rows = {r["slug"]: r for r in json.loads(result.stdout)["localities"]}
    assert rows["ashby"]["own"] and rows["ashby"]["values"]["stakeholders.housing"] == 2
    assert rows["brook"]["values"]["stakeholders"] == "fewer than 5"


def test_compare_as_csv_has_a_row_per_locality_and_the_median(world: tuple[str, dict[str, Built]]) -> None:
    url, _ = world
    result = run(url, f"compare --network {NETWORK} {YEAR} --format csv")

    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["locality"] for r in rows] == [*(shape.slug for shape in SHAPES), "network median"]
    assert rows[-1]["stakeholders"] == "14"


def test_compare_as_a_table_has_a_row_per_figure_and_a_column_per_locality(
    world: tuple[str, dict[str, Built]],
) -> None:
    url, _ = world
    result = run(url, f"compare --network {NETWORK} {YEAR} --locality brook", columns=250)

    assert result.exit_code == 0, result.output
    assert "North peers: 2025-01-01 to 2025-12-31" in result.stdout
    assert "brook *" in result.stdout
    for figure in ("Density", "Kept rate", "Renegotiations", "Meetings held"):
        assert figure in result.stdout
    assert "fewer than 5" in result.stdout
    assert len([line for line in result.stdout.splitlines() if "│" in line]) >= len(FIGURES)


def test_compare_refuses_a_period_that_runs_backwards(world: tuple[str, dict[str, Built]]) -> None:
    url, _ = world
    result = run(url, f"compare --network {NETWORK} --from 2025-02-01 --to 2025-01-01")

    assert result.exit_code == 2
    assert "after the end of the period" in result.stderr


def test_no_cli_comparison_holds_a_stakeholder_name_id_or_words(world: tuple[str, dict[str, Built]]) -> None:
    url, built = world
    outputs = [
        run(url, f"compare --network {NETWORK} {YEAR} --format {output}").stdout
        for output in ("json", "csv", "table")
    ]

    text = "".join(outputs)
    for locality in built.values():
        for secret in [*locality.names, *map(str, locality.everyone), *locality.texts]:
            assert secret not in text
