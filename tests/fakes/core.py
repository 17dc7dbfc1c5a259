"""In-memory stand-ins for the core's ports (`bot.core.ports`): a word-hashing encoder and a
corpus that searches a list of articles by cosine. Real, small implementations, not mocks: the
core runs its whole ask path over them in milliseconds, without Chroma or a model."""

import hashlib
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from bot.core.answerers import Answerer
from bot.core.conversation import ConversationStore
from bot.core.extractive import ExtractiveAnswerer
from bot.core.service import DealDesk
from config import ConversationSettings, RetrievalSettings
from ingest.chunk import chunk_document
from ingest.load import make_document
from ingest.models import Chunk
from ingest.text import mentions
from vectorstore.embeddings import Encoder, Matrix
from vectorstore.models import (
    NewerArticle,
    SearchFilters,
    SearchHit,
    StoredDocument,
    StoreStats,
)
from vectorstore.retriever import hit_from_chunk

_WORD = re.compile(r"\w+")


class WordHashEncoder(Encoder):
    """Bag of lower-cased word prefixes hashed into a fixed number of dimensions: similar
    wording gives similar vectors, within one language. Deterministic across runs."""

    def __init__(self, model_id: str = "fake-words", dimension: int = 256) -> None:
        self.model_id = model_id
        self._dimension = dimension
        self.calls = 0

    @property
    def dimension(self) -> int:
        return self._dimension

    def encode(self, texts: list[str]) -> Matrix:
        self.calls += 1
        matrix = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in _WORD.findall(text.lower()):
                digest = hashlib.blake2b(word[:6].encode(), digest_size=4).digest()
                matrix[row, int.from_bytes(digest, "little") % self.dimension] += 1.0
            norm = np.linalg.norm(matrix[row])
            if norm:
                matrix[row] /= norm
        return matrix


@dataclass
class Article:
    """One article of a fake corpus."""

    title: str
    text: str
    source: str = ""
    published: date | None = None
    url: str | None = None
    language: str | None = None


@dataclass
class MemoryCorpus:
    """A searchable corpus in memory: the `Retriever` and `Corpus` ports of the core."""

    encoder: WordHashEncoder = field(default_factory=WordHashEncoder)
    chunks: list[Chunk] = field(default_factory=list)
    vectors: Matrix = field(default_factory=lambda: np.zeros((0, 256), dtype=np.float32))
    closed: bool = False

    def add(self, *articles: Article) -> "MemoryCorpus":
        for i, article in enumerate(articles, start=len(self.chunks)):
            doc = make_document(
                article.source or f"memory://{i}",
                article.title,
                article.text,
                url=article.url,
                published=article.published,
            )
            if article.language:
                doc = doc.model_copy(update={"language": article.language})
            fresh = chunk_document(doc)
            self.chunks += fresh
            vectors = self.encoder.encode([chunk.embed_text for chunk in fresh])
            self.vectors = np.vstack([self.vectors, vectors])
        return self

    def search(
        self,
        query: str,
        k: int | None = None,
        filters: SearchFilters | None = None,
        query_vector: Matrix | None = None,
    ) -> list[SearchHit]:
        vector = self.encoder.encode([query])[0] if query_vector is None else query_vector
        scores = self.vectors @ vector if len(self.chunks) else np.zeros(0)
        order = [int(i) for i in np.argsort(-scores) if _passes(self.chunks[int(i)], filters)]
        return [
            hit_from_chunk(self.chunks[i], float(scores[i]), float(scores[i]))
            for i in order[: k or 5]
        ]

    def newer_coverage(self, name: str, after: date) -> NewerArticle | None:
        later = [c for c in self.chunks if c.published and c.published > after and name in c.title]
        if not later:
            return None
        newest = max(later, key=lambda c: c.published or after)
        assert newest.published is not None
        return NewerArticle(newest.title, newest.published, newest.url, newest.source)

    def chunks_mentioning(self, names: Sequence[str], k: int = 10) -> list[SearchHit]:
        found = [c for c in self.chunks if all(mentions(c.embed_text, n) for n in names)]
        return [hit_from_chunk(chunk, 0.0, 0.0) for chunk in found[:k]] if names else []

    def _documents(self) -> dict[str, Chunk]:
        return {chunk.doc_id: chunk for chunk in self.chunks}

    def stats(self) -> StoreStats:
        documents = self._documents()
        languages: dict[str, int] = {}
        for chunk in documents.values():
            languages[chunk.language] = languages.get(chunk.language, 0) + 1
        return StoreStats(
            documents=len(documents),
            chunks=len(self.chunks),
            languages=languages,
            embedding_model=self.encoder.model_id,
            dimension=self.encoder.dimension,
            location="memory",
            chroma_mode="memory",
        )

    def recent(self, limit: int = 10) -> list[StoredDocument]:
        now = time.time()
        return [
            StoredDocument(c.doc_id, c.source, None, c.title, c.language, None, c.url, "", 1, now)
            for c in list(self._documents().values())[-limit:][::-1]
        ]

    def document_count(self) -> int:
        return len(self._documents())

    def close(self) -> None:
        self.closed = True


def _passes(chunk: Chunk, filters: SearchFilters | None) -> bool:
    if filters is None:
        return True
    if filters.language and chunk.language != filters.language:
        return False
    if filters.since and (chunk.published is None or chunk.published < filters.since):
        return False
    return not (filters.until and (chunk.published is None or chunk.published > filters.until))


def memory_desk(
    *articles: Article,
    answerer: Answerer | None = None,
    retrieval: RetrievalSettings | None = None,
    conversation: ConversationSettings | None = None,
) -> DealDesk:
    """A `DealDesk` over `articles` held in memory, answering extractively by default."""
    corpus = MemoryCorpus().add(*articles)
    return DealDesk(
        retriever=corpus,
        corpus=corpus,
        encoder=corpus.encoder,
        answerer=answerer or ExtractiveAnswerer(),
        conversations=ConversationStore(conversation or ConversationSettings()),
        settings=retrieval or RetrievalSettings(min_similarity=0.2),
    )
