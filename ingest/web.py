"""Web pages -> `Document`: a bounded, polite, safe HTTP fetch, then trafilatura's extraction.

Every fetch is bounded in time (one deadline across redirects and a slow body), in size (the body
is streamed and dropped past the limit), and in redirects (loops are named, not just counted).
It only reaches public addresses (or allowed networks), checked for every hop and connection
(see `ingest/url_safety.py`). Requests to one host are spaced out, and conditional GET lets an
unchanged feed cost one 304.
"""

import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import urldefrag, urlsplit

import httpx

from config import FeedSettings
from config.errors import IngestError
from ingest.clean import one_line
from ingest.html import extract_html
from ingest.load import make_document
from ingest.models import Document
from ingest.url_safety import (
    WEB_SCHEMES,
    RefusedAddressError,
    Resolver,
    VettedTransport,
    check_url,
    resolve_host,
)

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_PAGE_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"
_MIN_ARTICLE_WORDS = 20


def is_web_url(text: str) -> bool:
    """Only http(s) URLs are fetched; anything else on the command line is a path."""
    parts = urlsplit(text.strip())
    return parts.scheme in WEB_SCHEMES and bool(parts.netloc)


class HostPacer:
    """Spaces requests to the same host at least `interval` seconds apart, across threads."""

    def __init__(
        self,
        interval: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.interval = interval
        self._clock = clock
        self._sleep = sleep
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, host: str) -> float:
        """Block until `host` may be asked again; returns the seconds slept."""
        with self._lock:
            now = self._clock()
            ready = self._next.get(host, now)
            self._next[host] = max(now, ready) + self.interval
        delay = max(0.0, ready - now)
        if delay:
            self._sleep(delay)
        return delay


@dataclass(frozen=True)
class Fetched:
    """A response body (empty when `not_modified`) and the validators for the next request."""

    url: str
    content: bytes
    media_type: str
    charset: str | None
    etag: str | None
    last_modified: str | None
    not_modified: bool = False


class WebFetcher:
    """One HTTP client for pages and feeds; use as a context manager so connections close.
    `resolver` answers DNS for the address checks (tests give it a fake)."""

    def __init__(
        self,
        settings: FeedSettings,
        pacer: HostPacer | None = None,
        resolver: Resolver = resolve_host,
    ) -> None:
        self.settings = settings
        self.pacer = pacer or HostPacer(settings.min_interval_s)
        self._client = httpx.Client(
            headers={"User-Agent": settings.user_agent},
            follow_redirects=False,
            transport=VettedTransport(settings.allow_private_networks, resolver),
            trust_env=False,
        )

    def __enter__(self) -> "WebFetcher":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def fetch(
        self,
        url: str,
        *,
        accept: str = _PAGE_ACCEPT,
        html_only: bool = True,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> Fetched:
        """GET `url`, following redirects by hand so loops, off-web targets and internal
        addresses are caught at every hop. Feeds pass `html_only=False`: they are served
        under too many content types to check."""
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        visited = [url]
        deadline = time.monotonic() + self.settings.timeout_s
        for _ in range(self.settings.max_redirects + 1):
            try:
                check_url(url, self.settings.allow_private_networks)
                deadline += self.pacer.wait(urlsplit(url).netloc.lower())
                result = self._get(url, headers, deadline, html_only)
            except RefusedAddressError as exc:
                hop = f" (redirected from {visited[-2]})" if len(visited) > 1 else ""
                raise RefusedAddressError(f"refused {url}{hop}: {exc}") from None
            except httpx.TimeoutException:
                raise IngestError(f"timed out after {self.settings.timeout_s:g} s") from None
            except httpx.InvalidURL as exc:
                raise IngestError(f"invalid URL: {exc}") from None
            except httpx.TransportError as exc:
                raise IngestError(f"cannot fetch: {exc or type(exc).__name__}") from None
            if isinstance(result, Fetched):
                return result
            if not is_web_url(result):
                raise IngestError(f"redirected to a non-http(s) URL: {result}")
            if result in visited:
                raise IngestError("redirect loop: " + " -> ".join([*visited, result]))
            visited.append(result)
            url = result
        raise IngestError(
            f"too many redirects (more than {self.settings.max_redirects}): " + " -> ".join(visited)
        )

    def _get(
        self,
        url: str,
        headers: dict[str, str],
        deadline: float,
        html_only: bool,
    ) -> Fetched | str:
        """One request: a `Fetched`, or the URL a redirect points to."""
        timeout = httpx.Timeout(min(self.settings.timeout_s, _remaining(deadline)))
        with self._client.stream("GET", url, headers=headers, timeout=timeout) as response:
            if response.has_redirect_location:
                return str(response.url.join(response.headers["location"]))
            etag = response.headers.get("etag")
            last_modified = response.headers.get("last-modified")
            if response.status_code == 304:
                return Fetched(url, b"", "", None, etag, last_modified, not_modified=True)
            if response.status_code >= 400:
                raise IngestError(f"HTTP {response.status_code} {response.reason_phrase}".strip())
            if response.status_code != 200:
                raise IngestError(f"unexpected HTTP status {response.status_code}")
            media_type, charset = _content_type(response.headers.get("content-type", ""))
            if html_only and media_type and media_type not in HTML_TYPES:
                raise IngestError(f"not an HTML page (content type {media_type})")
            content = self._read_body(response, deadline)
            return Fetched(str(response.url), content, media_type, charset, etag, last_modified)

    def _read_body(self, response: httpx.Response, deadline: float) -> bytes:
        limit = self.settings.max_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise IngestError(_too_large(int(declared), limit))
        body = bytearray()
        for part in response.iter_bytes():
            body += part
            if len(body) > limit:
                raise IngestError(_too_large(None, limit))
            if time.monotonic() > deadline:
                raise IngestError(f"timed out after {self.settings.timeout_s:g} s")
        return bytes(body)


def _remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise httpx.TimeoutException("deadline passed")
    return left


def _too_large(size: int | None, limit: int) -> str:
    got = f"{size / 1e6:.1f} MB" if size is not None else "more than the limit"
    return (
        f"response is too large ({got}; the limit is {limit / 1e6:g} MB, "
        "set DEALDESK_FEEDS__MAX_BYTES to raise it)"
    )


def _content_type(header: str) -> tuple[str, str | None]:
    media_type, _, params = header.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip("\"'")
    return media_type.strip().lower(), charset


def _decode(fetched: Fetched) -> str | bytes:
    """Text when the server names a charset we know; otherwise bytes, for trafilatura to sniff."""
    if fetched.charset:
        try:
            return fetched.content.decode(fetched.charset, errors="replace")
        except LookupError:
            pass
    return fetched.content


def _canonical(candidate: str | None, fetched_url: str) -> str:
    """The page's canonical URL when it gives a web one, so tracking variants share one source."""
    candidate = one_line(candidate)
    url = candidate if candidate and is_web_url(candidate) else fetched_url
    return urldefrag(url).url


def extract_article(markup: str | bytes, url: str) -> Document:
    """Article text and metadata of one page; navigation, comments and footers are dropped."""
    article = extract_html(markup, url, fallback=False)
    words = len(article.text.split())
    if words < _MIN_ARTICLE_WORDS:
        raise IngestError(f"no article text found on the page ({words} words extracted)")
    source = _canonical(article.canonical_url, url)
    return make_document(
        source,
        article.title,
        article.text,
        url=source,
        published=article.published,
        author=article.author,
        publisher=article.site_name,
        language=article.language,
    )


def fetch_article(fetcher: WebFetcher, url: str) -> Document:
    """Fetch one page and extract its article; raises `IngestError` with the reason."""
    fetched = fetcher.fetch(url)
    return extract_article(_decode(fetched), fetched.url)


def iter_url_documents(
    urls: Iterable[str], settings: FeedSettings
) -> Iterator[tuple[str, Document | IngestError]]:
    """Each URL with its document, or the error that stopped it; never raises per URL."""
    with WebFetcher(settings) as fetcher:
        for url in urls:
            try:
                yield url, fetch_article(fetcher, url)
            except IngestError as exc:
                yield url, exc
