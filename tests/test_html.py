"""One HTML extractor: HTML files and web pages both go through trafilatura, with the
page's visible text as the fallback for files it finds no article in."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from config import FeedSettings
from config.errors import IngestError
from ingest.html import extract_html
from ingest.load import load_file
from ingest.web import WebFetcher, fetch_article
from tests.fakes.web_server import FixtureWebServer

PAGES = ("lumenfall-harbor", "lumenfall-kestrel", "nordlicht-polarkino")


@pytest.fixture(scope="module")
def site() -> Iterator[FixtureWebServer]:
    with FixtureWebServer() as server:
        yield server


def _html_file(tmp_path: Path, markup: str, name: str = "page.html") -> Path:
    path = tmp_path / name
    path.write_text(markup, encoding="utf-8")
    return path


@pytest.mark.parametrize("page", PAGES)
def test_html_file_and_the_same_page_on_the_web_give_the_same_article(
    site: FixtureWebServer, tmp_path: Path, page: str
) -> None:
    """A saved copy of a page yields the title, text, date, author and language the live
    page does: one extractor serves both."""
    path = _html_file(tmp_path, site.fixture(f"{page}.html"))
    (from_file,) = load_file(path, 1_000_000).documents
    settings = FeedSettings.model_validate(
        {"min_interval_s": 0, "allow_private_networks": "127.0.0.1/32"}
    )
    with WebFetcher(settings) as fetcher:
        from_web = fetch_article(fetcher, site.url(f"/articles/{page}"))
    fields = ("title", "text", "published", "author", "language")
    assert [getattr(from_file, f) for f in fields] == [getattr(from_web, f) for f in fields]
    assert from_file.source == str(path.resolve())


def test_html_file_drops_comments_byline_and_the_repeated_headline(
    site: FixtureWebServer, tmp_path: Path
) -> None:
    """Reader comments, the byline and the headline repeated above the text stay out of an
    HTML file's text; every paragraph of the article stays in."""
    (doc,) = load_file(_html_file(tmp_path, site.fixture("lumenfall-harbor.html")), 10**6).documents
    for noise in ("Finally a proper Stormreach", "Overpriced", "12 comments", "By Mara Lindqvist",
                  "Front page", "About the author", "Share on", "newsletter"):  # fmt: skip
        assert noise not in doc.text, noise
    assert not doc.text.startswith(doc.title)
    for kept in ("410 million dollars", "forty feature films", "headquarters in Vancouver",
                 "rather than rent it."):  # fmt: skip
        assert kept in doc.text, kept
    assert (doc.publisher, doc.author) == ("Deal Desk Wire", "Mara Lindqvist")


def test_html_extraction_drops_scripts_navigation_and_footer() -> None:
    """Visible article text survives; script, navigation and footer content does not, and the
    page's date is read from its meta tags."""
    article = extract_html(
        """<html><head><title>Deal news</title>
        <meta property="article:published_time" content="2016-10-09T10:00:00Z"></head>
        <body><nav>Home | World</nav><script>var x = 1;</script>
        <h1>Alibaba buys into Amblin</h1><p>Alibaba takes a stake.</p><p>Spielberg is pleased.</p>
        <footer>Impressum</footer></body></html>"""
    )
    assert article.text == "Alibaba takes a stake.\nSpielberg is pleased."
    assert article.title == "Alibaba buys into Amblin"
    assert str(article.published) == "2016-10-09"


@pytest.mark.parametrize(
    ("markup", "title", "text"),
    [
        ("Sony kauft Pixar. Der Preis ist geheim.", "", "Sony kauft Pixar. Der Preis ist geheim."),
        (
            "<html><head><title>Kurz</title><meta name='date' content='2016-10-09'></head><body>"
            "<nav>Home | Deals</nav><table><tr><td>Sony kauft Pixar für 7 Mrd. Dollar.</td></tr>"
            "</table><form>Suche</form><footer>Impressum</footer></body></html>",
            "Kurz",
            "Sony kauft Pixar für 7 Mrd. Dollar.",
        ),
        ("<span>Sony buys Pixar</span> <b>for 7 billion</b>", "", "Sony buys Pixar for 7 billion"),
    ],
)
def test_html_file_trafilatura_finds_nothing_in_still_loads_its_visible_text(
    tmp_path: Path, markup: str, title: str, text: str
) -> None:
    """Very short pages and bare fragments keep their visible text (navigation, forms and
    footers dropped) and their <title>, as they did before trafilatura read HTML files."""
    (doc,) = load_file(_html_file(tmp_path, markup), 10**6).documents
    assert doc.text == text
    assert doc.title == (title or text[:120])


def test_html_file_with_nothing_but_navigation_fails_with_a_reason(tmp_path: Path) -> None:
    """A page of menus only has no article; the file fails instead of storing the menu."""
    path = _html_file(tmp_path, "<html><body><nav>Home | Deals | Markets</nav></body></html>")
    with pytest.raises(IngestError, match="no article text left after cleaning"):
        load_file(path, 10**6)
