"""Catalog against vectors: what `dealdesk check` finds, and what `--repair` does about it.

The catalog is the truth; Chroma should hold exactly one vector per committed passage. The
check reads the vector ids first and the catalog second, then looks again at every candidate,
so a writer that commits in between is not mistaken for damage. While a writer runs (it holds
the lock), its journal lists work in flight, not leftovers.
"""

from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from pydantic import BaseModel

from vectorstore.lock import LockHolder
from vectorstore.store import Store

T = TypeVar("T")
Progress = Callable[[Iterable[T], int, str], Iterable[T]]
"""Wraps an iterable of work for display: (items, total, description) -> the same items."""


def no_progress(items: Iterable[T], total: int, desc: str) -> Iterable[T]:
    return items


class CountMismatch(BaseModel):
    source: str
    recorded: int
    stored: int


class CheckReport(BaseModel):
    """Everything `check` found; the lists hold chunk ids."""

    location: str
    chroma_mode: str
    documents: int
    chunks: int
    vectors: int
    writer: str | None = None
    missing_vectors: list[str] = []
    missing_sources: list[str] = []
    orphan_vectors: list[str] = []
    stale_journal: list[str] = []
    in_flight: int = 0
    count_mismatches: list[CountMismatch] = []
    keyword_missing: int = 0
    keyword_extra: int = 0

    @property
    def consistent(self) -> bool:
        return not (
            self.missing_vectors
            or self.orphan_vectors
            or self.stale_journal
            or self.count_mismatches
            or self.keyword_missing
            or self.keyword_extra
        )


class RepairReport(BaseModel):
    reembedded: int = 0
    orphans_deleted: int = 0
    journal_cleared: int = 0
    marked_for_reingest: list[str] = []
    keyword_index_rebuilt: bool = False


def check_store(
    store: Store, live_writer: LockHolder | None = None, progress: Progress[list[str]] = no_progress
) -> CheckReport:
    """Compare the catalog with the vectors. `live_writer` is who holds the writer lock, if
    someone else does: its journal is work in flight, not a dead writer's leftovers."""
    total = store.vector_count()
    vectors: set[str] = set()
    for page in progress(store.vector_ids(), -(-total // 10_000), "Reading vector ids"):
        vectors.update(page)
    chunks, journal = _ids_snapshot(store)
    missing = sorted(chunks - vectors)
    if missing:
        missing = sorted(set(missing) - store.existing_vectors(missing))
    orphans = vectors - chunks - journal
    if orphans:
        chunks_now, journal_now = _ids_snapshot(store)
        orphans -= chunks_now | journal_now
    documents, n_chunks, _ = store.catalog.counts()
    keyword_missing, keyword_extra = _keyword_gaps(store)
    stats = store.stats()
    return CheckReport(
        location=stats.location,
        chroma_mode=stats.chroma_mode,
        documents=documents,
        chunks=n_chunks,
        vectors=len(vectors),
        writer=live_writer.describe().removeprefix("another ") if live_writer else None,
        missing_vectors=missing,
        missing_sources=sorted({c.source for c in store.catalog.chunks_by_id(missing).values()}),
        orphan_vectors=sorted(orphans),
        stale_journal=[] if live_writer else sorted(journal),
        in_flight=len(journal) if live_writer else 0,
        count_mismatches=_count_mismatches(store),
        keyword_missing=keyword_missing,
        keyword_extra=keyword_extra,
    )


def repair_store(
    store: Store, report: CheckReport, progress: Progress[list[str]] = no_progress
) -> RepairReport:
    """Fix what `check_store` found; the store must be open as the writer."""
    done = RepairReport()
    if report.stale_journal:
        store.recover()
        done.journal_cleared = len(report.stale_journal)
    orphans = list(_batches(report.orphan_vectors, store.max_batch_size))
    for part in progress(orphans, len(orphans), "Deleting orphans"):
        store.delete_vectors(part)
        done.orphans_deleted += len(part)
    batches = list(_batches(report.missing_vectors, 256))
    for part in progress(batches, len(batches), "Re-embedding"):
        found = store.catalog.chunks_by_id(part)
        done.reembedded += store.upsert_chunks([found[cid] for cid in part if cid in found])
    if report.count_mismatches:
        sources = [m.source for m in report.count_mismatches]
        docs = [store.catalog.document_by_source(source) for source in sources]
        with store.catalog.transaction() as db:
            db.executemany(
                "UPDATE documents SET content_hash = '', n_chunks ="
                " (SELECT COUNT(*) FROM chunks c WHERE c.doc_id = documents.doc_id)"
                " WHERE doc_id = ?",
                [(doc.doc_id,) for doc in docs if doc is not None],
            )
        done.marked_for_reingest = sources
    if report.keyword_missing or report.keyword_extra:
        store.catalog.rebuild_keyword_index()
        done.keyword_index_rebuilt = True
    return done


def _ids_snapshot(store: Store) -> tuple[set[str], set[str]]:
    """(committed chunk ids, journaled ids) from one statement, so one snapshot."""
    rows = store.catalog.query(
        "SELECT 'c', chunk_id FROM chunks UNION ALL SELECT 'j', chunk_id FROM journal"
    )
    chunks = {str(cid) for kind, cid in rows if kind == "c"}
    journal = {str(cid) for kind, cid in rows if kind == "j"}
    return chunks, journal


def _count_mismatches(store: Store) -> list[CountMismatch]:
    rows = store.catalog.query(
        "SELECT d.source, d.n_chunks, COUNT(c.chunk_id) AS n FROM documents d"
        " LEFT JOIN chunks c ON c.doc_id = d.doc_id GROUP BY d.doc_id HAVING n != d.n_chunks"
        " ORDER BY d.source"
    )
    return [CountMismatch(source=str(s), recorded=int(r), stored=int(n)) for s, r, n in rows]


def _keyword_gaps(store: Store) -> tuple[int, int]:
    """(passages the keyword index lacks, index rows of no passage)."""
    rows = store.catalog.query(
        "SELECT (SELECT COUNT(*) FROM chunks WHERE rowid NOT IN (SELECT rowid FROM chunk_terms)),"
        " (SELECT COUNT(*) FROM chunk_terms WHERE rowid NOT IN (SELECT rowid FROM chunks))"
    )
    missing, extra = rows[0]
    return int(missing), int(extra)


def _batches(ids: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]
