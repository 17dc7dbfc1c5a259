"""`dealdesk eval`: retrieval quality on XQuAD and BBC deal stories, beside two baselines."""

import argparse
import importlib.util
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from config import Settings

SUITES = ("xquad", "bbc")


def register(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = subparsers.add_parser(
        "eval",
        help="measure retrieval quality (XQuAD, BBC deal questions) against baselines",
        description="Index each benchmark corpus in a temporary store and report recall@1/5/10 "
        "and MRR for dealdesk, the raw encoder over whole documents, and the naive LangChain "
        "recipe, plus how often the no-answer gate refuses (it should) and answers (it should "
        "not). Needs ../shared/data beside the checkout; a suite without its data is skipped.",
    )
    parser.add_argument("--suite", choices=(*SUITES, "all"), default="all")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    parser.add_argument(
        "--limit", type=int, metavar="N", help="ask at most N questions per task (quick runs)"
    )
    parser.add_argument(
        "--data", type=Path, metavar="DIR", help="the shared data folder (default ../shared/data)"
    )
    parser.add_argument(
        "--methods",
        default="dealdesk,raw-use,langchain",
        help="comma-separated subset of dealdesk,raw-use,langchain",
    )
    parser.add_argument(
        "--deals",
        action="store_true",
        help="measure deal extraction instead (Reuters templates, BBC deals, the seed article)",
    )
    parser.set_defaults(handler=run_eval)


def _progress(items: Iterable[Any], label: str, total: int) -> Iterable[Any]:
    from tqdm import tqdm

    bar: Iterable[Any] = tqdm(items, desc=label, total=total, file=sys.stderr, leave=False)
    return bar


def run_eval(settings: Settings, args: argparse.Namespace) -> int:
    from bot.evaluation.datasets import (
        MissingDataError,
        Task,
        default_data_dir,
        load_bbc,
        load_xquad,
    )
    from bot.evaluation.report import format_table, table_cells, to_json
    from bot.evaluation.runners import Row, run_tasks
    from vectorstore.embeddings import make_encoder

    data_dir: Path = args.data or default_data_dir()
    if args.deals:
        from bot.evaluation.deal_report import run_deal_eval_command

        return run_deal_eval_command(data_dir, args.limit, args.json)
    loaders = {"xquad": load_xquad, "bbc": load_bbc}
    tasks: list[Task] = []
    for suite in SUITES if args.suite == "all" else (args.suite,):
        try:
            tasks += loaders[suite](data_dir, args.limit)
        except MissingDataError as exc:
            print(f"dealdesk eval: skipping {suite}: {exc}", file=sys.stderr)
    if not tasks:
        print("dealdesk eval: no benchmark data found; nothing to measure", file=sys.stderr)
        return 1
    methods = tuple(m.strip() for m in args.methods.split(",") if m.strip())
    unknown = set(methods) - {"dealdesk", "raw-use", "langchain"}
    if unknown:
        print(f"dealdesk eval: unknown method(s): {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    if "langchain" in methods and importlib.util.find_spec("langchain_chroma") is None:
        print(
            "dealdesk eval: the langchain baseline needs pip install 'dealdesk[eval]' "
            "(or leave it out: --methods dealdesk,raw-use)",
            file=sys.stderr,
        )
        return 2

    def show(row: Row) -> None:
        print(" | ".join(table_cells(row)), file=sys.stderr)

    encoder = make_encoder(settings.embedding)
    rows = run_tasks(tasks, encoder, settings, methods, _progress, show)
    if args.json:
        print(json.dumps(to_json(rows), indent=2))
    else:
        print(format_table(rows))
    return 0
