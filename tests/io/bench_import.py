"""The import benchmark (not a test; it belongs in bench/): bulk import of STAKEHOLDERS
stakeholders, then RELATIONSHIPS relationships, into a fresh SQLite store, printing rows/s
of planning (the dry run) and of writing, and the projector's catch-up afterwards.

    python -m tests.io.bench_import [STAKEHOLDERS] [RELATIONSHIPS] [BATCH_SIZE]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from domain.application import CivicWeave
from domain.persistence import environment
from projections.projector import open_projector
from projections.views import Views
from service.io.csv_import import ImportKind
from service.io.importing import plan_import, write_plan
from tests.io.generate import relationships_csv, stakeholders_csv


def main(stakeholders: int = 20_000, relationships: int = 100_000, batch_size: int = 500) -> None:
    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite:///{Path(directory) / 'bench.db'}"
        app = CivicWeave(environment(url))
        projector = open_projector(app, url)
        views = Views(projector.views)
        app.register_locality("bench", "Bench", actor="bench")
        projector.catch_up()
        for kind, rows, data in (
            (ImportKind.STAKEHOLDERS, stakeholders, stakeholders_csv(stakeholders)),
            (ImportKind.RELATIONSHIPS, relationships, relationships_csv(stakeholders, relationships)),
        ):
            started = time.perf_counter()
            plan = plan_import(kind, [(f"{kind.value}.csv", data)], views.state("bench"), today=app.today())
            planned = time.perf_counter()
            assert not plan.report.bad_rows, plan.report.bad_rows[:3]
            write_plan(app, "bench", plan, actor="bench", batch_size=batch_size)
            written = time.perf_counter()
            projector.catch_up()
            projected = time.perf_counter()
            print(
                f"{kind.value}: {rows:,} rows; dry run {planned - started:.1f} s ({rows / (planned - started):,.0f} rows/s); "
                f"write {written - planned:.1f} s ({rows / (written - planned):,.0f} rows/s); "
                f"views catch up {projected - written:.1f} s"
            )
        print(f"events: {app.recorder.max_notification_id():,}; batch size {batch_size}")
        projector.close()
        app.close()


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:]))
