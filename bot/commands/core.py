"""Core subcommands: ingest, ask, search, stats, recent, reindex, console."""

import argparse
import json
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from config import Settings


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def add_filter_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--since", type=_date, metavar="YYYY-MM-DD", help="only articles published on or after"
    )
    parser.add_argument(
        "--until", type=_date, metavar="YYYY-MM-DD", help="only articles published on or before"
    )
    parser.add_argument(
        "--lang", metavar="CODE", help="only articles in this language (de, en, ...)"
    )


def register(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    ingest = subparsers.add_parser(
        "ingest",
        help="add files, folders and web pages of articles to the corpus",
        description="Add .txt, .md, .html, .json and .jsonl articles, or article pages by http(s) "
        "URL. Re-ingesting unchanged files adds nothing; changed files replace their old "
        "passages. Bad files and URLs are reported and skipped; the exit code is 1 if any failed.",
    )
    ingest.add_argument(
        "paths", nargs="+", metavar="PATH|URL", help="files, folders, or http(s) article URLs"
    )
    ingest.add_argument(
        "--prune", action="store_true", help="forget documents whose files are gone"
    )
    ingest.add_argument("--force", action="store_true", help="re-embed even unchanged documents")
    ingest.add_argument("--json", action="store_true", help="print the report as JSON")
    ingest.set_defaults(handler=run_ingest)

    ask = subparsers.add_parser(
        "ask",
        help="answer a question with cited passages",
        description="Answer QUESTION, or each line of stdin when no question is given.",
    )
    ask.add_argument(
        "question", nargs="*", help="the question (omit to read one per line from stdin)"
    )
    ask.add_argument("--json", action="store_true", help="print one JSON object per answer")
    add_filter_arguments(ask)
    ask.set_defaults(handler=run_ask)

    search = subparsers.add_parser(
        "search",
        help="show the ranked passages for a query (no answer)",
        description="Hybrid (dense + BM25) retrieval only; QUERY or one query per stdin line.",
    )
    search.add_argument("query", nargs="*", help="the query (omit to read one per line from stdin)")
    search.add_argument("-k", type=int, default=10, help="how many passages (default 10)")
    search.add_argument("--json", action="store_true", help="print JSON (one object per query)")
    add_filter_arguments(search)
    search.set_defaults(handler=run_search)

    stats = subparsers.add_parser("stats", help="documents, chunks, languages, model and store")
    stats.add_argument("--json", action="store_true", help="print JSON")
    stats.set_defaults(handler=run_stats)

    recent = subparsers.add_parser("recent", help="the most recently ingested documents")
    recent.add_argument("-n", type=int, default=10, help="how many (default 10)")
    recent.add_argument("--json", action="store_true", help="print JSON")
    recent.set_defaults(handler=run_recent)

    reindex = subparsers.add_parser(
        "reindex",
        help="re-embed the corpus with the configured embedding model",
        description="Drop the vector collection and re-embed every stored passage; needed after "
        "changing DEALDESK_EMBEDDING__MODEL.",
    )
    reindex.set_defaults(handler=run_reindex)

    console = subparsers.add_parser(
        "console",
        help="ask questions interactively (or one per line from a pipe)",
        description="An interactive session with follow-up questions. Commands: /sources, "
        "/reset, /stats, /help, /quit. With a pipe on stdin, answers each line.",
    )
    console.set_defaults(handler=run_console)


def _filters(args: argparse.Namespace) -> Any:
    from bot.core.models import SearchFilters

    if not (args.since or args.until or args.lang):
        return None
    return SearchFilters(since=args.since, until=args.until, language=args.lang)


def _inputs(words: list[str]) -> Iterator[str]:
    if words:
        yield " ".join(words)
        return
    for line in sys.stdin:
        if line.strip():
            yield line.strip()


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, default=str), flush=True)


def run_ingest(settings: Settings, args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from bot.commands.feeds import ingest_urls
    from bot.format_text import render_report
    from ingest.web import is_web_url
    from vectorstore.indexer import ingest_paths
    from vectorstore.store import Store

    def progress(chunks: int) -> Any:
        """Chunks embedded so far, with the encoder's rate and the time left (off without a
        terminal on stderr)."""
        return tqdm(total=chunks, desc="Embedding", unit="chunk", file=sys.stderr, disable=None)

    urls = [p for p in args.paths if is_web_url(p)]
    paths = [Path(p) for p in args.paths if not is_web_url(p)]
    store = Store(settings)
    try:
        report = ingest_paths(store, paths, settings.ingest, args.prune, progress, args.force)
        ingest_urls(store, urls, settings, report, args.force)
    finally:
        store.close()
    if args.json:
        _print_json(report.summary() | {"items": [item.__dict__ for item in report.items]})
    else:
        print(render_report(report))
    return 1 if report.failed else 0


def run_ask(settings: Settings, args: argparse.Namespace) -> int:
    from bot.core.service import DealDesk
    from bot.format_text import render_answer

    desk = DealDesk(settings)
    try:
        for question in _inputs(args.question):
            answer = desk.ask(question, filters=_filters(args))
            if args.json:
                _print_json(answer.model_dump(mode="json"))
            else:
                print(render_answer(answer), end="\n\n", flush=True)
    finally:
        desk.close()
    return 0


def run_search(settings: Settings, args: argparse.Namespace) -> int:
    from bot.core.service import DealDesk
    from bot.format_text import render_hits

    desk = DealDesk(settings)
    try:
        for query in _inputs(args.query):
            hits = desk.search(query, args.k, _filters(args))
            if args.json:
                _print_json({"query": query, "hits": [h.model_dump(mode="json") for h in hits]})
            else:
                print(render_hits(hits), end="\n\n", flush=True)
    finally:
        desk.close()
    return 0


def run_stats(settings: Settings, args: argparse.Namespace) -> int:
    from vectorstore.store import Store

    store = Store(settings)
    try:
        stats = store.stats()
    finally:
        store.close()
    if args.json:
        _print_json(stats.model_dump(mode="json"))
    else:
        languages = ", ".join(f"{k}: {v}" for k, v in sorted(stats.languages.items())) or "-"
        print(
            f"Documents:  {stats.documents}\nChunks:     {stats.chunks}\nLanguages:  {languages}\n"
            f"Embedding:  {stats.embedding_model} ({stats.dimension} dimensions)\n"
            f"Store:      {stats.location} ({stats.chroma_mode})"
        )
    return 0


def run_recent(settings: Settings, args: argparse.Namespace) -> int:
    from datetime import datetime

    from ingest.models import int_to_date
    from vectorstore.store import Store

    store = Store(settings)
    try:
        documents = store.catalog.recent_documents(args.n)
    finally:
        store.close()
    rows = [
        {
            "title": d.title,
            "source": d.source,
            "url": d.url,
            "language": d.language,
            "published": int_to_date(d.published),
            "ingested_at": datetime.fromtimestamp(d.ingested_at).isoformat(timespec="seconds"),
        }
        for d in documents
    ]
    if args.json:
        _print_json(rows)
    else:
        for row in rows:
            where = row["url"] or row["source"]
            published = str(row["published"] or "-")
            print(f"{row['ingested_at']}  {published:<10}  {row['title']}  ({where})")
        if not rows:
            print("Nothing ingested yet.")
    return 0


def run_reindex(settings: Settings, args: argparse.Namespace) -> int:
    from vectorstore.store import Store

    store = Store(settings, rebuild=True)
    try:
        count = store.reindex()
    finally:
        store.close()
    print(f"Re-embedded {count} chunks with {store.encoder.model_id}.")
    return 0


def run_console(settings: Settings, args: argparse.Namespace) -> int:
    from bot.console import run_console_session

    return run_console_session(settings, sys.stdin, sys.stdout)
