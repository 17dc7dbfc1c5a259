"""`DealDesk`: the one place where "answer a question" lives. Every front end calls this."""

import time

from bot.core import messages
from bot.core.answerers import Answerer, FollowUpRewriter, StreamingAnswerer, WarmsUp
from bot.core.evidence import EvidenceScorer, is_grounded
from bot.core.gate import find_gap
from bot.core.models import Answer, AnswerRequest, AnswerStream, SearchFilters, final_answer
from bot.core.ports import ConversationMemory, Corpus, QuestionEncoder, Retriever
from bot.core.recency import as_of_notes, asks_for_latest, prefer_recent_evidence, rerank_by_recency
from bot.core.rewrite import rewrite_follow_up
from bot.core.typed import rank_by_type
from config import RetrievalSettings
from config.errors import QuestionError
from ingest.language import detect_language
from ingest.text import analyse_question
from vectorstore.models import SearchHit, StoredDocument, StoreStats


class DealDesk:
    """Retrieve, check that the corpus answers, then answer with citations. Thread-safe.

    Built by `bot.compose.build_desk`; everything it talks to is a small protocol
    (`bot.core.ports`), so its tests run on in-memory fakes."""

    def __init__(
        self,
        retriever: Retriever,
        corpus: Corpus,
        encoder: QuestionEncoder,
        answerer: Answerer,
        conversations: ConversationMemory,
        settings: RetrievalSettings,
    ) -> None:
        self.retriever = retriever
        self.corpus = corpus
        self.encoder = encoder
        self.answerer = answerer
        self.conversations = conversations
        self.settings = settings
        self.evidence = EvidenceScorer(encoder)

    def search(
        self, query: str, k: int | None = None, filters: SearchFilters | None = None
    ) -> list[SearchHit]:
        return self.retriever.search(query, k, filters)

    def ask(
        self,
        question: str,
        conversation_id: str | None = None,
        filters: SearchFilters | None = None,
    ) -> Answer:
        """Answer one question; with a conversation id, follow-ups see the earlier turns."""
        return final_answer(self.ask_stream(question, conversation_id, filters))

    def ask_stream(
        self,
        question: str,
        conversation_id: str | None = None,
        filters: SearchFilters | None = None,
    ) -> AnswerStream:
        """`ask`, yielding the answer text as it is written and then the final `Answer`. The
        text is a preview: the final Answer is checked against its sources and may differ."""
        started = time.perf_counter()
        question = question.strip()
        if not question:
            raise QuestionError("the question is empty: ask something about the corpus")
        history = self.conversations.history(conversation_id) if conversation_id else []
        if isinstance(self.answerer, FollowUpRewriter):
            standalone = self.answerer.rewrite(question, history)
        else:
            standalone = rewrite_follow_up(question, history)
        rewritten = time.perf_counter()
        language = detect_language(question)
        analysis = analyse_question(standalone, language)
        vector = self.encoder.encode_queries([standalone])[0]
        latest = asks_for_latest(standalone)
        k = self.settings.k
        hits = self.retriever.search(standalone, 2 * k if latest else k, filters, vector)
        if latest:
            hits = rerank_by_recency(hits)[:k]
        gap, named = find_gap(analysis, hits, self.retriever)
        known = {hit.chunk_id for hit in hits}
        hits += [hit for hit in named if hit.chunk_id not in known]
        retrieved = time.perf_counter()
        scored = self.evidence.score(vector, hits, standalone)
        grounded = gap is None and is_grounded(scored.evidence, self.settings.min_similarity)
        evidence = rank_by_type(analysis, scored.evidence, hits)
        if latest:
            evidence = prefer_recent_evidence(evidence, hits)
        request = AnswerRequest(
            question=question,
            standalone_question=standalone,
            language=language,
            hits=hits,
            evidence=evidence,
            history=history,
            analysis=analysis,
            gap=gap,
            planted=scored.planted,
        )
        answer: Answer | None = None
        first_text: float | None = None
        for item in self._write(request, grounded):
            if isinstance(item, Answer):
                answer = item
            else:
                first_text = first_text or time.perf_counter()
                yield item
        assert answer is not None
        if grounded:
            answer.notes += as_of_notes(
                standalone, answer.citations, self.retriever, answer.language
            )
        if request.planted:
            answer.notes.append(messages.planted_instructions(answer.language))
        finished = time.perf_counter()
        answer.timings = {
            "rewrite_s": round(rewritten - started, 4),
            "retrieve_s": round(retrieved - started, 4),
            "first_token_s": round((first_text or finished) - started, 4),
            "total_s": round(finished - started, 4),
        } | answer.timings
        if conversation_id:
            self.conversations.record(conversation_id, answer)
        yield answer

    def _write(self, request: AnswerRequest, grounded: bool) -> AnswerStream:
        """The answerer's text (streamed when it can), then its Answer. Weak evidence never
        reaches the answerer: a model that is not called cannot make something up."""
        if grounded and isinstance(self.answerer, StreamingAnswerer):
            yield from self.answerer.stream(request)
            return
        answer = self.answerer.answer(request) if grounded else self.no_answer(request)
        yield answer.answer
        yield answer

    def no_answer(self, request: AnswerRequest) -> Answer:
        documents = self.corpus.document_count()
        return Answer(
            question=request.question,
            standalone_question=request.standalone_question,
            answer=messages.no_answer(
                request.language,
                documents,
                request.gap,
                request.analysis.trigger if request.analysis else None,
            ),
            language=request.language,
            grounded=False,
            provider=self.answerer.name,
        )

    def last_answer(self, conversation_id: str) -> Answer | None:
        return self.conversations.last_answer(conversation_id)

    def reset(self, conversation_id: str) -> None:
        self.conversations.reset(conversation_id)

    def stats(self) -> StoreStats:
        return self.corpus.stats()

    def recent(self, limit: int = 10) -> list[StoredDocument]:
        return self.corpus.recent(limit)

    def warm_up(self) -> None:
        """Load the embedder and the model now, so the first user does not wait for them."""
        self.encoder.encode(["warm-up"])
        if isinstance(self.answerer, WarmsUp):
            self.answerer.warm_up()

    def close(self) -> None:
        self.corpus.close()
