"""Core subcommands: ingest, ask, search, stats, recent, reindex, console."""

import argparse
import logging
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.commands.output import (
    print_error,
    print_json,
    print_text,
    questions,
    report_dict,
)
from bot.filters import add_filter_arguments, filters_from_args
from config import Settings
from config.errors import DealdeskError

if TYPE_CHECKING:
    from bot.core.models import SearchFilters
    from bot.core.service import DealDesk
    from vectorstore.store import Store

log = logging.getLogger(__name__)


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
    ingest.add_argument(
        "--follow-symlinks",
        action="store_true",
        help="also ingest what symlinks inside a folder point to outside it (skipped by default)",
    )
    ingest.add_argument("--json", action="store_true", help="print the report as JSON")
    add_no_wait_argument(ingest)
    ingest.set_defaults(handler=run_ingest)

    ask = subparsers.add_parser(
        "ask",
        help="answer a question with cited passages",
        description="Answer QUESTION, or each line of stdin when no question is given. A question "
        'that fails is reported (with --json as {"question", "error"}) and the rest go on; '
        "the exit code is 1 if any failed. Bytes that are not UTF-8 are read as U+FFFD.",
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
        description="Hybrid (dense + BM25) retrieval only; QUERY or one query per stdin line. "
        "A query that fails is reported and the rest go on; the exit code is 1 if any failed.",
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
    add_no_wait_argument(reindex)
    reindex.set_defaults(handler=run_reindex)

    console = subparsers.add_parser(
        "console",
        help="ask questions interactively (or one per line from a pipe)",
        description="An interactive session with follow-up questions. Commands: /sources, "
        "/reset, /stats, /help, /quit. With a pipe on stdin, answers each line.",
    )
    console.set_defaults(handler=run_console)


def add_no_wait_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--no-wait",
        action="store_true",
        help="exit 1 instead of waiting while another ingest (or other writer) holds the store",
    )


def open_writer(
    settings: Settings, args: argparse.Namespace, command: str, **options: Any
) -> "Store":
    """The store opened for writing; while another writer holds it, say so on stderr and wait,
    or with --no-wait stop with that message."""
    from vectorstore.store import Store

    def on_wait(message: str) -> None:
        print(f"dealdesk: {message}", file=sys.stderr, flush=True)

    return Store.open_writer(
        settings, command=command, wait=not args.no_wait, on_wait=on_wait, **options
    )


def run_ingest(settings: Settings, args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from bot.format_text import render_report
    from ingest.url_safety import url_scheme
    from vectorstore.indexer import ingest_paths
    from vectorstore.web_ingest import ingest_urls

    def progress(chunks: int) -> Any:
        """Chunks embedded so far, with the encoder's rate and the time left (off without a
        terminal on stderr)."""
        return tqdm(total=chunks, desc="Embedding", unit="chunk", file=sys.stderr, disable=None)

    urls = [p for p in args.paths if url_scheme(p)]
    paths = [Path(p) for p in args.paths if not url_scheme(p)]
    with open_writer(settings, args, "ingest") as store:
        report = ingest_paths(
            store, paths, settings.ingest, args.prune, progress, args.force, args.follow_symlinks
        )
        if urls:
            fetching: Iterable[str] = tqdm(
                urls, desc="Fetching", unit="url", file=sys.stderr, disable=None
            )
            ingest_urls(store, fetching, settings, report, args.force)
    if args.json:
        print_json(report_dict(report))
    else:
        print_text(render_report(report))
    return 1 if report.failed else 0


def _answer_each(
    settings: Settings,
    args: argparse.Namespace,
    words: list[str],
    work: Callable[["DealDesk", str, "SearchFilters | None"], None],
) -> int:
    """Run `work` for the question in `words`, or for each stdin line. A failing one is reported
    (one JSON line with --json) and the rest go on: one bad line must not cost a batch its
    later questions. 1 if any failed."""
    from bot.compose import build_desk

    filters = filters_from_args(args)
    desk = build_desk(settings)
    code = 0
    try:
        for question in questions(words, sys.stdin):
            try:
                work(desk, question, filters)
            except BrokenPipeError:
                raise
            except Exception as exc:
                code = 1
                log.info("Traceback of the failure to answer %r", question, exc_info=True)
                _print_failure(question, _reason(exc), args.json)
    finally:
        desk.close()
    return code


def _reason(exc: Exception) -> str:
    return str(exc) if isinstance(exc, DealdeskError) else f"{type(exc).__name__}: {exc}"


def _print_failure(question: str, reason: str, json_lines: bool) -> None:
    if json_lines:
        print_json({"question": question, "error": reason})
    else:
        asked = f" (question: {question!r})" if question.strip() else ""
        print_error(f"dealdesk: {reason}{asked}")


def run_ask(settings: Settings, args: argparse.Namespace) -> int:
    from bot.format_text import render_answer

    def answer(desk: "DealDesk", question: str, filters: "SearchFilters | None") -> None:
        reply = desk.ask(question, filters=filters)
        if args.json:
            print_json(reply.model_dump(mode="json"))
        else:
            print_text(render_answer(reply), end="\n\n")

    return _answer_each(settings, args, args.question, answer)


def run_search(settings: Settings, args: argparse.Namespace) -> int:
    from bot.format_text import render_hits

    def search(desk: "DealDesk", query: str, filters: "SearchFilters | None") -> None:
        hits = desk.search(query, args.k, filters)
        if args.json:
            print_json({"query": query, "hits": [h.model_dump(mode="json") for h in hits]})
        else:
            print_text(render_hits(hits), end="\n\n")

    return _answer_each(settings, args, args.query, search)


def run_stats(settings: Settings, args: argparse.Namespace) -> int:
    from bot.format_text import render_stats
    from vectorstore.store import Store

    store = Store(settings)
    try:
        stats = store.stats()
    finally:
        store.close()
    if args.json:
        print_json(stats.model_dump(mode="json"))
    else:
        print_text(render_stats(stats))
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
        print_json(rows)
    else:
        for row in rows:
            where = row["url"] or row["source"]
            published = str(row["published"] or "-")
            print_text(f"{row['ingested_at']}  {published:<10}  {row['title']}  ({where})")
        if not rows:
            print_text("Nothing ingested yet.")
    return 0


def run_reindex(settings: Settings, args: argparse.Namespace) -> int:
    from vectorstore.store import require_store

    require_store(settings)
    with open_writer(settings, args, "reindex", rebuild=True) as store:
        count = store.reindex()
    print_text(f"Re-embedded {count} chunks with {store.encoder.model_id}.")
    return 0


def run_console(settings: Settings, args: argparse.Namespace) -> int:
    from bot.console import run_console_session

    return run_console_session(settings, sys.stdin, sys.stdout)
