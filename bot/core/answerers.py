"""Answerers turn retrieved evidence into an `Answer`. The extractive one needs no model."""

from collections.abc import Iterator
from typing import Protocol, runtime_checkable

from bot.core import messages
from bot.core.evidence import select_evidence
from bot.core.models import Answer, AnswerRequest, Citation, Evidence, Turn
from config import Settings


class Answerer(Protocol):
    """Anything that writes an answer from retrieved passages, citing only those passages."""

    name: str

    def answer(self, request: AnswerRequest) -> Answer: ...


@runtime_checkable
class StreamingAnswerer(Protocol):
    """An answerer that shows its text while writing it: text deltas, then the final Answer."""

    name: str

    def answer(self, request: AnswerRequest) -> Answer: ...

    def stream(self, request: AnswerRequest) -> Iterator[str | Answer]: ...


@runtime_checkable
class FollowUpRewriter(Protocol):
    """An answerer with its own way (a model) of making follow-ups standalone."""

    def rewrite(self, question: str, history: list[Turn]) -> str: ...


@runtime_checkable
class WarmsUp(Protocol):
    """An answerer with something slow to load (a model) that start-up should load."""

    def warm_up(self) -> None: ...


def cite(request: AnswerRequest, chosen: list[Evidence]) -> tuple[list[Citation], dict[int, int]]:
    """Citations numbered by first use; returns them and the hit-index -> n map."""
    numbers: dict[int, int] = {}
    for item in chosen:
        numbers.setdefault(item.hit_index, len(numbers) + 1)
    citations = []
    for hit_index, n in numbers.items():
        hit = request.hits[hit_index]
        quoted = sorted((e for e in chosen if e.hit_index == hit_index), key=lambda e: e.position)
        citations.append(
            Citation(
                n=n,
                title=hit.title,
                source=hit.source,
                url=hit.url,
                published=hit.published,
                language=hit.language,
                quote=" … ".join(e.sentence for e in quoted),
                chunk_id=hit.chunk_id,
                score=round(max(e.score for e in quoted), 4),
            )
        )
    return citations, numbers


class ExtractiveAnswerer:
    """Quotes the best supporting sentences verbatim, each with its [n] marker."""

    name = "extractive"

    def __init__(self, max_sentences: int = 3) -> None:
        self.max_sentences = max_sentences

    def answer(self, request: AnswerRequest) -> Answer:
        chosen = select_evidence(request.evidence, self.max_sentences)
        citations, numbers = cite(request, chosen)
        documents = len({citation.source for citation in citations})
        lines = [messages.extractive_lead(request.language, documents)]
        for item in chosen:
            hit = request.hits[item.hit_index]
            label = messages.language_label(hit.language, request.language)
            quoted = messages.quote(item.sentence, request.language)
            lines.append(f"• {quoted} [{numbers[item.hit_index]}]{label}")
        return Answer(
            question=request.question,
            standalone_question=request.standalone_question,
            answer="\n".join(lines),
            language=request.language,
            grounded=True,
            citations=citations,
            provider=self.name,
        )


def make_answerer(settings: Settings) -> Answerer:
    """Extractive unless a model is configured. Called once per process: the model client (or
    the in-process GGUF model) is built here and reused for every question."""
    if settings.llm.provider == "extractive":
        return ExtractiveAnswerer()
    from bot.core.llm import make_llm_answerer

    return make_llm_answerer(settings.llm)
