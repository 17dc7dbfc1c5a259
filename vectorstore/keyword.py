"""Keyword terms for BM25: lowercase, stopword-free, lightly stemmed, cut into character grams.

SQLite FTS5 ranks with BM25 over these terms; the same function prepares documents and queries,
so both sides always agree.
"""

import re
from collections.abc import Sequence

from ingest.text import is_stopword

_WORD = re.compile(r"\w+", re.UNICODE)
_SUFFIXES = ("ungen", "ung", "ern", "en", "er", "es", "e", "s", "ing", "ed", "ies")
_GRAM = 4
TERMS_VERSION = "stem+grams4+stopwords2"
"""Stored with the index: a catalog built with other terms is re-tokenised when opened."""


def stem(word: str) -> str:
    """Strip one common German or English inflection; crude but symmetric for docs and queries."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def char_grams(word: str, n: int = _GRAM) -> list[str]:
    """Overlapping n-grams of `_word_`; the underscores mark where a word starts and ends."""
    marked = f"_{word}_"
    return [marked[i : i + n] for i in range(max(1, len(marked) - n + 1))]


def keyword_terms(text: str, compounds: bool = True) -> list[str]:
    """Terms of a text: stemmed words, or (`compounds`, the BM25 index) their character 4-grams.
    Grams let 'Filmgeschäft' meet 'Film' and 'Geschäft', and 'Übernahme' meet 'Übernahmen'
    without a German decompounder; on XQuAD they beat whole words for English and German
    questions alike (see docs/BENCHMARKS.md)."""
    terms: list[str] = []
    for raw in _WORD.findall(text.lower()):
        if is_stopword(raw) or (len(raw) < 2 and not raw.isdigit()):
            continue
        word = stem(raw)
        terms.extend(char_grams(word) if compounds else [word])
    return terms


def fts_match_expression(terms: Sequence[str]) -> str | None:
    """An FTS5 MATCH expression that ORs distinct terms; None if there are none."""
    seen = dict.fromkeys(terms)
    if not seen:
        return None
    return " OR ".join(f'"{term}"' for term in seen)
