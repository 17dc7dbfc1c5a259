"""The rate limit every chat front end applies before answering, so one chatty user cannot
starve everyone else: a per-user sliding window, and one polite reply when it is exceeded."""

import time
from collections import deque
from collections.abc import Callable, Hashable

from bot.replies import slow_down
from ingest.language import detect_language


class RateLimiter:
    """At most `limit` events per `window_s` for each key; says how long to wait otherwise.

    Not thread-safe: the bots call it from their event loop only.
    """

    def __init__(
        self,
        limit: int,
        window_s: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 10_000,
    ) -> None:
        if limit < 1 or window_s <= 0:
            raise ValueError("a rate limit needs limit >= 1 and a positive window")
        self.limit = limit
        self.window_s = window_s
        self._clock = clock
        self._max_keys = max_keys
        self._events: dict[Hashable, deque[float]] = {}

    def acquire(self, key: Hashable) -> float:
        """Record an event for `key` and return 0, or return the seconds until one is allowed."""
        now = self._clock()
        if len(self._events) > self._max_keys:
            self._forget_idle(now)
        events = self._events.setdefault(key, deque())
        while events and events[0] <= now - self.window_s:
            events.popleft()
        if len(events) >= self.limit:
            return events[0] + self.window_s - now
        events.append(now)
        return 0.0

    def __len__(self) -> int:
        """How many keys are tracked; bounded by `max_keys` plus the active ones."""
        return len(self._events)

    def _forget_idle(self, now: float) -> None:
        """Drop keys with no event inside the window, so memory stays bounded."""
        idle = [k for k, events in self._events.items() if events[-1] <= now - self.window_s]
        for key in idle:
            del self._events[key]


class QuestionLimit:
    """The policy: `per_minute` questions per user in any 60 seconds (commands are free)."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self._limiter = RateLimiter(per_minute, 60.0, clock)

    def refusal(self, user: Hashable, question: str) -> str | None:
        """None when `user` may ask now; otherwise the reply, in the question's language."""
        wait_s = self._limiter.acquire(user)
        return slow_down(wait_s, detect_language(question)) if wait_s > 0 else None
