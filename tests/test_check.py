"""`dealdesk check`: it finds what does not add up between catalog and vectors, says what each
finding means, and `--repair` fixes it; damage is made with the real Chroma client and catalog."""

import json
import shutil
from pathlib import Path

import pytest

from config import ChromaSettings
from tests.conftest import make_settings
from tests.store_processes import Deployment, write_articles
from vectorstore.embeddings import USEEncoder
from vectorstore.store import Store

pytestmark = pytest.mark.slow


def _open_writer(deployment: Deployment, encoder: USEEncoder) -> Store:
    chroma = ChromaSettings(url=deployment.chroma_url)
    return Store.open_writer(make_settings(deployment.data_dir, chroma=chroma), encoder)


def test_check_finds_explains_and_repairs_missing_orphan_and_stale_vectors(
    deployment: Deployment, tmp_path: Path, encoder: USEEncoder
) -> None:
    """A passage whose vector is gone, a vector of no passage and a dead writer's journal make
    `check` exit 1 and list them; `--repair` re-embeds, deletes and clears, and a second
    `check` exits 0 with every article searchable again."""
    articles = write_articles(tmp_path / "corpus", 0, 6)
    deployment.run_ok("ingest", str(tmp_path / "corpus"))
    with _open_writer(deployment, encoder) as store:
        chunks = list(store.catalog.all_chunks())
        lost = chunks[0]
        store.collection.delete(ids=[lost.chunk_id])
        vector = encoder.encode(["a vector nobody committed"])
        store.collection.upsert(ids=["orphan-vector"], embeddings=vector)
        store.catalog.journal_add(["dead-writer-chunk"])
        store.collection.upsert(ids=["dead-writer-chunk"], embeddings=vector)

    code, found = deployment.check()
    assert (code, found["consistent"]) == (1, False)
    assert found["missing_vectors"] == [lost.chunk_id]
    assert found["missing_sources"] == [lost.source]
    assert found["orphan_vectors"] == ["orphan-vector"]
    assert found["stale_journal"] == ["dead-writer-chunk"]
    text = deployment.run("check")
    assert text.returncode == 1
    assert "1 passage without a vector: committed, but dense search cannot find them" in text.stdout
    assert lost.source in text.stdout
    assert "1 vector of no stored passage (orphans)" in text.stdout
    assert "left by a writer that died before committing" in text.stdout
    assert "run `dealdesk check --repair`" in text.stdout

    repaired = json.loads(deployment.run_ok("check", "--repair", "--json").stdout)
    assert repaired["repaired"] == {
        "reembedded": 1,
        "orphans_deleted": 1,
        "journal_cleared": 1,
        "marked_for_reingest": [],
        "keyword_index_rebuilt": False,
    }
    assert repaired["after"]["consistent"] is True
    code, again = deployment.check()
    assert (code, again["consistent"]) == (0, True)
    assert sorted(deployment.vector_ids()) == sorted(c.chunk_id for c in chunks)
    deployment.assert_searchable(articles)


def test_check_reports_documents_short_of_passages_and_repair_has_them_read_again(
    tmp_path: Path, encoder: USEEncoder
) -> None:
    """A document that lost a passage row (and the keyword entry with it) is named with its
    counts; `--repair` rebuilds the keyword index, deletes the passage's orphaned vector, and
    marks the document so that the next ingest re-reads it instead of calling it unchanged."""
    deployment = Deployment(tmp_path / "data", None)
    articles = write_articles(tmp_path / "corpus", 0, 3)
    deployment.run_ok("ingest", str(tmp_path / "corpus"))
    with _open_writer(deployment, encoder) as store, store.catalog.transaction() as db:
        rowid, chunk_id, doc_id = db.execute(
            "SELECT rowid, chunk_id, doc_id FROM chunks"
        ).fetchone()
        db.execute("DELETE FROM chunks WHERE rowid = ?", (rowid,))
        source = db.execute("SELECT source FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
    code, found = deployment.check()
    assert code == 1
    assert found["count_mismatches"] == [{"source": source[0], "recorded": 1, "stored": 0}]
    assert found["orphan_vectors"] == [chunk_id]
    assert (found["keyword_missing"], found["keyword_extra"]) == (0, 1)
    text = deployment.run("check").stdout
    assert f"{source[0]} (0 of 1)" in text and "part of their text is not searchable" in text

    repair = deployment.run_ok("check", "--repair")
    assert "After repair: consistent." in repair.stdout
    assert f"Run `dealdesk ingest` on {source[0]}" in repair.stdout
    report = json.loads(deployment.run_ok("ingest", "--json", str(tmp_path / "corpus")).stdout)
    assert (report["updated"], report["unchanged"]) == (1, 2)
    assert deployment.check()[0] == 0
    deployment.assert_searchable(articles)


def test_check_on_a_data_dir_without_a_store_says_so_and_creates_nothing(tmp_path: Path) -> None:
    """`check` and `check --repair` have nothing to compare in an empty place: exit 1, one line."""
    deployment = Deployment(tmp_path / "nothing-here", None)
    for args in (["check"], ["check", "--repair"]):
        result = deployment.run(*args)
        assert result.returncode == 1
        assert result.stderr.strip() == (
            f"dealdesk: no dealdesk store in {deployment.data_dir}: run `dealdesk ingest` first"
        )
    assert not deployment.data_dir.exists()


def test_lost_vector_folder_is_named_by_readers_and_rebuilt_by_repair(tmp_path: Path) -> None:
    """With the embedded vector folder deleted, readers say what is missing and what to run
    (instead of answering from nothing), and `check --repair` re-embeds every passage."""
    deployment = Deployment(tmp_path / "data", None)
    articles = write_articles(tmp_path / "corpus", 0, 3)
    deployment.run_ok("ingest", str(tmp_path / "corpus"))
    shutil.rmtree(deployment.chroma_path)
    stats = deployment.run("stats")
    assert stats.returncode == 1
    assert stats.stderr == (
        f"dealdesk: the vectors of the 3 stored passages are missing from "
        f"{deployment.chroma_path}: run `dealdesk check --repair` to re-embed them from the "
        "stored text\n"
    )
    assert not Path(deployment.chroma_path).exists()
    repaired = json.loads(deployment.run_ok("check", "--repair", "--json").stdout)
    assert (len(repaired["missing_vectors"]), repaired["repaired"]["reembedded"]) == (3, 3)
    deployment.assert_searchable(articles)
