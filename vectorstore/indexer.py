"""Ingest orchestration: documents in, chunks embedded and written, a per-item report out."""

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from config import IngestSettings
from ingest.chunk import chunk_document
from ingest.discover import FileProblem, discover_files
from ingest.load import iter_documents
from ingest.models import Chunk, Document
from vectorstore.models import StoredDocument
from vectorstore.store import Store

log = logging.getLogger(__name__)

Status = Literal["added", "updated", "unchanged", "skipped", "failed", "removed"]


@dataclass
class ItemResult:
    """What happened to one input: a document, a file, or a URL."""

    item: str
    status: Status
    chunks: int = 0
    reason: str | None = None


@dataclass
class IngestReport:
    items: list[ItemResult] = field(default_factory=list)
    chunks_written: int = 0

    def count(self, status: Status) -> int:
        return sum(1 for item in self.items if item.status == status)

    @property
    def failed(self) -> bool:
        return self.count("failed") > 0

    def summary(self) -> dict[str, int]:
        statuses: tuple[Status, ...] = (
            "added", "updated", "unchanged", "skipped", "failed", "removed",
        )  # fmt: skip
        return {s: self.count(s) for s in statuses} | {"chunks_written": self.chunks_written}


class _Batch:
    """Documents waiting to be embedded together: one encoder call amortises its overhead."""

    def __init__(self, store: Store, report: IngestReport, size: int) -> None:
        self.store = store
        self.report = report
        self.size = size
        self.items: list[tuple[Document, list[Chunk], Status]] = []

    def add(self, doc: Document, chunks: list[Chunk], status: Status) -> None:
        self.items.append((doc, chunks, status))
        if sum(len(c) for _, c, _ in self.items) >= self.size:
            self.flush()

    def flush(self) -> None:
        if not self.items:
            return
        chunks = [chunk for _, doc_chunks, _ in self.items for chunk in doc_chunks]
        vectors = self.store.encoder.encode([c.embed_text for c in chunks])
        self.store.write([(doc, doc_chunks) for doc, doc_chunks, _ in self.items], vectors)
        for doc, doc_chunks, status in self.items:
            self.report.items.append(ItemResult(doc.source, status, len(doc_chunks)))
        self.report.chunks_written += len(chunks)
        self.items = []


def index_documents(
    store: Store,
    docs: Iterable[Document],
    settings: IngestSettings,
    report: IngestReport | None = None,
    force: bool = False,
) -> IngestReport:
    """Add new documents, replace changed ones, leave unchanged ones alone, and store content
    already stored under another source only once."""
    report = report or IngestReport()
    batch = _Batch(store, report, settings.batch_chunks)
    seen: set[str] = set()
    contents: dict[str, str] = {}
    for doc in docs:
        if doc.source in seen:
            report.items.append(ItemResult(doc.source, "skipped", reason="duplicate in this run"))
            continue
        seen.add(doc.source)
        stored = store.catalog.document_by_source(doc.source)
        if stored is not None and stored.content_hash == doc.content_hash and not force:
            contents.setdefault(doc.content_hash, doc.source)
            report.items.append(ItemResult(doc.source, "unchanged", stored.n_chunks))
            continue
        original = contents.get(doc.content_hash) or _stored_original(store, doc, seen)
        if original is not None:
            reason = f"duplicate of {original}"
            if stored is not None:
                store.remove([stored.doc_id])
                reason += " (its earlier, different version was removed)"
            report.items.append(ItemResult(doc.source, "skipped", reason=reason))
            continue
        contents[doc.content_hash] = doc.source
        chunks = chunk_document(
            doc,
            target_tokens=settings.chunk_tokens,
            max_tokens=settings.max_chunk_tokens,
            min_tokens=settings.min_chunk_tokens,
            overlap_tokens=settings.overlap_tokens,
        )
        if not chunks:
            report.items.append(ItemResult(doc.source, "skipped", reason="no text to index"))
            continue
        batch.add(doc, chunks, "added" if stored is None else "updated")
    batch.flush()
    return report


def _stored_original(store: Store, doc: Document, seen: set[str]) -> str | None:
    """The source already stored with this document's content, so that a copy is stored once.
    An original whose file is gone, or that was seen earlier in this run (with other content,
    or it would have matched in the run), does not count: the copy takes its place."""
    for stored in store.catalog.documents_with_content(doc.content_hash):
        gone = stored.origin_file is not None and not Path(stored.origin_file).exists()
        if stored.source != doc.source and stored.source not in seen and not gone:
            return stored.source
    return None


def ingest_paths(
    store: Store,
    paths: Sequence[Path],
    settings: IngestSettings,
    prune: bool = False,
    progress: Callable[[Iterable[Path]], Iterable[Path]] | None = None,
    force: bool = False,
    follow_symlinks: bool = False,
) -> IngestReport:
    """Ingest files and folders. A bad file, and each bad record of a JSON/JSONL file, is
    reported as failed; what is stored stays. Records gone from a file are removed, but only
    after a run in which all of the file's records loaded: while one is broken it may be the
    stored one, and a typo must not delete an article."""
    report = IngestReport()
    files, problems = discover_files(list(paths), follow_symlinks)
    for problem in problems:
        report.items.append(_problem_result(problem))
    max_bytes = int(settings.max_file_mb * 1_000_000)
    wrapped = progress(files) if progress else files
    for path, loaded in iter_documents(list(wrapped), max_bytes):
        if isinstance(loaded, Exception):
            report.items.append(ItemResult(str(path), "failed", reason=str(loaded)))
            continue
        report.items += [ItemResult(p.item, "failed", reason=p.reason) for p in loaded.problems]
        index_documents(store, loaded.documents, settings, report, force)
        if loaded.problems:
            continue
        resolved = str(path.resolve())
        produced = {doc.source for doc in loaded.documents}
        gone = [d for d in store.catalog.documents_from_file(resolved) if d.source not in produced]
        _remove(store, gone, report, "no longer in its file")
    if prune:
        missing = [
            d for d in store.catalog.file_documents() if not Path(str(d.origin_file)).exists()
        ]
        _remove(store, missing, report, "file is gone (--prune)")
    return report


def _remove(
    store: Store, docs: Sequence[StoredDocument], report: IngestReport, reason: str
) -> None:
    for doc in docs:
        store.remove([doc.doc_id])
        report.items.append(ItemResult(doc.source, "removed", reason=reason))


def _problem_result(problem: FileProblem) -> ItemResult:
    return ItemResult(
        problem.path, "failed" if problem.failed else "skipped", reason=problem.reason
    )
