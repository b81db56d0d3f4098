"""visualisations/ sits between projections and service: it must not know the web layer."""

from __future__ import annotations

import ast
from pathlib import Path

import visualisations

FORBIDDEN = {"fastapi", "starlette", "uvicorn", "service"}


def test_visualisations_imports_nothing_from_the_web_layer() -> None:
    package = Path(visualisations.__file__).parent
    imported = set()
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    assert imported & FORBIDDEN == set()
    assert "pyvis" in imported  # the scan sees real imports
