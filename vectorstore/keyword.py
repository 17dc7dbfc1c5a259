"""Keyword terms for BM25: lowercase, stopword-free, lightly stemmed, cut into character grams.

SQLite FTS5 ranks with BM25 over these terms; the same function prepares documents and queries,
so both sides always agree.
"""

import re
from collections.abc import Sequence

_WORD = re.compile(r"\w+", re.UNICODE)
_STOPWORDS = frozenset(
    """
    der die das und ist nicht ein eine einen einem einer zu den dem des mit von im in auf
    für sich auch als wie was wer warum wieso weshalb welche welcher welches wann wo hat
    haben wird werden wurde sind bei oder aber nach über vom zum zur noch nur schon ich sie
    er es wir ihr sein seine mehr durch dass um an so man kann will soll am ins aus diese
    dieser dieses hatte hätte the and is are was were not a an to of in on for with by as
    what why who whom which when where how did does do has have had will would from that
    this these those it its be been or but after about into than more only also their they
    he she we you can should there here them his her tell me us our any some get got
    """.split()
)
_SUFFIXES = ("ungen", "ung", "ern", "en", "er", "es", "e", "s", "ing", "ed", "ies")
_GRAM = 4
TERMS_VERSION = "stem+grams4"
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
        if raw in _STOPWORDS or (len(raw) < 2 and not raw.isdigit()):
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
