"""Retrieve, then answer with citations. Knows nothing of Telegram, Slack or terminals."""

from bot.core.models import Answer, Citation, SearchFilters, SearchHit, Turn

__all__ = ["Answer", "Citation", "SearchFilters", "SearchHit", "Turn"]
