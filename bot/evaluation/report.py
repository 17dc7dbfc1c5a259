"""The eval table, as text for people and as JSON for scripts and docs/BENCHMARKS.md."""

from dataclasses import asdict
from typing import Any

from bot.evaluation.runners import Row

HEADER = (
    "suite",
    "task",
    "embedder",
    "method",
    "n",
    "R@1",
    "R@5",
    "R@10",
    "MRR",
    "no-answer refused",
    "answer lost",
)


def _share(part: int, whole: int) -> str:
    return f"{part}/{whole} ({part / whole:.0%})" if whole else "-"


def table_cells(row: Row) -> tuple[str, ...]:
    s = row.scores
    return (
        row.suite,
        row.task,
        row.embedder,
        row.method,
        str(s.questions),
        f"{s.recall_1:.3f}",
        f"{s.recall_5:.3f}",
        f"{s.recall_10:.3f}",
        f"{s.mrr:.3f}",
        _share(row.refused, row.no_answer),
        _share(row.lost, row.answerable_checked),
    )


def format_table(rows: list[Row]) -> str:
    """Aligned plain-text columns; numbers right-aligned so they compare at a glance."""
    cells = [HEADER, *(table_cells(r) for r in rows)]
    widths = [max(len(line[i]) for line in cells) for i in range(len(HEADER))]
    lines = []
    for line in cells:
        parts = [
            c.ljust(w) if i < 4 else c.rjust(w)
            for i, (c, w) in enumerate(zip(line, widths, strict=True))
        ]
        lines.append("  ".join(parts).rstrip())
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def format_markdown(rows: list[Row]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(table_cells(r)) + " |" for r in rows]
    return "\n".join(lines)


def to_json(rows: list[Row]) -> list[dict[str, Any]]:
    return [asdict(row) for row in rows]
