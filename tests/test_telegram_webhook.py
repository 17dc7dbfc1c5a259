"""Webhook mode: PTB's webhook server in front of our handlers, guarded by the secret header."""

from collections.abc import AsyncIterator

import httpx
import pytest

from bot.core.service import DealDesk
from bot.telegram import BotOptions, build_application
from config.settings import TelegramSettings
from tests.fakes.telegram_api import FakeTelegramAPI, fake_telegram, free_port, webhook

TOKEN = "987654321:AAWebhook-token-that-must-never-be-logged"
SECRET = "s3cret-Header_value"
QUESTION = "Why did Alibaba invest in Amblin?"


@pytest.fixture
async def api() -> AsyncIterator[FakeTelegramAPI]:
    async with fake_telegram(TOKEN) as server:
        yield server


async def post_update(port: int, update: dict[str, object], secret: str | None) -> int:
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
    async with httpx.AsyncClient() as client:
        response = await client.post(
            f"http://127.0.0.1:{port}/tg/hook", json=update, headers=headers
        )
    return response.status_code


@pytest.mark.parametrize("secret", ["wrong-secret", None])
async def test_webhook_rejects_updates_without_the_right_secret(
    api: FakeTelegramAPI, sample_desk: DealDesk, secret: str | None
) -> None:
    """A post with a wrong or missing secret header gets 403 and the bot does nothing."""
    port = free_port()
    settings = TelegramSettings(token=TOKEN, api_base_url=api.base_url, webhook_secret=SECRET)
    app = build_application(sample_desk, settings, BotOptions())
    async with webhook(app, port, "tg/hook", SECRET):
        forged = {"update_id": 1, "message": api.user_message(401, QUESTION)}
        status = await post_update(port, forged, secret)
        check = {"update_id": 2, "message": api.user_message(402, "/help")}
        assert await post_update(port, check, SECRET) == 200
        await api.wait_for_messages(402)
    assert status == 403
    assert api.messages_to(401) == []
    assert [c["chat_id"] for c in api.calls_to("sendChatAction")] == []


async def test_webhook_update_with_the_right_secret_is_answered(
    api: FakeTelegramAPI, sample_desk: DealDesk
) -> None:
    """Telegram's post, carrying the configured secret, gets a cited answer; setWebhook had it."""
    port = free_port()
    settings = TelegramSettings(token=TOKEN, api_base_url=api.base_url, webhook_secret=SECRET)
    app = build_application(sample_desk, settings, BotOptions())
    async with webhook(app, port, "tg/hook", SECRET):
        question = api.user_message(403, QUESTION)
        status = await post_update(port, {"update_id": 1, "message": question}, SECRET)
        [reply] = await api.wait_for_messages(403)
    assert status == 200
    assert reply["reply_parameters"]["message_id"] == question["message_id"]
    assert "Alibaba steigt ins Filmgeschäft ein" in reply["text"]
    [registered] = api.calls_to("setWebhook")
    assert registered["url"] == f"http://127.0.0.1:{port}/tg/hook"
    assert registered["secret_token"] == SECRET
