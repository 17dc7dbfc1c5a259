"""RSS and Atom feeds: the feed list, its per-feed and per-entry state, and entries -> Documents.

The list lives in SQLite (`feeds.sqlite3` in the data dir) rather than JSON because `dealdesk
watch` runs for days while `dealdesk feeds add` runs beside it in another process: SQLite's
transactions let both write without one losing the other's change, and a pass killed halfway
leaves every row either before or after its update.

An entry's identity is its guid (Atom id), else its link. Its content hash decides whether it
changed; an entry is marked seen only after its document is stored, and a feed's ETag and
Last-Modified are only kept after a pass in which all its entries went in, so nothing that
failed is hidden behind a later 304.
"""

import sqlite3
import threading
import time
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from config.errors import IngestError
from ingest.clean import one_line
from ingest.html import extract_html
from ingest.load import make_document
from ingest.models import Document, stable_hash
from ingest.sqlite import connect, transaction
from ingest.web import WebFetcher, fetch_article, is_web_url

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1"
)
FULL_TEXT_WORDS = 120
"""An entry whose feed content has this many words is taken as the full article (no page fetch)."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feeds (
    url TEXT PRIMARY KEY,
    title TEXT,
    etag TEXT,
    last_modified TEXT,
    added_at REAL NOT NULL,
    checked_at REAL,
    last_error TEXT
);
CREATE TABLE IF NOT EXISTS entries (
    feed_url TEXT NOT NULL REFERENCES feeds(url) ON DELETE CASCADE,
    entry_id TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    source TEXT NOT NULL,
    seen_at REAL NOT NULL,
    PRIMARY KEY (feed_url, entry_id)
);
"""


@dataclass(frozen=True)
class Feed:
    url: str
    title: str | None
    etag: str | None
    last_modified: str | None
    added_at: float
    checked_at: float | None
    last_error: str | None


@dataclass(frozen=True)
class SeenEntry:
    content_hash: str
    source: str


class FeedList:
    """The feeds to poll and what was already taken from each; safe across processes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.RLock()
        self._db = connect(path)
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        return transaction(self._db, self._lock)

    def add(self, url: str, title: str | None) -> bool:
        """False when the feed is already listed (the list is unchanged then)."""
        with self._transaction() as db:
            cursor = db.execute(
                "INSERT OR IGNORE INTO feeds (url, title, added_at) VALUES (?, ?, ?)",
                (url, title, time.time()),
            )
            return cursor.rowcount == 1

    def remove(self, url: str) -> bool:
        """False when no such feed was listed. Its documents stay in the corpus."""
        with self._transaction() as db:
            return db.execute("DELETE FROM feeds WHERE url = ?", (url,)).rowcount == 1

    def feeds(self) -> list[Feed]:
        with self._lock:
            rows = self._db.execute(
                "SELECT url, title, etag, last_modified, added_at, checked_at, last_error"
                " FROM feeds ORDER BY added_at, url"
            ).fetchall()
        return [Feed(*row) for row in rows]

    def get(self, url: str) -> Feed | None:
        return next((feed for feed in self.feeds() if feed.url == url), None)

    def seen(self, feed_url: str) -> dict[str, SeenEntry]:
        with self._lock:
            rows = self._db.execute(
                "SELECT entry_id, content_hash, source FROM entries WHERE feed_url = ?",
                (feed_url,),
            ).fetchall()
        return {row[0]: SeenEntry(row[1], row[2]) for row in rows}

    def mark_seen(self, feed_url: str, entry_id: str, content_hash: str, source: str) -> None:
        with self._transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?, ?)",
                (feed_url, entry_id, content_hash, source, time.time()),
            )

    def record_check(
        self,
        url: str,
        *,
        title: str | None = None,
        error: str | None = None,
        validators: tuple[str | None, str | None] | None = None,
    ) -> None:
        """Note a poll. `validators` (ETag, Last-Modified) are replaced only when given: a
        failed pass clears nothing and keeps nothing new, so the next pass fetches in full."""
        with self._transaction() as db:
            db.execute(
                "UPDATE feeds SET checked_at = ?, last_error = ?, title = COALESCE(?, title)"
                " WHERE url = ?",
                (time.time(), error, title, url),
            )
            if validators is not None:
                db.execute(
                    "UPDATE feeds SET etag = ?, last_modified = ? WHERE url = ?",
                    (*validators, url),
                )


@dataclass(frozen=True)
class FeedEntry:
    """One entry as the feed gave it; `content` is HTML or text, possibly only a summary."""

    entry_id: str
    title: str
    link: str | None
    published: date | None
    author: str | None
    content: str

    @property
    def content_hash(self) -> str:
        published = self.published.isoformat() if self.published else ""
        return stable_hash(self.title, self.link or "", published, self.content, length=32)


@dataclass(frozen=True)
class ParsedFeed:
    title: str | None
    entries: list[FeedEntry]
    skipped: list[str]
    """Reasons for entries that could not be used at all (no id, link or title)."""


@dataclass(frozen=True)
class FeedFetch:
    """A fetched feed, or `parsed=None` when the server said it has not changed (304)."""

    parsed: ParsedFeed | None
    etag: str | None
    last_modified: str | None


def _struct_date(value: Any) -> date | None:
    if not value:
        return None
    try:
        return date(int(value[0]), int(value[1]), int(value[2]))
    except (TypeError, ValueError, IndexError):
        return None


def _entry_content(entry: Any) -> str:
    """The longest body the entry carries: full `content` beats the `summary`."""
    bodies = [str(part.get("value", "")) for part in entry.get("content", []) or []]
    bodies.append(str(entry.get("summary", "") or ""))
    return max(bodies, key=len)


def _to_entry(entry: Any) -> FeedEntry | None:
    """Every field cleaned of escape sequences and control characters as it is read: titles
    and authors reach the store and the terminal without passing the article cleaner."""
    link = one_line(str(entry.get("link") or ""))
    entry_id = one_line(str(entry.get("id") or "")) or link
    if not entry_id:
        return None
    return FeedEntry(
        entry_id=entry_id,
        title=one_line(str(entry.get("title") or "")) or "",
        link=link if link and is_web_url(link) else None,
        published=_struct_date(entry.get("published_parsed") or entry.get("updated_parsed")),
        author=one_line(str(entry.get("author") or "")),
        content=_entry_content(entry),
    )


def _not_a_feed(content: bytes, problem: Any) -> IngestError:
    if b"<html" in content[:2048].lower():
        return IngestError("not an RSS or Atom feed (the URL serves an HTML page)")
    if hasattr(problem, "getLineNumber"):
        return IngestError(
            f"malformed feed XML at line {problem.getLineNumber()}, column "
            f"{problem.getColumnNumber()}: {problem.getMessage()}"
        )
    return IngestError("not an RSS or Atom feed" + (f" ({problem})" if problem else ""))


def parse_feed(content: bytes) -> ParsedFeed:
    """Entries of an RSS 2.0 or Atom document. feedparser recovers what it can from sloppy
    XML; a document it gets no feed out of at all is an `IngestError`."""
    import feedparser

    parsed = feedparser.parse(content)
    if not parsed.entries and (parsed.get("bozo") or not parsed.get("version")):
        raise _not_a_feed(content, parsed.get("bozo_exception"))
    entries: list[FeedEntry] = []
    skipped: list[str] = []
    for position, raw in enumerate(parsed.entries, start=1):
        entry = _to_entry(raw)
        if entry is None:
            skipped.append(f"entry {position} has no id and no link")
        else:
            entries.append(entry)
    return ParsedFeed(one_line(str(parsed.feed.get("title") or "")), entries, skipped)


def fetch_feed(fetcher: WebFetcher, feed: Feed, conditional: bool = True) -> FeedFetch:
    """GET the feed, sending its stored validators so an unchanged feed costs a 304."""
    fetched = fetcher.fetch(
        feed.url,
        accept=FEED_ACCEPT,
        html_only=False,
        etag=feed.etag if conditional else None,
        last_modified=feed.last_modified if conditional else None,
    )
    if fetched.not_modified:
        return FeedFetch(None, feed.etag, feed.last_modified)
    return FeedFetch(parse_feed(fetched.content), fetched.etag, fetched.last_modified)


def entry_document(fetcher: WebFetcher, feed: Feed, entry: FeedEntry) -> Document:
    """The article behind an entry: the feed's own text when it carries the whole article,
    else the linked page; the feed's date and title fill what the page lacks."""
    text = extract_html(f"<div>{entry.content}</div>").text if entry.content.strip() else ""
    full_text = len(text.split()) >= FULL_TEXT_WORDS
    if entry.link and not full_text:
        page = fetch_article(fetcher, entry.link)
        return page.model_copy(
            update={
                "title": page.title or entry.title,
                "published": page.published or entry.published,
                "author": page.author or entry.author,
                "publisher": page.publisher or feed.title,
            }
        )
    if not text.strip():
        raise IngestError("entry has neither a link nor any text")
    source = entry.link or f"{feed.url}#{entry.entry_id}"
    return make_document(
        source,
        entry.title,
        text,
        url=entry.link,
        published=entry.published,
        author=entry.author,
        publisher=feed.title,
    )
