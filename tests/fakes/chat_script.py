"""What a fake chat model says, scripted per test; shared by the OpenAI and Ollama fakes."""

import re
import threading
from collections import deque
from collections.abc import Callable
from typing import Any

Reply = str | Callable[[list[dict[str, Any]]], str]
"""A fixed text, or a function of the request's messages (to echo, obey or ignore them)."""


class ChatScript:
    """Replies in the order queued; `always` answers whatever is left. Records every request."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self._queue: deque[Reply] = deque()
        self._always: Reply | None = None
        self._lock = threading.Lock()

    def reply(self, *replies: Reply) -> None:
        with self._lock:
            self._queue.extend(replies)

    def always(self, reply: Reply) -> None:
        with self._lock:
            self._always = reply

    def next_text(self, body: dict[str, Any]) -> str:
        with self._lock:
            self.requests.append(body)
            reply = self._queue.popleft() if self._queue else self._always
        if reply is None:
            raise AssertionError("the fake model got a request no test scripted a reply for")
        return reply if isinstance(reply, str) else reply(body["messages"])

    @property
    def last_messages(self) -> list[dict[str, Any]]:
        messages: list[dict[str, Any]] = self.requests[-1]["messages"]
        return messages


def pieces(text: str, size: int = 3) -> list[str]:
    """Small fixed-size pieces, so markers like "[1]" arrive split, as real tokens do."""
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]


def passage_with(messages: list[dict[str, Any]], needle: str) -> int:
    """The number the prompt gave the passage containing `needle`: what a model would cite."""
    prompt = messages[-1]["content"]
    for number, body in re.findall(r'<passage n="(\d+)">(.*?)</passage>', prompt, re.DOTALL):
        if needle in body:
            return int(number)
    raise AssertionError(f"no passage in the prompt contains {needle!r}")
