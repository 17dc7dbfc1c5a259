"""Feeds: the persisted feed list, RSS/Atom parsing, and watch passes into a real store, all
against the fixture site on 127.0.0.1 with real feedparser and trafilatura."""

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from bot.commands.feeds import parse_duration
from bot.outage import RetrySchedule
from config import FeedSettings
from config.errors import IngestError
from ingest.feeds import FeedList, parse_feed
from ingest.web import WebFetcher
from tests.conftest import REPO, USE_ENV
from tests.fakes.web_server import ATOM, RSS, FixtureWebServer
from vectorstore.indexer import IngestReport
from vectorstore.store import Store
from vectorstore.web_ingest import poll_feeds

DEALDESK = str(Path(sys.executable).with_name("dealdesk"))


@pytest.fixture
def site() -> Iterator[FixtureWebServer]:
    """A fresh site per test: tests publish updates to it."""
    with FixtureWebServer() as server:
        yield server


@pytest.fixture
def feeds(tmp_path: Path) -> Iterator[FeedList]:
    feed_list = FeedList(tmp_path / "feeds.sqlite3")
    yield feed_list
    feed_list.close()


@pytest.fixture
def fetcher() -> Iterator[WebFetcher]:
    settings = FeedSettings.model_validate(
        {"timeout_s": 0.5, "min_interval_s": 0, "max_bytes": 200_000,
         "allow_private_networks": "127.0.0.1/32"}
    )  # fmt: skip
    with WebFetcher(settings) as client:
        yield client


def _pass(store: Store, feeds: FeedList, fetcher: WebFetcher) -> IngestReport:
    return poll_feeds(store, feeds, fetcher, store.settings)


def _statuses(report: IngestReport) -> dict[str, tuple[str, str | None]]:
    return {item.item: (item.status, item.reason) for item in report.items}


def _consistent(store: Store) -> set[str]:
    """Catalog and Chroma hold the same chunk ids; returns them."""
    catalog_ids = {c.chunk_id for c in store.catalog.all_chunks()}
    assert catalog_ids == set(store.collection.get(include=[])["ids"])
    return catalog_ids


def _rss(*items: str) -> str:
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Mixed</title>'
        f"<link>http://127.0.0.1/</link>{''.join(items)}</channel></rss>"
    )


def _item(title: str, link: str, guid: str | None = None) -> str:
    guid_tag = f"<guid>{guid}</guid>" if guid else ""
    return (
        f"<item><title>{title}</title><link>{link}</link>{guid_tag}"
        "<pubDate>Tue, 02 Jul 2024 10:00:00 GMT</pubDate></item>"
    )


def test_rss_entries_use_guid_else_link_as_id_and_keep_dates(site: FixtureWebServer) -> None:
    """RSS 2.0: the guid is the id when present, the link otherwise; pubDate becomes a date."""
    parsed = parse_feed(site.fixture("deals.rss").encode())
    assert parsed.title == "Deal Desk Wire: deals"
    assert [(e.entry_id, e.published) for e in parsed.entries] == [
        ("ddw-2024-0314-lumenfall", date(2024, 3, 14)),
        (site.url("/articles/nordlicht-polarkino"), date(2023, 11, 20)),
    ]


def test_atom_entries_carry_their_full_content(site: FixtureWebServer) -> None:
    """Atom: ids, authors and the full HTML content of an entry come through."""
    parsed = parse_feed(site.fixture("deals.atom").encode())
    orbit, kestrel = parsed.entries
    assert orbit.entry_id == "urn:arcade-ledger:orbit-vela"
    assert orbit.author == "Noor Haddad" and "38 million dollars" in orbit.content
    assert kestrel.content == "The Stormreach studio moves into audio drama."


@pytest.mark.parametrize(
    ("fixture", "reason"),
    [
        ("broken.xml", "malformed feed XML at line 4, column 2: not well-formed"),
        ("lumenfall-harbor.html", "not an RSS or Atom feed (the URL serves an HTML page)"),
    ],
)
def test_unusable_feed_document_raises_with_the_reason(
    site: FixtureWebServer, fixture: str, reason: str
) -> None:
    """Broken XML and a web page instead of a feed are told apart in the error."""
    with pytest.raises(IngestError, match=reason.replace("(", r"\(").replace(")", r"\)")):
        parse_feed(site.fixture(fixture).encode())


def test_entry_without_id_or_link_is_skipped_with_a_reason() -> None:
    """An entry nothing can identify is skipped; its neighbours are kept."""
    parsed = parse_feed(_rss("<item><title>Anonymous</title></item>", _item("B", "http://x/b")))
    assert [e.entry_id for e in parsed.entries] == ["http://x/b"]
    assert parsed.skipped == ["entry 1 has no id and no link"]


def test_feed_list_persists_and_ignores_duplicates(tmp_path: Path) -> None:
    """Adding twice keeps one row; the list and seen-state survive reopening; removing
    an unknown feed says so."""
    path = tmp_path / "feeds.sqlite3"
    first = FeedList(path)
    assert first.add("http://127.0.0.1/a.rss", "A") is True
    assert first.add("http://127.0.0.1/a.rss", "A again") is False
    first.mark_seen("http://127.0.0.1/a.rss", "guid-1", "hash-1", "http://127.0.0.1/1")
    first.record_check("http://127.0.0.1/a.rss", validators=('"v1"', None))
    first.close()
    again = FeedList(path)
    [feed] = again.feeds()
    assert (feed.url, feed.title, feed.etag) == ("http://127.0.0.1/a.rss", "A", '"v1"')
    assert again.seen(feed.url)["guid-1"].content_hash == "hash-1"
    assert again.remove("http://127.0.0.1/nope.rss") is False
    assert again.remove(feed.url) is True
    assert again.feeds() == [] and again.seen(feed.url) == {}
    again.close()


def test_watch_pass_ingests_rss_and_atom_entries(
    site: FixtureWebServer, store: Store, feeds: FeedList, fetcher: WebFetcher
) -> None:
    """New entries of both feeds are stored with their dates; an Atom entry with the full
    article is taken from the feed, a summary-only entry from its linked page."""
    feeds.add(site.url("/feeds/deals.rss"), None)
    feeds.add(site.url("/feeds/deals.atom"), None)
    report = _pass(store, feeds, fetcher)
    assert report.summary()["added"] == 4 and not report.failed
    stored = {d.title: d.published for d in store.catalog.recent_documents(10)}
    assert stored["Orbit Arcade signs streaming pact with Vela Studios"] == 20240506
    assert stored["Lumenfall Games buys podcast network Kestrel Audio"] == 20240902
    assert site.seen("/ledger/orbit-vela") == []
    assert len(site.seen("/articles/lumenfall-kestrel")) == 1
    assert [f.title for f in feeds.feeds()] == ["Deal Desk Wire: deals", "Arcade Ledger"]
    _consistent(store)


def test_second_pass_sends_conditional_headers_and_adds_nothing(
    site: FixtureWebServer, store: Store, feeds: FeedList, fetcher: WebFetcher
) -> None:
    """The stored ETag and Last-Modified go back to the server, which answers 304."""
    url = site.url("/feeds/deals.rss")
    feeds.add(url, None)
    _pass(store, feeds, fetcher)
    chunks = _consistent(store)
    report = _pass(store, feeds, fetcher)
    assert _statuses(report) == {url: ("unchanged", "feed not modified (304)")}
    headers = site.seen("/feeds/deals.rss")[-1].headers
    assert headers["if-none-match"] and headers["if-modified-since"]
    assert report.chunks_written == 0 and _consistent(store) == chunks


def test_changed_entry_replaces_its_chunks(
    site: FixtureWebServer, store: Store, feeds: FeedList, fetcher: WebFetcher
) -> None:
    """An entry whose content changes is re-ingested; its old passages are gone."""
    feeds.add(site.url("/feeds/deals.atom"), None)
    _pass(store, feeds, fetcher)
    before = _consistent(store)
    changed = site.fixture("deals.atom").replace("38 million dollars", "52 million dollars")
    site.set("/feeds/deals.atom", changed, ATOM)
    report = _pass(store, feeds, fetcher)
    assert report.count("updated") == 1 and report.count("unchanged") == 1
    after = _consistent(store)
    texts = " ".join(c.text for c in store.catalog.all_chunks())
    assert "52 million dollars" in texts and "38 million dollars" not in texts
    assert before - after and len(after) == len(before)


def test_failing_feeds_and_entries_are_reported_and_the_rest_go_on(
    site: FixtureWebServer, store: Store, feeds: FeedList, fetcher: WebFetcher
) -> None:
    """Broken XML, a 500, a timeout and a 404 entry each fail with a reason while the good
    entries are stored; the feed with the failed entry is fetched in full next time and the
    entry is retried once its page exists."""
    mixed = site.url("/feeds/mixed.rss")
    missing = site.url("/articles/coming-soon")
    site.set(
        "/feeds/mixed.rss",
        _rss(_item("Gone", missing), _item("Kestrel", site.url("/articles/lumenfall-kestrel"))),
        RSS,
    )
    for path in ("/feeds/broken.xml", "/error", "/slow", "/feeds/mixed.rss"):
        feeds.add(site.url(path), None)
    report = _pass(store, feeds, fetcher)
    statuses = _statuses(report)
    assert statuses[site.url("/feeds/broken.xml")][1] == (
        "malformed feed XML at line 4, column 2: not well-formed (invalid token)"
    )
    assert statuses[site.url("/error")] == ("failed", "HTTP 500 Internal Server Error")
    assert statuses[site.url("/slow")] == ("failed", "timed out after 0.5 s")
    assert statuses[missing] == ("failed", "HTTP 404 Not Found")
    assert statuses[site.url("/articles/lumenfall-kestrel")] == ("added", None)
    assert report.count("failed") == 4
    mixed_feed = feeds.get(mixed)
    assert mixed_feed is not None and mixed_feed.etag is None

    site.set("/articles/coming-soon", site.fixture("lumenfall-harbor.html"))
    feeds.remove(site.url("/slow"))
    retry = _pass(store, feeds, fetcher)
    assert "if-none-match" not in site.seen("/feeds/mixed.rss")[-1].headers
    assert _statuses(retry)[site.url("/articles/lumenfall-harbor")] == ("added", None)
    _consistent(store)


def test_nothing_stored_is_lost_when_a_feed_starts_failing(
    site: FixtureWebServer, store: Store, feeds: FeedList, fetcher: WebFetcher
) -> None:
    """A feed that later answers 500 is reported; what it brought earlier stays searchable."""
    feeds.add(site.url("/feeds/deals.rss"), None)
    _pass(store, feeds, fetcher)
    chunks = _consistent(store)
    site.set("/feeds/deals.rss", "<h1>down</h1>", status=500)
    report = _pass(store, feeds, fetcher)
    assert report.failed and _consistent(store) == chunks
    feed = feeds.get(site.url("/feeds/deals.rss"))
    assert feed is not None and feed.last_error == "HTTP 500 Internal Server Error"


def test_watch_backs_off_from_a_failing_feed_and_reports_its_outage_once(
    site: FixtureWebServer, store: Store, feeds: FeedList, fetcher: WebFetcher
) -> None:
    """With a schedule (`watch --every`), a feed answering 500 is skipped until its backoff has
    passed, its outage is reported when it starts and when it ends (not per pass), and the
    healthy feed is polled every pass."""
    said: list[str] = []
    now = [0.0]
    schedule = RetrySchedule(60, 3600, said.append, lambda: now[0])
    failing, healthy = site.url("/feeds/deals.rss"), site.url("/feeds/deals.atom")
    feeds.add(failing, None)
    feeds.add(healthy, None)
    site.set("/feeds/deals.rss", "<h1>down</h1>", status=500)
    progress: list[str] = []

    def poll() -> IngestReport:
        return poll_feeds(store, feeds, fetcher, store.settings, progress.append, schedule)

    first = poll()
    assert _statuses(first)[failing] == ("failed", "HTTP 500 Internal Server Error")
    now[0] = 30
    poll()
    assert len(site.seen("/feeds/deals.rss")) == 1
    assert len(site.seen("/feeds/deals.atom")) == 2
    now[0] = 61
    poll()
    assert len(site.seen("/feeds/deals.rss")) == 2
    site.set("/feeds/deals.rss", site.fixture("deals.rss"), RSS)
    now[0] = 181
    recovered = poll()
    assert recovered.count("added") == 2
    assert said == [
        f"{failing} is not answering (HTTP 500 Internal Server Error); retrying with backoff",
        f"{failing} is answering again after 181 s (2 failed attempts)",
    ]
    assert not [line for line in progress if "failed" in line]


@pytest.mark.parametrize(
    ("text", "seconds"), [("90", 90), ("30s", 30), ("15m", 900), ("2h", 7200), ("1d", 86400)]
)
def test_watch_interval_accepts_seconds_minutes_hours_and_days(text: str, seconds: float) -> None:
    """`--every` takes the units people write in crontabs and chat."""
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "soon", "0.5s", "15 minutes", "-1m"])
def test_watch_interval_rejects_nonsense_and_sub_second_values(text: str) -> None:
    """A typo or a busy-loop interval is refused by the argument parser."""
    import argparse

    with pytest.raises(argparse.ArgumentTypeError):
        parse_duration(text)


def _env(data_dir: Path) -> dict[str, str]:
    """A clean environment for the real CLI: this checkout's code, a temp data dir."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DEALDESK_")}
    env |= {
        "DEALDESK_DATA_DIR": str(data_dir),
        "DEALDESK_FEEDS__MIN_INTERVAL_S": "0",
        "DEALDESK_FEEDS__TIMEOUT_S": "2",
        "DEALDESK_FEEDS__ALLOW_PRIVATE_NETWORKS": "127.0.0.1/32",
        "PYTHONPATH": str(REPO),
    } | USE_ENV
    return env


def _cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [DEALDESK, *args],
        capture_output=True,
        text=True,
        env=_env(data_dir),
        cwd=data_dir.parent,
        timeout=120,
    )


@pytest.mark.slow
def test_cli_add_feed_watch_once_then_ask_shows_the_entry_with_its_date(
    site: FixtureWebServer, tmp_path: Path
) -> None:
    """Through the real `dealdesk` command: add a feed, one watch pass, then an answer that
    cites the new article with its publication date."""
    data = tmp_path / "data"
    added = _cli(data, "feeds", "add", site.url("/feeds/deals.rss"), "--json")
    assert added.returncode == 0, added.stderr
    assert json.loads(added.stdout) | {"url": ""} == {
        "url": "", "status": "added", "title": "Deal Desk Wire: deals", "entries": 2,
    }  # fmt: skip
    bad = _cli(data, "feeds", "add", site.url("/feeds/broken.xml"))
    assert bad.returncode == 1 and "malformed feed XML" in bad.stdout

    watched = _cli(data, "watch", "--once", "--json")
    assert watched.returncode == 0, watched.stderr
    assert json.loads(watched.stdout)["added"] == 2
    assert "[1/1]" in watched.stderr

    asked = _cli(data, "ask", "How much did Lumenfall pay for Harbor Pictures?", "--json")
    assert asked.returncode == 0, asked.stderr
    answer = json.loads(asked.stdout)
    assert answer["grounded"] is True
    first = answer["citations"][0]
    assert first["url"] == site.url("/articles/lumenfall-harbor")
    assert first["published"] == "2024-03-14"


@pytest.mark.slow
def test_watch_every_stops_cleanly_on_ctrl_c(site: FixtureWebServer, tmp_path: Path) -> None:
    """Ctrl-C between passes ends `watch --every` with a message and exit code 0."""
    data = tmp_path / "data"
    assert _cli(data, "feeds", "add", site.url("/feeds/deals.atom")).returncode == 0
    with subprocess.Popen(
        [DEALDESK, "watch", "--every", "1h"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(data),
        cwd=tmp_path,
    ) as process:
        assert process.stderr is not None
        for line in process.stderr:
            if line.startswith("Next pass in 3600 s"):
                break
        process.send_signal(signal.SIGINT)
        try:
            stdout, stderr = process.communicate(timeout=30)
        finally:
            process.kill()
    assert process.returncode == 0
    assert "watch stopped" in stderr
    assert "2 added" in stdout
