"""URL safety: fetches reach public addresses only (or allowed networks), at every hop and
connection, and connect to the very address that was checked. Real httpx against the fixture
site on 127.0.0.1; DNS answers come from a fake resolver where a test needs names."""

import json
import ssl
from collections.abc import Iterator
from ipaddress import ip_address, ip_network
from pathlib import Path

import pytest

from bot.cli import main
from config import FeedSettings
from config.errors import IngestError
from ingest.feeds import FeedList
from ingest.url_safety import (
    IPAddress,
    RefusedAddressError,
    check_url,
    literal_address,
    refusal,
    resolve_host,
)
from ingest.web import WebFetcher, fetch_article
from tests.fakes.web_server import RSS, FixtureWebServer
from vectorstore.store import Store
from vectorstore.web_ingest import poll_feeds

TLS = Path(__file__).resolve().parent / "fixtures" / "tls"
LOOPBACK_ONLY = "127.0.0.1/32"


class FakeDNS:
    """Answers names from a table, one answer list per lookup in turn (the last repeats);
    literal addresses resolve as the system resolver would. Counts lookups per name."""

    def __init__(self, answers: dict[str, list[list[str]]]) -> None:
        self.answers = answers
        self.lookups: dict[str, int] = {}

    def __call__(self, host: str, port: int) -> list[IPAddress]:
        if host not in self.answers:
            return resolve_host(host, port)
        turn = self.lookups.get(host, 0)
        self.lookups[host] = turn + 1
        answers = self.answers[host]
        return [ip_address(a) for a in answers[min(turn, len(answers) - 1)]]


def _settings(allow: str = LOOPBACK_ONLY) -> FeedSettings:
    return FeedSettings.model_validate(
        {"timeout_s": 2, "min_interval_s": 0, "max_redirects": 5, "allow_private_networks": allow}
    )


@pytest.fixture(scope="module")
def site() -> Iterator[FixtureWebServer]:
    with FixtureWebServer() as server:
        yield server


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "a loopback address"),
        ("127.255.255.254", "a loopback address"),
        ("10.0.0.5", "a private address"),
        ("172.16.0.1", "a private address"),
        ("172.31.255.255", "a private address"),
        ("192.168.1.1", "a private address"),
        ("169.254.169.254", "a link-local address"),
        ("100.64.0.1", "a shared (carrier-grade NAT) address"),
        ("100.127.255.254", "a shared (carrier-grade NAT) address"),
        ("224.0.0.1", "a multicast address"),
        ("239.255.255.250", "a multicast address"),
        ("240.0.0.1", "a reserved, non-public address"),
        ("255.255.255.255", "a reserved, non-public address"),
        ("192.0.2.10", "a reserved, non-public address"),
        ("198.18.0.1", "a reserved, non-public address"),
        ("0.0.0.0", "an unspecified address"),
        ("0.1.2.3", "a reserved, non-public address"),
        ("::1", "a loopback address"),
        ("::", "an unspecified address"),
        ("fe80::1", "a link-local address"),
        ("fc00::1", "a private address"),
        ("fd12:3456::1", "a private address"),
        ("fec0::1", "a private address"),
        ("ff02::1", "a multicast address"),
        ("2001:db8::1", "a reserved, non-public address"),
        ("2001::1", "a reserved, non-public address"),
        ("64:ff9b:1::1", "a reserved, non-public address"),
        ("::ffff:127.0.0.1", "a loopback address (it embeds 127.0.0.1)"),
        ("::ffff:10.0.0.5", "a private address (it embeds 10.0.0.5)"),
        ("::ffff:169.254.169.254", "a link-local address (it embeds 169.254.169.254)"),
        ("64:ff9b::a00:5", "a private address (it embeds 10.0.0.5)"),
        ("2002:7f00:1::1", "a loopback address (it embeds 127.0.0.1)"),
        ("::7f00:1", "a loopback address (it embeds 127.0.0.1)"),
    ],
)
def test_non_public_addresses_are_refused_with_their_kind(address: str, kind: str) -> None:
    """Loopback, private, link-local, shared, multicast, reserved and unspecified addresses,
    IPv4 and IPv6, and IPv6 spellings of IPv4 ones, are refused and named."""
    assert refusal(ip_address(address)) == kind


@pytest.mark.parametrize(
    "address",
    ["93.184.216.34", "8.8.8.8", "2606:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808",
     "2002:808:808::1"],
)  # fmt: skip
def test_public_addresses_are_allowed(address: str) -> None:
    """Public unicast addresses, also as IPv4-mapped, NAT64 or 6to4 IPv6, may be fetched."""
    assert refusal(ip_address(address)) is None


@pytest.mark.parametrize(
    ("address", "allowed", "refused"),
    [
        ("127.0.0.1", "127.0.0.0/8", False),
        ("::ffff:127.0.0.1", "127.0.0.0/8", False),
        ("10.1.2.3", "10.1.0.0/16", False),
        ("10.2.0.1", "10.1.0.0/16", True),
        ("::1", "127.0.0.0/8", True),
        ("fd00::5", "fd00::/8", False),
    ],
)
def test_allowed_networks_open_exactly_their_ranges(
    address: str, allowed: str, refused: bool
) -> None:
    """An allowed CIDR lets its own addresses through (IPv4-mapped ones too), no others."""
    assert (refusal(ip_address(address), [ip_network(allowed)]) is not None) is refused


@pytest.mark.parametrize(
    ("host", "address"),
    [
        ("0x7f000001", "127.0.0.1"),
        ("2130706433", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("017700000001", "127.0.0.1"),
        ("0", "0.0.0.0"),
        ("[::1]", "::1"),
        ("[::ffff:7f00:1]", "::ffff:7f00:1"),
        ("news.example", None),
        ("cafe.be", None),
    ],
)
def test_numeric_host_spellings_are_read_as_the_address_they_mean(
    host: str, address: str | None
) -> None:
    """Hex, decimal, octal and short IPv4 forms are the addresses resolvers make of them."""
    expected = ip_address(address) if address else None
    assert literal_address(host) == expected


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://0x7f000001/", "0x7f000001 (127.0.0.1) is a loopback address"),
        ("http://2130706433:8080/a", "2130706433 (127.0.0.1) is a loopback address"),
        ("http://0177.0.0.1/", "0177.0.0.1 (127.0.0.1) is a loopback address"),
        ("http://127.1/", "127.1 (127.0.0.1) is a loopback address"),
        ("http://127.0.0.2/", "127.0.0.2 is a loopback address"),
        ("http://[::1]:8080/", "::1 is a loopback address"),
        ("http://[::ffff:127.0.0.1]/", "::ffff:127.0.0.1 is a loopback address (it embeds"),
        ("http://10.0.0.5/admin", "10.0.0.5 is a private address"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"),
        ("https://100.64.1.1/", "100.64.1.1 is a shared (carrier-grade NAT) address"),
    ],
)
def test_fetch_of_a_non_public_address_is_refused_with_the_reason(url: str, reason: str) -> None:
    """Every numeric spelling of an internal address is refused before any connection."""
    with WebFetcher(_settings(allow="")) as fetcher, pytest.raises(RefusedAddressError) as caught:
        fetch_article(fetcher, url)
    assert str(caught.value).startswith(f"refused {url}: {reason}")


@pytest.mark.parametrize(
    ("answers", "reason"),
    [
        (["10.0.0.5"], "intranet.test resolves to 10.0.0.5, a private address"),
        (["169.254.169.254"], "intranet.test resolves to 169.254.169.254, a link-local address"),
        (["93.184.216.34", "127.0.0.1"], "intranet.test resolves to 127.0.0.1, a loopback"),
        (["::ffff:10.0.0.5"], "a private address (it embeds 10.0.0.5)"),
    ],
)
def test_a_name_resolving_to_an_internal_address_is_refused(
    answers: list[str], reason: str
) -> None:
    """A public-looking name is judged by every address its DNS answer holds."""
    dns = FakeDNS({"intranet.test": [answers]})
    with (
        WebFetcher(_settings(allow=""), resolver=dns) as fetcher,
        pytest.raises(RefusedAddressError) as e,
    ):
        fetch_article(fetcher, "http://intranet.test/news")
    assert str(e.value).startswith("refused http://intranet.test/news: ")
    assert reason in str(e.value)


def test_localhost_is_refused_through_the_system_resolver() -> None:
    """`localhost` goes through real DNS resolution and is refused as loopback."""
    with WebFetcher(_settings(allow="")) as fetcher, pytest.raises(RefusedAddressError) as caught:
        fetch_article(fetcher, "http://localhost:9/")
    assert "localhost resolves to" in str(caught.value)
    assert "a loopback address" in str(caught.value)


def test_the_fixture_site_itself_is_refused_unless_its_network_is_allowed(
    site: FixtureWebServer,
) -> None:
    """127.0.0.1 is only fetched because the tests allow it; the default allows nothing."""
    url = site.url("/articles/lumenfall-harbor")
    before = len(site.seen("/articles/lumenfall-harbor"))
    with WebFetcher(_settings(allow="")) as fetcher, pytest.raises(RefusedAddressError):
        fetch_article(fetcher, url)
    assert len(site.seen("/articles/lumenfall-harbor")) == before
    with WebFetcher(_settings()) as fetcher:
        assert "410 million dollars" in fetch_article(fetcher, url).text


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ("http://10.0.0.5/admin", "10.0.0.5 is a private address"),
        ("http://[::1]/", "::1 is a loopback address"),
        ("http://metadata.test/latest", "metadata.test resolves to 169.254.169.254, a link-local"),
    ],
)
def test_redirect_to_an_internal_address_is_refused_at_the_hop(
    site: FixtureWebServer, target: str, reason: str
) -> None:
    """A public page that redirects inside is refused at that hop, and the error names both."""
    site.redirects["/to-inside"] = target
    dns = FakeDNS({"metadata.test": [["169.254.169.254"]]})
    with WebFetcher(_settings(), resolver=dns) as fetcher, pytest.raises(RefusedAddressError) as e:
        fetcher.fetch(site.url("/to-inside"))
    assert str(e.value).startswith(f"refused {target} (redirected from {site.url('/to-inside')}): ")
    assert reason in str(e.value)


def test_a_changed_dns_answer_cannot_redirect_the_connection(site: FixtureWebServer) -> None:
    """DNS rebinding: the name is resolved once per connection and the checked address is
    the one connected to, with the name kept in the Host header; a later connection that
    gets an internal answer is refused."""
    dns = FakeDNS({"rebind.test": [["127.0.0.1"], ["10.0.0.5"]]})
    url = f"http://rebind.test:{site.port}/articles/lumenfall-kestrel"
    with WebFetcher(_settings(), resolver=dns) as fetcher:
        assert "95 million" in fetch_article(fetcher, url).text
    assert dns.lookups == {"rebind.test": 1}
    assert (
        site.seen("/articles/lumenfall-kestrel")[-1].headers["host"] == f"rebind.test:{site.port}"
    )
    with WebFetcher(_settings(), resolver=dns) as fetcher, pytest.raises(RefusedAddressError) as e:
        fetch_article(fetcher, url)
    assert "rebind.test resolves to 10.0.0.5, a private address" in str(e.value)


@pytest.fixture(scope="module")
def tls_site() -> Iterator[FixtureWebServer]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(TLS / "news.test.pem", TLS / "news.test.key")
    with FixtureWebServer(tls=context) as server:
        yield server


def test_https_to_a_vetted_address_checks_the_certificate_against_the_name(
    tls_site: FixtureWebServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """TLS goes to the checked IP but sends the name as SNI and verifies the certificate
    for the name: news.test passes, another name on the same address fails."""
    monkeypatch.setenv("SSL_CERT_FILE", str(TLS / "ca.pem"))
    dns = FakeDNS({"news.test": [["127.0.0.1"]], "other.test": [["127.0.0.1"]]})
    with WebFetcher(_settings(), resolver=dns) as fetcher:
        doc = fetch_article(
            fetcher, f"https://news.test:{tls_site.port}/articles/nordlicht-polarkino"
        )
        assert "120 Millionen Euro" in doc.text
        assert tls_site.server_names[-1] == "news.test"
        with pytest.raises(IngestError, match="certificate verify failed"):
            fetcher.fetch(f"https://other.test:{tls_site.port}/articles/nordlicht-polarkino")


@pytest.mark.parametrize(
    ("url", "scheme"),
    [("file:///etc/passwd", "'file'"), ("ftp://news.example/a.txt", "'ftp'"),
     ("gopher://news.example/1", "'gopher'"), ("news.example/a", "(none)")],
)  # fmt: skip
def test_only_http_and_https_are_fetched(url: str, scheme: str) -> None:
    """Other schemes are refused as URLs with the scheme named, never opened."""
    with pytest.raises(IngestError) as caught:
        check_url(url)
    assert str(caught.value) == f"unsupported URL scheme {scheme} in {url} (only http and https)"


def test_ingest_command_refuses_file_urls_as_urls(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`dealdesk ingest file:///etc/passwd` fails as an unsupported URL, not a missing file,
    and exits 1; an internal http URL fails with its refusal."""
    monkeypatch.setenv("DEALDESK_DATA_DIR", str(tmp_path / "data"))
    argv = ["ingest", "file:///etc/passwd", "http://169.254.169.254/latest/", "--json"]
    assert main(argv) == 1
    items = {i["item"]: i for i in json.loads(capsys.readouterr().out)["items"]}
    assert items["file:///etc/passwd"]["status"] == "failed"
    assert items["file:///etc/passwd"]["reason"].startswith("unsupported URL scheme 'file'")
    assert (
        "169.254.169.254 is a link-local address"
        in items["http://169.254.169.254/latest/"]["reason"]
    )


def test_feeds_add_refuses_an_internal_feed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A feed URL on a private address is refused with the reason and not listed."""
    monkeypatch.setenv("DEALDESK_DATA_DIR", str(tmp_path / "data"))
    assert main(["feeds", "add", "http://192.168.0.10/feed.rss", "--json"]) == 1
    result = json.loads(capsys.readouterr().out)
    assert result["status"] == "failed"
    assert (
        result["reason"]
        == "refused http://192.168.0.10/feed.rss: 192.168.0.10 is a private address"
    )


def _item(title: str, link: str) -> str:
    return (
        f"<item><title>{title}</title><link>{link}</link>"
        "<pubDate>Tue, 02 Jul 2024 10:00:00 GMT</pubDate></item>"
    )


def test_feed_entries_pointing_inside_are_refused_and_the_rest_is_ingested(
    site: FixtureWebServer, store: Store, tmp_path: Path
) -> None:
    """Entries linking to private, loopback or metadata addresses fail with the reason;
    the public entry of the same feed is stored."""
    site.set(
        "/feeds/hostile.rss",
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Hostile</title>'
        + _item("Admin", "http://10.0.0.5/admin")
        + _item("Loopback", "http://[::1]:8080/secret")
        + _item("Metadata", "http://metadata.test/latest/meta-data/")
        + _item("Kestrel", site.url("/articles/lumenfall-kestrel"))
        + "</channel></rss>",
        RSS,
    )
    feeds = FeedList(tmp_path / "feeds.sqlite3")
    feeds.add(site.url("/feeds/hostile.rss"), None)
    dns = FakeDNS({"metadata.test": [["169.254.169.254"]]})
    try:
        with WebFetcher(_settings(), resolver=dns) as fetcher:
            report = poll_feeds(store, feeds, fetcher, store.settings)
    finally:
        feeds.close()
    reasons = {i.item: (i.status, i.reason) for i in report.items}
    assert reasons["http://10.0.0.5/admin"] == (
        "failed", "refused http://10.0.0.5/admin: 10.0.0.5 is a private address"
    )  # fmt: skip
    assert "::1 is a loopback address" in str(reasons["http://[::1]:8080/secret"][1])
    assert "resolves to 169.254.169.254" in str(
        reasons["http://metadata.test/latest/meta-data/"][1]
    )
    assert reasons[site.url("/articles/lumenfall-kestrel")] == ("added", None)
    assert [d.title for d in store.catalog.recent_documents(10)] == [
        "Lumenfall Games buys podcast network Kestrel Audio"
    ]


@pytest.mark.parametrize("value", ["10.0.0.1/8", "intranet", "10.0.0.0/33"])
def test_a_bad_allowed_network_stops_the_start_with_a_clear_error(
    value: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A typo in DEALDESK_FEEDS__ALLOW_PRIVATE_NETWORKS exits 2 naming the setting and value."""
    monkeypatch.setenv("DEALDESK_FEEDS__ALLOW_PRIVATE_NETWORKS", f"127.0.0.1/32,{value}")
    assert main(["stats"]) == 2
    err = capsys.readouterr().err
    assert "feeds.allow_private_networks" in err
    assert f"{value!r} is not a network in CIDR notation" in err


def test_allowed_networks_come_from_a_comma_separated_environment_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Several CIDRs, IPv4 and IPv6, with spaces, become networks; the default is none."""
    from config import Settings

    assert Settings(_env_file=None).feeds.allow_private_networks == []  # type: ignore[call-arg]
    monkeypatch.setenv("DEALDESK_FEEDS__ALLOW_PRIVATE_NETWORKS", "10.0.0.0/8, fd00::/8,127.0.0.1")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.feeds.allow_private_networks == [
        ip_network("10.0.0.0/8"), ip_network("fd00::/8"), ip_network("127.0.0.1/32")
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("file:///etc/passwd", "unsupported URL scheme 'file'"),
        ("gopher://news.example/feed", "unsupported URL scheme 'gopher'"),
        ("http://10.0.0.5/feed.xml", "10.0.0.5 is a private address"),
    ],
)
def test_feeds_add_refuses_other_schemes_and_internal_addresses(
    tmp_path: Path, url: str, reason: str
) -> None:
    """`feeds add` gives the same reasons as ingest, before any request is made."""
    from ingest.feeds import FeedList
    from vectorstore.web_ingest import add_feed

    added = add_feed(FeedList(tmp_path / "feeds.sqlite3"), url, FeedSettings())
    assert added.status == "failed"
    assert added.reason is not None and reason in added.reason
