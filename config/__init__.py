"""Typed configuration, read once at the entry point and passed down."""

from config.settings import (
    ChromaSettings,
    ConversationSettings,
    EmbeddingSettings,
    FeedSettings,
    IngestSettings,
    LLMSettings,
    RetrievalSettings,
    Settings,
    SlackSettings,
    TelegramSettings,
)

__all__ = [
    "ChromaSettings",
    "ConversationSettings",
    "EmbeddingSettings",
    "FeedSettings",
    "IngestSettings",
    "LLMSettings",
    "RetrievalSettings",
    "Settings",
    "SlackSettings",
    "TelegramSettings",
]
