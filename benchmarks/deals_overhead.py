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


def _ingest(docs: list[Document], encoder: USEEncoder, workdir: Path) -> tuple[float, int]:
    settings = settings_for(workdir)
    started = time.perf_counter()
    store = Store(settings, encoder)
    report = index_documents(store, docs, settings.ingest)
    seconds = time.perf_counter() - started
    store.close()
    return seconds, report.chunks_written


def _extract(docs: list[Document], chunks: list[list[Chunk]]) -> tuple[float, float, int, int]:
    started = time.perf_counter()
    deals = [
        deal for doc, parts in zip(docs, chunks, strict=True) for deal in extract_deals(doc, parts)
    ]
    extracted = time.perf_counter() - started
    started = time.perf_counter()
    merged = merge_deals(deals)
    return extracted, time.perf_counter() - started, len(deals), len(merged)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--limit", type=int, help="only the first N articles (a quick check)")
    parser.add_argument("--data", type=Path, default=default_data_dir())
    args = parser.parse_args()
    docs = load_bbc(args.data, args.limit)
    chunks = [chunk_document(doc) for doc in docs]
    encoder = USEEncoder()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for pair in range(args.pairs):
            ingest_s, written = _ingest(docs, encoder, Path(tmp) / f"bbc-{pair}")
            extract_s, merge_s, found, records = _extract(docs, chunks)
            rows.append((ingest_s, extract_s, merge_s))
            print(
                f"pair {pair + 1}: ingest {ingest_s:.1f} s ({written} chunks), extraction "
                f"{extract_s:.2f} s ({found} deals), merge {merge_s:.2f} s ({records} records): "
                f"+{(extract_s + merge_s) / ingest_s:.1%}",
                flush=True,
            )
    overheads = [(e + m) / i for i, e, m in rows]
    print()
    print("| pair | ingest s | extraction s | merge s | overhead |")
    print("| --- | --- | --- | --- | --- |")
    for n, ((i, e, m), o) in enumerate(zip(rows, overheads, strict=True), start=1):
        print(f"| {n} | {i:.1f} | {e:.2f} | {m:.2f} | +{o:.1%} |")
    print(
        f"\n{len(docs)} articles, {args.pairs} pairs; overhead, the median of the pairs: "
        f"+{statistics.median(overheads):.1%}"
    )


if __name__ == "__main__":
    main()
