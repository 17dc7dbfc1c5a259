"""Sending to Telegram: HTML with a plain-text fallback when Telegram cannot parse it, long
texts in parts, and "typing…" while an answer is worked out. Waiting out 429s and retrying
network errors happen below, in the bot's rate limiter (`bot.telegram.transport`)."""

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, suppress
from typing import TypeVar

from telegram import Bot, InlineKeyboardMarkup, LinkPreviewOptions, Message, ReplyParameters
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest, TelegramError

from bot import format_telegram as fmt
from bot.telegram.chats import thread_id

log = logging.getLogger(__name__)

T = TypeVar("T")
_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


async def send(
    bot: Bot,
    chat_id: int,
    html: str,
    *,
    topic: int | None = None,
    reply_to: int | None = None,
    markup: InlineKeyboardMarkup | None = None,
) -> Message:
    """One message into a chat (and forum topic), optionally as a reply and with buttons."""
    reply = ReplyParameters(reply_to, allow_sending_without_reply=True) if reply_to else None

    async def send_as(text: str, parse_mode: str | None) -> Message:
        return await bot.send_message(
            chat_id,
            text,
            parse_mode=parse_mode,
            message_thread_id=topic,
            reply_parameters=reply,
            reply_markup=markup,
            link_preview_options=_NO_PREVIEW,
        )

    return await _with_plain_fallback(send_as, html)


async def reply(message: Message, html: str) -> Message:
    """A short reply to `message`, in its chat and topic."""
    return await send(
        message.get_bot(),
        message.chat_id,
        html,
        topic=thread_id(message),
        reply_to=message.message_id,
    )


async def reply_parts(
    message: Message, parts: list[str], markup: InlineKeyboardMarkup | None = None
) -> None:
    """Parts of one text (see `fmt.split_html`): the first replies to `message`, the last one
    carries the buttons."""
    for index, part in enumerate(parts):
        await send(
            message.get_bot(),
            message.chat_id,
            part,
            topic=thread_id(message),
            reply_to=message.message_id if index == 0 else None,
            markup=markup if index == len(parts) - 1 else None,
        )


async def edit(message: Message, html: str) -> None:
    """Replace the text of one of the bot's messages."""

    async def edit_as(text: str, parse_mode: str | None) -> Message | bool:
        return await message.get_bot().edit_message_text(
            text,
            chat_id=message.chat_id,
            message_id=message.message_id,
            parse_mode=parse_mode,
            link_preview_options=_NO_PREVIEW,
        )

    await _with_plain_fallback(edit_as, html)


async def _with_plain_fallback(call: Callable[[str, str | None], Awaitable[T]], html: str) -> T:
    """Send as HTML; if Telegram cannot parse it, send the same text without markup."""
    try:
        return await call(html, ParseMode.HTML)
    except BadRequest as exc:
        if "can't parse entities" not in exc.message.lower():
            raise
        log.warning("Telegram could not parse our HTML (%s); sending plain text", exc.message)
        return await call(fmt.html_to_plain(html), None)


@asynccontextmanager
async def typing(message: Message, interval_s: float) -> AsyncIterator[None]:
    """Show "typing…" until the block ends, renewed before Telegram hides it."""
    bot = message.get_bot()

    async def keep_typing() -> None:
        while True:
            try:
                await bot.send_chat_action(
                    message.chat_id, ChatAction.TYPING, message_thread_id=thread_id(message)
                )
            except TelegramError as exc:
                log.debug("Typing action failed in chat %s: %s", message.chat_id, exc)
            await asyncio.sleep(interval_s)

    task = asyncio.create_task(keep_typing())
    try:
        yield
    finally:
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task
