"""``civicweave import``, ``export``, ``backup`` and ``restore``, run with typer's CliRunner."""

from __future__ import annotations

import io
import json
import shlex
import stat
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner, Result

from service.console import cli
from tests.io.test_csv_import import RELATIONSHIPS, STAKEHOLDERS

runner = CliRunner()


def run(url: str, command: str) -> Result:
    return runner.invoke(cli, ["--database-url", url, *shlex.split(command)], env={"COLUMNS": "200"})


@pytest.fixture
def url(tmp_path: Path) -> str:
    address = f"sqlite:///{tmp_path / 'cli.db'}"
    assert run(address, "locality create testville --name Testville").exit_code == 0
    return address


def files(tmp_path: Path, **contents: str) -> dict[str, Path]:
    paths = {}
    for name, text in contents.items():
        paths[name] = tmp_path / f"{name}.csv"
        paths[name].write_text(text, encoding="utf-8")
    return paths


def stakeholder_count(url: str) -> int:
    result = run(url, "events --format jsonl --type Stakeholder.Registered")
    return len(result.stdout.splitlines())


def test_a_dry_run_prints_what_would_be_added_and_writes_nothing(url: str, tmp_path: Path) -> None:
    paths = files(tmp_path, s=STAKEHOLDERS)

    result = run(url, f"import stakeholders {paths['s']} --locality testville --dry-run")

    assert result.exit_code == 0, result.output
    assert "Dry run: nothing written." in result.stdout
    assert "+ stakeholders: Riverside Food Bank (organisation, vcse) with 2 assets" in result.stdout
    assert stakeholder_count(url) == 0


def test_bad_rows_are_printed_and_nothing_is_written_unless_they_are_skipped(
    url: str, tmp_path: Path
) -> None:
    paths = files(tmp_path, s=STAKEHOLDERS + "Robot Co,robot,vcse,,,\n")

    refused = run(url, f"import stakeholders {paths['s']} --locality testville")

    assert refused.exit_code == 1
    assert "1 bad rows: nothing written." in refused.stdout
    assert "robot" in refused.stdout and "organisation, group, person" in refused.stdout
    assert stakeholder_count(url) == 0

    skipped = run(url, f"import stakeholders {paths['s']} --locality testville --skip-bad-rows")

    assert skipped.exit_code == 0, skipped.output
    assert "Added 4 stakeholders, 3 assets" in skipped.stdout and "rows/s" in skipped.stdout
    assert stakeholder_count(url) == 4


def test_a_reimport_says_there_is_nothing_new(url: str, tmp_path: Path) -> None:
    paths = files(tmp_path, s=STAKEHOLDERS, r=RELATIONSHIPS)
    for kind in ("stakeholders", "relationships"):
        assert run(url, f"import {kind} {paths[kind[0]]} --locality testville").exit_code == 0

    again = run(url, f"import relationships {paths['r']} --locality testville")

    assert again.exit_code == 0 and "Nothing new to add." in again.stdout


def test_an_unknown_locality_is_a_clear_error(url: str, tmp_path: Path) -> None:
    paths = files(tmp_path, s=STAKEHOLDERS)

    result = run(url, f"import stakeholders {paths['s']} --locality nowhere")

    assert result.exit_code == 2 and "locality nowhere not found" in result.output


def test_exports_go_to_a_file_or_to_standard_output(url: str, tmp_path: Path) -> None:
    paths = files(tmp_path, s=STAKEHOLDERS, r=RELATIONSHIPS)
    run(url, f"import stakeholders {paths['s']} --locality testville")
    run(url, f"import relationships {paths['r']} --locality testville")
    target = tmp_path / "net.graphml"

    written = run(url, f"export graphml --locality testville --as-of 2023-04-01 --output {target}")
    printed = run(url, "export json --locality testville --as-of 2023-04-01 --graph tie")

    assert written.exit_code == 0, written.output
    graph = nx.read_graphml(target)
    assert graph.number_of_nodes() == 4 and graph.number_of_edges() == 3
    assert len(json.loads(printed.stdout)["links"]) == 3
    bad = run(url, "export gexf --locality testville --as-of 1/4/2023")
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.output


def test_backup_then_restore_moves_the_store(url: str, tmp_path: Path) -> None:
    paths = files(tmp_path, s=STAKEHOLDERS)
    run(url, f"import stakeholders {paths['s']} --locality testville")
    target = tmp_path / "backup.jsonl"
    copy = f"sqlite:///{tmp_path / 'copy.db'}"

    backed_up = run(url, f"backup {target}")
    restored = run(copy, f"restore {target}")

    assert backed_up.exit_code == 0, backed_up.output
    assert "person keys" in backed_up.stdout and "keep it safe" in backed_up.stdout
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert restored.exit_code == 0, restored.output
    assert "the log matches the backup" in restored.stdout
    assert stakeholder_count(copy) == 4
    nodes = run(copy, "export nodes-csv --locality testville")
    assert "Mary Jones" in nodes.stdout_bytes.decode("utf-8-sig")
    assert run(url, f"backup {target}").exit_code == 2  # never overwrites a backup
    again = run(copy, f"restore {target}")
    assert again.exit_code == 2 and "the store is not empty" in again.output
    assert not list(tmp_path.glob("*.partial"))
    assert io.BytesIO(target.read_bytes()).readline().startswith(b'{"format":"civicweave-backup"')
