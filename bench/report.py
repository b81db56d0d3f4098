"""The table of figures: each measured figure beside its baseline from the same run, the
ratio, the target and whether it was met; plus the machine and the versions.

A :class:`Figure` holds the median of its runs. Its target is a ratio bound
(``ratio >= 0.5``, ``ratio <= 0.1``) or an absolute bound on the measured value
(``value <= 50`` in the figure's unit); a figure that could not be measured carries the
reason instead (``skipped``).
"""

from __future__ import annotations

import math
import os
import platform
import sqlite3
import statistics
import subprocess
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from importlib import metadata
from typing import Any, Literal

Bound = Literal["ratio>=", "ratio<=", "value<=", "value>="]


@dataclass(frozen=True)
class Target:
    bound: Bound
    limit: float

    def met(self, value: float, ratio: float | None) -> bool | None:
        subject = value if self.bound.startswith("value") else ratio
        if subject is None or not math.isfinite(subject):
            return None
        return subject >= self.limit if self.bound.endswith(">=") else subject <= self.limit

    def __str__(self) -> str:
        what, op = self.bound[:-2], self.bound[-2:]
        return f"{what} {op.replace('>=', '≥').replace('<=', '≤')} {self.limit:g}"


@dataclass
class Figure:
    """One row of the table."""

    scenario: str
    unit: str
    runs: list[float] = field(default_factory=list)
    baseline_name: str = ""
    baseline_runs: list[float] = field(default_factory=list)
    target: Target | None = None
    note: str = ""
    skipped: str = ""

    @property
    def measured(self) -> float | None:
        return statistics.median(self.runs) if self.runs else None

    @property
    def baseline(self) -> float | None:
        return statistics.median(self.baseline_runs) if self.baseline_runs else None

    @property
    def ratio(self) -> float | None:
        if self.measured is None or not self.baseline:
            return None
        return self.measured / self.baseline

    @property
    def met(self) -> bool | None:
        if self.target is None or self.measured is None:
            return None
        return self.target.met(self.measured, self.ratio)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.update(
            target=str(self.target) if self.target else None,
            measured=self.measured,
            baseline=self.baseline,
            ratio=self.ratio,
            met=self.met,
        )
        return data


def skipped(scenario: str, reason: str) -> Figure:
    return Figure(scenario=scenario, unit="", skipped=reason)


def _number(value: float | None, unit: str = "") -> str:
    if value is None:
        return "-"
    if abs(value) >= 1000:
        text = f"{value:,.0f}"
    elif abs(value) >= 10:
        text = f"{value:.1f}"
    elif abs(value) >= 0.01 or value == 0:
        text = f"{value:.3g}"
    else:
        text = f"{value:.2e}"
    return f"{text} {unit}".strip()


def _met(figure: Figure) -> str:
    if figure.skipped:
        return "skipped"
    return {True: "yes", False: "**NO**", None: "-"}[figure.met]


HEADER = ("scenario", "measured", "baseline (same run)", "ratio", "target", "met?", "runs", "notes")


def rows(figures: Sequence[Figure]) -> list[tuple[str, ...]]:
    table: list[tuple[str, ...]] = []
    for f in figures:
        if f.skipped:
            table.append((f.scenario, "-", "-", "-", "-", "skipped", "0", f.skipped))
            continue
        baseline = f"{_number(f.baseline, f.unit)} ({f.baseline_name})" if f.baseline_name else "-"
        ratio = "-" if f.ratio is None else f"{f.ratio:.3g}"
        table.append(
            (
                f.scenario,
                _number(f.measured, f.unit),
                baseline,
                ratio,
                str(f.target) if f.target else "-",
                _met(f),
                f"{len(f.runs)}/{len(f.baseline_runs)}" if f.baseline_runs else str(len(f.runs)),
                f.note,
            )
        )
    return table


def markdown(figures: Sequence[Figure]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    for row in rows(figures):
        lines.append("| " + " | ".join(cell.replace("|", "/") for cell in row) + " |")
    return "\n".join(lines)


def plain_text(figures: Sequence[Figure]) -> str:
    table = [HEADER, *rows(figures)]
    widths = [min(60, max(len(row[i]) for row in table)) for i in range(len(HEADER))]
    out = []
    for number, row in enumerate(table):
        out.append("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
        if number == 0:
            out.append("  ".join("-" * width for width in widths))
    return "\n".join(out)


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _command_output(*command: str) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return "not found"
    return (done.stdout or done.stderr).strip().splitlines()[0] if (done.stdout or done.stderr) else "?"


def machine(extra: dict[str, str] | None = None) -> dict[str, str]:
    """Where and with what the figures were measured."""
    info = {
        "cpus": str(os.cpu_count()),
        "cpus usable": str(len(os.sched_getaffinity(0))) if hasattr(os, "sched_getaffinity") else "?",
        "machine": f"{platform.system()} {platform.release()} {platform.machine()}",
        "processor": platform.processor() or _cpu_model(),
        "memory": _memory(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
    }
    for package in (
        "eventsourcing",
        "networkx",
        "igraph",
        "pyvis",
        "fastapi",
        "uvicorn",
        "httptools",
        "uvloop",
        "psycopg",
        "orjson",
        "playwright",
    ):
        info[package] = _version(package)
    info["wrk"] = _command_output("wrk", "--version")
    info["chromium"] = _command_output("/usr/bin/chromium", "--version")
    info.update(extra or {})
    return info


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "?"


def _memory() -> str:
    try:
        with open("/proc/meminfo", encoding="utf-8") as meminfo:
            kib = int(meminfo.readline().split()[1])
        return f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        return "?"


def machine_markdown(info: dict[str, str]) -> str:
    return "\n".join(f"- {key}: {value}" for key, value in info.items())
