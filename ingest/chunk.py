"""Cut documents into overlapping passages of whole sentences."""

import re

from ingest.models import Chunk, Document, stable_hash
from ingest.sentences import split_sentences

_TOKEN = re.compile(r"\w+|[^\w\s]")


def count_tokens(text: str) -> int:
    """Words and punctuation marks: close enough to subword counts for sizing passages."""
    return len(_TOKEN.findall(text))


def _split_long_sentence(sentence: str, max_tokens: int) -> list[str]:
    words = sentence.split()
    step = max(1, int(max_tokens * 0.75))
    return [" ".join(words[i : i + step]) for i in range(0, len(words), step)]


def group_sentences(
    sentences: list[str],
    target_tokens: int = 180,
    max_tokens: int = 250,
    min_tokens: int = 120,
    overlap_tokens: int = 40,
) -> list[list[str]]:
    """Greedy packing up to `target_tokens`, carrying trailing sentences as overlap."""
    units: list[tuple[str, int]] = []
    for sentence in sentences:
        size = count_tokens(sentence)
        if size > max_tokens:
            units.extend(
                (part, count_tokens(part)) for part in _split_long_sentence(sentence, max_tokens)
            )
        else:
            units.append((sentence, size))

    groups: list[list[tuple[str, int]]] = []
    current: list[tuple[str, int]] = []
    fresh = 0
    for unit in units:
        size = sum(n for _, n in current)
        if current and fresh and size + unit[1] > max_tokens:
            groups.append(current)
            current = _overlap(current, overlap_tokens)
            fresh = 0
        current.append(unit)
        fresh += 1
        if sum(n for _, n in current) >= target_tokens:
            groups.append(current)
            current = _overlap(current, overlap_tokens)
            fresh = 0
    if fresh:
        tail_size = sum(n for _, n in current)
        if groups and tail_size < min_tokens:
            carried = len(_overlap(groups[-1], overlap_tokens))
            merged = groups[-1] + current[carried:]
            if sum(n for _, n in merged) <= max_tokens * 1.2:
                groups[-1] = merged
            else:
                groups.append(current)
        else:
            groups.append(current)
    return [[text for text, _ in group] for group in groups]


def _overlap(group: list[tuple[str, int]], overlap_tokens: int) -> list[tuple[str, int]]:
    carried: list[tuple[str, int]] = []
    total = 0
    for unit in reversed(group[1:]):
        if total + unit[1] > overlap_tokens:
            break
        carried.insert(0, unit)
        total += unit[1]
    return carried


def join_sentences(sentences: list[str]) -> str:
    """Sentences joined by spaces, but a headline (no final punctuation) keeps its line break,
    so it can be split off again when quoting."""
    parts: list[str] = []
    for sentence in sentences:
        parts.append(sentence)
        parts.append(" " if sentence[-1:] in ".!?…\"'“”»«)" else "\n")
    return "".join(parts).strip()


def chunk_document(
    doc: Document,
    target_tokens: int = 180,
    max_tokens: int = 250,
    min_tokens: int = 120,
    overlap_tokens: int = 40,
) -> list[Chunk]:
    """Chunks with ids derived from the source, the content and the position, so re-ingest of
    unchanged text reproduces them exactly."""
    groups = group_sentences(
        split_sentences(doc.text), target_tokens, max_tokens, min_tokens, overlap_tokens
    )
    return [
        Chunk(
            chunk_id=stable_hash("chunk", doc.source, doc.content_hash, str(index)),
            doc_id=doc.doc_id,
            index=index,
            text=join_sentences(group),
            title=doc.title,
            source=doc.source,
            language=doc.language,
            published=doc.published,
            url=doc.url,
        )
        for index, group in enumerate(groups)
    ]
