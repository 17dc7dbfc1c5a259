"""The Telegram front end: a thin adapter from updates to `DealDesk` answers.

Run it with `dealdesk telegram` (long polling), or behind HTTPS with
`dealdesk telegram --webhook --listen 0.0.0.0 --port 8443 --url https://bot.example.org/telegram`.
Configuration comes from DEALDESK_TELEGRAM__* (token, api_base_url, allowed_chats, webhook_secret,
rate_limit_per_minute). Handlers call the core and `bot.format_telegram`; nothing else.
"""

import asyncio
import functools
import logging
import re
import secrets
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, TypeAlias, TypeVar
from urllib.parse import urlsplit

from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    MessageEntity,
    ReplyParameters,
    Update,
)
from telegram.constants import ChatAction, ChatType, ParseMode
from telegram.error import BadRequest, InvalidToken, NetworkError, RetryAfter, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import format_telegram as fmt
from bot.core.models import Answer, SearchFilters
from bot.core.service import DealDesk
from bot.ratelimit import RateLimiter
from config.errors import FrontEndStartError
from config.settings import TelegramSettings

log = logging.getLogger(__name__)

Context: TypeAlias = ContextTypes.DEFAULT_TYPE
TelegramApp: TypeAlias = Application[Any, Context, Any, Any, Any, Any]
T = TypeVar("T")

ALLOWED_UPDATES = (Update.MESSAGE, Update.CALLBACK_QUERY)
COMMANDS = (
    BotCommand("ask", "ask a question; filters: --since, --until, --lang"),
    BotCommand("sources", "the quoted passages behind the last answer"),
    BotCommand("reset", "forget this conversation"),
    BotCommand("stats", "what is in the corpus"),
    BotCommand("recent", "recently added articles"),
    BotCommand("help", "how to ask, with examples"),
    BotCommand("start", "what this bot does"),
)
_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


class AskSyntaxError(ValueError):
    """A malformed /ask; the message is shown to the user."""


@dataclass(frozen=True)
class BotOptions:
    """Timings and sizes. The defaults suit Telegram; tests shrink the waits."""

    typing_interval_s: float = 4.0  # Telegram shows "typing…" for about five seconds
    send_attempts: int = 5
    backoff_s: float = 1.0
    max_backoff_s: float = 30.0
    concurrent_updates: int = 64
    answer_threads: int = 16  # answers with an LLM mostly wait, so threads are cheap
    remembered_answers: int = 1000
    recent_documents: int = 10


@dataclass(frozen=True)
class WebhookOptions:
    url: str
    listen: str = "127.0.0.1"
    port: int = 8443


_FILTER_FLAGS = {"--since": "since", "--until": "until", "--lang": "language"}


def parse_ask(words: Sequence[str]) -> tuple[str, SearchFilters | None]:
    """Split `/ask [--since D] [--until D] [--lang L] question` into question and filters."""
    rest = list(words)
    values: dict[str, Any] = {}
    while rest and rest[0].startswith("--"):
        flag, _, value = rest.pop(0).partition("=")
        if flag not in _FILTER_FLAGS:
            raise AskSyntaxError(f"Unknown option {flag}: use --since, --until or --lang.")
        if not value:
            if not rest:
                raise AskSyntaxError(f"{flag} needs a value.")
            value = rest.pop(0)
        if flag == "--lang":
            values["language"] = value.lower()
            continue
        try:
            values[_FILTER_FLAGS[flag]] = date.fromisoformat(value)
        except ValueError:
            raise AskSyntaxError(f"{flag} takes a date like 2016-01-01, not {value!r}.") from None
    question = " ".join(rest).strip()
    if not question:
        raise AskSyntaxError("The question is missing.")
    return question, SearchFilters(**values) if values else None


def thread_id(message: Message) -> int | None:
    """The forum topic a message belongs to; plain reply chains are not topics."""
    return message.message_thread_id if message.is_topic_message else None


def conversation_id(message: Message) -> str:
    """One conversation per chat, and per topic in forum groups, so follow-ups stay apart."""
    topic = thread_id(message)
    return f"tg:{message.chat_id}" if topic is None else f"tg:{message.chat_id}:{topic}"


def addressed_question(message: Message, bot_username: str, bot_id: int) -> str | None:
    """The question in a group message meant for the bot, or None when it is not for us."""
    text = message.text or ""
    mention = f"@{bot_username}".lower()
    mentions = message.parse_entities([MessageEntity.MENTION]).values()
    if any(value.lower() == mention for value in mentions):
        return re.sub(re.escape(mention), " ", text, flags=re.IGNORECASE).strip()
    replied = message.reply_to_message
    if replied is not None and replied.from_user is not None and replied.from_user.id == bot_id:
        return text.strip()
    return None


def retry_seconds(value: int | timedelta) -> float:
    """`RetryAfter.retry_after` is an int in v22 and a timedelta when PTB_TIMEDELTA is set."""
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def webhook_path(url: str) -> str:
    """Listen on the public URL's path, so a reverse proxy can pass requests through as they are."""
    return urlsplit(url).path.strip("/")


@dataclass(frozen=True)
class _Remembered:
    answer: Answer
    html: str


class AnswerMemory:
    """Answers behind "Show sources" buttons; old buttons keep working after later questions."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[str, _Remembered] = OrderedDict()

    def remember(self, answer: Answer, html: str) -> str:
        key = secrets.token_urlsafe(9)
        self._items[key] = _Remembered(answer, html)
        while len(self._items) > self._size:
            self._items.popitem(last=False)
        return key

    def get(self, key: str) -> _Remembered | None:
        return self._items.get(key)


class DealDeskBot:
    """The handlers, bound to one `DealDesk`. Each reads the update, calls the core, replies."""

    def __init__(self, desk: DealDesk, settings: TelegramSettings, options: BotOptions) -> None:
        self.desk = desk
        self.allowed_chats = frozenset(settings.allowed_chats)
        self.limiter = RateLimiter(settings.rate_limit_per_minute, window_s=60.0)
        self.options = options
        self.answers = AnswerMemory(options.remembered_answers)
        self.pool = ThreadPoolExecutor(options.answer_threads, thread_name_prefix="dealdesk-tg")

    def register(self, app: TelegramApp) -> None:
        app.add_handler(TypeHandler(Update, self.check_access), group=-1)
        app.add_handler(CommandHandler("start", self.on_start))
        app.add_handler(CommandHandler("help", self.on_help))
        app.add_handler(CommandHandler("ask", self.on_ask))
        app.add_handler(CommandHandler("sources", self.on_sources))
        app.add_handler(CommandHandler("reset", self.on_reset))
        app.add_handler(CommandHandler("stats", self.on_stats))
        app.add_handler(CommandHandler("recent", self.on_recent))
        text = filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND
        app.add_handler(MessageHandler(text & filters.ChatType.PRIVATE, self.on_private_text))
        app.add_handler(MessageHandler(text & filters.ChatType.GROUPS, self.on_group_text))
        app.add_handler(
            CallbackQueryHandler(self.on_sources_button, pattern=f"^{fmt.SOURCES_PREFIX}")
        )
        app.add_error_handler(self.on_error)

    async def post_init(self, app: TelegramApp) -> None:
        await self._deliver(lambda: app.bot.set_my_commands(COMMANDS))
        log.info("Telegram bot @%s is ready", app.bot.username)

    async def post_shutdown(self, app: TelegramApp) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)

    async def _in_thread(self, fn: Callable[..., T], *args: Any) -> T:
        """Run blocking core calls off the event loop, so other chats keep being served."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.pool, functools.partial(fn, *args))

    # Access control runs first (group -1) and stops everything else for refused chats.

    async def check_access(self, update: Update, context: Context) -> None:
        chat = update.effective_chat
        if not self.allowed_chats or chat is None or chat.id in self.allowed_chats:
            return
        log.warning(
            "Refused update %s from chat %s: not an allowed chat", update.update_id, chat.id
        )
        if update.callback_query is not None:
            await update.callback_query.answer(fmt.NOT_ALLOWED, show_alert=True)
        elif update.message is not None and self._is_for_us(update.message, context.bot):
            await self._reply(update.message, fmt.escape(fmt.NOT_ALLOWED))
        raise ApplicationHandlerStop

    def _is_for_us(self, message: Message, bot: Bot) -> bool:
        if message.chat.type == ChatType.PRIVATE:
            return True
        text = message.text or ""
        return text.startswith("/") or addressed_question(message, bot.username, bot.id) is not None

    # Commands.

    async def on_start(self, update: Update, context: Context) -> None:
        message = _message(update)
        name = update.effective_user.first_name if update.effective_user else None
        await self._reply(message, fmt.render_start(name, context.bot.username))

    async def on_help(self, update: Update, context: Context) -> None:
        await self._reply(_message(update), fmt.render_help(context.bot.username))

    async def on_ask(self, update: Update, context: Context) -> None:
        message = _message(update)
        try:
            question, search_filters = parse_ask(context.args or [])
        except AskSyntaxError as exc:
            await self._reply(message, f"{fmt.escape(str(exc))}\n{fmt.ASK_USAGE}")
            return
        await self._answer(update, message, question, search_filters, context.bot)

    async def on_sources(self, update: Update, context: Context) -> None:
        message = _message(update)
        answer = self.desk.last_answer(conversation_id(message))
        if answer is None or not answer.citations:
            await self._reply(message, fmt.escape(fmt.NO_SOURCES))
            return
        await self._reply_parts(message, fmt.render_sources(answer))

    async def on_reset(self, update: Update, context: Context) -> None:
        message = _message(update)
        self.desk.reset(conversation_id(message))
        await self._reply(message, fmt.escape(fmt.RESET_DONE))

    async def on_stats(self, update: Update, context: Context) -> None:
        stats = await self._in_thread(self.desk.stats)
        await self._reply(_message(update), fmt.render_stats(stats))

    async def on_recent(self, update: Update, context: Context) -> None:
        documents = await self._in_thread(self.desk.recent, self.options.recent_documents)
        await self._reply_parts(_message(update), fmt.render_recent(documents))

    # Questions.

    async def on_private_text(self, update: Update, context: Context) -> None:
        message = _message(update)
        await self._answer(update, message, message.text or "", None, context.bot)

    async def on_group_text(self, update: Update, context: Context) -> None:
        message = _message(update)
        question = addressed_question(message, context.bot.username, context.bot.id)
        if question is None:
            return
        if not question:
            await self._reply(message, fmt.render_help(context.bot.username))
            return
        await self._answer(update, message, question, None, context.bot)

    async def _answer(
        self,
        update: Update,
        message: Message,
        question: str,
        search_filters: SearchFilters | None,
        bot: Bot,
    ) -> None:
        user = update.effective_user
        wait_s = self.limiter.acquire(user.id if user else message.chat_id)
        if wait_s > 0:
            await self._reply(message, fmt.escape(fmt.render_slow_down(wait_s)))
            return
        async with self._typing(bot, message):
            answer = await self._in_thread(
                self.desk.ask, question, conversation_id(message), search_filters
            )
        parts = fmt.split_html(fmt.render_answer(answer))
        markup = None
        if answer.citations:
            key = self.answers.remember(answer, parts[-1])
            markup = InlineKeyboardMarkup.from_button(
                InlineKeyboardButton(fmt.SHOW_SOURCES, callback_data=fmt.sources_callback_data(key))
            )
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            await self._send(
                bot,
                message.chat_id,
                part,
                topic=thread_id(message),
                reply_to=message.message_id if index == 0 else None,
                markup=markup if last else None,
            )

    @asynccontextmanager
    async def _typing(self, bot: Bot, message: Message) -> AsyncIterator[None]:
        """Show "typing…" until the answer is ready, renewed before Telegram hides it."""

        async def keep_typing() -> None:
            while True:
                try:
                    await bot.send_chat_action(
                        message.chat_id, ChatAction.TYPING, message_thread_id=thread_id(message)
                    )
                except TelegramError as exc:
                    log.debug("Typing action failed in chat %s: %s", message.chat_id, exc)
                await asyncio.sleep(self.options.typing_interval_s)

        task = asyncio.create_task(keep_typing())
        try:
            yield
        finally:
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task

    # The "Show sources" button.

    async def on_sources_button(self, update: Update, context: Context) -> None:
        query = update.callback_query
        if query is None:
            return
        key = fmt.parse_sources_callback(query.data)
        remembered = self.answers.get(key) if key else None
        if remembered is None:
            await query.answer(fmt.SOURCES_EXPIRED, show_alert=True)
            return
        await query.answer()
        message = query.message
        if not isinstance(message, Message):
            return
        sources = fmt.render_sources(remembered.answer)
        combined = f"{remembered.html}\n\n{sources}"
        if fmt.utf16_len(combined) <= fmt.MAX_MESSAGE:
            await self._edit(context.bot, message, combined)
        else:
            await self._reply_parts(message, sources)

    # Errors.

    async def on_error(self, update: object, context: Context) -> None:
        """Log the traceback, apologise briefly, and keep serving everyone else."""
        error = context.error
        if update is None and isinstance(error, NetworkError):
            log.warning("Network problem talking to Telegram, retrying: %s", error)
            return
        update_id = update.update_id if isinstance(update, Update) else None
        log.error("Failed to handle update %s", update_id, exc_info=error)
        if not isinstance(update, Update) or update.effective_chat is None:
            return
        message = update.effective_message
        topic = thread_id(message) if isinstance(message, Message) else None
        try:
            await self._send(
                context.bot, update.effective_chat.id, fmt.escape(fmt.APOLOGY), topic=topic
            )
        except TelegramError as exc:
            log.warning("Could not apologise in chat %s: %s", update.effective_chat.id, exc)

    # Sending, with the parse-mode fallback, flood-control waits and network backoff.

    async def _reply(self, message: Message, html: str) -> Message:
        return await self._send(
            message.get_bot(),
            message.chat_id,
            html,
            topic=thread_id(message),
            reply_to=message.message_id,
        )

    async def _reply_parts(self, message: Message, html: str) -> None:
        for index, part in enumerate(fmt.split_html(html)):
            await self._send(
                message.get_bot(),
                message.chat_id,
                part,
                topic=thread_id(message),
                reply_to=message.message_id if index == 0 else None,
            )

    async def _send(
        self,
        bot: Bot,
        chat_id: int,
        html: str,
        *,
        topic: int | None = None,
        reply_to: int | None = None,
        markup: InlineKeyboardMarkup | None = None,
    ) -> Message:
        reply = ReplyParameters(reply_to, allow_sending_without_reply=True) if reply_to else None

        async def send(text: str, parse_mode: str | None) -> Message:
            return await bot.send_message(
                chat_id,
                text,
                parse_mode=parse_mode,
                message_thread_id=topic,
                reply_parameters=reply,
                reply_markup=markup,
                link_preview_options=_NO_PREVIEW,
            )

        return await self._with_plain_fallback(send, html)

    async def _edit(self, bot: Bot, message: Message, html: str) -> None:
        async def edit(text: str, parse_mode: str | None) -> Message | bool:
            return await bot.edit_message_text(
                text,
                chat_id=message.chat_id,
                message_id=message.message_id,
                parse_mode=parse_mode,
                link_preview_options=_NO_PREVIEW,
            )

        await self._with_plain_fallback(edit, html)

    async def _with_plain_fallback(
        self, call: Callable[[str, str | None], Awaitable[T]], html: str
    ) -> T:
        """Send as HTML; if Telegram cannot parse it, send the same text without markup."""
        try:
            return await self._deliver(lambda: call(html, ParseMode.HTML))
        except BadRequest as exc:
            if "can't parse entities" not in exc.message.lower():
                raise
            log.warning("Telegram could not parse our HTML (%s); sending plain text", exc.message)
            plain = fmt.html_to_plain(html)
            return await self._deliver(lambda: call(plain, None))

    async def _deliver(self, call: Callable[[], Awaitable[T]]) -> T:
        """Retry after flood control (429) and network errors; give up after a few attempts."""
        delay = self.options.backoff_s
        attempt = 1
        while True:
            try:
                return await call()
            except RetryAfter as exc:
                if attempt >= self.options.send_attempts:
                    raise
                wait_s = retry_seconds(exc.retry_after)
                log.warning("Telegram flood control: waiting %s s before retrying", wait_s)
                await asyncio.sleep(wait_s)
            except BadRequest:
                raise
            except NetworkError as exc:
                if attempt >= self.options.send_attempts:
                    raise
                log.warning(
                    "Network error talking to Telegram (%s); retrying in %.1f s", exc, delay
                )
                await asyncio.sleep(delay)
                delay = min(delay * 2, self.options.max_backoff_s)
            attempt += 1


def _message(update: Update) -> Message:
    """The message a command or text handler was called for; their filters guarantee one."""
    if update.effective_message is None:
        raise ValueError(f"update {update.update_id} carries no message")
    return update.effective_message


_HIDDEN_IN_LOGS: set[str] = set()


def _contains_hidden(text: str) -> bool:
    return any(hidden in text for hidden in _HIDDEN_IN_LOGS)


def _mask(text: str) -> str:
    for hidden in _HIDDEN_IN_LOGS:
        text = text.replace(hidden, "[secret]")
    return text


def hide_in_logs(secret: str) -> None:
    """Mask `secret` in every log record from now on, whichever logger writes it.

    PTB logs its API URL, token included, at DEBUG, and httpx logs it at INFO; filtering
    single loggers would miss the next library that does the same.
    """
    if not _HIDDEN_IN_LOGS:
        make_record = logging.getLogRecordFactory()

        def masked_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
            record = make_record(*args, **kwargs)
            try:
                message = record.getMessage()
            except (TypeError, ValueError):
                return record  # a malformed call; logging reports it when the record is emitted
            if _contains_hidden(message):
                record.msg, record.args = _mask(message), ()
            if record.exc_info:
                # PTB puts the token into InvalidToken's message; formatters reuse exc_text.
                record.exc_text = _mask(logging.Formatter().formatException(record.exc_info))
            return record

        logging.setLogRecordFactory(masked_record)
    _HIDDEN_IN_LOGS.add(secret)


def build_application(
    desk: DealDesk, settings: TelegramSettings, options: BotOptions | None = None
) -> TelegramApp:
    """The configured `Application`; the caller runs it (polling, webhook, or a test harness)."""
    if settings.token is None:
        raise FrontEndStartError("no Telegram token configured (DEALDESK_TELEGRAM__TOKEN)")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # it logs every URL at INFO
    hide_in_logs(settings.token.get_secret_value())
    options = options or BotOptions()
    handlers = DealDeskBot(desk, settings, options)
    app = (
        ApplicationBuilder()
        .token(settings.token.get_secret_value())
        .base_url(settings.api_base_url)
        .concurrent_updates(options.concurrent_updates)
        .post_init(handlers.post_init)
        .post_shutdown(handlers.post_shutdown)
        .build()
    )
    handlers.register(app)
    return app


def serve(
    desk: DealDesk, settings: TelegramSettings, webhook: WebhookOptions | None = None
) -> None:
    """Run the bot until SIGINT or SIGTERM: long polling, or a webhook server when given one."""
    app = build_application(desk, settings)
    desk.warm_up()
    try:
        if webhook is None:
            log.info("Polling %s for updates", settings.api_base_url)
            app.run_polling(allowed_updates=ALLOWED_UPDATES, bootstrap_retries=3)
            return
        secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
        if secret is None:
            secret = secrets.token_urlsafe(32)
            log.info("No DEALDESK_TELEGRAM__WEBHOOK_SECRET set; using a random one for this run")
        hide_in_logs(secret)  # PTB logs setWebhook's parameters at DEBUG
        log.info("Listening for webhook updates on %s:%s", webhook.listen, webhook.port)
        app.run_webhook(
            listen=webhook.listen,
            port=webhook.port,
            url_path=webhook_path(webhook.url),
            webhook_url=webhook.url,
            secret_token=secret,
            allowed_updates=ALLOWED_UPDATES,
            bootstrap_retries=3,
        )
    except InvalidToken:
        raise FrontEndStartError(
            "Telegram rejected the token; check DEALDESK_TELEGRAM__TOKEN (from @BotFather)"
        ) from None
    except BadRequest as exc:
        raise FrontEndStartError(f"Telegram refused the bot's set-up: {exc.message}") from None
    except NetworkError as exc:
        raise FrontEndStartError(
            f"could not reach the Telegram Bot API at {settings.api_base_url}: {exc}"
        ) from None
