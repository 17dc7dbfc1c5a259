"""The store: Chroma vectors plus the SQLite catalog, kept in step through a journal."""

import logging
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import numpy as np
from chromadb.api.models.Collection import Collection
from chromadb.api.types import Where

from config import Settings
from config.errors import ModelMismatchError, StoreError, StoreMissingError
from ingest.models import Chunk, Document, date_to_int
from vectorstore.catalog import CATALOG, Catalog, KeywordFilter, model_to_open
from vectorstore.chroma import make_client, mismatch_message, open_collection
from vectorstore.embeddings import Encoder, Matrix
from vectorstore.lock import WriterLock, ensure_data_dir
from vectorstore.models import StoredDocument, StoreStats
from vectorstore.registry import make_encoder

log = logging.getLogger(__name__)


def require_store(settings: Settings) -> None:
    """Raise `StoreMissingError` unless the data dir holds a store; creates nothing."""
    ensure_data_dir(settings.data_dir, create=False)
    if not (settings.data_dir / CATALOG).is_file():
        raise StoreMissingError(_missing_message(settings))


class Store:
    """Everything retrieval and ingest need from storage, behind one object.

    `Store(settings)` is a reader: it opens an existing store without changing anything (no
    recovery, no schema or meta writes) and never waits for a writer, so `ask`, `search`,
    `stats` and the bots work while an ingest runs; a missing store is a `StoreMissingError`.
    `Store.open_writer(settings)` takes the writer lock first, creates the store if needed and
    cleans up a dead writer's leftovers. Both are context managers; closing a writer frees the
    lock.
    """

    def __init__(
        self,
        settings: Settings,
        encoder: Encoder | None = None,
        *,
        writer: WriterLock | None = None,
        rebuild: bool = False,
    ) -> None:
        """Open the store, read-only unless `writer` (the held writer lock, which the store then
        owns) is given; `rebuild` drops the vectors so `reindex` can refill them with the
        configured model."""
        self.settings = settings
        self.writer = writer
        data_dir = settings.data_dir
        self.location = settings.chroma.url or str(Path(data_dir).resolve() / "chroma")
        if rebuild and writer is None:
            raise StoreError("internal error: only a writer can rebuild the store")
        ensure_data_dir(data_dir, create=writer is not None)
        self.catalog = _open_catalog(data_dir / CATALOG, read_only=writer is None)
        try:
            if encoder is None:
                built_with = self.catalog.get_meta("embedding_model")
                model = model_to_open(settings.embedding.model, built_with, rebuild)
                encoder = make_encoder(settings.embedding, model)
            self.encoder = encoder
            self.settings = settings.tuned_for(encoder.model_id)
            if self.read_only and not settings.chroma.url and not Path(self.location).is_dir():
                raise self._no_vectors()
            self.client = make_client(settings)
            if rebuild:
                self._drop_collection()
            self._check_catalog_model()
            self.collection = self._open_collection()
            self.max_batch_size = int(self.client.get_max_batch_size())
        except BaseException:
            self.catalog.close()
            raise

    @classmethod
    def open_writer(
        cls,
        settings: Settings,
        encoder: Encoder | None = None,
        *,
        command: str = "ingest",
        wait: bool = True,
        on_wait: Callable[[str], None] | None = None,
        rebuild: bool = False,
    ) -> "Store":
        """Take the writer lock (see `WriterLock.acquire` for `wait` and `on_wait`), open or
        create the store, and remove what a dead writer left: with the lock held no other
        writer is alive, so every journal entry is a leftover."""
        lock = WriterLock.acquire(settings.data_dir, command, wait, on_wait)
        try:
            store = cls(settings, encoder, writer=lock, rebuild=rebuild)
        except BaseException:
            lock.release()
            raise
        try:
            store.recover()
        except BaseException:
            store.close()
            raise
        return store

    @property
    def read_only(self) -> bool:
        return self.writer is None

    def _require_writer(self) -> None:
        if self.writer is None or not self.writer.held:
            raise StoreError("internal error: this store was opened read-only")

    def _open_collection(self) -> Collection:
        try:
            collection = open_collection(
                self.client,
                self.settings.chroma.collection,
                self.encoder,
                self.location,
                create=not self.read_only,
            )
        except ModelMismatchError:
            raise
        except Exception as exc:
            raise StoreError(
                f"cannot open the Chroma collection at {self.location}: {exc}"
            ) from exc
        if collection is None:
            raise self._no_vectors()
        return collection

    def _no_vectors(self) -> StoreError:
        """What a reader says when the catalog exists but the collection does not."""
        chunks = self.catalog.counts()[1]
        if chunks == 0:
            return StoreMissingError(_missing_message(self.settings))
        return StoreError(
            f"the vectors of the {chunks} stored passages are missing from {self.location}: "
            "run `dealdesk check --repair` to re-embed them from the stored text"
        )

    def _drop_collection(self) -> None:
        name = self.settings.chroma.collection
        if name in {c.name for c in self.client.list_collections()}:
            self.client.delete_collection(name)
        self.catalog.set_meta("embedding_model", self.encoder.model_id)
        self.catalog.set_meta("dimension", str(self.encoder.dimension))

    def _check_catalog_model(self) -> None:
        built_with = self.catalog.get_meta("embedding_model")
        if built_with is None:
            if not self.read_only:
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
        """Close the catalog and give up the writer lock, if held."""
        self.catalog.close()
        if self.writer is not None:
            self.writer.release()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def recover(self) -> int:
        """Delete vectors a crashed run wrote but never committed; returns how many. Only the
        holder of the writer lock may do this: a live writer's journal is not a leftover."""
        self._require_writer()
        orphans = self.catalog.journal_orphans()
        if orphans:
            self.delete_vectors(orphans)
            log.info("removed %d uncommitted vectors left by an interrupted run", len(orphans))
        self.catalog.journal_clear()
        return len(orphans)

    def delete_vectors(self, ids: Sequence[str]) -> None:
        self._require_writer()
        for start in range(0, len(ids), self.max_batch_size):
            self.collection.delete(ids=list(ids[start : start + self.max_batch_size]))

    def write(self, items: Sequence[tuple[Document, Sequence[Chunk]]], vectors: Matrix) -> None:
        """Write documents with their chunk vectors (rows in chunk order), crash-safely:
        journal -> vectors -> catalog commit -> delete stale vectors."""
        self._require_writer()
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
            self.delete_vectors(stale)
            self.catalog.journal_clear(stale)

    def remove(self, doc_ids: Sequence[str]) -> int:
        """Forget documents; returns how many chunks went with them."""
        self._require_writer()
        removed = self.catalog.remove_documents(doc_ids)
        if removed:
            self.delete_vectors(removed)
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

    def vector_ids(self, page: int = 10_000) -> Iterator[list[str]]:
        """Every vector id in the collection, a page at a time (100k ids are one call each)."""
        offset = 0
        while True:
            ids = self.collection.get(include=[], limit=page, offset=offset)["ids"]
            if not ids:
                return
            yield ids
            offset += len(ids)

    def vector_count(self) -> int:
        return int(self.collection.count())

    def existing_vectors(self, ids: Sequence[str]) -> set[str]:
        """Which of these ids have a vector."""
        found: set[str] = set()
        for start in range(0, len(ids), self.max_batch_size):
            part = list(ids[start : start + self.max_batch_size])
            found.update(self.collection.get(ids=part, include=[])["ids"])
        return found

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

    def recent(self, limit: int = 10) -> list[StoredDocument]:
        """The documents ingested last."""
        return self.catalog.recent_documents(limit)

    def document_count(self) -> int:
        return self.catalog.counts()[0]

    def reindex(self) -> int:
        """Re-embed every committed chunk (after opening with `rebuild=True`)."""
        self._require_writer()
        batch: list[Chunk] = []
        total = 0
        for chunk in self.catalog.all_chunks():
            batch.append(chunk)
            if len(batch) >= 256:
                total += self.upsert_chunks(batch)
                batch = []
        return total + self.upsert_chunks(batch)

    def upsert_chunks(self, chunks: list[Chunk]) -> int:
        """Embed chunks from their stored text and write their vectors."""
        self._require_writer()
        if chunks:
            vectors = self.encoder.encode([c.embed_text for c in chunks])
            self.collection.upsert(
                ids=[c.chunk_id for c in chunks],
                embeddings=vectors,
                metadatas=[_metadata(c) for c in chunks],
            )
        return len(chunks)


def _missing_message(settings: Settings) -> str:
    return f"no dealdesk store in {settings.data_dir}: run `dealdesk ingest` first"


def _open_catalog(path: Path, read_only: bool) -> Catalog:
    try:
        return Catalog(path, read_only)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"cannot open the catalog {path}: {exc}") from exc


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
