"""Date-aware answers: spot questions about the latest news, prefer newer sources for them, and
say "as of <date>" when the corpus holds newer coverage of a company than the article cited.

News goes stale: a 2016 story quoted as if it were today's misleads more than no answer does.
Everything here is a pure function over hits, evidence and citations; later articles naming the
same company come from the retriever's `newer_coverage`.
"""

import re
from datetime import date

from bot.core.models import Citation, Evidence, SearchHit
from bot.core.ports import Retriever
from ingest.language import detect_language
from ingest.text import mentions, names_in, unique_names
from vectorstore.models import NewerArticle

_LATEST = re.compile(
    r"""\b(
        latest | newest | most\ recent(ly)? | recent(ly)? | current(ly)? | now | nowadays
      | up[\ -]to[\ -]date | these\ days | so\ far | as\ of\ today | today | this\ (week|month|year)
      | last | lately
      | neu(e)?ste[nmrs]? | aktuell(e[nmrs]?)? | derzeit(ig(e[nmrs]?)?)? | momentan | zuletzt
      | jüngste[nmrs]? | letzte[nmrs]? | kürzlich | neulich | inzwischen | mittlerweile
      | gegenwärtig | heute | bislang | bisher | stand\ heute
    )\b""",
    re.IGNORECASE | re.VERBOSE,
)


def asks_for_latest(question: str) -> bool:
    """Does the question ask for the newest state of affairs (English or German)?"""
    return bool(_LATEST.search(question))


def _recency(hits: list[SearchHit]) -> list[float]:
    """0 for the oldest (or undated) hit, 1 for the newest."""
    ordinals = [hit.published.toordinal() if hit.published else None for hit in hits]
    dated = [o for o in ordinals if o is not None]
    if not dated or max(dated) == min(dated):
        return [1.0 if o is not None else 0.0 for o in ordinals]
    low, span = min(dated), max(dated) - min(dated)
    return [0.0 if o is None else (o - low) / span for o in ordinals]


def rerank_by_recency(hits: list[SearchHit], weight: float = 0.35) -> list[SearchHit]:
    """Blend rank (relevance) with recency, so a nearly as relevant newer article moves ahead of
    an older one while a barely relevant new one does not jump the queue. Ranks, not scores,
    carry relevance: fused scores have no scale to blend with."""
    if len(hits) < 2:
        return list(hits)
    relevance = [1.0 - rank / len(hits) for rank in range(len(hits))]
    blended = [
        (1 - weight) * rel + weight * rec
        for rel, rec in zip(relevance, _recency(hits), strict=True)
    ]
    order = sorted(range(len(hits)), key=lambda i: blended[i], reverse=True)
    return [hits[i] for i in order]


def prefer_recent_evidence(
    evidence: list[Evidence], hits: list[SearchHit], margin: float = 0.1
) -> list[Evidence]:
    """Among sentences about as good as the best one (within `margin`), the newest source's
    come first; weaker sentences keep their order behind them. Call it after deciding whether
    the evidence answers the question at all: the best score decides that, not the newest."""
    if not evidence:
        return []
    cut = evidence[0].score - margin
    close = [e for e in evidence if e.score >= cut]
    rest = [e for e in evidence if e.score < cut]

    def newest_first(item: Evidence) -> tuple[int, float]:
        published = hits[item.hit_index].published
        return (published.toordinal() if published else 0, item.score)

    return sorted(close, key=newest_first, reverse=True) + rest


def subjects(question: str, citations: list[Citation]) -> list[str]:
    """Names the question asks about that the cited sources mention, e.g. "Alibaba" in "What
    is Alibaba's latest deal?". German capitalises every noun, so a name also has to appear
    in a cited title or quote to count."""
    cited = " ".join(f"{c.title} {c.quote}" for c in citations)
    found = unique_names(names_in(question, detect_language(question)))
    return [name.text for name in found if mentions(cited, name.text)]


def as_of_note(name: str, n: int, cited: date, newer: NewerArticle, language: str) -> str:
    """Tell the reader the answer is dated, and where the newer story is."""
    where = newer.url or newer.source
    if language == "de":
        return (
            f"Stand {cited.isoformat()} (Datum von [{n}]). Das Korpus enthält eine neuere "
            f"Meldung zu {name}: „{newer.title}“ ({newer.published.isoformat()}, {where})."
        )
    return (
        f"As of {cited.isoformat()} (the date of [{n}]). The corpus has newer coverage of "
        f"{name}: “{newer.title}” ({newer.published.isoformat()}, {where})."
    )


def as_of_notes(
    question: str, citations: list[Citation], retriever: Retriever, language: str
) -> list[str]:
    """One note per company the answer covers, when a newer article on it exists than the
    newest dated citation that names it."""
    notes: list[str] = []
    known = {c.source for c in citations}
    for name in subjects(question, citations):
        dated = [
            (c.published, c.n)
            for c in citations
            if c.published is not None and mentions(f"{c.title} {c.quote}", name)
        ]
        if not dated:
            continue
        published, n = max(dated)
        newer = retriever.newer_coverage(name, published)
        if newer is not None and newer.source not in known:
            known.add(newer.source)
            notes.append(as_of_note(name, n, published, newer, language))
    return notes
