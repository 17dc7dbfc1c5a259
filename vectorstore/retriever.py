"""Hybrid retrieval: dense (Chroma) and keyword (BM25) candidates fused by a weighted sum of scores.

Reciprocal rank fusion was the first choice, and it lost: across languages (English question,
German article) the BM25 ranking is mostly noise, and RRF gives noise at rank 1 the same credit as
a real match. Raw BM25 scores are near zero when little matches, so a small weight on them adds
names and numbers where they match and stays out of the way where they do not (XQuAD en->de R@1
0.74 -> 0.81 with BM25 over character grams; RRF made it worse, see docs/BENCHMARKS.md).
"""

import re
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document as LCDocument
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from config import RetrievalSettings
from ingest.models import Chunk, date_to_int
from ingest.text import mentions
from vectorstore.catalog import KeywordFilter
from vectorstore.embeddings import Matrix
from vectorstore.keyword import keyword_terms
from vectorstore.models import NewerArticle, SearchFilters, SearchHit
from vectorstore.store import Store


def weighted_fusion(
    dense: dict[str, float], keyword: dict[str, float], dense_weight: float, keyword_weight: float
) -> dict[str, float]:
    """dense_weight * cosine + keyword_weight * BM25 for every candidate; `dense` must hold the
    cosine of every candidate, keyword-only ones included."""
    return {
        cid: dense_weight * cosine + keyword_weight * keyword.get(cid, 0.0)
        for cid, cosine in dense.items()
    }


def short_query_boost(query: str, typical_terms: int = 12) -> float:
    """Raw BM25 sums over the query's terms, so a bare name ("Amblin", 5 grams) scores a fraction
    of a question's BM25 although it depends on keywords the most. Queries shorter than a typical
    question (12 grams: XQuAD's 5th percentile) get their keyword weight scaled up to match;
    longer ones, where the weight was tuned, are untouched."""
    terms = len(set(keyword_terms(query)))
    return max(1.0, typical_terms / terms) if terms else 1.0


def to_keyword_filter(filters: SearchFilters | None) -> KeywordFilter | None:
    if filters is None:
        return None
    return KeywordFilter(
        since=date_to_int(filters.since),
        until=date_to_int(filters.until),
        language=filters.language,
    )


class HybridSearcher:
    """Finds the best chunks for a query; the retrieval half of the core."""

    def __init__(self, store: Store, settings: RetrievalSettings) -> None:
        self.store = store
        self.settings = settings

    def search(
        self,
        query: str,
        k: int | None = None,
        filters: SearchFilters | None = None,
        query_vector: Matrix | None = None,
    ) -> list[SearchHit]:
        k = k or self.settings.k
        flt = to_keyword_filter(filters)
        if query_vector is None:
            query_vector = self.store.encoder.encode_queries([query])[0]
        vector = query_vector
        dense = self.store.dense_search(vector, max(self.settings.dense_k, k), flt)
        keyword = self.store.catalog.keyword_search(
            query, max(self.settings.keyword_k, k), flt, self.settings.keyword_max_postings
        )
        similarity = dict(dense)
        bm25 = dict(keyword)
        missing = [cid for cid in bm25 if cid not in similarity]
        for cid, stored in self.store.vectors(missing).items():
            similarity[cid] = float(np.dot(stored, vector))
        fused = weighted_fusion(
            similarity,
            bm25,
            self.settings.dense_weight,
            self.settings.keyword_weight * short_query_boost(query),
        )
        ranked = sorted(fused, key=lambda cid: fused[cid], reverse=True)
        chunks = self.store.catalog.chunks_by_id(ranked[: k * 3])
        ranked = [cid for cid in ranked if cid in chunks][:k]
        dense_rank = {cid: i for i, (cid, _) in enumerate(dense, start=1)}
        keyword_rank = {cid: i for i, (cid, _) in enumerate(keyword, start=1)}
        return [
            hit_from_chunk(
                chunks[cid],
                fused[cid],
                similarity.get(cid, 0.0),
                dense_rank.get(cid),
                keyword_rank.get(cid),
            )
            for cid in ranked
        ]

    def chunks_mentioning(self, names: Sequence[str], k: int = 10) -> list[SearchHit]:
        """Chunks that mention every one of `names`, in any language and inflection, found
        through the keyword index (a name is the same word in every language the corpus has,
        so no translation is needed) and checked name by name."""
        if not names:
            return []
        found = self.store.catalog.keyword_search(" ".join(names), k=200)
        chunks = self.store.catalog.chunks_by_id([cid for cid, _ in found])
        hits = []
        for cid, score in found:
            chunk = chunks.get(cid)
            if chunk is None or not all(mentions(chunk.embed_text, n) for n in names):
                continue
            hits.append(hit_from_chunk(chunk, score, 0.0))
            if len(hits) == k:
                break
        return hits

    def newer_coverage(self, name: str, after: date) -> NewerArticle | None:
        """The newest stored article published after `after` whose title names `name`."""
        since = date_to_int(after + timedelta(days=1))
        found = self.store.catalog.keyword_search(name, k=50, flt=KeywordFilter(since=since))
        chunks = self.store.catalog.chunks_by_id([chunk_id for chunk_id, _ in found])
        pattern = re.compile(rf"\b{re.escape(name)}\b")
        best: NewerArticle | None = None
        for chunk in chunks.values():
            if chunk.published is None or chunk.published <= after:
                continue
            if not pattern.search(chunk.title):
                continue
            if best is None or chunk.published > best.published:
                best = NewerArticle(chunk.title, chunk.published, chunk.url, chunk.source)
        return best


def hit_from_chunk(
    chunk: Chunk,
    score: float,
    similarity: float,
    dense_rank: int | None = None,
    keyword_rank: int | None = None,
) -> SearchHit:
    """A chunk as retrieval hands it out, with its scores."""
    return SearchHit(
        chunk_id=chunk.chunk_id,
        doc_id=chunk.doc_id,
        title=chunk.title,
        source=chunk.source,
        url=chunk.url,
        language=chunk.language,
        published=chunk.published,
        text=chunk.text,
        score=score,
        similarity=similarity,
        dense_rank=dense_rank,
        keyword_rank=keyword_rank,
    )


class HybridRetriever(BaseRetriever):
    """The hybrid searcher as a LangChain retriever, so it composes with LangChain chains."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    searcher: HybridSearcher
    k: int = 5
    filters: SearchFilters | None = None

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[LCDocument]:
        hits = self.searcher.search(query, self.k, self.filters)
        return [_to_langchain(hit) for hit in hits]


def _to_langchain(hit: SearchHit) -> LCDocument:
    metadata: dict[str, Any] = hit.model_dump(exclude={"text"}, mode="json")
    return LCDocument(page_content=hit.text, metadata=metadata, id=hit.chunk_id)
