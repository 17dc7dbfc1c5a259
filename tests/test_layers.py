"""Dependencies point one way: bot -> vectorstore -> ingest -> config, and the core is pure."""

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
        if any(
            name == banned
            or name.startswith(banned + ".")
            or (banned.endswith("_") and name.startswith(banned))
            for banned in RULES[package]
        )
    ]
    assert offenders == []
