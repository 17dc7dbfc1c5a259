"""The deal evaluation as Markdown tables for people and docs/benchmarks/deals.md, and as JSON
for scripts; `run_deal_eval_command` is what `dealdesk eval --deals` calls."""

import json
import sys
from pathlib import Path
from typing import Any

from bot.evaluation.datasets import MissingDataError
from bot.evaluation.deal_metrics import SlotScore
from bot.evaluation.deals import METHODS, SCORED, DealEvalReport, run_deal_eval

SPLITS = ("development", "held-out", "all")


def _cells(score: SlotScore) -> str:
    return f"{score.precision:.2f} | {score.recall:.2f} | {score.f1:.2f}"


def reuters_table(report: DealEvalReport) -> str:
    lines = [
        "| split | slot | method | strict P | R | F1 | lenient P | R | F1 |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for split in SPLITS:
        for slot in SCORED:
            for method in METHODS:
                scores = report.reuters.get((split, method))
                if scores is None or slot not in scores.strict:
                    continue
                lines.append(
                    f"| {split} ({scores.documents}) | {slot} | {method} | "
                    f"{_cells(scores.strict[slot])} | {_cells(scores.lenient[slot])} |"
                )
    return "\n".join(lines)


def bbc_table(report: DealEvalReport) -> str:
    found = {m: sum(r.found[m] for r in report.bbc) for m in METHODS}
    lines = [
        f"Found with both parties right: dealdesk {found['dealdesk']}/{len(report.bbc)}, "
        f"baseline {found['baseline']}/{len(report.bbc)}.",
        "",
        "| article | dealdesk | record | baseline |",
        "| --- | --- | --- | --- |",
    ]
    for row in report.bbc:
        mark = {m: "yes" if row.found[m] else "no" for m in METHODS}
        lines.append(
            f"| {row.path} | {mark['dealdesk']} | {row.parties['dealdesk']} | {mark['baseline']} |"
        )
    return "\n".join(lines)


def seed_lines(report: DealEvalReport) -> str:
    seed = report.seed
    verdict = "passes" if seed.get("passed") else "FAILS"
    return (
        f"Seed article {verdict}: {seed.get('deal')}, status {seed.get('status')}.\n"
        f"Quote: {seed.get('quote')}"
    )


def format_report(report: DealEvalReport) -> str:
    return "\n\n".join(
        [
            "Reuters acquisition stories: per-slot precision, recall, F1",
            reuters_table(report),
            "BBC deal articles",
            bbc_table(report),
            seed_lines(report),
            f"Extraction time over the Reuters stories: {report.seconds.get('reuters', 0):.1f} s",
        ]
    )


def to_json(report: DealEvalReport) -> dict[str, Any]:
    reuters = []
    for (split, method), scores in sorted(report.reuters.items()):
        for slot in SCORED:
            for mode, table in (("strict", scores.strict), ("lenient", scores.lenient)):
                if slot in table:
                    s = table[slot]
                    reuters.append({
                        "split": split, "method": method, "slot": slot, "mode": mode,
                        "documents": scores.documents, "precision": round(s.precision, 4),
                        "recall": round(s.recall, 4), "f1": round(s.f1, 4),
                    })  # fmt: skip
    return {
        "reuters": reuters,
        "bbc": [{"path": r.path, "found": r.found, "parties": r.parties} for r in report.bbc],
        "seed": report.seed,
        "seconds": report.seconds,
    }


def run_deal_eval_command(data_dir: Path, limit: int | None, as_json: bool) -> int:
    """Measure, print the tables (or JSON) and exit 0; exit 1 when the data is missing."""
    try:
        report = run_deal_eval(data_dir, limit, lambda line: print(line, file=sys.stderr))
    except MissingDataError as exc:
        print(f"dealdesk eval --deals: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(to_json(report), indent=2) if as_json else format_report(report))
    return 0
