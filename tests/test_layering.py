"""Imports go one way: service -> visualisations -> projections -> domain; domain/ needs
only the standard library and eventsourcing."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("domain", "projections", "visualisations", "service")


def modules_of(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def imports_of(path: Path, root: Path = ROOT) -> set[str]:
    """The absolute dotted names a module imports, anywhere in it (also inside functions)."""
    package = list(path.relative_to(root).with_suffix("").parts)[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            found.add(".".join([*base, *([node.module] if node.module else [])]))
    return found


def top_level(name: str) -> str:
    return name.split(".")[0]


def test_the_import_walker_sees_absolute_relative_and_nested_imports(tmp_path: Path) -> None:
    module = tmp_path / "pkg" / "sub" / "mod.py"
    module.parent.mkdir(parents=True)
    module.write_text(
        "import os.path\n"
        "from . import sibling\n"
        "from ..other import thing\n"
        "def later():\n"
        "    from service.app import create\n",
        encoding="utf-8",
    )

    assert imports_of(module, tmp_path) == {"os.path", "pkg.sub", "pkg.other", "service.app"}
    assert "eventsourcing.domain" in imports_of(ROOT / "domain" / "base.py")


def test_the_domain_imports_only_the_standard_library_eventsourcing_and_itself() -> None:
    allowed = set(sys.stdlib_module_names) | {"__future__", "eventsourcing", "domain"}
    modules = modules_of("domain")
    assert len(modules) >= 10

    foreign = {
        f"{path.relative_to(ROOT)}: {name}"
        for path in modules
        for name in imports_of(path)
        if top_level(name) not in allowed
    }
    assert not foreign, "domain/ must not import these:\n" + "\n".join(sorted(foreign))


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        ("domain", {"projections", "visualisations", "service"}),
        ("projections", {"visualisations", "service"}),
        ("visualisations", {"service"}),
    ],
)
def test_imports_go_one_way_from_service_to_the_domain(package: str, forbidden: set[str]) -> None:
    wrong_way = {
        f"{path.relative_to(ROOT)}: {name}"
        for path in modules_of(package)
        for name in imports_of(path)
        if top_level(name) in forbidden
    }
    assert not wrong_way, f"{package}/ must not import these:\n" + "\n".join(sorted(wrong_way))
