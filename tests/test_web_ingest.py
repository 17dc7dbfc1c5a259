"""Web page ingest: real httpx and trafilatura against the fixture site on 127.0.0.1."""

import json
import socket
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from bot.cli import main
from config import FeedSettings
from config.errors import IngestError
from ingest.web import HostPacer, WebFetcher, fetch_article, is_web_url
from tests.fakes.web_server import FixtureWebServer

USER_AGENT = "dealdesk-tests/1.0 (+https://example.invalid/bot)"


@pytest.fixture(scope="module")
def site() -> Iterator[FixtureWebServer]:
    with FixtureWebServer() as server:
        yield server


def _settings(**overrides: float) -> FeedSettings:
    """Small limits so the failure modes trip in well under a second."""
    values: dict[str, object] = {
        "user_agent": USER_AGENT, "timeout_s": 0.5, "min_interval_s": 0, "max_bytes": 200_000,
        "max_redirects": 5, "allow_private_networks": "127.0.0.1/32",
    }  # fmt: skip
    return FeedSettings.model_validate(values | overrides)


@pytest.fixture
def fetcher() -> Iterator[WebFetcher]:
    with WebFetcher(_settings()) as client:
        yield client


def test_article_page_yields_clean_text_and_metadata(
    site: FixtureWebServer, fetcher: WebFetcher
) -> None:
    """Title, author, date, language and canonical URL come from the page; navigation,
    comments, share links and the author box do not reach the text."""
    doc = fetch_article(fetcher, site.url("/articles/lumenfall-harbor?utm_source=rss"))
    assert doc.title == "Lumenfall Games agrees to buy Harbor Pictures"
    assert doc.author == "Mara Lindqvist"
    assert doc.published == date(2024, 3, 14)
    assert doc.language == "en"
    assert doc.source == doc.url == site.url("/articles/lumenfall-harbor")
    assert "410 million dollars" in doc.text
    for noise in ("Front page", "Sign in", "Finally a proper Stormreach", "About the author",
                  "Share on", "All rights reserved", "newsletter"):  # fmt: skip
        assert noise not in doc.text, noise


def test_german_page_keeps_its_language_and_date(
    site: FixtureWebServer, fetcher: WebFetcher
) -> None:
    """A German article is tagged `de` and keeps its published date; its nav is dropped."""
    doc = fetch_article(fetcher, site.url("/articles/nordlicht-polarkino"))
    assert (doc.language, doc.published) == ("de", date(2023, 11, 20))
    assert "120 Millionen Euro" in doc.text
    assert "Startseite" not in doc.text and "Über den Autor" not in doc.text


def test_fetch_identifies_itself_with_the_configured_user_agent(
    site: FixtureWebServer, fetcher: WebFetcher
) -> None:
    """Every request carries our User-Agent, so site owners can see who polls them."""
    fetch_article(fetcher, site.url("/articles/lumenfall-kestrel"))
    assert site.seen("/articles/lumenfall-kestrel")[-1].headers["user-agent"] == USER_AGENT


def test_redirect_is_followed_to_the_article(site: FixtureWebServer, fetcher: WebFetcher) -> None:
    """A moved page is fetched from where it moved to, under its canonical URL."""
    doc = fetch_article(fetcher, site.url("/moved"))
    assert doc.source == site.url("/articles/lumenfall-harbor")


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/slow", "timed out after 0.5 s"),
        ("/trickle", "timed out after 0.5 s"),
        ("/nowhere", "HTTP 404 Not Found"),
        ("/error", "HTTP 500 Internal Server Error"),
        ("/report.pdf", "not an HTML page (content type application/pdf)"),
        ("/huge", "response is too large (2.0 MB; the limit is 0.2 MB"),
        ("/huge-unsized", "response is too large (more than the limit; the limit is 0.2 MB"),
        ("/loop/a", "redirect loop: {base}/loop/a -> {base}/loop/b -> {base}/loop/a"),
        ("/hops/0", "too many redirects (more than 5)"),
        ("/to-ftp", "redirected to a non-http(s) URL: ftp://"),
        ("/empty", "no article text found on the page"),
    ],
)
def test_failing_fetch_raises_ingest_error_with_the_reason(
    site: FixtureWebServer, fetcher: WebFetcher, path: str, reason: str
) -> None:
    """Each way a fetch goes wrong ends in an `IngestError` that names what happened."""
    with pytest.raises(IngestError) as caught:
        fetch_article(fetcher, site.url(path))
    assert reason.replace("{base}", site.base_url) in str(caught.value)


def test_unreachable_host_raises_ingest_error(fetcher: WebFetcher) -> None:
    """A refused connection is reported as such, not as a traceback."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(IngestError, match="cannot fetch"):
        fetch_article(fetcher, f"http://127.0.0.1:{port}/article")


@pytest.mark.parametrize("validator", ["etag", "last_modified"])
def test_conditional_get_of_unchanged_page_is_not_modified(
    site: FixtureWebServer, fetcher: WebFetcher, validator: str
) -> None:
    """Sending back the ETag or Last-Modified of the last fetch gets a body-less 304."""
    first = fetcher.fetch(site.url("/articles/lumenfall-kestrel"))
    assert first.content and first.etag and first.last_modified
    again = fetcher.fetch(
        site.url("/articles/lumenfall-kestrel"), **{validator: getattr(first, validator)}
    )
    assert again.not_modified and again.content == b""
    header = "if-none-match" if validator == "etag" else "if-modified-since"
    assert site.seen("/articles/lumenfall-kestrel")[-1].headers[header] == getattr(first, validator)


def test_pacer_spaces_requests_to_one_host_and_not_across_hosts() -> None:
    """The second request to a host waits out the interval; another host does not wait."""
    now = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    pacer = HostPacer(2.0, clock=lambda: now[0], sleep=sleep)
    assert pacer.wait("news.example") == 0
    now[0] += 0.5
    assert pacer.wait("news.example") == pytest.approx(1.5)
    assert pacer.wait("other.example") == 0
    assert pacer.wait("news.example") == pytest.approx(2.0)
    assert slept == [pytest.approx(1.5), pytest.approx(2.0)]


def test_fetcher_paces_real_requests_to_the_same_host(site: FixtureWebServer) -> None:
    """With min_interval_s set, back-to-back fetches of one site are spaced out."""
    slept: list[float] = []
    pacer = HostPacer(30.0, sleep=slept.append)
    with WebFetcher(_settings(min_interval_s=30.0), pacer=pacer) as client:
        client.fetch(site.url("/articles/lumenfall-kestrel"))
        client.fetch(site.url("/articles/nordlicht-polarkino"))
    assert len(slept) == 1 and 29.0 < slept[0] <= 30.0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://news.example/deal", True),
        ("http://127.0.0.1:8080/a", True),
        ("data/sample", False),
        ("ftp://news.example/file", False),
        ("https://", False),
        ("C:\\articles\\deal.txt", False),
    ],
)
def test_only_http_and_https_urls_count_as_web_urls(text: str, expected: bool) -> None:
    """The ingest command routes http(s) URLs to the web and everything else to files."""
    assert is_web_url(text) is expected


def test_ingest_command_mixes_urls_and_files_and_reports_each(
    site: FixtureWebServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`dealdesk ingest URL URL FILE` ingests what it can, reports the failing URL with its
    reason, exits 1, and a second run finds everything unchanged."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DEALDESK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("DEALDESK_FEEDS__MIN_INTERVAL_S", "0")
    monkeypatch.setenv("DEALDESK_FEEDS__ALLOW_PRIVATE_NETWORKS", "127.0.0.1/32")
    note = tmp_path / "note.txt"
    note.write_text(
        "Vela Studios hires a new chief\n\nVela Studios, the maker of game cartoons, has hired "
        "a former television executive as its chief to grow its streaming business.\n",
        encoding="utf-8",
    )
    good, bad = site.url("/articles/lumenfall-harbor"), site.url("/report.pdf")
    argv = ["ingest", good, bad, str(note), "--json"]
    assert main(argv) == 1
    report = json.loads(capsys.readouterr().out)
    statuses = {item["item"]: (item["status"], item["reason"]) for item in report["items"]}
    assert statuses[good] == ("added", None)
    assert statuses[bad] == ("failed", "not an HTML page (content type application/pdf)")
    assert statuses[str(note.resolve())] == ("added", None)
    assert main(argv) == 1
    again = json.loads(capsys.readouterr().out)
    assert (again["added"], again["unchanged"], again["failed"]) == (0, 2, 1)
