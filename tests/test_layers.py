"""Dependencies point one way: bot -> vectorstore -> ingest -> config, the core is pure, no
import cycles, and no module grows past 400 lines."""

import ast
from pathlib import Path

import pytest

from tests.conftest import REPO

FRONT_END = (
    "telegram", "slack_bolt", "slack_sdk", "bot.telegram", "bot.slack", "bot.slack_events",
    "bot.console", "bot.filters", "bot.replies", "bot.ratelimit", "bot.logs", "bot.outage",
)  # fmt: skip
RULES = {
    "config": ("bot", "vectorstore", "ingest", *FRONT_END),
    "ingest": ("bot", "vectorstore", *FRONT_END),
    "vectorstore": ("bot", *FRONT_END),
    "bot/core": (*FRONT_END, "bot.format_", "bot.commands", "bot.cli"),
}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def _matches(name: str, banned: str) -> bool:
    """`bot` bans `bot` and `bot.x`; a trailing `_` (`bot.format_`) bans the prefix."""
    if banned.endswith("_"):
        return name.startswith(banned)
    return name == banned or name.startswith(banned + ".")


@pytest.mark.parametrize("package", sorted(RULES))
def test_package_does_not_import_upwards_or_front_ends(package: str) -> None:
    """No module of a lower layer imports a higher one, and the core imports no platform."""
    offenders = [
        f"{path.relative_to(REPO)} imports {name}"
        for path in sorted((REPO / package).rglob("*.py"))
        for name in _imports(path)
        if any(_matches(name, banned) for banned in RULES[package])
    ]
    assert offenders == []


PACKAGES = ("bot", "ingest", "vectorstore", "config")
MAX_LINES = 400


def _our_modules() -> dict[str, Path]:
    modules = {}
    for package in PACKAGES:
        for path in (REPO / package).rglob("*.py"):
            parts = path.relative_to(REPO).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            modules[name] = path
    return modules


def _dependencies(path: Path, modules: dict[str, Path]) -> set[str]:
    """Our modules that `path` imports, anywhere in it (lazy imports close cycles too);
    `from bot.core import models` depends on `bot.core.models`."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name in modules)
        elif isinstance(node, ast.ImportFrom) and node.module in modules:
            submodules = {f"{node.module}.{alias.name}" for alias in node.names}
            found.update(submodules & modules.keys() or {node.module})
    return found


def test_our_modules_import_each_other_without_cycles() -> None:
    """A cycle (answerers <-> llm was one) means two modules are really one job, or that a
    seam is missing; the composition root breaks them."""
    modules = _our_modules()
    graph = {name: _dependencies(path, modules) - {name} for name, path in modules.items()}
    cycles = []
    state: dict[str, int] = {}

    def visit(name: str, trail: list[str]) -> None:
        state[name] = 1
        for dependency in sorted(graph[name]):
            if state.get(dependency) == 1:
                cycles.append(" -> ".join([*trail[trail.index(dependency) :], dependency]))
            elif dependency not in state:
                visit(dependency, [*trail, dependency])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert cycles == []


def test_no_module_is_longer_than_400_lines() -> None:
    """Long modules do several jobs; split them by job instead."""
    long = {
        str(path.relative_to(REPO)): lines
        for path in _our_modules().values()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}
