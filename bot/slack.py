"""Slack front end on Bolt's AsyncApp: mentions are answered in their thread, DMs in the DM.

Run it with `dealdesk slack` (see docs/slack.md). With DEALDESK_SLACK__APP_TOKEN set it connects
in Socket Mode; otherwise it serves Slack's Events API at /slack/events. Handlers only translate:
event -> `DealDesk.ask` -> Block Kit; Bolt acks each event before the answer is worked out.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from aiohttp import ClientError, web
from pydantic import SecretStr
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.core.service import DealDesk
from bot.format_slack import (
    SlackMessage,
    answer_messages,
    error_message,
    help_message,
    question_text,
)
from config import Settings
from config.errors import FrontEndStartError
from ingest.language import detect_language

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
WORKING_REACTION = "eyes"


def _secret(value: SecretStr | None) -> str | None:
    return value.get_secret_value() if value else None


def conversation_id(channel: str, thread_ts: str | None) -> str:
    """A thread is one conversation; so is the top level of a DM."""
    return f"slack:{channel}:{thread_ts}" if thread_ts else f"slack:{channel}"


def is_retry(headers: Mapping[str, Sequence[str]]) -> bool:
    """Slack redelivers events it thinks were lost; the first delivery is already answered.
    Bolt sets the header to "0" for first deliveries in Socket Mode, so presence means nothing."""
    value = headers.get("x-slack-retry-num") or ["0"]
    try:
        return int(value[0]) > 0
    except ValueError:
        return False


def is_allowed(channel: str, channel_type: str | None, allowed: Sequence[str]) -> bool:
    """DMs are always allowed; channels only if listed, or when no list is configured."""
    return channel_type == "im" or not allowed or channel in allowed


async def _skip_retries(
    req: AsyncBoltRequest, next: Callable[[], Awaitable[BoltResponse]]
) -> BoltResponse:
    if is_retry(req.headers):
        log.info(
            "Slack: acknowledged retry %s (%s) without answering again",
            req.headers.get("x-slack-retry-num"),
            req.headers.get("x-slack-retry-reason"),
        )
        return BoltResponse(status=200, body="")
    return await next()


async def _react(method: Callable[..., Awaitable[Any]], channel: str, ts: str) -> None:
    """The 👀 is a courtesy: failing to add or remove it must not cost the answer."""
    try:
        await method(channel=channel, timestamp=ts, name=WORKING_REACTION)
    except (SlackApiError, ClientError) as exc:
        log.warning("Slack: reaction on %s/%s failed: %s", channel, ts, exc)


async def _post(
    client: AsyncWebClient, channel: str, thread_ts: str | None, message: SlackMessage
) -> None:
    await client.chat_postMessage(
        channel=channel, thread_ts=thread_ts, text=message.text, blocks=message.blocks
    )


def build_app(settings: Settings, desk: DealDesk) -> AsyncApp:
    """The Bolt app: verifies signatures in HTTP mode, drops retries, and answers events."""
    slack = settings.slack
    allowed = list(slack.allowed_channels)
    client = AsyncWebClient(token=_secret(slack.bot_token), base_url=slack.api_base_url)
    app = AsyncApp(
        name="dealdesk",
        client=client,
        signing_secret=_secret(slack.signing_secret),
        request_verification_enabled=slack.app_token is None,
    )
    app.use(_skip_retries)

    async def answer(
        client: AsyncWebClient, event: dict[str, Any], bot_user_id: str | None, thread: str | None
    ) -> None:
        channel = event["channel"]
        if not is_allowed(channel, event.get("channel_type"), allowed):
            log.warning(
                "Slack: not answering user %s in channel %s: not in "
                "DEALDESK_SLACK__ALLOWED_CHANNELS",
                event.get("user"),
                channel,
            )
            return
        question = question_text(event.get("text", ""), bot_user_id)
        if not question:
            await _post(client, channel, thread, help_message())
            return
        await _react(client.reactions_add, channel, event["ts"])
        try:
            reply = await asyncio.to_thread(desk.ask, question, conversation_id(channel, thread))
            for message in answer_messages(reply):
                await _post(client, channel, thread, message)
        except Exception:
            log.exception("Slack: answering in channel %s failed", channel)
            try:
                await _post(client, channel, thread, error_message(detect_language(question)))
            except (SlackApiError, ClientError) as exc:
                log.error("Slack: could not tell channel %s about the failure: %s", channel, exc)
        finally:
            await _react(client.reactions_remove, channel, event["ts"])

    @app.event("app_mention")
    async def answer_mention(
        event: dict[str, Any], context: AsyncBoltContext, client: AsyncWebClient
    ) -> None:
        if event.get("bot_id"):
            return
        await answer(client, event, context.bot_user_id, event.get("thread_ts") or event["ts"])

    @app.event("message")
    async def answer_direct_message(
        event: dict[str, Any], context: AsyncBoltContext, client: AsyncWebClient
    ) -> None:
        """Only plain DMs from people: edits, joins and other bots' posts carry a subtype or a
        bot_id, and answering them could start a loop between bots."""
        if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
            return
        await answer(client, event, context.bot_user_id, event.get("thread_ts"))

    return app


async def start_http(app: AsyncApp, host: str, port: int) -> web.AppRunner:
    """Serve the Events API endpoint; port 0 picks a free one (see `runner.addresses`)."""
    runner = web.AppRunner(app.web_app(path=EVENTS_PATH, port=port), handle_signals=False)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    return runner


async def verify_bot_token(client: AsyncWebClient) -> str:
    """Fail at start-up, not at the first question, when the bot token is wrong."""
    try:
        result = await client.auth_test()
    except SlackApiError as exc:
        raise FrontEndStartError(
            f"Slack rejected DEALDESK_SLACK__BOT_TOKEN ({exc.response.get('error')})"
        ) from None
    except ClientError as exc:
        raise FrontEndStartError(f"could not reach Slack at {client.base_url}: {exc}") from None
    log.info("Slack: signed in as %s in team %s", result.get("user"), result.get("team"))
    return str(result.get("user_id"))


async def connect_socket_mode(app: AsyncApp, app_token: str) -> AsyncSocketModeHandler:
    """Open the Socket Mode websocket; a bad app token fails here instead of retrying forever."""
    handler = AsyncSocketModeHandler(app, app_token)
    try:
        handler.client.wss_uri = await handler.client.issue_new_wss_url()
    except SlackApiError as exc:
        await handler.close_async()  # type: ignore[no-untyped-call]  # Bolt leaves it unannotated
        raise FrontEndStartError(
            f"Slack rejected DEALDESK_SLACK__APP_TOKEN ({exc.response.get('error')}); it needs "
            "the connections:write scope"
        ) from None
    except ClientError as exc:
        await handler.close_async()  # type: ignore[no-untyped-call]  # Bolt leaves it unannotated
        raise FrontEndStartError(f"could not reach Slack at {app.client.base_url}: {exc}") from None
    await handler.connect_async()  # type: ignore[no-untyped-call]  # Bolt leaves it unannotated
    return handler


async def serve(
    settings: Settings,
    desk: DealDesk,
    host: str,
    port: int,
    ready: Callable[[str], None],
    stop: asyncio.Event,
) -> None:
    """Run the bot until `stop` is set; `ready` hears where it listens once it does."""
    app = build_app(settings, desk)
    await verify_bot_token(app.client)
    app_token = _secret(settings.slack.app_token)
    if app_token:
        handler = await connect_socket_mode(app, app_token)
        try:
            ready("connected to Slack in Socket Mode")
            await stop.wait()
        finally:
            await handler.close_async()  # type: ignore[no-untyped-call]  # Bolt leaves it unannotated
        return
    try:
        runner = await start_http(app, host, port)
    except OSError as exc:
        raise FrontEndStartError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    try:
        bound = runner.addresses[0][1]
        ready(f"listening on http://{host}:{bound}{EVENTS_PATH}")
        await stop.wait()
    finally:
        await runner.cleanup()
