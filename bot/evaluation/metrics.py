"""Rank metrics over documents: a hit is any retrieved chunk from an expected source."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


def distinct_sources(sources: Iterable[str]) -> list[str]:
    """Sources in first-seen order: several chunks of one article are one retrieved article."""
    return list(dict.fromkeys(sources))


def first_relevant_rank(ranked: Sequence[str], expected: frozenset[str]) -> int | None:
    """1-based rank of the first expected source among distinct sources, None if absent."""
    for rank, source in enumerate(distinct_sources(ranked), start=1):
        if source in expected:
            return rank
    return None


def recall_at(ranks: Sequence[int | None], k: int) -> float:
    """Share of questions whose answer is among the first k documents."""
    if not ranks:
        return 0.0
    return sum(1 for r in ranks if r is not None and r <= k) / len(ranks)


def mean_reciprocal_rank(ranks: Sequence[int | None]) -> float:
    if not ranks:
        return 0.0
    return sum(1.0 / r for r in ranks if r is not None) / len(ranks)


@dataclass(frozen=True)
class Scores:
    questions: int
    recall_1: float
    recall_5: float
    recall_10: float
    mrr: float


def summarize(ranks: Sequence[int | None]) -> Scores:
    return Scores(
        questions=len(ranks),
        recall_1=recall_at(ranks, 1),
        recall_5=recall_at(ranks, 5),
        recall_10=recall_at(ranks, 10),
        mrr=mean_reciprocal_rank(ranks),
    )
