"""The store: Chroma vectors plus the SQLite catalog, kept in step through a journal."""

import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from chromadb.api.types import Where
from pydantic import BaseModel

from config import Settings
from config.errors import ModelMismatchError, StoreError
from ingest.models import Chunk, Document, date_to_int
from vectorstore.catalog import CATALOG, Catalog, KeywordFilter, model_to_open
from vectorstore.chroma import make_client, mismatch_message, open_collection
from vectorstore.embeddings import Encoder, Matrix
from vectorstore.registry import make_encoder

log = logging.getLogger(__name__)


class StoreStats(BaseModel):
    documents: int
    chunks: int
    languages: dict[str, int]
    embedding_model: str
    dimension: int
    location: str
    chroma_mode: str


class Store:
    """Everything retrieval and ingest need from storage, behind one object."""

    def __init__(
        self, settings: Settings, encoder: Encoder | None = None, *, rebuild: bool = False
    ) -> None:
        """Open (or create) the store; `rebuild` drops the vectors so `reindex` can refill them
        with the configured model (or the default). `settings` is kept tuned for the encoder."""
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        self.catalog = Catalog(settings.data_dir / CATALOG)
        if encoder is None:
            built_with = self.catalog.get_meta("embedding_model")
            model = model_to_open(settings.embedding.model, built_with, rebuild)
            encoder = make_encoder(settings.embedding, model)
        self.encoder = encoder
        self.settings = settings.tuned_for(encoder.model_id)
        self.client = make_client(settings)
        self.location = settings.chroma.url or str(Path(settings.data_dir).resolve() / "chroma")
        if rebuild:
            self._drop_collection()
        self._check_catalog_model()
        try:
            self.collection = open_collection(
                self.client, settings.chroma.collection, self.encoder, self.location
            )
        except ModelMismatchError:
            raise
        except Exception as exc:
            raise StoreError(
                f"cannot open the Chroma collection at {self.location}: {exc}"
            ) from exc
        self.max_batch_size = int(self.client.get_max_batch_size())
        self.recover()

    def _drop_collection(self) -> None:
        name = self.settings.chroma.collection
        if name in {c.name for c in self.client.list_collections()}:
            self.client.delete_collection(name)
        self.catalog.set_meta("embedding_model", self.encoder.model_id)
        self.catalog.set_meta("dimension", str(self.encoder.dimension))

    def _check_catalog_model(self) -> None:
        built_with = self.catalog.get_meta("embedding_model")
        if built_with is None:
            self.catalog.set_meta("embedding_model", self.encoder.model_id)
            self.catalog.set_meta("dimension", str(self.encoder.dimension))
        elif built_with != self.encoder.model_id:
            raise ModelMismatchError(
                mismatch_message(
                    built_with,
                    self.catalog.get_meta("dimension"),
                    self.encoder,
                    str(self.settings.data_dir),
                )
            )

    def close(self) -> None:
        self.catalog.close()

    def recover(self) -> int:
        """Delete vectors a crashed run wrote but never committed; returns how many."""
        orphans = self.catalog.journal_orphans()
        if orphans:
            self._delete_vectors(orphans)
            log.info("removed %d uncommitted vectors left by an interrupted run", len(orphans))
        self.catalog.journal_clear()
        return len(orphans)

    def _delete_vectors(self, ids: Sequence[str]) -> None:
        for start in range(0, len(ids), self.max_batch_size):
            self.collection.delete(ids=list(ids[start : start + self.max_batch_size]))

    def write(self, items: Sequence[tuple[Document, Sequence[Chunk]]], vectors: Matrix) -> None:
        """Write documents with their chunk vectors (rows in chunk order), crash-safely:
        journal -> vectors -> catalog commit -> delete stale vectors."""
        chunks = [chunk for _, doc_chunks in items for chunk in doc_chunks]
        if len(chunks) != len(vectors):
            raise StoreError("internal error: one vector per chunk is required")
        ids = [c.chunk_id for c in chunks]
        self.catalog.journal_add(ids)
        for start in range(0, len(chunks), self.max_batch_size):
            part = chunks[start : start + self.max_batch_size]
            self.collection.upsert(
                ids=[c.chunk_id for c in part],
                embeddings=vectors[start : start + len(part)],
                metadatas=[_metadata(c) for c in part],
            )
        stale = self.catalog.commit_documents(items)
        if stale:
            self._delete_vectors(stale)
            self.catalog.journal_clear(stale)

    def remove(self, doc_ids: Sequence[str]) -> int:
        """Forget documents; returns how many chunks went with them."""
        removed = self.catalog.remove_documents(doc_ids)
        if removed:
            self._delete_vectors(removed)
            self.catalog.journal_clear(removed)
        return len(removed)

    def dense_search(
        self, vector: Matrix, k: int, flt: KeywordFilter | None = None
    ) -> list[tuple[str, float]]:
        """Nearest chunks as (chunk_id, cosine similarity), best first."""
        if self.collection.count() == 0:
            return []
        result = self.collection.query(
            query_embeddings=vector.reshape(1, -1),
            n_results=k,
            where=_chroma_where(flt),
            include=["distances"],
        )
        ids = result["ids"][0]
        distances = (result["distances"] or [[]])[0]
        return [(cid, 1.0 - float(d)) for cid, d in zip(ids, distances, strict=True)]

    def vectors(self, chunk_ids: Sequence[str]) -> dict[str, Matrix]:
        """Stored vectors by id, so keyword-only hits can be scored against the query too."""
        if not chunk_ids:
            return {}
        result = self.collection.get(ids=list(chunk_ids), include=["embeddings"])
        embeddings = result["embeddings"]
        if embeddings is None:
            return {}
        return {
            cid: np.asarray(vec, dtype=np.float32)
            for cid, vec in zip(result["ids"], embeddings, strict=True)
        }

    def stats(self) -> StoreStats:
        documents, chunks, languages = self.catalog.counts()
        return StoreStats(
            documents=documents,
            chunks=chunks,
            languages=languages,
            embedding_model=self.encoder.model_id,
            dimension=self.encoder.dimension,
            location=self.location,
            chroma_mode="server" if self.settings.chroma.url else "embedded",
        )

    def reindex(self) -> int:
        """Re-embed every committed chunk (after opening with `rebuild=True`)."""
        batch: list[Chunk] = []
        total = 0
        for chunk in self.catalog.all_chunks():
            batch.append(chunk)
            if len(batch) >= 256:
                total += self._upsert_chunks(batch)
                batch = []
        return total + self._upsert_chunks(batch)

    def _upsert_chunks(self, chunks: list[Chunk]) -> int:
        if chunks:
            vectors = self.encoder.encode([c.embed_text for c in chunks])
            self.collection.upsert(
                ids=[c.chunk_id for c in chunks],
                embeddings=vectors,
                metadatas=[_metadata(c) for c in chunks],
            )
        return len(chunks)


def _metadata(chunk: Chunk) -> dict[str, str | int]:
    metadata: dict[str, str | int] = {
        "doc_id": chunk.doc_id,
        "source": chunk.source,
        "language": chunk.language,
        "index": chunk.index,
    }
    published = date_to_int(chunk.published)
    if published is not None:
        metadata["published"] = published
    return metadata


def _chroma_where(flt: KeywordFilter | None) -> Where | None:
    if flt is None:
        return None
    clauses: list[Where] = []
    if flt.since is not None:
        since: Where = {"published": {"$gte": flt.since}}  # type: ignore[dict-item]
        clauses.append(since)
    if flt.until is not None:
        until: Where = {"published": {"$lte": flt.until}}  # type: ignore[dict-item]
        clauses.append(until)
    if flt.language:
        clauses.append({"language": flt.language})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}
