"""The measurements behind docs/BENCHMARKS.md, one function each; `benchmarks.run` lays them out."""

import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.core.evidence import EvidenceScorer
from bot.core.service import DealDesk
from bot.evaluation.datasets import BBC_CATEGORIES
from config import ChromaSettings, EmbeddingSettings, Settings
from ingest.chunk import chunk_document
from ingest.load import make_document
from ingest.models import Chunk, Document
from ingest.sentences import split_sentences
from vectorstore.embeddings import Encoder
from vectorstore.indexer import index_documents
from vectorstore.store import Store

REPO = Path(__file__).resolve().parent.parent


def load_bbc(data_dir: Path, limit: int | None) -> list[Document]:
    root = data_dir / "bbc"
    paths = sorted(p for c in BBC_CATEGORIES for p in (root / c).glob("*.txt"))[:limit]
    docs = []
    for path in paths:
        title, _, body = path.read_text("utf-8", errors="replace").partition("\n")
        docs.append(make_document(f"{path.parent.name}/{path.name}", title.strip(), body))
    return docs


def settings_for(path: Path, embedding: EmbeddingSettings) -> Settings:
    return Settings(_env_file=None, data_dir=path, chroma=ChromaSettings(), embedding=embedding)


@dataclass(frozen=True)
class IngestTiming:
    articles: int
    chunks: int
    pipeline_s: float
    raw_s: float
    paired: list[float]
    """pipeline / raw - 1 for each pair of runs."""


def bench_ingest(
    docs: list[Document], encoder: Encoder, settings: Settings, workdir: Path, repeats: int
) -> tuple[IngestTiming, Store]:
    """Whole pipeline (clean is done by the loader, so it is timed apart) against the encoder alone
    on exactly the texts the pipeline embeds, alternating, each into a fresh store; medians,
    because a single pair of runs on this shared machine differed by 26 points of overhead."""
    texts = [c.embed_text for d in docs for c in chunk_document(d)]
    pipeline: list[float] = []
    raw: list[float] = []
    for attempt in range(repeats):
        started = time.perf_counter()
        store = Store.open_writer(
            settings.model_copy(update={"data_dir": workdir / f"bbc-{attempt}"}), encoder
        )
        report = index_documents(store, docs, store.settings.ingest)
        pipeline.append(time.perf_counter() - started)
        started = time.perf_counter()
        for start in range(0, len(texts), settings.ingest.batch_chunks):
            encoder.encode(texts[start : start + settings.ingest.batch_chunks])
        raw.append(time.perf_counter() - started)
        if attempt < repeats - 1:
            store.close()
    timing = IngestTiming(
        len(docs),
        report.chunks_written,
        statistics.median(pipeline),
        statistics.median(raw),
        [p / r - 1 for p, r in zip(pipeline, raw, strict=True)],
    )
    return timing, store


def query_embedding_ms(encoder: Encoder, questions: list[str]) -> tuple[float, float]:
    """p50 / p95 of embedding one question at a time, as a chat bot does (after one warm-up)."""
    encoder.encode_queries(questions[:1])
    timed = []
    for question in questions:
        started = time.perf_counter()
        encoder.encode_queries([question])
        timed.append((time.perf_counter() - started) * 1000)
    return percentiles(timed)


def evidence_ms(desk: DealDesk, questions: list[str]) -> tuple[float, float, float, float]:
    """Sentence evidence per question with an empty sentence cache (cold: every sentence of
    the retrieved passages is encoded) and again with it filled (warm): p50 / p95 of each."""
    cold: list[float] = []
    warm: list[float] = []
    for question in questions:
        vector = desk.store.encoder.encode_queries([question])[0]
        hits = desk.searcher.search(question, None, None, vector)
        scorer = EvidenceScorer(desk.store.encoder)
        for samples in (cold, warm):
            started = time.perf_counter()
            scorer.score(vector, hits, question)
            samples.append((time.perf_counter() - started) * 1000)
    return (*percentiles(cold), *percentiles(warm))


def synthesise(store: Store, target: int, seed: int = 7) -> Store:
    """Grow a store to `target` chunks without encoding: each new chunk copies a real chunk's
    vector plus small Gaussian noise (re-normalised), and its text is sentences resampled from
    real chunks, so BM25 sees realistic term statistics."""
    rng = np.random.default_rng(seed)
    picker = random.Random(seed)
    real = list(store.catalog.all_chunks())
    vectors = store.vectors([c.chunk_id for c in real])
    sentences = [s for c in real for s in split_sentences(c.text)]
    have = len(real)
    batch_docs = 200
    while have < target:
        items: list[tuple[Document, list[Chunk]]] = []
        rows = []
        for _ in range(min(batch_docs, (target - have + 2) // 3)):
            base = picker.choice(real)
            n_sent = picker.randint(6, 14)
            body = " ".join(picker.choice(sentences) for _ in range(n_sent))
            doc = Document(source=f"synthetic/{have}", title=base.title, text=body, language="en")
            chunks = chunk_document(doc)[:3]
            items.append((doc, chunks))
            for _ in chunks:
                noisy = vectors[base.chunk_id] + rng.normal(0, 0.02, store.encoder.dimension)
                rows.append(noisy / np.linalg.norm(noisy))
            have += len(chunks)
        store.write(items, np.asarray(rows, dtype=np.float32))
    return store


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def bench_queries(desk: DealDesk, questions: list[str]) -> tuple[float, float, float, float]:
    """Retrieve-only and whole extractive answers; each question once to warm caches, once timed."""
    timed: dict[str, list[float]] = {"search": [], "ask": []}
    calls: dict[str, Callable[[str], object]] = {"search": desk.search, "ask": desk.ask}
    for name, call in calls.items():
        for question in questions:
            call(question + " ")
        for question in questions:
            started = time.perf_counter()
            call(question)
            timed[name].append((time.perf_counter() - started) * 1000)
    return (*percentiles(timed["search"]), *percentiles(timed["ask"]))


# Runs `dealdesk ask` as its own process and reports that process's peak RSS. VmHWM belongs to
# the process's own memory map; getrusage's ru_maxrss would also count the parent's peak,
# which Linux carries over into a child across fork and exec.
_COLD_ASK = """
import sys
from bot.cli import main
code = main(["ask", *sys.argv[1:]])
peak = next(line for line in open("/proc/self/status") if line.startswith("VmHWM"))
print(peak.split()[1], file=sys.stderr)
sys.exit(code)
"""


def cold_ask(settings: Settings, question: str) -> tuple[float, float]:
    """Seconds to the first answer from a fresh `dealdesk ask` process, and its peak RSS in MB
    (the store keeps the model it was built with)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DEALDESK_")} | {
        "DEALDESK_DATA_DIR": str(settings.data_dir),
        "DEALDESK_EMBEDDING__CACHE_DIR": str(settings.embedding.cache_dir),
    }
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _COLD_ASK, question],
        env=env,
        cwd=REPO,
        check=True,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - started
    return elapsed, int(done.stderr.split()[-1]) / 1024
