"""What retrieval and the store hand out: hits, filters, documents and corpus statistics."""

from dataclasses import dataclass
from datetime import date

from pydantic import BaseModel, Field


class SearchFilters(BaseModel):
    """Optional limits on what may be retrieved."""

    since: date | None = None
    until: date | None = None
    language: str | None = None


class SearchHit(BaseModel):
    """A retrieved chunk with its scores; `similarity` is the cosine to the question."""

    chunk_id: str
    doc_id: str
    title: str
    source: str
    url: str | None = None
    language: str
    published: date | None = None
    text: str
    score: float = Field(description="Fused score: cosine plus weighted BM25.")
    similarity: float
    dense_rank: int | None = None
    keyword_rank: int | None = None


@dataclass(frozen=True)
class StoredDocument:
    """A committed document as the catalog lists it (dates as YYYYMMDD integers)."""

    doc_id: str
    source: str
    origin_file: str | None
    title: str
    language: str
    published: int | None
    url: str | None
    content_hash: str
    n_chunks: int
    ingested_at: float


class StoreStats(BaseModel):
    """What is in the corpus and where it lives."""

    documents: int
    chunks: int
    languages: dict[str, int]
    embedding_model: str
    dimension: int
    location: str
    chroma_mode: str


@dataclass(frozen=True)
class NewerArticle:
    """A later article on a company than the one an answer cites."""

    title: str
    published: date
    url: str | None
    source: str
