"""What the core hands to front ends: an `Answer` with its `Citation`s."""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ingest.text import QuestionAnalysis
from vectorstore.models import SearchFilters, SearchHit

__all__ = [
    "Answer",
    "AnswerRequest",
    "AnswerStream",
    "Citation",
    "Evidence",
    "SearchFilters",
    "SearchHit",
    "Turn",
]


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


GapKind = Literal["never", "apart", "no_value"]


@dataclass(frozen=True)
class Gap:
    """What the corpus lacks to answer: a name it never mentions, names it never mentions
    together, or a value of the asked type about the names."""

    kind: GapKind
    names: tuple[str, ...]
    answer_type: str | None = None


class Evidence(BaseModel):
    """One quotable sentence of a retrieved hit, scored against the question."""

    hit_index: int
    position: int
    sentence: str
    score: float


class AnswerRequest(BaseModel):
    """Everything an answerer may use; it must cite only from `hits`."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    question: str
    standalone_question: str
    language: str
    hits: list[SearchHit]
    evidence: list[Evidence] = Field(default_factory=list, description="Best sentences first.")
    history: list[Turn] = Field(default_factory=list)
    analysis: QuestionAnalysis | None = Field(
        default=None, description="The answer type, names and deal roles the question asks for."
    )
    gap: Gap | None = Field(default=None, description="Why the corpus cannot answer, if it cannot.")
    planted: list[int] = Field(
        default_factory=list,
        description="Indexes of hits holding instruction-like sentences, which are never quoted.",
    )


AnswerStream = Iterator[str | Answer]
"""Text as it is written, then the final `Answer` (see `final_answer`)."""


def final_answer(
    stream: Iterable[str | Answer], on_text: Callable[[str], None] | None = None
) -> Answer:
    """The `Answer` that ends an answer stream; `on_text` sees each text delta on the way."""
    answer: Answer | None = None
    for item in stream:
        if isinstance(item, Answer):
            answer = item
        elif on_text is not None:
            on_text(item)
    if answer is None:
        raise RuntimeError("the answer stream ended without an Answer")
    return answer
