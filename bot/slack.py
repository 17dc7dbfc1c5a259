"""Slack front end on Bolt's AsyncApp: mentions are answered in their thread, DMs in the DM.

Run it with `dealdesk slack` (see docs/slack.md). With DEALDESK_SLACK__APP_TOKEN set it connects
in Socket Mode; otherwise it serves Slack's Events API at /slack/events. This module builds and
serves the app; `bot.slack_events` decides what to reply. Bolt acks each event before the answer
is worked out, and each event (by its event_id) is answered once, however often Slack sends it.
"""

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import ClientError, web
from pydantic import SecretStr
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from bot.core.service import DealDesk
from bot.outage import OutageLog
from bot.ratelimit import QuestionLimit
from bot.slack_events import Responder, Thread
from config import Settings
from config.errors import FrontEndStartError

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"


def _secret(value: SecretStr | None) -> str | None:
    return value.get_secret_value() if value else None


class SeenEvents:
    """Event ids already taken. Slack redelivers an event it thinks was lost (up to three
    times, within minutes, sometimes before the first answer is out); the first delivery that
    arrives is answered, whichever retry number it carries, and the others only acked."""

    def __init__(
        self,
        ttl_s: float = 3600.0,
        max_ids: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl_s = ttl_s
        self.max_ids = max_ids
        self._clock = clock
        self._seen: OrderedDict[str, float] = OrderedDict()

    def first_time(self, event_id: str) -> bool:
        now = self._clock()
        while self._seen and (
            len(self._seen) >= self.max_ids or next(iter(self._seen.values())) < now - self.ttl_s
        ):
            self._seen.popitem(last=False)
        if event_id in self._seen:
            return False
        self._seen[event_id] = now
        return True


class WatchedWebClient(AsyncWebClient):
    """The Web API client, retrying connection errors, 5xx and 429s with backoff (slack_sdk's
    own retry handlers) and telling an `OutageLog` when Slack stops and starts answering."""

    def __init__(self, outage: OutageLog, **kwargs: Any) -> None:
        retries = [
            AsyncConnectionErrorRetryHandler(max_retry_count=3),
            AsyncServerErrorRetryHandler(max_retry_count=2),
            AsyncRateLimitErrorRetryHandler(max_retry_count=2),
        ]
        super().__init__(retry_handlers=retries, **kwargs)
        self.outage = outage

    async def api_call(self, *args: Any, **kwargs: Any) -> AsyncSlackResponse:
        try:
            response = await super().api_call(*args, **kwargs)
        except (ClientError, TimeoutError) as exc:
            self.outage.failed(str(exc) or type(exc).__name__)
            raise
        except SlackApiError as exc:
            status = getattr(exc.response, "status_code", 200)
            if status >= 500:
                self.outage.failed(f"HTTP {status}")
            else:
                self.outage.succeeded()
            raise
        self.outage.succeeded()
        return response


def build_app(settings: Settings, desk: DealDesk) -> AsyncApp:
    """The Bolt app: verifies signatures in HTTP mode, takes each event once, and answers."""
    slack = settings.slack
    client = WatchedWebClient(
        OutageLog("the Slack Web API", log.warning),
        token=_secret(slack.bot_token),
        base_url=slack.api_base_url,
    )
    app = AsyncApp(
        name="dealdesk",
        client=client,
        signing_secret=_secret(slack.signing_secret),
        request_verification_enabled=slack.app_token is None,
    )
    seen = SeenEvents()

    async def once_per_event(
        req: AsyncBoltRequest, next: Callable[[], Awaitable[BoltResponse]]
    ) -> BoltResponse:
        event_id = req.body.get("event_id")
        if isinstance(event_id, str) and not seen.first_time(event_id):
            log.info(
                "Slack: event %s delivered again (retry %s); already taken",
                event_id,
                req.headers.get("x-slack-retry-num"),
            )
            return BoltResponse(status=200, body="")
        return await next()

    app.use(once_per_event)
    responder = Responder(
        desk, QuestionLimit(slack.rate_limit_per_minute), list(slack.allowed_channels)
    )

    # The listeners post through `client`, not Bolt's per-request copy of it: that copy is a plain
    # AsyncWebClient (made for multi-workspace installs) and would not report outages.

    @app.event("app_mention")
    async def answer_mention(event: dict[str, Any], context: AsyncBoltContext) -> None:
        if event.get("bot_id"):
            return
        thread = Thread(client, event["channel"], event.get("thread_ts") or event["ts"])
        await responder.respond(event, thread, context.bot_user_id)

    @app.event("message")
    async def answer_direct_message(event: dict[str, Any], context: AsyncBoltContext) -> None:
        """Only plain DMs from people: edits, joins and other bots' posts carry a subtype or a
        bot_id, and answering them could start a loop between bots."""
        if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
            return
        thread = Thread(client, event["channel"], event.get("thread_ts"))
        await responder.respond(event, thread, context.bot_user_id)

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
