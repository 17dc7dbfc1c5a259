"""The eval tables, as text for people and as JSON for scripts and docs/BENCHMARKS.md."""

from collections.abc import Sequence
from dataclasses import asdict, replace
from typing import Any

from bot.evaluation.answers import tally_by_type
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
ANSWER_HEADER = (
    "suite",
    "task",
    "method",
    "with gold",
    "in opening",
    "in first 3 quotes",
    "answerable refused",
    "no-answer refused",
)
TYPE_HEADER = ("suite", "answer type", "with gold", "in opening", "in first 3 quotes")


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


def has_answers(row: Row) -> bool:
    """Rows whose answers were read: our pipeline on tasks that check the gate."""
    return bool(row.answerable_checked or row.no_answer)


def answer_cells(row: Row) -> tuple[str, ...]:
    return (
        row.suite,
        row.task,
        row.method,
        str(row.answers_checked),
        _share(row.in_opening, row.answers_checked),
        _share(row.in_quotes, row.answers_checked),
        _share(row.lost, row.answerable_checked),
        _share(row.refused, row.no_answer),
    )


def type_cells(rows: list[Row]) -> list[tuple[str, ...]]:
    """Per suite and answer type, over both question languages."""
    cells: list[tuple[str, ...]] = []
    for suite in dict.fromkeys(row.suite for row in rows):
        records = [r for row in rows if row.suite == suite for r in row.records]
        for kind, counts in tally_by_type(records).items():
            cells.append(
                (
                    suite,
                    kind,
                    str(counts.checked),
                    _share(counts.in_opening, counts.checked),
                    _share(counts.in_quotes, counts.checked),
                )
            )
    return cells


def _aligned(header: Sequence[str], body: list[tuple[str, ...]], text_columns: int) -> str:
    """Aligned plain-text columns; numbers right-aligned so they compare at a glance."""
    cells = [tuple(header), *body]
    widths = [max(len(line[i]) for line in cells) for i in range(len(header))]
    lines = []
    for line in cells:
        parts = [
            c.ljust(w) if i < text_columns else c.rjust(w)
            for i, (c, w) in enumerate(zip(line, widths, strict=True))
        ]
        lines.append("  ".join(parts).rstrip())
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _markdown(header: Sequence[str], body: list[tuple[str, ...]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cells) + " |" for cells in body]
    return "\n".join(lines)


def format_table(rows: list[Row]) -> str:
    return _aligned(HEADER, [table_cells(r) for r in rows], 3)


def format_markdown(rows: list[Row]) -> str:
    return _markdown(HEADER, [table_cells(r) for r in rows])


def format_answer_table(rows: list[Row]) -> str:
    """Gold spans in the answers and refusals, per task; then gold spans per answer type."""
    answered = [r for r in rows if has_answers(r)]
    tables = [_aligned(ANSWER_HEADER, [answer_cells(r) for r in answered], 3)]
    by_type = type_cells(answered)
    if by_type:
        tables.append(_aligned(TYPE_HEADER, by_type, 2))
    return "\n\n".join(tables)


def format_answer_markdown(rows: list[Row]) -> str:
    answered = [r for r in rows if has_answers(r)]
    tables = [_markdown(ANSWER_HEADER, [answer_cells(r) for r in answered])]
    by_type = type_cells(answered)
    if by_type:
        tables.append(_markdown(TYPE_HEADER, by_type))
    return "\n\n".join(tables)


def to_json(rows: list[Row]) -> list[dict[str, Any]]:
    """Every field of every row but the per-question records (see `records_json`)."""
    out = []
    for row in rows:
        fields = asdict(replace(row, records=()))
        del fields["records"]
        out.append(fields)
    return out


def records_json(rows: list[Row]) -> list[dict[str, Any]]:
    """One object per gold-span verdict, tagged with its suite, task and method."""
    return [
        {"suite": row.suite, "task": row.task, "method": row.method, **asdict(record)}
        for row in rows
        for record in row.records
    ]
