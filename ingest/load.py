"""File loaders: .txt, .md, .html and .json/.jsonl become `Document`s, or an `IngestError`."""

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from config.errors import IngestError
from ingest.clean import clean_text, html_to_text, markdown_to_text
from ingest.language import detect_language
from ingest.models import Document

SUPPORTED_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".html", ".htm", ".json", ".jsonl"})
_DATE_IN_TEXT = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})")


@dataclass(frozen=True)
class FileProblem:
    """A path that was skipped or failed, with the reason a user can act on."""

    path: str
    reason: str
    failed: bool


def discover_files(paths: list[Path]) -> tuple[list[Path], list[FileProblem]]:
    """Expand folders recursively; unsupported files in folders are skipped, missing paths fail."""
    files: list[Path] = []
    problems: list[FileProblem] = []
    for path in paths:
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if any(part.startswith(".") for part in child.relative_to(path).parts):
                    continue
                if child.suffix.lower() in SUPPORTED_SUFFIXES:
                    files.append(child)
                else:
                    problems.append(FileProblem(str(child), "unsupported file type", False))
        elif path.is_file():
            if path.suffix.lower() in SUPPORTED_SUFFIXES:
                files.append(path)
            else:
                supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
                reason = f"unsupported file type {path.suffix or '(none)'}; use one of {supported}"
                problems.append(FileProblem(str(path), reason, True))
        else:
            problems.append(FileProblem(str(path), "no such file or folder", True))
    return files, problems


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


def parse_date(value: Any) -> date | None:
    """Dates from JSON fields or meta tags: ISO dates, ISO timestamps, or YYYY-MM-DD inside."""
    if value in (None, ""):
        return None
    if isinstance(value, int | float):
        return datetime.fromtimestamp(float(value)).date()
    text = str(value).strip()
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    match = _DATE_IN_TEXT.search(text)
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return None
    return None


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
    """Clean the body, detect its language, and refuse documents with no text left."""
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
        url=url,
        author=author,
        publisher=publisher,
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
    title, body, meta = html_to_text(text)
    published = parse_date(
        meta.get("article:published_time") or meta.get("datepublished") or meta.get("date")
    )
    title = meta.get("og:title") or title
    return [
        make_document(
            str(path),
            title,
            body,
            origin_file=str(path),
            published=published,
            author=meta.get("author"),
            url=meta.get("og:url"),
        )
    ]


def _record_to_document(path: Path, record: Any, where: str) -> Document:
    if not isinstance(record, dict):
        raise IngestError(f"{where}: expected an object with 'title' and 'text'")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise IngestError(f"{where}: field 'text' is missing or empty")
    title = record.get("title")
    if title is not None and not isinstance(title, str):
        raise IngestError(f"{where}: field 'title' must be a string")
    url = record.get("url") if isinstance(record.get("url"), str) else None
    publisher = record.get("source") if isinstance(record.get("source"), str) else None
    return make_document(
        url or f"{path}#{where}",
        title or "",
        text,
        origin_file=str(path),
        url=url,
        published=parse_date(record.get("published")),
        author=record.get("author") if isinstance(record.get("author"), str) else None,
        publisher=publisher,
    )


def _load_json(path: Path, text: str) -> list[Document]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise IngestError(
            f"malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None
    records = data if isinstance(data, list) else [data]
    return [_record_to_document(path, record, f"record{i}") for i, record in enumerate(records)]


def _load_jsonl(path: Path, text: str) -> list[Document]:
    docs = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise IngestError(f"malformed JSON on line {lineno}: {exc.msg}") from None
        docs.append(_record_to_document(path, record, f"line{lineno}"))
    if not docs:
        raise IngestError("no records in file")
    return docs


def load_file(path: Path, max_bytes: int) -> list[Document]:
    """All documents in one file; raises `IngestError` with a reason for that file."""
    path = path.resolve()
    text = read_text_file(path, max_bytes)
    suffix = path.suffix.lower()
    if suffix in {".html", ".htm"}:
        return _load_html(path, text)
    if suffix == ".json":
        return _load_json(path, text)
    if suffix == ".jsonl":
        return _load_jsonl(path, text)
    return _load_plain(path, text, markdown=suffix in {".md", ".markdown"})


def iter_documents(
    files: list[Path], max_bytes: int
) -> Iterator[tuple[Path, list[Document] | IngestError]]:
    """Each file with its documents, or the error that stopped it; never raises per file."""
    for path in files:
        try:
            yield path, load_file(path, max_bytes)
        except IngestError as exc:
            yield path, exc
        except OSError as exc:
            yield path, IngestError(f"cannot read file: {exc.strerror or exc}")
