"""The one way a retrieved hit becomes a `Citation`: both answerers cite through here."""

from bot.core.models import Citation, SearchHit


def citation_for(hit: SearchHit, n: int, quote: str, score: float) -> Citation:
    """Citation [n] of `hit`, quoting `quote` (sentences of the hit, verbatim)."""
    return Citation(
        n=n,
        title=hit.title,
        source=hit.source,
        url=hit.url,
        published=hit.published,
        language=hit.language,
        quote=quote,
        chunk_id=hit.chunk_id,
        score=round(score, 4),
    )
