"""What retrieval returns, and the filters it accepts."""

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
