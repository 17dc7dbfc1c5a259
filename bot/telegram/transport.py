"""How requests reach the Bot API: python-telegram-bot's own `AIORateLimiter` waits out flood
control (429) and keeps under Telegram's limits; on top of it, network errors on sends are
retried with backoff, and an outage is logged when it starts and when it ends, not per retry."""

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import BadRequest, NetworkError
from telegram.ext import AIORateLimiter
from telegram.request import HTTPXRequest

from bot.outage import OutageLog
from bot.telegram.options import BotOptions

log = logging.getLogger(__name__)

JSONDict = dict[str, Any]
Reply = bool | JSONDict | list[JSONDict]
_UNLIMITED = frozenset({"sendChatAction"})
"""Courtesy calls: renewing "typing…" every few seconds must not use up a group's 20 messages a
minute, and a lost one needs no retry."""
_RETRIED = frozenset({"sendMessage", "editMessageText", "setMyCommands"})
"""What a user (or the menu) waits for. Start-up calls such as getMe have PTB's own bootstrap
retries; retrying them here as well multiplied the wait before an unreachable API was reported."""


class WatchedRequest(HTTPXRequest):
    """PTB's HTTP client, telling an `OutageLog` whether Telegram answered each request."""

    def __init__(self, outage: OutageLog, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.outage = outage

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        try:
            status, payload = await super().do_request(*args, **kwargs)
        except NetworkError as exc:
            self.outage.failed(exc.message)
            raise
        if status >= 500:
            self.outage.failed(f"HTTP {status}")
        else:
            self.outage.succeeded()
        return status, payload


class DeliveryLimiter(AIORateLimiter):
    """`AIORateLimiter` (429s: wait `retry_after`, then retry), plus retries with exponential
    backoff for network errors on sends. A rejected message (400) is never retried: the caller
    decides."""

    def __init__(self, options: BotOptions) -> None:
        super().__init__(max_retries=max(options.send_attempts - 1, 0))
        self.options = options

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Reply]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Reply:
        if endpoint in _UNLIMITED:
            return await callback(*args, **kwargs)
        attempts = self.options.send_attempts if endpoint in _RETRIED else 1
        delay = self.options.backoff_s
        for retry in range(1, attempts):
            try:
                return await super().process_request(
                    callback, args, kwargs, endpoint, data, rate_limit_args
                )
            except BadRequest:
                raise
            except NetworkError as exc:
                log.debug("%s failed (%s); retry %s in %.1f s", endpoint, exc, retry, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, self.options.max_backoff_s)
        return await super().process_request(
            callback, args, kwargs, endpoint, data, rate_limit_args
        )
