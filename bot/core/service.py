"""`DealDesk`: the one place where "answer a question" lives. Every front end calls this."""

import logging
import time

from bot.core import messages
from bot.core.answerers import Answerer, ExtractiveAnswerer
from bot.core.conversation import ConversationStore
from bot.core.evidence import EvidenceScorer, is_grounded
from bot.core.models import Answer, AnswerRequest, SearchFilters, SearchHit
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
        self.answerer: Answerer = answerer or ExtractiveAnswerer()
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
        started = time.perf_counter()
        question = question.strip()
        history = self.conversations.history(conversation_id) if conversation_id else []
        standalone = rewrite_follow_up(question, history)
        language = detect_language(question)
        vector = self.store.encoder.encode([standalone])[0]
        latest = asks_for_latest(standalone)
        k = self.settings.retrieval.k
        hits = self.searcher.search(standalone, 2 * k if latest else k, filters, vector)
        if latest:
            hits = rerank_by_recency(hits)[:k]
        retrieved = time.perf_counter()
        evidence = self.evidence.score(vector, hits, standalone)
        grounded = is_grounded(evidence, self.settings.retrieval.min_similarity)
        if latest:
            evidence = prefer_recent_evidence(evidence, hits)
        request = AnswerRequest(
            question=question,
            standalone_question=standalone,
            language=language,
            hits=hits,
            evidence=evidence,
            history=history,
        )
        if grounded:
            answer = self.answerer.answer(request)
            answer.notes += as_of_notes(
                standalone, answer.citations, self.store.catalog, answer.language
            )
        else:
            answer = self.no_answer(request)
        finished = time.perf_counter()
        answer.timings = {
            "retrieve_s": round(retrieved - started, 4),
            "total_s": round(finished - started, 4),
        } | answer.timings
        if conversation_id:
            self.conversations.record(conversation_id, answer)
        return answer

    def no_answer(self, request: AnswerRequest) -> Answer:
        documents = self.store.catalog.counts()[0]
        return Answer(
            question=request.question,
            standalone_question=request.standalone_question,
            answer=messages.no_answer(request.language, documents),
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
        """Load the embedder now, so the first user does not wait for it."""
        self.store.encoder.encode(["warm-up"])

    def close(self) -> None:
        self.store.close()
