"""The shipped Slack app manifest asks for what the bot uses, and no more."""

from typing import Any

import yaml

from tests.conftest import REPO

MANIFEST = REPO / "bot" / "slack_manifest.yaml"

# Each Web API method and event the bot relies on, with the bot scope Slack demands for it.
NEEDED_SCOPES = {
    "app_mention event": "app_mentions:read",
    "message.im event": "im:history",
    "chat.postMessage": "chat:write",
    "reactions.add / reactions.remove": "reactions:write",
}


def manifest() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    return loaded


def test_manifest_subscribes_to_mentions_and_direct_messages_only() -> None:
    """The bot hears @-mentions and DMs; it never receives every channel message."""
    events = manifest()["settings"]["event_subscriptions"]["bot_events"]
    assert sorted(events) == ["app_mention", "message.im"]


def test_manifest_scopes_are_exactly_the_ones_the_bot_needs() -> None:
    """Each requested scope serves a call or event the bot makes or handles."""
    scopes = manifest()["oauth_config"]["scopes"]["bot"]
    assert sorted(scopes) == sorted(set(NEEDED_SCOPES.values()))


def test_manifest_enables_socket_mode_and_the_dm_tab() -> None:
    """Socket Mode needs no public URL; the messages tab lets people DM the bot."""
    data = manifest()
    assert data["settings"]["socket_mode_enabled"] is True
    assert data["features"]["app_home"]["messages_tab_enabled"] is True
    assert data["features"]["app_home"]["messages_tab_read_only_enabled"] is False
