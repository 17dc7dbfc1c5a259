"""File ingest into a real store: idempotency, updates, prune and bad input."""

import json
from pathlib import Path

import pytest

from tests.conftest import SAMPLE
from vectorstore.indexer import IngestReport, ingest_paths
from vectorstore.store import Store


def _ingest(store: Store, *paths: Path, prune: bool = False) -> IngestReport:
    return ingest_paths(store, list(paths), store.settings.ingest, prune=prune)


def _consistent(store: Store) -> int:
    """The catalog and Chroma hold exactly the same chunk ids; returns how many."""
    catalog_ids = {c.chunk_id for c in store.catalog.all_chunks()}
    chroma_ids = set(store.collection.get(include=[])["ids"])
    assert catalog_ids == chroma_ids
    return len(catalog_ids)


def _article(path: Path, title: str, sentences: int = 30, word: str = "deal") -> Path:
    body = " ".join(
        f"Sentence {i} tells of the {word} between Sony and Pixar." for i in range(sentences)
    )
    path.write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    return path


def test_reingest_of_unchanged_files_adds_nothing(store: Store) -> None:
    """A second run over the sample corpus reports everything unchanged and writes nothing."""
    first = _ingest(store, SAMPLE)
    assert first.count("added") == 5 and first.chunks_written > 0
    chunks = _consistent(store)
    second = _ingest(store, SAMPLE)
    assert second.count("unchanged") == 5
    assert second.chunks_written == 0
    assert _consistent(store) == chunks


def test_changed_file_replaces_its_old_chunks(store: Store, tmp_path: Path) -> None:
    """Editing a file swaps its chunks; no stale passage stays searchable."""
    path = _article(tmp_path / "a.txt", "Sony and Pixar", word="merger")
    _ingest(store, path)
    old = {c.chunk_id for c in store.catalog.all_chunks()}
    _article(path, "Sony and Pixar", word="lawsuit")
    report = _ingest(store, path)
    assert report.count("updated") == 1
    new = {c.chunk_id for c in store.catalog.all_chunks()}
    assert not old & new
    assert all("lawsuit" in c.text for c in store.catalog.all_chunks())
    _consistent(store)


def test_prune_removes_documents_whose_files_are_gone(store: Store, tmp_path: Path) -> None:
    """--prune forgets deleted files and keeps the rest."""
    folder = tmp_path / "articles"
    folder.mkdir()
    keep = _article(folder / "keep.txt", "Keep")
    gone = _article(folder / "gone.txt", "Gone")
    _ingest(store, folder)
    gone.unlink()
    report = _ingest(store, keep, prune=True)
    assert [i.item for i in report.items if i.status == "removed"] == [str(gone.resolve())]
    assert [d.source for d in store.catalog.file_documents()] == [str(keep.resolve())]
    _consistent(store)


def test_records_dropped_from_a_jsonl_file_are_removed(store: Store, tmp_path: Path) -> None:
    """A JSONL file is the truth for its records: a record that disappears is forgotten."""
    path = tmp_path / "feed.jsonl"
    records = [
        {"title": f"Deal {i}", "text": f"Company {i} bought studio {i} for {i} million dollars.",
         "url": f"https://example.org/{i}", "published": f"2016-0{i + 1}-01"}
        for i in range(3)
    ]  # fmt: skip
    path.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    assert _ingest(store, path).count("added") == 3
    path.write_text("\n".join(json.dumps(r) for r in records[:2]), encoding="utf-8")
    report = _ingest(store, path)
    assert report.count("unchanged") == 2
    assert [i.item for i in report.items if i.status == "removed"] == ["https://example.org/2"]
    stored = store.catalog.document_by_source("https://example.org/1")
    assert stored is not None and stored.published == 20160201
    _consistent(store)


def _bad_inputs(folder: Path) -> dict[str, str]:
    """Each bad file with a fragment of the error a user should see."""
    (folder / "junk.txt").write_bytes(bytes(range(256)) * 40)
    (folder / "latin1.txt").write_bytes(
        "Übernahme von Amblin\n\nDer Kauf ist groß.".encode("latin-1")
    )
    (folder / "empty.md").write_text("", encoding="utf-8")
    (folder / "broken.json").write_text('{"title": "x", "text": ', encoding="utf-8")
    (folder / "no-text.json").write_text('{"title": "only a title"}', encoding="utf-8")
    with (folder / "huge.txt").open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
        handle.seek(0)
        handle.write(b"Huge\n\n")
    return {
        "junk.txt": "binary",
        "latin1.txt": "not valid UTF-8",
        "empty.md": "empty",
        "broken.json": "malformed JSON",
        "no-text.json": "'text' is missing",
        "huge.txt": "too large",
        "missing.txt": "no such file",
    }


def test_bad_files_are_reported_one_by_one_and_nothing_stored_is_lost(
    store: Store, tmp_path: Path
) -> None:
    """Binary junk, bad UTF-8, empty, oversized and malformed files fail alone; good ones land."""
    _ingest(store, SAMPLE)
    before = _consistent(store)
    bad = tmp_path / "bad"
    bad.mkdir()
    expected = _bad_inputs(bad)
    good = _article(bad / "good.txt", "A good article")
    report = _ingest(store, bad, bad / "missing.txt")
    failures = {Path(i.item).name: i.reason or "" for i in report.items if i.status == "failed"}
    assert set(failures) == set(expected)
    for name, fragment in expected.items():
        assert fragment in failures[name], (name, failures[name])
    assert report.failed
    assert report.count("added") == 1
    assert store.catalog.document_by_source(str(good.resolve())) is not None
    assert _consistent(store) > before


def test_unsupported_file_in_a_folder_is_skipped_not_failed(store: Store, tmp_path: Path) -> None:
    """Folders may hold images or PDFs; those are skipped with a reason, not errors."""
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "cover.png").write_bytes(b"\x89PNG\r\n")
    _article(folder / "story.txt", "Story")
    report = _ingest(store, folder)
    assert report.count("skipped") == 1 and not report.failed


@pytest.mark.parametrize("suffix", [".html", ".md", ".json"])
def test_each_supported_format_yields_title_text_and_language(
    store: Store, tmp_path: Path, suffix: str
) -> None:
    """HTML, Markdown and JSON articles arrive with title, language and date where given."""
    body = "Die Übernahme von Amblin durch Alibaba ist beschlossen. Der Preis ist geheim."
    content = {
        ".html": f"<html><head><title>Alibaba kauft</title><meta name='date' content='2016-10-09'>"
        f"</head><body><p>{body}</p></body></html>",
        ".md": f"# Alibaba kauft\n\n{body}\n",
        ".json": json.dumps({"title": "Alibaba kauft", "text": body, "published": "2016-10-09"}),
    }[suffix]
    path = tmp_path / f"article{suffix}"
    path.write_text(content, encoding="utf-8")
    assert _ingest(store, path).count("added") == 1
    (doc,) = store.catalog._documents()
    assert doc.title == "Alibaba kauft"
    assert doc.language == "de"
    if suffix != ".md":
        assert doc.published == 20161009
