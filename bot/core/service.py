"""`DealDesk`: the one place where "answer a question" lives. Every front end calls this."""

import logging
import time
from collections.abc import Iterator

from bot.core import messages
from bot.core.answerers import (
    Answerer,
    FollowUpRewriter,
    StreamingAnswerer,
    WarmsUp,
    make_answerer,
)
from bot.core.conversation import ConversationStore
from bot.core.evidence import EvidenceScorer, is_grounded
from bot.core.models import Answer, AnswerRequest, SearchFilters, SearchHit
from bot.core.names import unmatched_names
from bot.core.recency import as_of_notes, asks_for_latest, prefer_recent_evidence, rerank_by_recency
from bot.core.rewrite import rewrite_follow_up
from config import Settings
from ingest.language import detect_language
from vectorstore.catalog import StoredDocument
from vectorstore.retriever import HybridSearcher
from vectorstore.store import Store, StoreStats

log = logging.getLogger(__name__)


class DealDesk:
    """Retrieve, check that the corpus answers, then answer with citations. Thread-safe."""

    def __init__(
        self,
        settings: Settings,
        store: Store | None = None,
        answerer: Answerer | None = None,
    ) -> None:
        self.settings = settings
        self.store = store or Store(settings)
        self.searcher = HybridSearcher(self.store, settings.retrieval)
        self.answerer: Answerer = answerer or make_answerer(settings)
        self.conversations = ConversationStore(settings.conversation)
        self.evidence = EvidenceScorer(self.store.encoder)

    def search(
        self, query: str, k: int | None = None, filters: SearchFilters | None = None
    ) -> list[SearchHit]:
        return self.searcher.search(query, k, filters)

    def ask(
        self,
        question: str,
        conversation_id: str | None = None,
        filters: SearchFilters | None = None,
    ) -> Answer:
        """Answer one question; with a conversation id, follow-ups see the earlier turns."""
        answer = None
        for item in self.ask_stream(question, conversation_id, filters):
            if isinstance(item, Answer):
                answer = item
        assert answer is not None
        return answer

    def ask_stream(
        self,
        question: str,
        conversation_id: str | None = None,
        filters: SearchFilters | None = None,
    ) -> Iterator[str | Answer]:
        """`ask`, yielding the answer text as it is written and then the final `Answer`. The
        text is a preview: the final Answer is checked against its sources and may differ."""
        started = time.perf_counter()
        question = question.strip()
        history = self.conversations.history(conversation_id) if conversation_id else []
        if isinstance(self.answerer, FollowUpRewriter):
            standalone = self.answerer.rewrite(question, history)
        else:
            standalone = rewrite_follow_up(question, history)
        rewritten = time.perf_counter()
        language = detect_language(question)
        vector = self.store.encoder.encode_queries([standalone])[0]
        latest = asks_for_latest(standalone)
        k = self.settings.retrieval.k
        hits = self.searcher.search(standalone, 2 * k if latest else k, filters, vector)
        if latest:
            hits = rerank_by_recency(hits)[:k]
        retrieved = time.perf_counter()
        evidence = self.evidence.score(vector, hits, standalone)
        passages = [(hit.language, f"{hit.title}\n{hit.text}") for hit in hits]
        unmatched = unmatched_names(standalone, language, passages)
        grounded = not unmatched and is_grounded(evidence, self.settings.retrieval.min_similarity)
        if latest:
            evidence = prefer_recent_evidence(evidence, hits)
        request = AnswerRequest(
            question=question,
            standalone_question=standalone,
            language=language,
            hits=hits,
            evidence=evidence,
            history=history,
            unmatched_names=unmatched,
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
                standalone, answer.citations, self.store.catalog, answer.language
            )
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

    def _write(self, request: AnswerRequest, grounded: bool) -> Iterator[str | Answer]:
        """The answerer's text (streamed when it can), then its Answer. Weak evidence never
        reaches the answerer: a model that is not called cannot make something up."""
        if grounded and isinstance(self.answerer, StreamingAnswerer):
            yield from self.answerer.stream(request)
            return
        answer = self.answerer.answer(request) if grounded else self.no_answer(request)
        yield answer.answer
        yield answer

    def no_answer(self, request: AnswerRequest) -> Answer:
        documents = self.store.catalog.counts()[0]
        return Answer(
            question=request.question,
            standalone_question=request.standalone_question,
            answer=messages.no_answer(request.language, documents, request.unmatched_names),
            language=request.language,
            grounded=False,
            provider=self.answerer.name,
        )

    def last_answer(self, conversation_id: str) -> Answer | None:
        return self.conversations.last_answer(conversation_id)

    def reset(self, conversation_id: str) -> None:
        self.conversations.reset(conversation_id)

    def stats(self) -> StoreStats:
        return self.store.stats()

    def recent(self, limit: int = 10) -> list[StoredDocument]:
        return self.store.catalog.recent_documents(limit)

    def warm_up(self) -> None:
        """Load the embedder and the model now, so the first user does not wait for them."""
        self.store.encoder.encode(["warm-up"])
        if isinstance(self.answerer, WarmsUp):
            self.answerer.warm_up()

    def close(self) -> None:
        self.store.close()
