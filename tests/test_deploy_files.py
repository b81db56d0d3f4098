"""What can be checked of docker-compose.yml and the Dockerfile without a Docker engine."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from service.console import cli

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
DOCKERFILE = (ROOT / "Dockerfile").read_text()


def _civicweave_commands() -> list[list[str]]:
    """Every civicweave command line the deployment files run."""
    lines: list[list[str]] = []
    for service in COMPOSE["services"].values():
        for key in ("command",):
            if isinstance(service.get(key), list) and service[key][0] == "civicweave":
                lines.append(service[key])
        test = service.get("healthcheck", {}).get("test", [])
        if len(test) > 1 and test[1] == "civicweave":
            lines.append(test[1:])
    cmd = re.search(r"^CMD (\[.*\])$", DOCKERFILE, re.MULTILINE)
    assert cmd is not None
    lines.append(yaml.safe_load(cmd.group(1)))
    return lines


def test_compose_runs_postgres_a_worker_and_the_api_with_health_checks() -> None:
    services: dict[str, Any] = COMPOSE["services"]
    assert set(services) == {"db", "worker", "api"}
    for name, service in services.items():
        assert "healthcheck" in service, f"{name} has no health check"
    assert services["worker"]["command"] == ["civicweave", "worker"]
    assert "--no-projector" in services["api"]["command"]
    assert services["api"]["depends_on"]["db"]["condition"] == "service_healthy"
    assert "civicweave-db" in COMPOSE["volumes"]
    assert services["db"]["volumes"] == ["civicweave-db:/var/lib/postgresql/data"]


@pytest.mark.parametrize("line", _civicweave_commands(), ids=lambda line: " ".join(line))
def test_every_command_the_deployment_runs_exists_in_the_cli(line: list[str]) -> None:
    arguments = [part for part in line[1:] if not part.startswith("${")]
    result = CliRunner().invoke(cli, [*arguments, "--help"])
    assert result.exit_code == 0, result.output


def test_the_deployment_files_hold_no_secrets() -> None:
    text = (ROOT / "docker-compose.yml").read_text()
    for match in re.finditer(r"(PASSWORD|SECRET|TOKEN)[A-Z_]*:\s*(\S+)", text):
        assert match.group(2).startswith("${"), f"a literal secret in docker-compose.yml: {match.group(0)}"
    assert re.search(r"postgresql://\w+:[^$@]+@", text) is None
    example = dict(
        line.split("=", 1)
        for line in (ROOT / ".env.example").read_text().splitlines()
        if "=" in line and not line.startswith("#")
    )
    assert example["POSTGRES_PASSWORD"] == ""
    assert ".env" in (ROOT / ".gitignore").read_text().split()


def test_the_dockerfile_installs_every_package_of_the_project() -> None:
    copied = {shlex.split(line)[1] for line in DOCKERFILE.splitlines() if line.startswith("COPY ")}
    for package in ("domain", "projections", "visualisations", "service", "pyproject.toml"):
        assert package in copied
    assert "RUN pip install ." in DOCKERFILE
    assert re.search(r"^USER (?!root)", DOCKERFILE, re.MULTILINE), "the image must not run as root"
