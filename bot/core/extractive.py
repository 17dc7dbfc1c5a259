"""The default answer: the best supporting sentences, quoted verbatim, each with its [n]."""

from bot.core import messages
from bot.core.citations import citation_for
from bot.core.evidence import select_evidence
from bot.core.models import Answer, AnswerRequest, Citation, Evidence


def cite(request: AnswerRequest, chosen: list[Evidence]) -> tuple[list[Citation], dict[int, int]]:
    """Citations numbered by first use; returns them and the hit-index -> n map."""
    numbers: dict[int, int] = {}
    for item in chosen:
        numbers.setdefault(item.hit_index, len(numbers) + 1)
    citations = []
    for hit_index, n in numbers.items():
        quoted = sorted((e for e in chosen if e.hit_index == hit_index), key=lambda e: e.position)
        quote = " … ".join(e.sentence for e in quoted)
        score = max(e.score for e in quoted)
        citations.append(citation_for(request.hits[hit_index], n, quote, score))
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
