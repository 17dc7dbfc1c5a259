"""The Telegram handlers, one short function per command, as in python-telegram-bot's examples:
read the update, call the core, reply with `bot.format_telegram`. What they share (the desk,
the rate limit, remembered answers) sits in `bot_data` as one `Services`."""

import asyncio
import functools
import logging
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeAlias, TypeVar, cast

from telegram import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType
from telegram.error import NetworkError, TelegramError
from telegram.ext import (
    Application,
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
from bot.filters import split_filters
from bot.ratelimit import QuestionLimit
from bot.replies import NO_SOURCES, RESET_DONE
from bot.telegram.chats import AnswerMemory, addressed_question, conversation_id, thread_id
from bot.telegram.options import BotOptions
from bot.telegram.sending import edit, reply, reply_parts, send, typing
from config.errors import QuestionError

log = logging.getLogger(__name__)

Context: TypeAlias = ContextTypes.DEFAULT_TYPE
TelegramApp: TypeAlias = Application[Any, Context, Any, Any, Any, Any]
Handler: TypeAlias = Callable[[Update, Context], Coroutine[Any, Any, None]]
T = TypeVar("T")
SERVICES = "dealdesk"


@dataclass
class Services:
    """What every handler may use; built once per application."""

    desk: DealDesk
    options: BotOptions
    allowed_chats: frozenset[int]
    limit: QuestionLimit
    answers: AnswerMemory
    pool: ThreadPoolExecutor

    async def in_thread(self, fn: Callable[..., T], *args: Any) -> T:
        """Run blocking core calls off the event loop, so other chats keep being served."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.pool, functools.partial(fn, *args))


def services(holder: Context | TelegramApp) -> Services:
    """The `Services` of the application a handler (or a lifecycle hook) runs in."""
    return cast(Services, holder.bot_data[SERVICES])


def _message(update: Update) -> Message:
    """The message a command or text handler was called for; their filters guarantee one."""
    if update.effective_message is None:
        raise ValueError(f"update {update.update_id} carries no message")
    return update.effective_message


# Access control runs first (group -1) and stops everything else for refused chats.


async def check_access(update: Update, context: Context) -> None:
    chat = update.effective_chat
    allowed = services(context).allowed_chats
    if not allowed or chat is None or chat.id in allowed:
        return
    log.warning("Refused update %s from chat %s: not an allowed chat", update.update_id, chat.id)
    if update.callback_query is not None:
        await update.callback_query.answer(fmt.NOT_ALLOWED, show_alert=True)
    elif update.message is not None and _is_for_us(update.message, context):
        await reply(update.message, fmt.escape(fmt.NOT_ALLOWED))
    raise ApplicationHandlerStop


def _is_for_us(message: Message, context: Context) -> bool:
    if message.chat.type == ChatType.PRIVATE or (message.text or "").startswith("/"):
        return True
    return addressed_question(message, context.bot.username, context.bot.id) is not None


# Commands.


async def on_start(update: Update, context: Context) -> None:
    name = update.effective_user.first_name if update.effective_user else None
    await reply(_message(update), fmt.render_start(name, context.bot.username))


async def on_help(update: Update, context: Context) -> None:
    await reply(_message(update), fmt.render_help(context.bot.username))


async def on_ask(update: Update, context: Context) -> None:
    message = _message(update)
    try:
        question, search_filters = split_filters(context.args or [])
    except QuestionError as exc:
        await reply(message, f"{fmt.escape(str(exc))}\n{fmt.ASK_USAGE}")
        return
    await _answer(update, context, question, search_filters)


async def on_sources(update: Update, context: Context) -> None:
    message = _message(update)
    answer = services(context).desk.last_answer(conversation_id(message))
    if answer is None or not answer.citations:
        await reply(message, fmt.escape(NO_SOURCES))
        return
    await reply_parts(message, fmt.split_html(fmt.render_sources(answer)))


async def on_reset(update: Update, context: Context) -> None:
    message = _message(update)
    services(context).desk.reset(conversation_id(message))
    await reply(message, fmt.escape(RESET_DONE))


async def on_stats(update: Update, context: Context) -> None:
    found = services(context)
    stats = await found.in_thread(found.desk.stats)
    await reply(_message(update), fmt.render_stats(stats))


async def on_recent(update: Update, context: Context) -> None:
    found = services(context)
    documents = await found.in_thread(found.desk.recent, found.options.recent_documents)
    await reply_parts(_message(update), fmt.split_html(fmt.render_recent(documents)))


# Questions.


async def on_private_text(update: Update, context: Context) -> None:
    await _answer(update, context, _message(update).text or "", None)


async def on_group_text(update: Update, context: Context) -> None:
    message = _message(update)
    question = addressed_question(message, context.bot.username, context.bot.id)
    if question is None:
        return
    if not question:
        await reply(message, fmt.render_help(context.bot.username))
        return
    await _answer(update, context, question, None)


async def _answer(
    update: Update, context: Context, question: str, search_filters: SearchFilters | None
) -> None:
    message = _message(update)
    found = services(context)
    user = update.effective_user
    refusal = found.limit.refusal(user.id if user else message.chat_id, question)
    if refusal is not None:
        await reply(message, fmt.escape(refusal))
        return
    try:
        async with typing(message, found.options.typing_interval_s):
            answer = await found.in_thread(
                found.desk.ask, question, conversation_id(message), search_filters
            )
    except QuestionError as exc:
        await reply(message, fmt.escape(str(exc)))
        return
    parts = fmt.split_html(fmt.render_answer(answer))
    await reply_parts(message, parts, _sources_button(found.answers, answer, parts[-1]))


def _sources_button(
    answers: AnswerMemory, answer: Answer, last_part: str
) -> InlineKeyboardMarkup | None:
    if not answer.citations:
        return None
    key = answers.remember(answer, last_part)
    button = InlineKeyboardButton(fmt.SHOW_SOURCES, callback_data=fmt.sources_callback_data(key))
    return InlineKeyboardMarkup.from_button(button)


async def on_sources_button(update: Update, context: Context) -> None:
    """Open the quotes in place under the answer, or as a reply when they would not fit."""
    query = update.callback_query
    if query is None:
        return
    key = fmt.parse_sources_callback(query.data)
    remembered = services(context).answers.get(key) if key else None
    if remembered is None:
        await query.answer(fmt.SOURCES_EXPIRED, show_alert=True)
        return
    await query.answer()
    if not isinstance(query.message, Message):
        return
    sources = fmt.render_sources(remembered.answer)
    combined = f"{remembered.html}\n\n{sources}"
    if fmt.utf16_len(combined) <= fmt.MAX_MESSAGE:
        await edit(query.message, combined)
    else:
        await reply_parts(query.message, fmt.split_html(sources))


# Errors.


async def on_error(update: object, context: Context) -> None:
    """Log the failure, apologise briefly, and keep serving everyone else. Polling problems
    without an update are the transport's to report (once per outage)."""
    error = context.error
    if update is None:
        level = logging.DEBUG if isinstance(error, NetworkError) else logging.WARNING
        log.log(level, "Getting updates from Telegram failed, retrying: %s", error)
        return
    update_id = update.update_id if isinstance(update, Update) else None
    log.error("Failed to handle update %s", update_id, exc_info=error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    message = update.effective_message
    topic = thread_id(message) if isinstance(message, Message) else None
    try:
        await send(context.bot, update.effective_chat.id, fmt.escape(fmt.APOLOGY), topic=topic)
    except TelegramError as exc:
        log.warning("Could not apologise in chat %s: %s", update.effective_chat.id, exc)


COMMAND_TABLE: tuple[tuple[str, Handler, str], ...] = (
    ("ask", on_ask, "ask a question; filters: --since, --until, --lang"),
    ("sources", on_sources, "the quoted passages behind the last answer"),
    ("reset", on_reset, "forget this conversation"),
    ("stats", on_stats, "what is in the corpus"),
    ("recent", on_recent, "recently added articles"),
    ("help", on_help, "how to ask, with examples"),
    ("start", on_start, "what this bot does"),
)
"""Each command, its handler, and what Telegram's menu says about it."""
COMMANDS = tuple(BotCommand(name, about) for name, _, about in COMMAND_TABLE)


def register_handlers(app: TelegramApp) -> None:
    app.add_handler(TypeHandler(Update, check_access), group=-1)
    for name, handler, _ in COMMAND_TABLE:
        app.add_handler(CommandHandler(name, handler))
    text = filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND
    app.add_handler(MessageHandler(text & filters.ChatType.PRIVATE, on_private_text))
    app.add_handler(MessageHandler(text & filters.ChatType.GROUPS, on_group_text))
    app.add_handler(CallbackQueryHandler(on_sources_button, pattern=f"^{fmt.SOURCES_PREFIX}"))
    app.add_error_handler(on_error)
