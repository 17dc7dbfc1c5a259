"""What the Slack bot does with a mention or a DM: a command from the table ("help",
"sources", "reset"), or a question with optional filters ("--since 2016-01-01 …"), limited per
user like every chat front end, answered in its thread. Only translation: the core answers."""

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from aiohttp import ClientError
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.core.service import DealDesk
from bot.filters import split_filters
from bot.format_slack import (
    SlackMessage,
    answer_messages,
    error_message,
    help_message,
    plain_message,
    question_text,
    sources_messages,
    usage_message,
)
from bot.ratelimit import QuestionLimit
from bot.replies import RESET_DONE
from config.errors import QuestionError
from ingest.language import detect_language

log = logging.getLogger(__name__)

WORKING_REACTION = "eyes"


def conversation_id(channel: str, thread_ts: str | None) -> str:
    """A thread is one conversation; so is the top level of a DM."""
    return f"slack:{channel}:{thread_ts}" if thread_ts else f"slack:{channel}"


def is_allowed(channel: str, channel_type: str | None, allowed: Sequence[str]) -> bool:
    """DMs are always allowed; channels only if listed, or when no list is configured."""
    return channel_type == "im" or not allowed or channel in allowed


@dataclass(frozen=True)
class Thread:
    """Where a reply goes: the channel, and the thread (None at a DM's top level)."""

    client: AsyncWebClient
    channel: str
    ts: str | None

    @property
    def conversation(self) -> str:
        return conversation_id(self.channel, self.ts)

    async def post(self, message: SlackMessage) -> None:
        await self.client.chat_postMessage(
            channel=self.channel, thread_ts=self.ts, text=message.text, blocks=message.blocks
        )


async def _react(method: Callable[..., Awaitable[Any]], channel: str, ts: str) -> None:
    """The 👀 is a courtesy: failing to add or remove it must not cost the answer."""
    try:
        await method(channel=channel, timestamp=ts, name=WORKING_REACTION)
    except (SlackApiError, ClientError) as exc:
        log.warning("Slack: reaction on %s/%s failed: %s", channel, ts, exc)


@dataclass
class Responder:
    """Turns an event into replies; one per app."""

    desk: DealDesk
    limit: QuestionLimit
    allowed_channels: Sequence[str]

    async def respond(self, event: dict[str, Any], thread: Thread, bot_user_id: str | None) -> None:
        if not is_allowed(thread.channel, event.get("channel_type"), self.allowed_channels):
            log.warning(
                "Slack: not answering user %s in channel %s: not in "
                "DEALDESK_SLACK__ALLOWED_CHANNELS",
                event.get("user"),
                thread.channel,
            )
            return
        text = question_text(event.get("text", ""), bot_user_id)
        command = COMMANDS.get(text.lower().removeprefix("/") if text else "help")
        if command is not None:
            await command(self, thread)
        else:
            await self.ask(event, thread, text)

    async def ask(self, event: dict[str, Any], thread: Thread, text: str) -> None:
        """Answer `text` (filters first) in the thread, with 👀 on the question meanwhile."""
        try:
            question, filters = split_filters(text.split())
        except QuestionError as exc:
            await thread.post(usage_message(str(exc)))
            return
        refusal = self.limit.refusal(event.get("user") or thread.channel, question)
        if refusal is not None:
            await thread.post(plain_message(refusal))
            return
        await _react(thread.client.reactions_add, thread.channel, event["ts"])
        try:
            answer = await asyncio.to_thread(self.desk.ask, question, thread.conversation, filters)
            for message in answer_messages(answer):
                await thread.post(message)
        except QuestionError as exc:
            await thread.post(plain_message(str(exc)))
        except Exception:
            log.exception("Slack: answering in channel %s failed", thread.channel)
            await _apologise(thread, detect_language(question))
        finally:
            await _react(thread.client.reactions_remove, thread.channel, event["ts"])


async def _apologise(thread: Thread, language: str) -> None:
    try:
        await thread.post(error_message(language))
    except (SlackApiError, ClientError) as exc:
        log.error("Slack: could not tell channel %s about the failure: %s", thread.channel, exc)


async def _help(responder: Responder, thread: Thread) -> None:
    await thread.post(help_message())


async def _sources(responder: Responder, thread: Thread) -> None:
    for message in sources_messages(responder.desk.last_answer(thread.conversation)):
        await thread.post(message)


async def _reset(responder: Responder, thread: Thread) -> None:
    responder.desk.reset(thread.conversation)
    await thread.post(plain_message(RESET_DONE))


Command = Callable[[Responder, Thread], Awaitable[None]]
COMMANDS: dict[str, Command] = {"help": _help, "sources": _sources, "reset": _reset}
"""A mention or DM that is exactly one of these words runs the command instead of asking."""
