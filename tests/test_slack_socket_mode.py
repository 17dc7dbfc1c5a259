"""The Slack bot in Socket Mode: events arrive over a websocket from the fake, acks go back."""

from collections.abc import AsyncIterator

import pytest
from pydantic import SecretStr

from bot.core.service import DealDesk
from bot.slack import build_app, connect_socket_mode
from config import Settings, SlackSettings
from config.errors import FrontEndStartError
from tests.conftest import make_settings
from tests.fakes.slack_api import BOT_USER_ID, FakeSlackAPI

BOT_TOKEN = "xoxb-3333-4444-botsecretvalue"
APP_TOKEN = "xapp-1-A0DEAL-5555-appsecretvalue"
CHANNEL = "CDEALS"


def mention(text: str, ts: str) -> dict[str, str]:
    return {
        "type": "app_mention",
        "user": "UASKER",
        "text": f"<@{BOT_USER_ID}> {text}",
        "ts": ts,
        "channel": CHANNEL,
    }


@pytest.fixture
async def fake_slack() -> AsyncIterator[FakeSlackAPI]:
    async with FakeSlackAPI(BOT_TOKEN, APP_TOKEN) as fake:
        yield fake


def socket_settings(fake: FakeSlackAPI) -> SlackSettings:
    return SlackSettings(
        bot_token=SecretStr(BOT_TOKEN),
        app_token=SecretStr(APP_TOKEN),
        api_base_url=fake.base_url,
        allowed_channels=[CHANNEL],
    )


async def test_socket_mode_answers_first_deliveries_and_skips_retries(
    sample_desk: DealDesk, sample_settings: Settings, fake_slack: FakeSlackAPI
) -> None:
    """A mention pushed over the socket is acked and answered in its thread; a redelivery
    (retry_attempt 1) is acked but not answered, while first deliveries (retry "0") are."""
    settings = make_settings(sample_settings.data_dir, slack=socket_settings(fake_slack))
    handler = await connect_socket_mode(build_app(settings, sample_desk), APP_TOKEN)
    try:
        [opened] = fake_slack.calls_to("apps.connections.open")
        assert opened.token == APP_TOKEN

        first = mention("Why did Alibaba invest in Amblin?", "1700001000.000100")
        await fake_slack.wait_for_ack(await fake_slack.push_event(first))
        [reply] = await fake_slack.wait_for("chat.postMessage", thread_ts=first["ts"])
        assert "Alibaba" in str(reply.args["blocks"])
        assert reply.token == BOT_TOKEN

        await fake_slack.wait_for_ack(await fake_slack.push_event(first, retry_attempt=1))
        second = mention("Warum investiert Alibaba in Amblin?", "1700001001.000100")
        await fake_slack.wait_for_ack(await fake_slack.push_event(second))
        await fake_slack.wait_for("reactions.remove", timestamp=second["ts"])
        assert len(fake_slack.calls_to("chat.postMessage", thread_ts=first["ts"])) == 1
        assert len(fake_slack.calls_to("reactions.add", timestamp=first["ts"])) == 1
    finally:
        await handler.close_async()


async def test_rejected_app_token_fails_start_up_without_showing_it(
    sample_desk: DealDesk, sample_settings: Settings, fake_slack: FakeSlackAPI
) -> None:
    """A wrong app token stops Socket Mode at once with Slack's reason, never with the token."""
    settings = make_settings(sample_settings.data_dir, slack=socket_settings(fake_slack))
    with pytest.raises(FrontEndStartError, match="DEALDESK_SLACK__APP_TOKEN") as caught:
        await connect_socket_mode(build_app(settings, sample_desk), "xapp-1-wrong-token")
    assert "xapp-1-wrong-token" not in str(caught.value)
    assert "invalid_auth" in str(caught.value)
