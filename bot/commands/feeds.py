"""Feed subcommands: `feeds add|list|remove` and `watch --once|--every 15m`. Parsing and printing
only: the work is `vectorstore.web_ingest` (add_feed, poll_feeds)."""

import argparse
import re
import signal
import threading
import time
from datetime import datetime
from typing import TYPE_CHECKING

from bot.commands.core import add_no_wait_argument
from bot.commands.output import print_error, print_json, print_text, report_dict
from config import Settings

if TYPE_CHECKING:
    from bot.outage import RetrySchedule
    from ingest.feeds import FeedList
    from vectorstore.embeddings import Encoder

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
    add_no_wait_argument(watch)
    watch.set_defaults(handler=run_watch)


def _stderr(line: str) -> None:
    print_error(line)


def _feed_list(settings: Settings) -> "FeedList":
    """The feed list in the data dir; a data dir that is a file is one clear error."""
    from ingest.feeds import FeedList
    from vectorstore.lock import ensure_data_dir

    ensure_data_dir(settings.data_dir, create=True)
    return FeedList(settings.data_dir / FEEDS_FILE)


def run_feeds_add(settings: Settings, args: argparse.Namespace) -> int:
    from vectorstore.web_ingest import add_feed

    feeds = _feed_list(settings)
    try:
        result = add_feed(feeds, args.url, settings.feeds)
    finally:
        feeds.close()
    if args.json:
        print_json(result.as_dict())
    elif result.status == "added":
        print_text(
            f"Added {result.url} ({result.title or 'untitled'}, {result.entries} entries). "
            "Run `dealdesk watch --once` to ingest them."
        )
    else:
        print_text(f"{result.status.upper()}  {result.url}: {result.reason}")
    return 1 if result.status == "failed" else 0


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
        print_json(rows)
    elif not rows:
        print_text("No feeds yet. Add one with `dealdesk feeds add URL`.")
    else:
        for row in rows:
            status = f"error: {row['last_error']}" if row["last_error"] else "ok"
            checked = row["checked_at"] or "never checked"
            print_text(f"{row['url']}  {row['title'] or '-'}  ({checked}, {status})")
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
        print_json(result)
    elif removed:
        print_text(f"Removed {args.url}; its articles stay in the corpus.")
    else:
        print_text(f"FAILED  {args.url}: {result['reason']}")
    return 0 if removed else 1


def _iso(timestamp: float | None) -> str | None:
    if timestamp is None:
        return None
    return datetime.fromtimestamp(timestamp).isoformat(timespec="seconds")


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def run_watch(settings: Settings, args: argparse.Namespace) -> int:
    """Passes until stopped. SIGTERM stops like Ctrl-C, so a service manager stops it cleanly;
    both are caught explicitly, so Ctrl-C works even when started with SIGINT ignored (as a
    background job of a script is).
    With --every, a failing feed is polled less often (the wait doubles, up to an hour or the
    interval) and its outage is reported when it starts and when it ends, not every pass."""
    from bot.outage import RetrySchedule
    from vectorstore.catalog import model_in_use
    from vectorstore.registry import make_encoder

    encoder = make_encoder(settings.embedding, model_in_use(settings))
    schedule = None if args.once else RetrySchedule(args.every, max(args.every, 3600), _stderr)
    main_thread = threading.current_thread() is threading.main_thread()
    stops = (signal.SIGINT, signal.SIGTERM)
    previous = {sig: signal.signal(sig, _interrupt) for sig in stops} if main_thread else {}
    code = 0
    in_pass = False
    try:
        while True:
            in_pass = True
            code = _watch_once(settings, args, encoder, schedule)
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
        for sig, handler in previous.items():
            signal.signal(sig, handler if handler is not None else signal.SIG_DFL)


def _watch_once(
    settings: Settings,
    args: argparse.Namespace,
    encoder: "Encoder",
    schedule: "RetrySchedule | None",
) -> int:
    """One pass with a freshly opened store: a long-running watcher holds the writer lock (and
    embedded Chroma, which is not process-safe) only while it writes, so `dealdesk ingest` can
    run between passes."""
    from bot.commands.core import open_writer
    from bot.format_text import render_report
    from ingest.web import WebFetcher
    from vectorstore.indexer import IngestReport
    from vectorstore.web_ingest import poll_feeds

    started = datetime.now().isoformat(timespec="seconds")
    feeds = _feed_list(settings)
    report = IngestReport()
    try:
        urls = {feed.url for feed in feeds.feeds()}
        if not urls:
            _stderr("No feeds to watch. Add one with `dealdesk feeds add URL`.")
        else:
            with (
                open_writer(settings, args, "watch", encoder=encoder) as store,
                WebFetcher(settings.feeds) as fetcher,
            ):
                report = poll_feeds(store, feeds, fetcher, settings, _stderr, schedule)
    finally:
        feeds.close()
    if args.json:
        print_json({"started": started} | report_dict(report))
    else:
        announced = urls if schedule is not None else set()
        print_text(f"Pass started {started}\n{render_report(report, hide_failed=announced)}")
    return 1 if report.failed else 0
