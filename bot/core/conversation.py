"""Per-conversation memory: the last few turns and the last answer, forgotten when idle."""

import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.core.models import Answer, Turn
from config import ConversationSettings


@dataclass
class _Conversation:
    turns: deque[Turn]
    last_answer: Answer | None = None
    touched: float = field(default_factory=time.monotonic)


class ConversationStore:
    """In memory on purpose: history is a convenience for follow-ups, not a record. It holds
    `max_turns` turns per conversation and forgets a conversation after `ttl_s` idle seconds."""

    def __init__(
        self, settings: ConversationSettings, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.settings = settings
        self._clock = clock
        self._items: OrderedDict[str, _Conversation] = OrderedDict()
        self._lock = threading.Lock()

    def _get(self, conversation_id: str) -> _Conversation | None:
        item = self._items.get(conversation_id)
        if item is not None and self._clock() - item.touched > self.settings.ttl_s:
            del self._items[conversation_id]
            return None
        return item

    def history(self, conversation_id: str) -> list[Turn]:
        with self._lock:
            item = self._get(conversation_id)
            return list(item.turns) if item else []

    def last_answer(self, conversation_id: str) -> Answer | None:
        with self._lock:
            item = self._get(conversation_id)
            return item.last_answer if item else None

    def record(self, conversation_id: str, answer: Answer) -> None:
        with self._lock:
            item = self._get(conversation_id)
            if item is None:
                item = _Conversation(turns=deque(maxlen=self.settings.max_turns))
                self._items[conversation_id] = item
            item.turns.append(
                Turn(
                    question=answer.question,
                    standalone_question=answer.standalone_question,
                    answer=answer.answer,
                )
            )
            item.last_answer = answer
            item.touched = self._clock()
            self._items.move_to_end(conversation_id)
            while len(self._items) > self.settings.max_conversations:
                self._items.popitem(last=False)

    def reset(self, conversation_id: str) -> None:
        with self._lock:
            self._items.pop(conversation_id, None)
