"""The Telegram adapter's small pure pieces: webhook paths and the menu's command table."""

import pytest

from bot.telegram import COMMANDS, webhook_path
from bot.telegram.handlers import COMMAND_TABLE


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("https://bot.example.org/telegram", "telegram"),
        ("https://bot.example.org/dealdesk/hook/", "dealdesk/hook"),
        ("https://bot.example.org", ""),
        ("https://bot.example.org:8443/tg?x=1", "tg"),
    ],
)
def test_webhook_listens_on_the_public_urls_path(url: str, path: str) -> None:
    """A reverse proxy can forward requests unchanged to the same path."""
    assert webhook_path(url) == path


def test_every_command_in_the_menu_has_a_handler() -> None:
    """The menu Telegram shows is built from the same table the handlers are registered from."""
    assert [c.command for c in COMMANDS] == [name for name, _, _ in COMMAND_TABLE]
    assert all(callable(handler) for _, handler, _ in COMMAND_TABLE)
