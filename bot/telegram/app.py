"""Building and serving the Telegram bot: the `Application`, its transport, and the run loop."""

import logging
import secrets
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from urllib.parse import urlsplit

from telegram import Update
from telegram.error import BadRequest, InvalidToken, NetworkError
from telegram.ext import ApplicationBuilder

from bot.core.service import DealDesk
from bot.logs import hide_secret
from bot.outage import OutageLog
from bot.ratelimit import QuestionLimit
from bot.telegram.chats import AnswerMemory
from bot.telegram.handlers import (
    COMMANDS,
    SERVICES,
    Services,
    TelegramApp,
    register_handlers,
    services,
)
from bot.telegram.options import BotOptions, WebhookOptions
from bot.telegram.transport import DeliveryLimiter, WatchedRequest
from config.errors import FrontEndStartError
from config.settings import TelegramSettings

log = logging.getLogger(__name__)

ALLOWED_UPDATES = (Update.MESSAGE, Update.CALLBACK_QUERY)
BOOTSTRAP_RETRIES = 3


def webhook_path(url: str) -> str:
    """Listen on the public URL's path, so a reverse proxy can pass requests through as they are."""
    return urlsplit(url).path.strip("/")


async def _post_init(app: TelegramApp) -> None:
    await app.bot.set_my_commands(COMMANDS)
    log.info("Telegram bot @%s is ready", app.bot.username)


async def _post_shutdown(app: TelegramApp) -> None:
    services(app).pool.shutdown(wait=False, cancel_futures=True)


def build_application(
    desk: DealDesk, settings: TelegramSettings, options: BotOptions | None = None
) -> TelegramApp:
    """The configured `Application`; the caller runs it (polling, webhook, or a test harness)."""
    if settings.token is None:
        raise FrontEndStartError("no Telegram token configured (DEALDESK_TELEGRAM__TOKEN)")
    options = options or BotOptions()
    sending = OutageLog("the Telegram Bot API (sending)", log.warning)
    updates = OutageLog("the Telegram Bot API (getting updates)", log.warning)
    app = (
        ApplicationBuilder()
        .token(settings.token.get_secret_value())
        .base_url(settings.api_base_url)
        .request(WatchedRequest(sending, connection_pool_size=options.connection_pool_size))
        .get_updates_request(WatchedRequest(updates))
        .rate_limiter(DeliveryLimiter(options))
        .concurrent_updates(options.concurrent_updates)
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
        .build()
    )
    app.bot_data[SERVICES] = Services(
        desk=desk,
        options=options,
        allowed_chats=frozenset(settings.allowed_chats),
        limit=QuestionLimit(settings.rate_limit_per_minute),
        answers=AnswerMemory(options.remembered_answers),
        pool=ThreadPoolExecutor(options.answer_threads, thread_name_prefix="dealdesk-tg"),
    )
    register_handlers(app)
    return app


class _StartUpReported(logging.Filter):
    """PTB logs a traceback when its start-up retries give up; `serve` turns that failure into
    one `FrontEndStartError` sentence, so the library's record would only say it twice."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Network Retry Loop (Bootstrap")


@contextmanager
def _start_up_failures_told_once() -> Iterator[None]:
    library = logging.getLogger("telegram.ext")
    quiet = _StartUpReported()
    library.addFilter(quiet)
    try:
        yield
    finally:
        library.removeFilter(quiet)


def serve(
    desk: DealDesk, settings: TelegramSettings, webhook: WebhookOptions | None = None
) -> None:
    """Run the bot until SIGINT or SIGTERM: long polling, or a webhook server when given one."""
    app = build_application(desk, settings)
    desk.warm_up()
    try:
        with _start_up_failures_told_once():
            _run(app, settings, webhook)
    except InvalidToken:
        raise FrontEndStartError(
            "Telegram rejected the token; check DEALDESK_TELEGRAM__TOKEN (from @BotFather)"
        ) from None
    except BadRequest as exc:
        raise FrontEndStartError(f"Telegram refused the bot's set-up: {exc.message}") from exc
    except NetworkError as exc:
        raise FrontEndStartError(
            f"could not reach the Telegram Bot API at {settings.api_base_url}: {exc.message}"
        ) from exc
    except OSError as exc:
        if webhook is None:
            raise
        where = f"{webhook.listen}:{webhook.port}"
        raise FrontEndStartError(f"cannot listen on {where}: {exc.strerror or exc}") from exc


def _run(app: TelegramApp, settings: TelegramSettings, webhook: WebhookOptions | None) -> None:
    if webhook is None:
        log.info("Polling %s for updates", settings.api_base_url)
        app.run_polling(allowed_updates=ALLOWED_UPDATES, bootstrap_retries=BOOTSTRAP_RETRIES)
        return
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
    if secret is None:
        secret = secrets.token_urlsafe(32)
        hide_secret(secret)  # PTB logs setWebhook's parameters at DEBUG
        log.info("No DEALDESK_TELEGRAM__WEBHOOK_SECRET set; using a random one for this run")
    log.info("Listening for webhook updates on %s:%s", webhook.listen, webhook.port)
    app.run_webhook(
        listen=webhook.listen,
        port=webhook.port,
        url_path=webhook_path(webhook.url),
        webhook_url=webhook.url,
        secret_token=secret,
        allowed_updates=ALLOWED_UPDATES,
        bootstrap_retries=BOOTSTRAP_RETRIES,
    )
