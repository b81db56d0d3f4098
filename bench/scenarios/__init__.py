"""The scenarios of the suite, in the order they run: each takes the run's Context and
returns its rows of the table."""

from __future__ import annotations

from collections.abc import Callable

from bench.context import Context
from bench.report import Figure
from bench.scenarios import figures, http, imports, page, projection

Scenario = Callable[[Context], list[Figure]]

SCENARIOS: dict[str, Scenario] = {
    "import-sqlite": imports.sqlite,
    "import-postgres": imports.postgres,
    "command-sqlite": http.command_sqlite,
    "command-postgres": http.command_postgres,
    "read": http.reads,
    "rebuild": projection.rebuild,
    "restart": projection.restart,
    "figures-small": figures.small,
    "figures-large": figures.large,
    "page": page.page,
}
