"""Hybrid retrieval: dense (Chroma) and keyword (BM25) rankings fused by reciprocal rank fusion.

RRF needs no score calibration between the two rankers; the cosine of every fused hit is still
reported, because "is this relevant at all" needs an absolute scale that ranks do not give.
"""

from typing import Any

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document as LCDocument
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from config import RetrievalSettings
from ingest.models import date_to_int
from vectorstore.catalog import KeywordFilter
from vectorstore.embeddings import Matrix
from vectorstore.models import SearchFilters, SearchHit
from vectorstore.store import Store


def reciprocal_rank_fusion(rankings: list[tuple[list[str], float]], rrf_k: int) -> dict[str, float]:
    """Sum of weight / (rrf_k + rank) over the rankings each id appears in."""
    fused: dict[str, float] = {}
    for ids, weight in rankings:
        for rank, chunk_id in enumerate(ids, start=1):
            fused[chunk_id] = fused.get(chunk_id, 0.0) + weight / (rrf_k + rank)
    return fused


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
        vector = self.store.encoder.encode([query])[0] if query_vector is None else query_vector
        dense = self.store.dense_search(vector, max(self.settings.dense_k, k), flt)
        keyword = self.store.catalog.keyword_search(query, max(self.settings.keyword_k, k), flt)
        dense_ids = [cid for cid, _ in dense]
        keyword_ids = [cid for cid, _ in keyword]
        fused = reciprocal_rank_fusion(
            [
                (dense_ids, self.settings.dense_weight),
                (keyword_ids, self.settings.keyword_weight),
            ],
            self.settings.rrf_k,
        )
        ranked = sorted(fused, key=lambda cid: fused[cid], reverse=True)
        chunks = self.store.catalog.chunks_by_id(ranked[: k * 3])
        ranked = [cid for cid in ranked if cid in chunks][:k]
        similarity = dict(dense)
        missing = [cid for cid in ranked if cid not in similarity]
        for cid, stored in self.store.vectors(missing).items():
            similarity[cid] = float(np.dot(stored, vector))
        dense_rank = {cid: i for i, cid in enumerate(dense_ids, start=1)}
        keyword_rank = {cid: i for i, cid in enumerate(keyword_ids, start=1)}
        return [
            SearchHit(
                chunk_id=cid,
                doc_id=chunks[cid].doc_id,
                title=chunks[cid].title,
                source=chunks[cid].source,
                url=chunks[cid].url,
                language=chunks[cid].language,
                published=chunks[cid].published,
                text=chunks[cid].text,
                score=fused[cid],
                similarity=similarity.get(cid, 0.0),
                dense_rank=dense_rank.get(cid),
                keyword_rank=keyword_rank.get(cid),
            )
            for cid in ranked
        ]


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
