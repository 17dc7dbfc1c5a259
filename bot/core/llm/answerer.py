"""LLM-written answers through one LangChain chat-model interface, checked in code afterwards.

The model sees the retrieved passages numbered, inside a data section it is told never to obey,
and writes 2–4 sentences in the question's language with [n] markers. `grounding` then removes
what the passages do not back; if nothing cited is left, the extractive answer stands in.
"""

import logging
import time

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage

from bot.core.citations import citation_for
from bot.core.extractive import ExtractiveAnswerer
from bot.core.grounding import GroundedText, ground_answer, supporting_sentences
from bot.core.llm.prompts import build_messages, build_rewrite_messages, clean_rewrite, passages_of
from bot.core.llm.providers import make_chat_model, provider_label
from bot.core.markers import renumber_citations, split_answer, stable_length
from bot.core.models import Answer, AnswerRequest, AnswerStream, Citation, Turn, final_answer
from bot.core.rewrite import is_follow_up, names_in, rewrite_follow_up
from config.settings import LLMSettings

log = logging.getLogger(__name__)

_NOTES = {
    "no_valid_citation": (
        "The model's answer cited none of the retrieved passages, so the passages are quoted "
        "instead.",
        "Die Antwort des Sprachmodells belegte nichts mit den gefundenen Passagen; deshalb "
        "stehen hier die Passagen selbst.",
    ),
    "off_question": (
        "The model's answer did not address the question, so the passages are quoted instead.",
        "Die Antwort des Sprachmodells ging an der Frage vorbei; deshalb stehen hier die "
        "Passagen selbst.",
    ),
    "model_error": (
        "The language model could not be reached ({error}), so the passages are quoted instead.",
        "Das Sprachmodell war nicht erreichbar ({error}); deshalb stehen hier die Passagen selbst.",
    ),
    "unsupported": (
        "Left out {count} sentence(s) of the model's answer that the cited passages do not "
        "support.",
        "{count} Satz/Sätze der Modellantwort weggelassen, die die zitierten Passagen nicht "
        "stützen.",
    ),
    "invented": (
        "Removed citation(s) {numbers}: no such passage was retrieved.",
        "Quellenangabe(n) {numbers} entfernt: keine solche Passage wurde gefunden.",
    ),
}


def _note(key: str, language: str, **values: object) -> str:
    english, german = _NOTES[key]
    return (german if language == "de" else english).format(**values)


class LLMAnswerer:
    """Writes answers with a chat model and keeps only what the cited passages support."""

    def __init__(self, model: BaseChatModel, name: str) -> None:
        self.model = model
        self.name = name
        self.extractive = ExtractiveAnswerer()

    def warm_up(self) -> None:
        """Load the model (llama.cpp) or wake it (Ollama loads on first request) before users
        ask; a failure is logged, not fatal: answers fall back to quotes until it is back."""
        try:
            self.model.invoke([HumanMessage("Reply with OK.")], stop=["\n", "."])
        except Exception as exc:
            log.warning("warming up %s failed: %s", self.name, type(exc).__name__)

    def rewrite(self, question: str, history: list[Turn]) -> str:
        """A standalone question. The model is asked only when the question leans on the
        conversation; its reply is sanity-checked, and the rule-based rewrite is the fallback."""
        if not history or (names_in(question) and not is_follow_up(question)):
            return question
        try:
            reply = self.model.invoke(build_rewrite_messages(question, history), stop=["\n"])
        except Exception as exc:
            log.warning("rewrite with %s failed: %s", self.name, type(exc).__name__)
            return rewrite_follow_up(question, history)
        return clean_rewrite(reply.text) or rewrite_follow_up(question, history)

    def answer(self, request: AnswerRequest) -> Answer:
        return final_answer(self.stream(request))

    def stream(self, request: AnswerRequest) -> AnswerStream:
        """Text deltas as the model writes them (markers already renumbered, invented ones
        dropped), then the verified `Answer`, which may differ: the deltas are a preview."""
        started = time.perf_counter()
        raw = ""
        shown = ""
        first: float | None = None
        try:
            for chunk in self.model.stream(build_messages(request)):
                if not chunk.text:
                    continue
                first = first or time.perf_counter()
                raw += chunk.text
                preview, _, _ = renumber_citations(raw[: stable_length(raw)], len(request.hits))
                if preview.startswith(shown) and len(preview) > len(shown):
                    yield preview[len(shown) :]
                    shown = preview
        except Exception as exc:
            log.warning("answering with %s failed: %s", self.name, exc.__class__.__name__)
            fallback = self.extractive.answer(request)
            fallback.notes.append(_note("model_error", request.language, error=type(exc).__name__))
            if not shown:
                yield fallback.answer
            yield fallback
            return
        finished = time.perf_counter()
        answer = self.verified(request, raw)
        answer.timings = {"generate_s": round(finished - started, 4)}
        if first is not None:
            answer.timings["model_first_token_s"] = round(first - started, 4)
        yield answer

    def verified(self, request: AnswerRequest, raw: str) -> Answer:
        """The model's text after the grounding checks, with citations for what it kept."""
        passages = passages_of(request)
        questions = list(dict.fromkeys([request.question, request.standalone_question]))
        grounded = ground_answer(raw, passages, questions, request.language)
        notes = []
        if grounded.invented:
            numbers = "".join(f"[{n}]" for n in dict.fromkeys(grounded.invented))
            notes.append(_note("invented", request.language, numbers=numbers))
        if grounded.fallback:
            answer = self.extractive.answer(request)
            answer.notes += [*notes, _note(grounded.fallback, request.language)]
            answer.unsupported = grounded.unsupported
            return answer
        if grounded.unsupported:
            notes.append(_note("unsupported", request.language, count=len(grounded.unsupported)))
        return Answer(
            question=request.question,
            standalone_question=request.standalone_question,
            answer=grounded.text,
            language=request.language,
            grounded=True,
            citations=self.citations(request, grounded),
            provider=self.name,
            unsupported=grounded.unsupported,
            notes=notes,
        )

    def citations(self, request: AnswerRequest, grounded: GroundedText) -> list[Citation]:
        """One citation per cited passage, quoting the sentences that back the claims."""
        sentences = split_answer(grounded.text)
        citations = []
        for n, passage_n in enumerate(grounded.sources, start=1):
            hit = request.hits[passage_n - 1]
            claims = [s for s in sentences if f"[{n}]" in s]
            evidence = [e for e in request.evidence if e.hit_index == passage_n - 1]
            quote = (
                supporting_sentences(claims, hit.text)
                or [e.sentence for e in evidence[:1]]
                or [hit.text.split("\n")[0]]
            )
            score = max((e.score for e in evidence), default=hit.similarity)
            citations.append(citation_for(hit, n, " … ".join(quote), score))
        return citations


def make_llm_answerer(settings: LLMSettings) -> LLMAnswerer:
    return LLMAnswerer(make_chat_model(settings), provider_label(settings))
