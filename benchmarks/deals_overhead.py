"""What deal extraction adds to ingest: the 1,297 BBC articles (business, entertainment, tech)
ingested into a fresh store (chunk, embed, BM25, Chroma, catalog), then their deals extracted
from the very chunks ingest made, then merged across articles; in pairs, because the cores are
shared and one pair alone can be off by tens of percent.

    python -m benchmarks.deals_overhead [--pairs 3] [--limit N]

Prints a Markdown table for docs/benchmarks/deals.md. Needs ../shared/data.
"""

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.run import load_bbc, settings_for
from bot.evaluation.datasets import default_data_dir
from ingest.chunk import chunk_document
from ingest.deals import extract_deals, merge_deals
from ingest.models import Chunk, Document
from vectorstore.embeddings import USEEncoder
from vectorstore.indexer import index_documents
from vectorstore.store import Store

Times = tuple[float, float]
"""Wall-clock seconds and CPU seconds (all threads of this process)."""


def _clock() -> Times:
    return time.perf_counter(), time.process_time()


def _since(start: Times) -> Times:
    now = _clock()
    return now[0] - start[0], now[1] - start[1]


def _ingest(docs: list[Document], encoder: USEEncoder, workdir: Path) -> tuple[Times, int]:
    settings = settings_for(workdir)
    started = _clock()
    store = Store(settings, encoder)
    report = index_documents(store, docs, settings.ingest)
    spent = _since(started)
    store.close()
    return spent, report.chunks_written


def _extract(docs: list[Document], chunks: list[list[Chunk]]) -> tuple[Times, int, int]:
    """Extraction from each article's chunks and the merge across articles, timed together."""
    started = _clock()
    deals = [
        deal for doc, parts in zip(docs, chunks, strict=True) for deal in extract_deals(doc, parts)
    ]
    merged = merge_deals(deals)
    return _since(started), len(deals), len(merged)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--limit", type=int, help="only the first N articles (a quick check)")
    parser.add_argument("--data", type=Path, default=default_data_dir())
    args = parser.parse_args()
    docs = load_bbc(args.data, args.limit)
    chunks = [chunk_document(doc) for doc in docs]
    encoder = USEEncoder()
    rows: list[tuple[Times, Times]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for pair in range(args.pairs):
            ingest, written = _ingest(docs, encoder, Path(tmp) / f"bbc-{pair}")
            extract, found, records = _extract(docs, chunks)
            rows.append((ingest, extract))
            print(
                f"pair {pair + 1}: ingest {ingest[0]:.1f} s wall / {ingest[1]:.1f} s CPU "
                f"({written} chunks); extraction and merge {extract[0]:.2f} s / {extract[1]:.2f} "
                f"s ({found} deals, {records} records)",
                flush=True,
            )
    wall = [e[0] / i[0] for i, e in rows]
    cpu = [e[1] / i[1] for i, e in rows]
    print()
    print("| pair | ingest wall s | ingest CPU s | extraction wall s | extraction CPU s | "
          "overhead wall | overhead CPU |")  # fmt: skip
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for n, ((i, e), w, c) in enumerate(zip(rows, wall, cpu, strict=True), start=1):
        print(f"| {n} | {i[0]:.1f} | {i[1]:.1f} | {e[0]:.2f} | {e[1]:.2f} | +{w:.1%} | +{c:.1%} |")
    print(
        f"\n{len(docs)} articles, {args.pairs} pairs; overhead, the median of the pairs: "
        f"+{statistics.median(wall):.1%} wall clock, +{statistics.median(cpu):.1%} CPU time"
    )


if __name__ == "__main__":
    main()
