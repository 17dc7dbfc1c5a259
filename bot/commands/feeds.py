"""Feed subcommands: `feeds add|list|remove` and `watch --once|--every 15m`; URL ingest helper."""

import argparse
import re
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from config import Settings

if TYPE_CHECKING:
    from ingest.feeds import Feed, FeedEntry, FeedFetch, FeedList
    from ingest.models import Document
    from ingest.web import WebFetcher
    from vectorstore.embeddings import Encoder
    from vectorstore.indexer import IngestReport
    from vectorstore.store import Store

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$", re.IGNORECASE)
_UNIT_S = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
FEEDS_FILE = "feeds.sqlite3"


def parse_duration(value: str) -> float:
    """`90`, `30s`, `15m`, `2h`, `1d` -> seconds; anything under a second is refused."""
    match = _DURATION.match(value)
    if not match:
        raise argparse.ArgumentTypeError(f"not a duration (e.g. 30s, 15m, 2h): {value!r}")
    seconds = float(match[1]) * _UNIT_S[match[2].lower()]
    if seconds < 1:
        raise argparse.ArgumentTypeError(f"the interval must be at least 1 second: {value!r}")
    return seconds


def register(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    feeds = subparsers.add_parser(
        "feeds",
        help="manage the RSS/Atom feeds that `watch` polls",
        description="The feed list is kept in the data dir (feeds.sqlite3).",
    )
    actions = feeds.add_subparsers(dest="feeds_command", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="check a feed and add it to the list")
    add.add_argument("url", help="the RSS or Atom feed's http(s) URL")
    add.add_argument("--json", action="store_true", help="print the result as JSON")
    add.set_defaults(handler=run_feeds_add)
    listing = actions.add_parser("list", help="the feeds and how their last poll went")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(handler=run_feeds_list)
    remove = actions.add_parser(
        "remove", help="stop polling a feed (its articles stay in the corpus)"
    )
    remove.add_argument("url", help="the feed URL as listed by `feeds list`")
    remove.add_argument("--json", action="store_true", help="print the result as JSON")
    remove.set_defaults(handler=run_feeds_remove)

    watch = subparsers.add_parser(
        "watch",
        help="poll the feeds and ingest new or changed entries",
        description="Poll every feed (conditional GET: an unchanged feed costs one 304) and ingest "
        "new or changed entries. A failing feed or entry is reported and the rest go on; it is "
        "retried on the next pass. --once exits 1 if anything failed. Ctrl-C stops cleanly; "
        "what was ingested stays.",
    )
    when = watch.add_mutually_exclusive_group(required=True)
    when.add_argument("--once", action="store_true", help="one pass, then exit (for cron)")
    when.add_argument(
        "--every", type=parse_duration, metavar="DURATION", help="poll every 30s, 15m, 2h, ..."
    )
    watch.add_argument("--json", action="store_true", help="print one JSON report per pass")
    watch.set_defaults(handler=run_watch)


def _print_json(data: Any) -> None:
    import json

    print(json.dumps(data, ensure_ascii=False, default=str), flush=True)


def _report_json(report: "IngestReport") -> dict[str, Any]:
    return report.summary() | {"items": [item.__dict__ for item in report.items]}


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _feed_list(settings: Settings) -> "FeedList":
    from ingest.feeds import FeedList

    return FeedList(settings.data_dir / FEEDS_FILE)


def ingest_urls(
    store: "Store",
    urls: list[str],
    settings: Settings,
    report: "IngestReport",
    force: bool = False,
) -> "IngestReport":
    """Fetch article pages and index them into `report`; a failing URL is one failed item."""
    from tqdm import tqdm

    from config.errors import IngestError
    from ingest.models import Document
    from ingest.web import iter_url_documents
    from vectorstore.indexer import ItemResult, index_documents

    if not urls:
        return report
    shown: Iterable[str] = tqdm(urls, desc="Fetching", unit="url", file=sys.stderr, disable=None)

    def documents() -> Iterator[Document]:
        for url, loaded in iter_url_documents(shown, settings.feeds):
            if isinstance(loaded, IngestError):
                report.items.append(ItemResult(url, "failed", reason=str(loaded)))
            else:
                yield loaded

    return index_documents(store, documents(), settings.ingest, report, force)


@dataclass
class _Poll:
    """One feed's part of a pass: what was taken from it, to be marked seen once stored."""

    feed: "Feed"
    fetched: "FeedFetch | None" = None
    taken: list[tuple["FeedEntry", "Document"]] = field(default_factory=list)
    failures: int = 0
    error: str | None = None


def watch_pass(
    store: "Store",
    feed_list: "FeedList",
    fetcher: "WebFetcher",
    settings: Settings,
    progress: Callable[[str], None] = lambda line: None,
) -> "IngestReport":
    """Poll every listed feed once; a failing feed or entry is reported and the rest go on.
    Entries of all feeds are embedded in shared batches (one encoder call has a fixed cost);
    an entry is marked seen, and a feed's validators kept, only after the batch is stored."""
    from vectorstore.indexer import IngestReport, index_documents

    report = IngestReport()
    feeds = feed_list.feeds()
    polls: list[_Poll] = []

    def documents() -> Iterator["Document"]:
        for number, feed in enumerate(feeds, start=1):
            progress(f"[{number}/{len(feeds)}] {feed.url}")
            poll = _Poll(feed)
            polls.append(poll)
            yield from _feed_documents(poll, feed_list, fetcher, report, progress)

    index_documents(store, documents(), settings.ingest, report)
    for poll in polls:
        _finish(poll, feed_list)
    return report


def _feed_documents(
    poll: _Poll,
    feed_list: "FeedList",
    fetcher: "WebFetcher",
    report: "IngestReport",
    progress: Callable[[str], None],
) -> Iterator["Document"]:
    """The new and changed entries of one feed as documents; failures go to the report."""
    from config.errors import IngestError
    from ingest.feeds import entry_document, fetch_feed
    from vectorstore.indexer import ItemResult

    feed = poll.feed
    try:
        poll.fetched = fetch_feed(fetcher, feed)
    except IngestError as exc:
        poll.error = str(exc)
        report.items.append(ItemResult(feed.url, "failed", reason=poll.error))
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


def _finish(poll: _Poll, feed_list: "FeedList") -> None:
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


def run_feeds_add(settings: Settings, args: argparse.Namespace) -> int:
    from config.errors import IngestError
    from ingest.feeds import Feed, fetch_feed
    from ingest.web import WebFetcher, is_web_url

    url = args.url.strip()
    result: dict[str, Any] = {"url": url}
    if not is_web_url(url):
        result |= {"status": "failed", "reason": "not an http(s) URL"}
    else:
        feeds = _feed_list(settings)
        try:
            if feeds.get(url) is not None:
                result |= {"status": "unchanged", "reason": "already in the feed list"}
            else:
                probe = Feed(url, None, None, None, 0.0, None, None)
                with WebFetcher(settings.feeds) as fetcher:
                    parsed = fetch_feed(fetcher, probe, conditional=False).parsed
                if parsed is None:
                    raise IngestError("the server answered 304 Not Modified to a plain GET")
                feeds.add(url, parsed.title)
                result |= {"status": "added", "title": parsed.title, "entries": len(parsed.entries)}
        except IngestError as exc:
            result |= {"status": "failed", "reason": str(exc)}
        finally:
            feeds.close()
    if args.json:
        _print_json(result)
    elif result["status"] == "added":
        print(
            f"Added {url} ({result['title'] or 'untitled'}, {result['entries']} entries). "
            "Run `dealdesk watch --once` to ingest them."
        )
    else:
        print(f"{result['status'].upper()}  {url}: {result['reason']}")
    return 1 if result["status"] == "failed" else 0


def run_feeds_list(settings: Settings, args: argparse.Namespace) -> int:
    feeds = _feed_list(settings)
    try:
        rows = [
            {
                "url": feed.url,
                "title": feed.title,
                "added_at": _iso(feed.added_at),
                "checked_at": _iso(feed.checked_at),
                "last_error": feed.last_error,
            }
            for feed in feeds.feeds()
        ]
    finally:
        feeds.close()
    if args.json:
        _print_json(rows)
    elif not rows:
        print("No feeds yet. Add one with `dealdesk feeds add URL`.")
    else:
        for row in rows:
            status = f"error: {row['last_error']}" if row["last_error"] else "ok"
            checked = row["checked_at"] or "never checked"
            print(f"{row['url']}  {row['title'] or '-'}  ({checked}, {status})")
    return 0


def run_feeds_remove(settings: Settings, args: argparse.Namespace) -> int:
    feeds = _feed_list(settings)
    try:
        removed = feeds.remove(args.url.strip())
    finally:
        feeds.close()
    result = {"url": args.url, "status": "removed" if removed else "failed"}
    if not removed:
        result["reason"] = "not in the feed list (see `dealdesk feeds list`)"
    if args.json:
        _print_json(result)
    elif removed:
        print(f"Removed {args.url}; its articles stay in the corpus.")
    else:
        print(f"FAILED  {args.url}: {result['reason']}")
    return 0 if removed else 1


def _iso(timestamp: float | None) -> str | None:
    if timestamp is None:
        return None
    return datetime.fromtimestamp(timestamp).isoformat(timespec="seconds")


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def run_watch(settings: Settings, args: argparse.Namespace) -> int:
    """Passes until stopped. SIGTERM stops like Ctrl-C, so a service manager stops it cleanly."""
    from vectorstore.catalog import model_in_use
    from vectorstore.registry import make_encoder

    encoder = make_encoder(settings.embedding, model_in_use(settings))
    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _interrupt) if main_thread else None
    code = 0
    in_pass = False
    try:
        while True:
            in_pass = True
            code = _watch_once(settings, args, encoder)
            in_pass = False
            if args.once:
                return code
            _stderr(f"Next pass in {args.every:g} s; Ctrl-C stops.")
            time.sleep(args.every)
    except KeyboardInterrupt:
        if in_pass:
            _stderr("dealdesk: watch interrupted during a pass; what was ingested is kept")
            return 130
        _stderr("dealdesk: watch stopped")
        return code
    finally:
        if main_thread:
            signal.signal(signal.SIGTERM, previous if previous is not None else signal.SIG_DFL)


def _watch_once(settings: Settings, args: argparse.Namespace, encoder: "Encoder") -> int:
    """One pass with a freshly opened store: Chroma's embedded client is not process-safe, so
    a long-running watcher holds it only while it writes."""
    from bot.format_text import render_report
    from ingest.web import WebFetcher
    from vectorstore.indexer import IngestReport
    from vectorstore.store import Store

    started = datetime.now().isoformat(timespec="seconds")
    feeds = _feed_list(settings)
    report = IngestReport()
    try:
        if not feeds.feeds():
            _stderr("No feeds to watch. Add one with `dealdesk feeds add URL`.")
        else:
            store = Store(settings, encoder)
            try:
                with WebFetcher(settings.feeds) as fetcher:
                    report = watch_pass(store, feeds, fetcher, settings, _stderr)
            finally:
                store.close()
    finally:
        feeds.close()
    if args.json:
        _print_json({"started": started} | _report_json(report))
    else:
        print(f"Pass started {started}\n{render_report(report)}", flush=True)
    return 1 if report.failed else 0
