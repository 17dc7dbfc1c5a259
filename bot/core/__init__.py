"""Retrieve, then answer with citations. Knows nothing of Telegram, Slack or terminals."""

from bot.core.models import Answer, AnswerRequest, Citation, SearchFilters, SearchHit, Turn

__all__ = ["Answer", "AnswerRequest", "Citation", "SearchFilters", "SearchHit", "Turn"]
