"""The benchmark suite at its smallest sizes, so that it cannot rot: every scenario runs
end to end and gives positive, finite figures. No timing is asserted here: the figures
of a shared, noisy machine belong in bench/RESULTS.md, not in a test.

The HTTP scenarios use the suite's Python load generator, so the tests do not need wrk;
the PostgreSQL scenarios and the first draw in Chromium are skipped without their server
or browser, except in CI (CI=true), where that fails.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import pytest

from bench.cli import run_suite
from bench.context import Sizes
from bench.report import Figure, markdown
from bench.scenarios import SCENARIOS

pytestmark = pytest.mark.slow

#: A scenario may be skipped when what it needs is missing here (never in CI).
MAY_BE_MISSING = ("PostgreSQL at 127.0.0.1:5432 is not reachable", "no Chromium at")


def _finite_and_positive(value: float | None) -> bool:
    return value is not None and math.isfinite(value) and value > 0


def _problems(figure: Figure) -> list[str]:
    if figure.skipped:
        missing = any(figure.skipped.startswith(reason) for reason in MAY_BE_MISSING)
        return [] if missing and os.environ.get("CI") != "true" else [f"{figure.scenario}: {figure.skipped}"]
    problems = [
        f"{figure.scenario}: run {value!r}" for value in figure.runs if not _finite_and_positive(value)
    ]
    if not figure.runs:
        problems.append(f"{figure.scenario}: no runs")
    if figure.baseline_name and not (
        figure.baseline_runs and all(_finite_and_positive(v) for v in figure.baseline_runs)
    ):
        problems.append(f"{figure.scenario}: baseline {figure.baseline_runs!r}")
    return problems


def test_every_scenario_of_the_suite_gives_positive_finite_figures(tmp_path: Path) -> None:
    outcome = run_suite(Sizes.quick(), runs=1, load="python", workdir=tmp_path, quick=True, log=False)

    assert not outcome.failed, markdown(outcome.figures)
    problems = [problem for figure in outcome.figures for problem in _problems(figure)]
    assert not problems, "\n".join(problems)
    names = " ".join(figure.scenario for figure in outcome.figures)
    for expected in ("bulk import", "command over HTTP", "read over HTTP", "rebuild", "restart", "memory"):
        assert expected in names
    assert len(outcome.figures) >= len(SCENARIOS)
    assert outcome.machine["cpus"] == str(os.cpu_count())
