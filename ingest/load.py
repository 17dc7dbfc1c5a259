"""File loaders: .txt, .md, .html and .json/.jsonl become `Document`s, or an `IngestError`.

A JSON or JSONL file is a collection: its good records load and each bad one is reported with
its line (JSONL) or index (JSON list), so one broken record costs itself, not its neighbours.
Every text and metadata field is cleaned of escape sequences and control characters here.
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from config.errors import IngestError
from ingest.clean import clean_text, markdown_to_text, one_line, parse_date
from ingest.html import extract_html
from ingest.language import detect_language
from ingest.models import Document
from ingest.url_safety import WEB_SCHEMES, url_scheme


@dataclass(frozen=True)
class RecordProblem:
    """One bad record of a collection file: `item` is `path:LINE` (JSONL) or `path#INDEX`."""

    item: str
    reason: str


@dataclass(frozen=True)
class LoadedFile:
    """The documents of one file, and the records of it that could not be used."""

    documents: list[Document]
    problems: list[RecordProblem] = field(default_factory=list)


def read_text_file(path: Path, max_bytes: int) -> str:
    """Read UTF-8 text, refusing what is too large, binary, or not UTF-8."""
    size = path.stat().st_size
    if size > max_bytes:
        raise IngestError(
            f"file is too large ({size / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.0f} MB, "
            "set DEALDESK_INGEST__MAX_FILE_MB to raise it)"
        )
    raw = path.read_bytes()
    if not raw.strip():
        raise IngestError("file is empty")
    if b"\x00" in raw[:8192]:
        raise IngestError("file looks binary (it contains NUL bytes), not text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IngestError(
            f"file is not valid UTF-8 (bad byte at offset {exc.start}); convert it, "
            "e.g. `iconv -f latin1 -t utf-8`"
        ) from None
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > 0.05 * min(len(text), 8192):
        raise IngestError("file looks binary (too many control characters), not text")
    return text


def _title_and_body(text: str) -> tuple[str, str]:
    title, _, body = text.partition("\n")
    return title.strip(), body.strip()


def make_document(
    source: str,
    title: str,
    body: str,
    *,
    origin_file: str | None = None,
    url: str | None = None,
    published: date | None = None,
    author: str | None = None,
    publisher: str | None = None,
    language: str | None = None,
) -> Document:
    """Clean the body and every text field, detect the language, and refuse documents with no
    text left. A `source` that is a URL must come cleaned (`one_line`): it is an identity."""
    title = clean_text(title).replace("\n", " ")
    body = clean_text(body)
    if not body:
        raise IngestError("no article text left after cleaning")
    return Document(
        source=source,
        title=title or body.split("\n", 1)[0][:120],
        text=body,
        language=language or detect_language(f"{title}\n{body}"),
        published=published,
        url=one_line(url),
        author=one_line(author),
        publisher=one_line(publisher),
        origin_file=origin_file,
    )


def _load_plain(path: Path, text: str, markdown: bool) -> list[Document]:
    if markdown:
        text = markdown_to_text(text)
    title, body = _title_and_body(clean_text(text))
    if not body:
        body, title = title, ""
    return [make_document(str(path), title, body, origin_file=str(path))]


def _load_html(path: Path, text: str) -> list[Document]:
    """Through the same extractor as web pages, with the visible text as the fallback for
    pages it finds no article in."""
    article = extract_html(text)
    url = one_line(article.canonical_url)
    return [
        make_document(
            str(path),
            article.title,
            article.text,
            origin_file=str(path),
            published=article.published,
            author=article.author,
            publisher=article.site_name,
            url=url if url and url_scheme(url) in WEB_SCHEMES else None,
            language=article.language,
        )
    ]


def _text_field(record: dict[str, Any], name: str) -> str | None:
    value = record.get(name)
    return value if isinstance(value, str) else None


def _record_to_document(path: Path, record: Any, where: str) -> Document:
    if not isinstance(record, dict):
        raise IngestError("expected an object with 'title' and 'text'")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise IngestError("field 'text' is missing or empty")
    title = record.get("title")
    if title is not None and not isinstance(title, str):
        raise IngestError("field 'title' must be a string")
    url = one_line(_text_field(record, "url"))
    return make_document(
        url or f"{path}#{where}",
        title or "",
        text,
        origin_file=str(path),
        url=url,
        published=parse_date(record.get("published")),
        author=_text_field(record, "author"),
        publisher=_text_field(record, "source"),
    )


_Record = tuple[str, str, Any]
"""(item to report it under, its place in the source id, the parsed record or its error)."""


def _collect(path: Path, records: Iterator[_Record]) -> LoadedFile:
    documents: list[Document] = []
    problems: list[RecordProblem] = []
    for item, where, record in records:
        try:
            if isinstance(record, IngestError):
                raise record
            documents.append(_record_to_document(path, record, where))
        except IngestError as exc:
            problems.append(RecordProblem(item, str(exc)))
    if not documents and not problems:
        raise IngestError("no records in file")
    return LoadedFile(documents, problems)


def _load_json(path: Path, text: str) -> LoadedFile:
    """A list of records, or one record (which then stands or falls with the file)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise IngestError(
            f"malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None
    if not isinstance(data, list):
        return LoadedFile([_record_to_document(path, data, "record0")])
    return _collect(path, ((f"{path}#{i}", f"record{i}", r) for i, r in enumerate(data)))


def _jsonl_records(path: Path, text: str) -> Iterator[_Record]:
    """Split on newlines only: JSON strings may hold U+2028 and friends, which `splitlines`
    would cut at."""
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record: Any = json.loads(line)
        except json.JSONDecodeError as exc:
            record = IngestError(f"malformed JSON at column {exc.colno}: {exc.msg}")
        yield f"{path}:{lineno}", f"line{lineno}", record


def load_file(path: Path, max_bytes: int) -> LoadedFile:
    """All documents in one file and its bad records; raises `IngestError` with a reason when
    the file as a whole cannot be used."""
    path = path.resolve()
    text = read_text_file(path, max_bytes)
    suffix = path.suffix.lower()
    if suffix in {".html", ".htm"}:
        return LoadedFile(_load_html(path, text))
    if suffix == ".json":
        return _load_json(path, text)
    if suffix == ".jsonl":
        return _collect(path, _jsonl_records(path, text))
    return LoadedFile(_load_plain(path, text, markdown=suffix in {".md", ".markdown"}))


def iter_documents(
    files: list[Path], max_bytes: int
) -> Iterator[tuple[Path, LoadedFile | IngestError]]:
    """Each file with its documents, or the error that stopped it; never raises per file."""
    for path in files:
        try:
            yield path, load_file(path, max_bytes)
        except IngestError as exc:
            yield path, exc
        except OSError as exc:
            yield path, IngestError(f"cannot read file: {exc.strerror or exc}")
