"""Ingest from the web, beside `ingest_paths` for files: article URLs, and passes over the RSS/Atom
feed list. The CLI, the bots and a scheduler call these; each fills the same `IngestReport`.

Fetching (URL safety, size and time limits, politeness) is `ingest.web` and `ingest.feeds`; this
module decides what to fetch, what to store, and what to remember as seen.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from config import FeedSettings, Settings
from config.errors import IngestError
from ingest.feeds import Feed, FeedEntry, FeedFetch, FeedList, entry_document, fetch_feed
from ingest.models import Document
from ingest.url_safety import RefusedAddressError, check_url
from ingest.web import WebFetcher, iter_url_documents
from vectorstore.indexer import IngestReport, ItemResult, index_documents
from vectorstore.store import Store

Progress = Callable[[str], None]


def ingest_urls(
    store: Store,
    urls: Iterable[str],
    settings: Settings,
    report: IngestReport | None = None,
    force: bool = False,
) -> IngestReport:
    """Fetch article pages and index them; a failing URL is one failed item with its reason."""
    report = report or IngestReport()

    def documents() -> Iterator[Document]:
        for url, loaded in iter_url_documents(urls, settings.feeds):
            if isinstance(loaded, IngestError):
                report.items.append(ItemResult(url, "failed", reason=str(loaded)))
            else:
                yield loaded

    return index_documents(store, documents(), settings.ingest, report, force)


@dataclass(frozen=True)
class FeedAdded:
    """The outcome of adding a feed: "added" (checked, with its entry count), "unchanged"
    (already listed) or "failed" (with the reason)."""

    url: str
    status: str
    title: str | None = None
    entries: int = 0
    reason: str | None = None

    def as_dict(self) -> dict[str, Any]:
        shown: dict[str, Any] = {"url": self.url, "status": self.status}
        if self.status == "added":
            shown |= {"title": self.title, "entries": self.entries}
        if self.reason:
            shown["reason"] = self.reason
        return shown


def add_feed(feed_list: FeedList, url: str, settings: FeedSettings) -> FeedAdded:
    """Fetch `url` once to check that it is a feed, then add it to the list."""
    url = url.strip()
    try:
        check_url(url, settings.allow_private_networks)
    except RefusedAddressError as exc:
        return FeedAdded(url, "failed", reason=f"refused {url}: {exc}")
    except IngestError as exc:
        return FeedAdded(url, "failed", reason=str(exc))
    if feed_list.get(url) is not None:
        return FeedAdded(url, "unchanged", reason="already in the feed list")
    probe = Feed(url, None, None, None, 0.0, None, None)
    try:
        with WebFetcher(settings) as fetcher:
            parsed = fetch_feed(fetcher, probe, conditional=False).parsed
    except IngestError as exc:
        return FeedAdded(url, "failed", reason=str(exc))
    if parsed is None:
        return FeedAdded(url, "failed", reason="the server answered 304 Not Modified to a GET")
    feed_list.add(url, parsed.title)
    return FeedAdded(url, "added", title=parsed.title, entries=len(parsed.entries))


class FeedSchedule(Protocol):
    """When a long-running watcher polls each feed (`bot.outage.RetrySchedule` backs off from
    failing ones); it hears how each poll went, and reports outages itself."""

    def due(self, key: str) -> bool: ...

    def failed(self, key: str, reason: str) -> None: ...

    def succeeded(self, key: str) -> None: ...


@dataclass
class _Poll:
    """One feed's part of a pass: what was taken from it, to be marked seen once stored."""

    feed: Feed
    fetched: FeedFetch | None = None
    taken: list[tuple[FeedEntry, Document]] = field(default_factory=list)
    failures: int = 0
    error: str | None = None


def poll_feeds(
    store: Store,
    feed_list: FeedList,
    fetcher: WebFetcher,
    settings: Settings,
    progress: Progress = lambda line: None,
    schedule: FeedSchedule | None = None,
) -> IngestReport:
    """Poll every listed feed once (only those due, with a schedule); a failing feed or entry is
    reported and the rest go on. Entries of all feeds are embedded in shared batches (one
    encoder call has a fixed cost); an entry is marked seen, and a feed's validators kept, only
    after the batch is stored."""
    report = IngestReport()
    feeds = [f for f in feed_list.feeds() if schedule is None or schedule.due(f.url)]
    polls: list[_Poll] = []

    def documents() -> Iterator[Document]:
        for number, feed in enumerate(feeds, start=1):
            progress(f"[{number}/{len(feeds)}] {feed.url}")
            poll = _Poll(feed)
            polls.append(poll)
            yield from _feed_documents(poll, feed_list, fetcher, report, progress, say_failure)

    say_failure = schedule is None  # a schedule reports each outage once, not every pass

    index_documents(store, documents(), settings.ingest, report)
    for poll in polls:
        _finish(poll, feed_list)
        if schedule is not None and poll.error is not None:
            schedule.failed(poll.feed.url, poll.error)
        elif schedule is not None:
            schedule.succeeded(poll.feed.url)
    return report


def _feed_documents(
    poll: _Poll,
    feed_list: FeedList,
    fetcher: WebFetcher,
    report: IngestReport,
    progress: Progress,
    say_failure: bool,
) -> Iterator[Document]:
    """The new and changed entries of one feed as documents; failures go to the report."""
    feed = poll.feed
    try:
        poll.fetched = fetch_feed(fetcher, feed)
    except IngestError as exc:
        poll.error = str(exc)
        report.items.append(ItemResult(feed.url, "failed", reason=poll.error))
        if say_failure:
            progress(f"    failed: {exc}")
        return
    parsed = poll.fetched.parsed
    if parsed is None:
        report.items.append(ItemResult(feed.url, "unchanged", reason="feed not modified (304)"))
        progress("    not modified")
        return
    for reason in parsed.skipped:
        report.items.append(ItemResult(feed.url, "skipped", reason=reason))
    seen = feed_list.seen(feed.url)
    for entry in parsed.entries:
        known = seen.get(entry.entry_id)
        if known is not None and known.content_hash == entry.content_hash:
            report.items.append(ItemResult(known.source, "unchanged"))
            continue
        try:
            document = entry_document(fetcher, feed, entry)
        except IngestError as exc:
            poll.failures += 1
            item = entry.link or entry.entry_id
            report.items.append(ItemResult(item, "failed", reason=str(exc)))
            progress(f"    failed: {entry.title or item}: {exc}")
            continue
        progress(f"    fetched: {document.title}")
        poll.taken.append((entry, document))
        yield document


def _finish(poll: _Poll, feed_list: FeedList) -> None:
    """Record the poll. A feed with failures keeps its old validators, so the next pass
    fetches it in full and retries them instead of getting a 304."""
    url = poll.feed.url
    for entry, document in poll.taken:
        feed_list.mark_seen(url, entry.entry_id, entry.content_hash, document.source)
    if poll.fetched is None:
        feed_list.record_check(url, error=poll.error)
        return
    validators = (poll.fetched.etag, poll.fetched.last_modified)
    parsed = poll.fetched.parsed
    feed_list.record_check(
        url,
        title=parsed.title if parsed else None,
        error=f"{poll.failures} entries failed" if poll.failures else None,
        validators=None if poll.failures else validators,
    )
