"""Slot scores for extracted deals: per-slot precision, recall and F1, strict and lenient.

Strict: the predicted text equals one of a filler's alternatives, ignoring case, spacing and
punctuation at the ends. Lenient (normalised containment): after lower-casing, dropping
punctuation, articles, possessive "'s" and company suffixes (Inc, Corp, Ltd, ...), the words of
one are a contiguous run of the other's ("First Wisconsin" for "First Wisconsin Corp", "about
25 mln dlrs" for "25 mln dlrs"). Precision counts predicted values that match some filler,
recall counts fillers matched by some predicted value, as in the MUC scoring of these templates.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

_PUNCT = re.compile(r"[^\w&$%.]+|(?<!\d)\.|\.(?!\d)")
_DROP = frozenset(
    "the a an of inc corp corporation co ltd plc llc ag sa nv group holding holdings company "
    "limited s".split()
)


def strict_form(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip(" \t\"'.,;:()").lower()


def lenient_words(text: str) -> list[str]:
    words = _PUNCT.sub(" ", text.lower().replace("’s", " ").replace("'s", " ")).split()
    return [w for w in words if w not in _DROP]


def _contains(long: list[str], short: list[str]) -> bool:
    n = len(short)
    return n > 0 and any(long[i : i + n] == short for i in range(len(long) - n + 1))


def matches(predicted: str, alternative: str, lenient: bool) -> bool:
    if not lenient:
        return strict_form(predicted) == strict_form(alternative)
    p, g = lenient_words(predicted), lenient_words(alternative)
    return _contains(p, g) or _contains(g, p)


@dataclass
class SlotScore:
    """Counts for one slot over many documents."""

    predicted: int = 0
    gold: int = 0
    correct_predicted: int = 0
    correct_gold: int = 0

    def add(self, predicted: Sequence[str], gold: Sequence[tuple[str, ...]], lenient: bool) -> None:
        self.predicted += len(predicted)
        self.gold += len(gold)
        self.correct_predicted += sum(
            1 for p in predicted if any(matches(p, a, lenient) for f in gold for a in f)
        )
        self.correct_gold += sum(
            1 for f in gold if any(matches(p, a, lenient) for p in predicted for a in f)
        )

    @property
    def precision(self) -> float:
        return self.correct_predicted / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.correct_gold / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class TemplateScores:
    """Strict and lenient scores per slot for one method on one set of documents."""

    strict: dict[str, SlotScore] = field(default_factory=dict)
    lenient: dict[str, SlotScore] = field(default_factory=dict)
    documents: int = 0

    def add(
        self, predicted: dict[str, list[str]], gold: dict[str, list[tuple[str, ...]]],
        slots: Iterable[str],
    ) -> None:  # fmt: skip
        self.documents += 1
        for slot in slots:
            for lenient, table in ((False, self.strict), (True, self.lenient)):
                table.setdefault(slot, SlotScore()).add(
                    predicted.get(slot, []), gold.get(slot, []), lenient
                )
