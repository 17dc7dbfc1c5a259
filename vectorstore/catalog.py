"""The catalog: which documents and chunks are committed, their text, and the BM25 index.

SQLite (WAL) is transactional and safe across processes, so it is the source of truth. Chroma
holds only vectors; any id Chroma returns that the catalog does not hold is ignored, and the
journal lists ids that may exist in Chroma without being committed, so the next writer (the
only process that may hold the writer lock, see `vectorstore/lock.py`) can clean up after a
crashed one. Readers open it read-only and never change it.
"""

import logging
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from config import Settings
from config.errors import StoreMissingError
from config.settings import DEFAULT_EMBEDDING_MODEL
from ingest.models import Chunk, Document, date_to_int, int_to_date
from ingest.sqlite import connect, transaction
from vectorstore.keyword import TERMS_VERSION, fts_match_expression, keyword_terms
from vectorstore.models import StoredDocument

log = logging.getLogger(__name__)

CATALOG = "catalog.sqlite3"
"""The catalog's file name in the data directory."""
SCHEMA_VERSION = "1"
_SCHEMA = f"""
BEGIN IMMEDIATE;
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY,
    source TEXT NOT NULL UNIQUE,
    origin_file TEXT,
    title TEXT NOT NULL,
    language TEXT NOT NULL,
    published INTEGER,
    url TEXT,
    author TEXT,
    publisher TEXT,
    content_hash TEXT NOT NULL,
    n_chunks INTEGER NOT NULL,
    ingested_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_origin ON documents(origin_file);
CREATE INDEX IF NOT EXISTS documents_ingested ON documents(ingested_at);
CREATE INDEX IF NOT EXISTS documents_hash ON documents(content_hash);
CREATE TABLE IF NOT EXISTS chunks (
    rowid INTEGER PRIMARY KEY,
    chunk_id TEXT NOT NULL UNIQUE,
    doc_id TEXT NOT NULL REFERENCES documents(doc_id),
    idx INTEGER NOT NULL,
    text TEXT NOT NULL,
    language TEXT NOT NULL,
    published INTEGER
);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id);
CREATE VIRTUAL TABLE IF NOT EXISTS chunk_terms USING fts5(
    terms, tokenize = "unicode61 remove_diacritics 2 tokenchars '_'"
);
CREATE VIRTUAL TABLE IF NOT EXISTS chunk_vocab USING fts5vocab(chunk_terms, 'row');
CREATE TABLE IF NOT EXISTS journal (chunk_id TEXT PRIMARY KEY, created_at REAL NOT NULL);
INSERT OR IGNORE INTO meta VALUES ('schema_version', '{SCHEMA_VERSION}');
COMMIT;
"""


@dataclass(frozen=True)
class KeywordFilter:
    since: int | None = None
    until: int | None = None
    language: str | None = None


class Catalog:
    """One SQLite file beside the vectors; every write is one transaction. `read_only` opens an
    existing catalog without writing anything (no schema, no meta, no re-indexing), else
    `StoreMissingError`; only the holder of the writer lock may open it for writing."""

    def __init__(self, path: Path, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        self._lock = threading.RLock()
        if read_only and not path.is_file():
            raise _missing(path)
        self._db = connect(path, read_only)
        if read_only:
            self._require_schema()
            if self.get_meta("keyword_terms") != TERMS_VERSION:
                log.warning(
                    "the keyword index is out of date: the next `dealdesk ingest` or "
                    "`dealdesk check --repair` rebuilds it"
                )
            return
        self._db.executescript(_SCHEMA)
        if self.get_meta("keyword_terms") != TERMS_VERSION:
            self.rebuild_keyword_index()

    def _require_schema(self) -> None:
        """A catalog file without the schema is one a writer is creating right now (the schema is
        one transaction) or not ours: either way there is no store to read yet."""
        try:
            version = self.get_meta("schema_version")
        except sqlite3.OperationalError as exc:
            if "no such table" not in str(exc):
                raise
            version = None
        if version is None:
            self._db.close()
            raise _missing(self.path)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        return transaction(self._db, self._lock)

    def rebuild_keyword_index(self) -> None:
        """Re-tokenise every chunk, so keyword search never silently misses after the term
        scheme changes."""
        with self.transaction() as db:
            rows = db.execute(
                "SELECT c.rowid, d.title, c.text FROM chunks c JOIN documents d USING (doc_id)"
            ).fetchall()
            db.execute("DELETE FROM chunk_terms")
            terms = [
                (rowid, " ".join(keyword_terms(f"{title}\n{text}"))) for rowid, title, text in rows
            ]
            db.executemany("INSERT INTO chunk_terms (rowid, terms) VALUES (?, ?)", terms)
            db.execute("INSERT OR REPLACE INTO meta VALUES ('keyword_terms', ?)", (TERMS_VERSION,))

    def get_meta(self, key: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as db:
            db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def _documents(self, where: str = "", params: Sequence[object] = ()) -> list[StoredDocument]:
        sql = (
            "SELECT doc_id, source, origin_file, title, language, published, url, content_hash,"
            f" n_chunks, ingested_at FROM documents {where}"
        )
        with self._lock:
            return [StoredDocument(*row) for row in self._db.execute(sql, params)]

    def document_by_source(self, source: str) -> StoredDocument | None:
        found = self._documents("WHERE source = ?", (source,))
        return found[0] if found else None

    def documents_from_file(self, origin_file: str) -> list[StoredDocument]:
        return self._documents("WHERE origin_file = ?", (origin_file,))

    def file_documents(self) -> list[StoredDocument]:
        return self._documents("WHERE origin_file IS NOT NULL")

    def recent_documents(self, limit: int) -> list[StoredDocument]:
        return self._documents("ORDER BY ingested_at DESC, published DESC LIMIT ?", (limit,))

    def documents_with_content(self, content_hash: str) -> list[StoredDocument]:
        """Stored documents with this content hash, the first ingested first."""
        return self._documents("WHERE content_hash = ? ORDER BY ingested_at", (content_hash,))

    def journal_add(self, chunk_ids: Sequence[str]) -> None:
        now = time.time()
        with self.transaction() as db:
            db.executemany(
                "INSERT OR IGNORE INTO journal VALUES (?, ?)", [(cid, now) for cid in chunk_ids]
            )

    def journal_orphans(self) -> list[str]:
        """Journaled ids that are not committed chunks: safe to delete from Chroma."""
        with self._lock:
            rows = self._db.execute(
                "SELECT chunk_id FROM journal WHERE chunk_id NOT IN (SELECT chunk_id FROM chunks)"
            ).fetchall()
        return [row[0] for row in rows]

    def journal_clear(self, chunk_ids: Sequence[str] | None = None) -> None:
        with self.transaction() as db:
            if chunk_ids is None:
                db.execute("DELETE FROM journal")
            else:
                db.executemany("DELETE FROM journal WHERE chunk_id = ?", [(c,) for c in chunk_ids])

    def _delete_documents(self, db: sqlite3.Connection, doc_ids: Sequence[str]) -> list[str]:
        removed: list[str] = []
        for doc_id in doc_ids:
            rows = db.execute(
                "SELECT rowid, chunk_id FROM chunks WHERE doc_id = ?", (doc_id,)
            ).fetchall()
            db.executemany("DELETE FROM chunk_terms WHERE rowid = ?", [(r[0],) for r in rows])
            db.execute("DELETE FROM chunks WHERE doc_id = ?", (doc_id,))
            db.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))
            removed.extend(r[1] for r in rows)
        now = time.time()
        db.executemany("INSERT OR IGNORE INTO journal VALUES (?, ?)", [(c, now) for c in removed])
        return removed

    def commit_documents(self, items: Sequence[tuple[Document, Sequence[Chunk]]]) -> list[str]:
        """Replace each document and its chunks atomically; returns the ids that went stale."""
        now = time.time()
        with self.transaction() as db:
            stale = set(self._delete_documents(db, [doc.doc_id for doc, _ in items]))
            for doc, chunks in items:
                db.execute(
                    "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        doc.doc_id, doc.source, doc.origin_file, doc.title, doc.language,
                        date_to_int(doc.published), doc.url, doc.author, doc.publisher,
                        doc.content_hash, len(chunks), now,
                    ),
                )  # fmt: skip
                for chunk in chunks:
                    cursor = db.execute(
                        "INSERT INTO chunks (chunk_id, doc_id, idx, text, language, published)"
                        " VALUES (?, ?, ?, ?, ?, ?)",
                        (
                            chunk.chunk_id, doc.doc_id, chunk.index, chunk.text, chunk.language,
                            date_to_int(chunk.published),
                        ),
                    )  # fmt: skip
                    db.execute(
                        "INSERT INTO chunk_terms (rowid, terms) VALUES (?, ?)",
                        (cursor.lastrowid, " ".join(keyword_terms(chunk.embed_text))),
                    )
                    stale.discard(chunk.chunk_id)
            committed = [c.chunk_id for _, chunks in items for c in chunks]
            db.executemany("DELETE FROM journal WHERE chunk_id = ?", [(c,) for c in committed])
        return sorted(stale)

    def remove_documents(self, doc_ids: Sequence[str]) -> list[str]:
        """Forget documents; their chunk ids are journaled for deletion from Chroma."""
        with self.transaction() as db:
            return self._delete_documents(db, doc_ids)

    def keyword_search(
        self,
        query: str,
        k: int,
        flt: KeywordFilter | None = None,
        max_postings: int | None = None,
        min_terms: int = 8,
    ) -> list[tuple[str, float]]:
        """Best chunks by BM25 as (chunk_id, score), higher is better. Terms found in more than
        `max_postings` chunks are left out of the query, keeping at least `min_terms`."""
        terms = list(dict.fromkeys(keyword_terms(query)))
        if max_postings is not None and len(terms) > min_terms:
            terms = self._selective_terms(terms, max_postings, min_terms)
        expression = fts_match_expression(terms)
        if expression is None:
            return []
        where, params = _filter_sql(flt or KeywordFilter())
        sql = (
            "SELECT c.chunk_id, -bm25(chunk_terms) AS score FROM chunk_terms"
            " JOIN chunks c ON c.rowid = chunk_terms.rowid"
            f" WHERE chunk_terms MATCH ? {where} ORDER BY bm25(chunk_terms) LIMIT ?"
        )
        with self._lock:
            rows = self._db.execute(sql, (expression, *params, k)).fetchall()
        return [(row[0], float(row[1])) for row in rows]

    def _selective_terms(self, terms: list[str], max_postings: int, keep: int) -> list[str]:
        """FTS5 scores every chunk that matches any term, so a character gram found in most of
        100k chunks costs most of the search time while BM25 gives it almost no weight. Terms
        the vocabulary does not list as written (it folds diacritics) are kept."""
        marks = ",".join("?" * len(terms))
        with self._lock:
            postings = dict(
                self._db.execute(
                    f"SELECT term, doc FROM chunk_vocab WHERE term IN ({marks})", terms
                ).fetchall()
            )
        unlisted = [t for t in terms if t not in postings]
        listed = sorted((t for t in terms if t in postings), key=postings.__getitem__)
        selective = [t for t in listed if postings[t] <= max_postings]
        return unlisted + listed[: max(keep, len(selective))]

    def chunks_by_id(self, chunk_ids: Sequence[str]) -> dict[str, Chunk]:
        """Committed chunks among `chunk_ids`, with their document's metadata."""
        found: dict[str, Chunk] = {}
        with self._lock:
            for start in range(0, len(chunk_ids), 500):
                part = list(chunk_ids[start : start + 500])
                marks = ",".join("?" * len(part))
                rows = self._db.execute(
                    "SELECT c.chunk_id, c.doc_id, c.idx, c.text, d.title, d.source, c.language,"
                    " c.published, d.url FROM chunks c JOIN documents d ON d.doc_id = c.doc_id"
                    f" WHERE c.chunk_id IN ({marks})",
                    part,
                ).fetchall()
                for cid, doc_id, idx, text, title, source, lang, published, url in rows:
                    found[cid] = Chunk(
                        chunk_id=cid, doc_id=doc_id, index=idx, text=text, title=title,
                        source=source, language=lang, published=int_to_date(published), url=url,
                    )  # fmt: skip
        return found

    def all_chunks(self) -> Iterator[Chunk]:
        """Every committed chunk, for re-indexing into a fresh vector collection."""
        with self._lock:
            ids = [row[0] for row in self._db.execute("SELECT chunk_id FROM chunks ORDER BY rowid")]
        for start in range(0, len(ids), 1000):
            batch = self.chunks_by_id(ids[start : start + 1000])
            yield from (batch[cid] for cid in ids[start : start + 1000] if cid in batch)

    def query(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        """Rows of one read-only statement, in one snapshot (for `vectorstore/consistency.py`)."""
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    def counts(self) -> tuple[int, int, dict[str, int]]:
        """(documents, chunks, documents per language)."""
        with self._lock:
            docs = self._db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
            chunks = self._db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]
            langs = dict(
                self._db.execute("SELECT language, COUNT(*) FROM documents GROUP BY language")
            )
        return int(docs), int(chunks), {str(k): int(v) for k, v in langs.items()}


def _missing(path: Path) -> StoreMissingError:
    return StoreMissingError(f"no dealdesk store in {path.parent}: run `dealdesk ingest` first")


def read_meta(path: Path, key: str) -> str | None:
    """One meta value of a catalog file, read-only; None if there is no catalog yet."""
    if not path.exists():
        return None
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)) as db:
            row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    except sqlite3.Error:
        return None
    return None if row is None else str(row[0])


def model_to_open(configured: str | None, built_with: str | None, rebuild: bool = False) -> str:
    """The configured model; unset, the one the store was built with (a reindex starts afresh),
    else the default. So upgrading dealdesk never silently re-embeds nor breaks a store."""
    return configured or (None if rebuild else built_with) or DEFAULT_EMBEDDING_MODEL


def model_in_use(settings: Settings, rebuild: bool = False) -> str:
    """Which embedder the store in `settings.data_dir` opens with, read without opening it."""
    built_with = read_meta(settings.data_dir / CATALOG, "embedding_model")
    return model_to_open(settings.embedding.model, built_with, rebuild)


def _filter_sql(flt: KeywordFilter) -> tuple[str, list[object]]:
    clauses: list[str] = []
    params: list[object] = []
    if flt.since is not None:
        clauses.append("c.published >= ?")
        params.append(flt.since)
    if flt.until is not None:
        clauses.append("c.published <= ?")
        params.append(flt.until)
    if flt.language:
        clauses.append("c.language = ?")
        params.append(flt.language)
    return "".join(f" AND {c}" for c in clauses), params
