"""A small news site on 127.0.0.1 for web and feed ingest tests: pages, feeds, and every way a
fetch goes wrong (slow, looping, missing, failing, not HTML, too big).

Fixture files in tests/fixtures/web are served with `{base}` replaced by the server's own URL,
so feeds link to pages on the same server. Every resource carries an ETag and Last-Modified and
answers a matching If-None-Match / If-Modified-Since with 304, as a well-behaved site does.
`set()` changes a resource (new ETag, later Last-Modified) so tests can publish an update.
With `tls=`, it speaks HTTPS and records the server name (SNI) each client asked for.
"""

import contextlib
import hashlib
import ssl
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "web"
HTML = "text/html; charset=utf-8"
RSS = "application/rss+xml; charset=utf-8"
ATOM = "application/atom+xml; charset=utf-8"

_FIRST_MODIFIED = datetime(2024, 9, 2, 8, 0, tzinfo=UTC)


@dataclass
class Resource:
    body: bytes
    content_type: str = HTML
    status: int = 200
    last_modified: datetime = _FIRST_MODIFIED

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:16] + '"'


@dataclass
class SeenRequest:
    """One request as the server saw it, header names lower-cased."""

    path: str
    headers: dict[str, str] = field(default_factory=dict)


class FixtureWebServer:
    """Serves the fixture site until `stop()`; use as a context manager."""

    def __init__(
        self, slow_s: float = 10.0, huge_bytes: int = 2_000_000, tls: ssl.SSLContext | None = None
    ) -> None:
        self.slow_s = slow_s
        self.huge_bytes = huge_bytes
        self.resources: dict[str, Resource] = {}
        self.redirects: dict[str, str] = {}
        self.requests: list[SeenRequest] = []
        self.server_names: list[str | None] = []
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        if tls is not None:
            tls.sni_callback = self._record_server_name
            self._httpd.socket = tls.wrap_socket(self._httpd.socket, server_side=True)
            self.base_url = f"https://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._load_fixtures()

    def _load_fixtures(self) -> None:
        for name in ("lumenfall-harbor", "lumenfall-kestrel", "nordlicht-polarkino"):
            self.set(f"/articles/{name}", self.fixture(f"{name}.html"))
        self.set("/feeds/deals.rss", self.fixture("deals.rss"), RSS)
        self.set("/feeds/deals.atom", self.fixture("deals.atom"), ATOM)
        self.set("/feeds/broken.xml", self.fixture("broken.xml"), RSS)
        self.set("/feeds/not-a-feed", self.fixture("lumenfall-kestrel.html"))
        self.set("/error", "<h1>Internal error</h1>", status=500)
        self.set("/report.pdf", "%PDF-1.4 not really a report", "application/pdf")
        self.set("/empty", "<html><body><nav>Home | Deals</nav></body></html>")
        self.redirects |= {
            "/moved": "/articles/lumenfall-harbor",
            "/loop/a": "/loop/b",
            "/loop/b": "/loop/a",
            "/to-ftp": "ftp://127.0.0.1/file",
        }
        self.redirects |= {f"/hops/{i}": f"/hops/{i + 1}" for i in range(10)}

    def _record_server_name(
        self, sock: ssl.SSLObject | ssl.SSLSocket, name: str | None, context: ssl.SSLContext
    ) -> None:
        with self._lock:
            self.server_names.append(name)

    def fixture(self, name: str) -> str:
        """A fixture file with `{base}` pointing at this server."""
        text = (FIXTURES / name).read_text(encoding="utf-8")
        return text.replace("{base}", self.base_url)

    def url(self, path: str) -> str:
        return self.base_url + path

    def set(
        self, path: str, body: str | bytes, content_type: str = HTML, status: int = 200
    ) -> None:
        """Publish or replace a resource; a replacement gets a new ETag and a later date."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        with self._lock:
            old = self.resources.get(path)
            modified = old.last_modified + timedelta(hours=1) if old else _FIRST_MODIFIED
            self.resources[path] = Resource(data, content_type, status, modified)

    def seen(self, path: str) -> list[SeenRequest]:
        with self._lock:
            return [r for r in self.requests if r.path == path]

    def start(self) -> "FixtureWebServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> "FixtureWebServer":
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def _handler_for(server: FixtureWebServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            """Quiet: the tests assert on `server.requests`, not on a log."""

        def do_GET(self) -> None:
            path = self.path
            with server._lock:
                server.requests.append(
                    SeenRequest(path, {k.lower(): v for k, v in self.headers.items()})
                )
                resource = server.resources.get(path.split("?", 1)[0])
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self._answer(path.split("?", 1)[0], resource)

        def _answer(self, path: str, resource: Resource | None) -> None:
            if path in server.redirects:
                self.send_response(302)
                self.send_header("Location", server.redirects[path])
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif path == "/slow":
                server.stopping.wait(server.slow_s)
                self._send(Resource(b"<html><body><p>Too late.</p></body></html>"))
            elif path == "/trickle":
                self._trickle()
            elif path in {"/huge", "/huge-unsized"}:
                self._huge(declare_length=path == "/huge")
            elif resource is None:
                self._send(Resource(b"<h1>Not found</h1>", status=404))
            elif self._not_modified(resource):
                self.send_response(304)
                self.send_header("ETag", resource.etag)
                self.end_headers()
            else:
                self._send(resource)

        def _not_modified(self, resource: Resource) -> bool:
            if resource.status != 200:
                return False
            if "If-None-Match" in self.headers:
                tags = {t.strip() for t in self.headers["If-None-Match"].split(",")}
                return resource.etag in tags or "*" in tags
            since = self.headers.get("If-Modified-Since")
            if since:
                try:
                    return resource.last_modified <= parsedate_to_datetime(since)
                except (TypeError, ValueError):
                    return False
            return False

        def _send(self, resource: Resource) -> None:
            self.send_response(resource.status)
            self.send_header("Content-Type", resource.content_type)
            self.send_header("Content-Length", str(len(resource.body)))
            if resource.status == 200:
                self.send_header("ETag", resource.etag)
                self.send_header("Last-Modified", format_datetime(resource.last_modified, True))
            self.end_headers()
            self.wfile.write(resource.body)

        def _trickle(self) -> None:
            """Headers at once, then a byte at a time: only a deadline on the whole body helps."""
            self.send_response(200)
            self.send_header("Content-Type", HTML)
            self.end_headers()
            self.wfile.write(b"<html><body><p>")
            self.wfile.flush()
            while not server.stopping.wait(0.05):
                self.wfile.write(b"a")
                self.wfile.flush()

        def _huge(self, declare_length: bool) -> None:
            self.send_response(200)
            self.send_header("Content-Type", HTML)
            if declare_length:
                self.send_header("Content-Length", str(server.huge_bytes))
            self.end_headers()
            block = b"<p>" + b"filler " * 1000 + b"</p>\n"
            sent = 0
            while sent < server.huge_bytes and not server.stopping.is_set():
                self.wfile.write(block)
                sent += len(block)

    return Handler
