"""Which conversation a Telegram message belongs to, whether it is meant for the bot, and the
answers behind "Show sources" buttons. Pure functions over PTB's objects, no network."""

import re
import secrets
from collections import OrderedDict
from dataclasses import dataclass

from telegram import Message, MessageEntity

from bot.core.models import Answer


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


@dataclass(frozen=True)
class Remembered:
    answer: Answer
    html: str


class AnswerMemory:
    """Answers behind "Show sources" buttons; old buttons keep working after later questions."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[str, Remembered] = OrderedDict()

    def remember(self, answer: Answer, html: str) -> str:
        key = secrets.token_urlsafe(9)
        self._items[key] = Remembered(answer, html)
        while len(self._items) > self._size:
            self._items.popitem(last=False)
        return key

    def get(self, key: str) -> Remembered | None:
        return self._items.get(key)
