"""What the core hands to front ends: an `Answer` with its `Citation`s."""

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
    score: float = Field(description="Fused rank score (reciprocal rank fusion).")
    similarity: float
    dense_rank: int | None = None
    keyword_rank: int | None = None


class Citation(BaseModel):
    """A passage the answer relies on, quoted verbatim in its original language."""

    n: int
    title: str
    source: str
    url: str | None = None
    published: date | None = None
    language: str
    quote: str
    chunk_id: str
    score: float


class Turn(BaseModel):
    """One question and answer of a conversation, kept for follow-ups."""

    question: str
    standalone_question: str
    answer: str


class Answer(BaseModel):
    """The core's reply. `answer` is plain text with inline [n] markers; each n is a citation."""

    question: str
    standalone_question: str
    answer: str
    language: str
    grounded: bool
    citations: list[Citation] = Field(default_factory=list)
    provider: str = "extractive"
    unsupported: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    timings: dict[str, float] = Field(default_factory=dict)
