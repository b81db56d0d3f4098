"""The command line of the suite.

    python -m bench                  # the full run: about 20 minutes on 2 cores
    python -m bench --quick          # the smoke sizes: under a minute
    python -m bench --scale 0.1      # 100,000 events for the read-side scenarios
    python -m bench --only page --only figures-small

The table goes to standard output; a full run also writes it, with the machine, into
the generated part of bench/RESULTS.md and as JSON beside it (bench/results.json).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
import traceback
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench.context import Context, Sizes
from bench.report import Figure, machine, machine_markdown, markdown, plain_text, skipped
from bench.scenarios import SCENARIOS

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "RESULTS.md"
START, END = "<!-- generated table: start -->", "<!-- generated table: end -->"


@dataclass
class Outcome:
    figures: list[Figure]
    machine: dict[str, str]
    seconds: float
    failed: list[str]


def parse(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smallest sizes, one run each (the smoke test)")
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="fraction of the full 1,000,000 events for rebuild, restart and memory [1.0]",
    )
    parser.add_argument(
        "--runs", type=int, default=None, help="runs per figure (the median is shown) [3; quick 1]"
    )
    parser.add_argument("--only", action="append", choices=list(SCENARIOS), help="run only these scenarios")
    parser.add_argument(
        "--load",
        choices=("wrk", "python"),
        default="wrk",
        help="load generator for the HTTP scenarios; without wrk they are skipped [wrk]",
    )
    parser.add_argument("--workdir", type=Path, default=None, help="scratch directory [a temporary one]")
    parser.add_argument(
        "--results",
        type=Path,
        default=None,
        help="write the table into this Markdown file's generated part [bench/RESULTS.md on a full run]",
    )
    return parser.parse_args(argv)


def run_suite(
    sizes: Sizes,
    *,
    runs: int,
    load: str,
    workdir: Path,
    only: Sequence[str] | None = None,
    quick: bool = False,
    log: bool = True,
) -> Outcome:
    say = print if log else (lambda _: None)
    ctx = Context(sizes=sizes, runs=runs, load=load, workdir=workdir, quick=quick, log=say)
    figures: list[Figure] = []
    failed: list[str] = []
    started = time.perf_counter()
    for name, scenario in SCENARIOS.items():
        if only and name not in only:
            continue
        say(f"{name} ...")
        began = time.perf_counter()
        try:
            found = scenario(ctx)
        except Exception as error:  # one broken scenario must not hide the others' figures
            failed.append(name)
            say(traceback.format_exc())
            found = [skipped(name, f"FAILED: {type(error).__name__}: {error}")]
        figures += found
        say(f"{name}: {time.perf_counter() - began:.0f} s")
        for figure in found:
            say(
                f"  {figure.scenario}: {figure.measured} {figure.unit} (baseline {figure.baseline}, met {figure.met})"
            )
    info = machine({"runs per figure": str(runs), "load generator": load, "events": f"{sizes.events:,}"})
    return Outcome(figures, info, time.perf_counter() - started, failed)


def write_results(path: Path, outcome: Outcome, command: str) -> None:
    """Replace the generated part of the Markdown file (the rest is kept as written)."""
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    generated = "\n\n".join(
        [
            START,
            f"Run `{command}` on {when}, {outcome.seconds / 60:.1f} minutes.",
            markdown(outcome.figures),
            "Machine and versions:\n\n" + machine_markdown(outcome.machine),
            END,
        ]
    )
    text = path.read_text(encoding="utf-8") if path.exists() else f"# Benchmark results\n\n{START}\n{END}\n"
    if START not in text:
        text += f"\n{START}\n{END}\n"
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    path.write_text(head + generated + tail, encoding="utf-8")
    data = {
        "when": when,
        "command": command,
        "seconds": outcome.seconds,
        "machine": outcome.machine,
        "figures": [f.as_dict() for f in outcome.figures],
    }
    path.with_name("results.json").write_text(
        json.dumps(data, indent=2, default=str) + "\n", encoding="utf-8"
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(argv)
    sizes = Sizes.quick() if args.quick else Sizes.full(args.scale)
    runs = args.runs or (1 if args.quick else 3)
    with tempfile.TemporaryDirectory(prefix="civicweave-bench-") as scratch:
        workdir = args.workdir or Path(scratch)
        workdir.mkdir(parents=True, exist_ok=True)
        outcome = run_suite(
            sizes, runs=runs, load=args.load, workdir=workdir, only=args.only, quick=args.quick
        )
    print()
    print(plain_text(outcome.figures))
    print()
    print("\n".join(f"{k}: {v}" for k, v in outcome.machine.items()))
    print(f"\n{outcome.seconds / 60:.1f} minutes")
    full = not args.quick and not args.only and args.scale == 1.0
    target = args.results or (RESULTS if full else None)
    if target is not None:
        command = "python -m bench" + (" " + " ".join(argv) if argv else "")
        write_results(target, outcome, command.strip())
        print(f"written to {target}")
    return 1 if outcome.failed else 0
