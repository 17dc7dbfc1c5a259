"""The default answer: the best supporting sentences, quoted verbatim, each with its [n]."""

from bot.core import messages
from bot.core.citations import citation_for
from bot.core.evidence import select_evidence
from bot.core.models import Answer, AnswerRequest, Citation, Evidence
from bot.core.typed import VALUE_TYPES, lead_line, value_text, with_antecedent


def cite(
    request: AnswerRequest, chosen: list[Evidence], quotes: dict[int, str]
) -> tuple[list[Citation], dict[int, int]]:
    """Citations numbered by first use; returns them and the hit-index -> n map. `quotes`
    holds each chosen sentence as quoted (with its antecedent where it needs one)."""
    numbers: dict[int, int] = {}
    for item in chosen:
        numbers.setdefault(item.hit_index, len(numbers) + 1)
    citations = []
    for hit_index, n in numbers.items():
        quoted = sorted((e for e in chosen if e.hit_index == hit_index), key=lambda e: e.position)
        quote = " … ".join(quotes[id(e)] for e in quoted)
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
        quotes = {id(e): with_antecedent(e, request.hits[e.hit_index]) for e in chosen}
        citations, numbers = cite(request, chosen, quotes)
        documents = len({citation.source for citation in citations})
        lines = [self.lead(request, chosen, numbers, documents)]
        for item in chosen:
            hit = request.hits[item.hit_index]
            label = messages.language_label(hit.language, request.language)
            quoted = messages.quote(quotes[id(item)], request.language)
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

    @staticmethod
    def lead(
        request: AnswerRequest, chosen: list[Evidence], numbers: dict[int, int], documents: int
    ) -> str:
        """The typed value as a statement in the asker's language when the best sentence states
        one ("Telia Sonera invested $115 million in Spotify [1]."), else "Here is what ..."."""
        analysis = request.analysis
        if analysis is not None and analysis.answer_type in VALUE_TYPES and chosen:
            best = chosen[0]
            hit = request.hits[best.hit_index]
            value = value_text(analysis, best.sentence, hit.language, request.language)
            if value:
                return lead_line(analysis, value, numbers[best.hit_index])
        return messages.extractive_lead(request.language, documents)
