"""Answer-level measurement: is the gold answer where a reader looks first?

- The **opening** of an answer is its first line when that line states an answer (it is not
  a quote bullet and it carries a [n] citation, as a typed answer such as "Telia Sonera
  invested 115 million dollars in Spotify [1]." does), else its first quote.
- The **quotes** are the answer's bullet lines (`• „…“ [n] (German)`), in the order a reader
  sees them. An answer without bullet lines (an LLM's prose) quotes through its citations:
  their sentences in citation order.
- A gold span counts when `bot.evaluation.spans` finds it: inside the opening, or inside the
  first three quotes or split over two of them. Any one of a question's gold spans will do.
- A refused answer (grounded=false) states nothing, so it misses both; the share is taken
  over every answerable question with a gold span, refused or not.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.core.models import Answer
from bot.evaluation.datasets import Question
from bot.evaluation.spans import found_in, gold_span

QUOTES_CHECKED = 3
_BULLET = re.compile(r"^\s*[•*-]\s+")
_MARKER = re.compile(r"\s*\[\d+\]")
_TAIL = re.compile(r"(\s*\[\d+\])+\s*(\([^()]*\))?\s*$")
_QUOTE_MARKS = '„“”"«»‚‘’'


def _unquote(line: str) -> str:
    """The quoted sentence of a bullet line, without bullet, markers, label and quote marks."""
    text = _TAIL.sub("", _BULLET.sub("", line)).strip()
    if len(text) >= 2 and text[0] in _QUOTE_MARKS and text[-1] in _QUOTE_MARKS:
        text = text[1:-1]
    return text.strip()


def quotes(answer: Answer) -> list[str]:
    """The quoted sentences in reading order (see the module docstring)."""
    bullets = [_unquote(line) for line in answer.answer.splitlines() if _BULLET.match(line)]
    if bullets:
        return [b for b in bullets if b]
    ordered = sorted(answer.citations, key=lambda c: c.n)
    return [s.strip() for c in ordered for s in c.quote.split(" … ") if s.strip()]


def stated_line(answer: Answer) -> str | None:
    """The first line, when it states an answer: not a quote bullet, and cited."""
    lines = [line for line in answer.answer.splitlines() if line.strip()]
    if not lines or _BULLET.match(lines[0]) or not _MARKER.search(lines[0]):
        return None
    return _MARKER.sub("", lines[0]).strip()


def opening(answer: Answer) -> str | None:
    """What a reader takes as the answer: the stated first line, else the first quote."""
    stated = stated_line(answer)
    if stated is not None:
        return stated
    found = quotes(answer)
    return found[0] if found else None


@dataclass(frozen=True)
class SpanRecord:
    """One answerable question's verdict, with what was looked at (for --answers-log)."""

    qid: str
    question: str
    language: str
    answer_type: str
    gold: tuple[str, ...]
    grounded: bool
    opening: str
    quotes: tuple[str, ...]
    in_opening: bool
    in_quotes: bool


def judge(question: Question, answer: Answer) -> SpanRecord:
    """Is one of the question's gold spans in the answer's opening, and in its first quotes?"""
    spans = [gold_span(text) for text in question.answers]
    first = opening(answer) if answer.grounded else None
    shown = quotes(answer)[:QUOTES_CHECKED] if answer.grounded else []
    return SpanRecord(
        qid=question.qid,
        question=question.text,
        language=question.language,
        answer_type=question.answer_type,
        gold=question.answers,
        grounded=answer.grounded,
        opening=first or "",
        quotes=tuple(shown),
        in_opening=first is not None and any(found_in([first], s) for s in spans),
        in_quotes=bool(shown) and any(found_in(shown, s) for s in spans),
    )


@dataclass(frozen=True)
class SpanTally:
    checked: int
    in_opening: int
    in_quotes: int


def tally(records: Iterable[SpanRecord]) -> SpanTally:
    done = list(records)
    return SpanTally(
        checked=len(done),
        in_opening=sum(r.in_opening for r in done),
        in_quotes=sum(r.in_quotes for r in done),
    )


def tally_by_type(records: Iterable[SpanRecord]) -> dict[str, SpanTally]:
    """Per answer type (amount, stake, buyer, ...); questions without a type are left out."""
    groups: dict[str, list[SpanRecord]] = {}
    for record in records:
        if record.answer_type:
            groups.setdefault(record.answer_type, []).append(record)
    return {kind: tally(group) for kind, group in sorted(groups.items())}
