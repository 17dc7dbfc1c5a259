"""Timings and sizes of the Telegram bot. The defaults suit Telegram; tests shrink the waits."""

from dataclasses import dataclass


@dataclass(frozen=True)
class BotOptions:
    typing_interval_s: float = 4.0  # Telegram shows "typing…" for about five seconds
    send_attempts: int = 5
    backoff_s: float = 1.0
    max_backoff_s: float = 30.0
    concurrent_updates: int = 64
    answer_threads: int = 16  # answers with an LLM mostly wait, so threads are cheap
    remembered_answers: int = 1000
    recent_documents: int = 10
    connection_pool_size: int = 256  # what PTB's builder gives its own sending client


@dataclass(frozen=True)
class WebhookOptions:
    url: str
    listen: str = "127.0.0.1"
    port: int = 8443
