"""The data that leaves ingest: a cleaned `Document` and the `Chunk`s cut from it."""

import hashlib
from datetime import date

from pydantic import BaseModel, Field, computed_field


def stable_hash(*parts: str, length: int = 24) -> str:
    """Deterministic ids: the same input always maps to the same id, across runs and machines."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return digest[:length]


def date_to_int(value: date | None) -> int | None:
    """Dates are stored as YYYYMMDD integers so Chroma and SQLite can range-filter them."""
    return None if value is None else value.year * 10_000 + value.month * 100 + value.day


def int_to_date(value: int | None) -> date | None:
    if not value:
        return None
    return date(value // 10_000, value // 100 % 100, value % 100)


class Document(BaseModel):
    """One article after cleaning. `source` is its identity: a file path, `path#n`, or a URL."""

    source: str
    title: str
    text: str
    language: str = "und"
    published: date | None = None
    url: str | None = None
    author: str | None = None
    publisher: str | None = None
    origin_file: str | None = Field(
        default=None, description="The file it came from, so --prune and re-ingest can track it."
    )

    @computed_field  # type: ignore[prop-decorator]
    @property
    def doc_id(self) -> str:
        return stable_hash("doc", self.source)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def content_hash(self) -> str:
        published = self.published.isoformat() if self.published else ""
        return stable_hash(self.title, self.text, published, self.url or "", length=32)


class Chunk(BaseModel):
    """A passage of whole sentences, small enough to quote and to embed well."""

    chunk_id: str
    doc_id: str
    index: int
    text: str
    title: str
    source: str
    language: str
    published: date | None = None
    url: str | None = None

    @property
    def embed_text(self) -> str:
        """The title travels with every chunk, so a passage that never names its subject still
        matches questions about it."""
        return f"{self.title}\n{self.text}" if self.title else self.text
