"""Escape sequences and control characters are stripped at ingest from the text, title and
every metadata field of every input type: files of each format, web pages and feed entries."""

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from config import FeedSettings
from ingest.feeds import Feed, entry_document, parse_feed
from ingest.html import extract_html
from ingest.load import load_file
from ingest.models import Document
from ingest.web import WebFetcher, fetch_article
from tests.fakes.web_server import FixtureWebServer

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
CLEAR = "\x1b[2J"
RETITLE = "\x1b]0;owned\x07"
LINK = "\x1b]8;;http://evil.example\x1b\\"
C1 = "\x9b31m"
BODY = (
    f"Lumenfall Games{CLEAR} has agreed to buy{RETITLE} Harbor Pictures for 410 million dollars,"
    f" the two{C1} companies said on Thursday.\x07 The{LINK} purchase gives Lumenfall a back "
    "catalogue of forty feature films and a development team that has spent a decade adapting "
    "novels for cinema and television."
)
TITLE = f"Lumenfall{CLEAR} buys Harbor{RETITLE}"
AUTHOR = f"Mara{CLEAR} Lindqvist\x08"
PUBLISHER = f"Deal{RETITLE} Desk Wire"


def _assert_clean(doc: Document) -> None:
    """No control character in any field, and the words around the escapes are all there."""
    for name in ("source", "title", "text", "url", "author", "publisher"):
        value = getattr(doc, name) or ""
        assert not CONTROL.search(value), (name, value)
    assert doc.title == "Lumenfall buys Harbor"
    assert "Lumenfall Games has agreed to buy Harbor Pictures for 410 million dollars" in doc.text
    assert "the two companies said on Thursday. The purchase gives" in doc.text


def _file(tmp_path: Path, name: str, content: str) -> Document:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    (doc,) = load_file(path, 10**6).documents
    return doc


def _html(body: str = BODY) -> str:
    return (
        f"<html><head><title>{TITLE}</title><meta name='author' content='{AUTHOR}'>"
        f"<meta property='og:site_name' content='{PUBLISHER}'></head><body><article>"
        f"<h1>{TITLE}</h1><p>{body}</p><p>Es folgt &#27;[2J und &#12; ein Formfeed.</p>"
        "</article></body></html>"
    )


def _record() -> dict[str, str]:
    return {
        "title": TITLE, "text": BODY, "author": AUTHOR, "source": PUBLISHER,
        "url": f"https://news.example/harbor{CLEAR}", "published": "2024-03-14",
    }  # fmt: skip


@pytest.mark.parametrize("kind", ["txt", "md", "html", "json", "jsonl"])
def test_escapes_and_controls_are_stripped_from_every_file_format(
    tmp_path: Path, kind: str
) -> None:
    """Text, title, author, publisher and URL of .txt, .md, .html, .json and .jsonl articles
    reach the store without escape sequences or control characters, and nothing else goes."""
    content = {
        "txt": f"{TITLE}\n\n{BODY}\n",
        "md": f"# {TITLE}\n\n{BODY}\n",
        "html": _html(),
        "json": json.dumps([_record()]),
        "jsonl": json.dumps(_record()) + "\n",
    }[kind]
    doc = _file(tmp_path, f"article.{kind}", content)
    _assert_clean(doc)
    if kind in {"json", "jsonl"}:
        assert doc.url == doc.source == "https://news.example/harbor"
        assert (doc.author, doc.publisher) == ("Mara Lindqvist", "Deal Desk Wire")
    if kind == "html":
        assert doc.author == "Mara Lindqvist"


@pytest.fixture(scope="module")
def site() -> Iterator[FixtureWebServer]:
    with FixtureWebServer() as server:
        server.set("/articles/hostile", _html())
        server.set("/articles/hostile-no-author", _html().replace("name='author'", "name='x'"))
        yield server


@pytest.fixture
def fetcher() -> Iterator[WebFetcher]:
    settings = FeedSettings.model_validate(
        {"min_interval_s": 0, "allow_private_networks": "127.0.0.1/32"}
    )
    with WebFetcher(settings) as client:
        yield client


def test_escapes_and_controls_are_stripped_from_a_web_page(
    site: FixtureWebServer, fetcher: WebFetcher
) -> None:
    """A fetched page's text, title, author and site name come out clean."""
    doc = fetch_article(fetcher, site.url("/articles/hostile"))
    _assert_clean(doc)
    assert (doc.author, doc.publisher) == ("Mara Lindqvist", "Deal Desk Wire")


def _feed(site: FixtureWebServer, content: str, link: str) -> bytes:
    return (
        '<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<channel><title>{PUBLISHER}</title><item><title>{TITLE}</title>"
        f"<guid>hostile{CLEAR}-1</guid><link>{link}</link><dc:creator>{AUTHOR}</dc:creator>"
        f"<description><![CDATA[{content}]]></description></item></channel></rss>"
    ).encode()


@pytest.mark.parametrize("source", ["feed text", "linked page"])
def test_escapes_and_controls_are_stripped_from_feed_entries(
    site: FixtureWebServer, fetcher: WebFetcher, source: str
) -> None:
    """An entry carrying the whole article, and one whose article is fetched from its link
    (the entry then lends its author), are both stored clean, as are the feed's fields."""
    link = site.url("/articles/hostile-no-author")
    body = BODY.replace(C1, "")  # feedparser itself turns C1 controls into cp1252 characters
    content = f"<p>{body} {body} {body}</p>" if source == "feed text" else "Short."
    parsed = parse_feed(_feed(site, content, link))
    (entry,) = parsed.entries
    assert parsed.title == "Deal Desk Wire"
    assert (entry.title, entry.author) == ("Lumenfall buys Harbor", "Mara Lindqvist")
    assert entry.entry_id == "hostile-1"
    feed = Feed(site.url("/feeds/hostile.rss"), parsed.title, None, None, 0.0, None, None)
    doc = entry_document(fetcher, feed, entry)
    _assert_clean(doc)
    assert (doc.author, doc.publisher) == ("Mara Lindqvist", "Deal Desk Wire")


def test_character_references_to_controls_are_dropped_and_others_kept() -> None:
    """`&#27;` (ESC) and `&#12;` go; `&#150;` is the dash browsers show; `&#60;` stays text."""
    markup = "<p>A &#150; B &#27;[2J C &#x0c;D &#60;tag&#62; &#x1B;]0;t&#7;E</p>"
    assert extract_html(markup).text == "A – B [2J C D <tag> ]0;tE"
