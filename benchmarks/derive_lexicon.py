"""Derive `ingest/text/nouns_de.py` and `ingest/text/starters.py`: the capitalised words of
each language that are not names.

German capitalises every noun, so "Übernahme" looks like a name; English capitalises the first
word of a sentence, so "Shares" does. Both lists come from real text, reproducibly:

- German common nouns: capitalised words seen after a determiner and a lowercase adjective
  ("die neue Studie") or as the tail of a longer capitalised word ("Medienkonzern" -> Konzern).
  Names rarely take either. Source: 10kGNAD rows whose index is not a multiple of 5 (the
  multiples of 5 are kept back for measuring, see benchmarks/text_analysis.py) and the German
  XQuAD paragraphs.
- Sentence starters (both languages): words capitalised at the start of a sentence that the
  same text also writes in lower case mid-sentence ("Allerdings", "However", "Shares").
  English sources: XQuAD's English paragraphs and the BBC articles.

Only word lists leave the research data, never text. Run: python -m benchmarks.derive_lexicon
"""

import csv
import json
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from ingest.sentences import split_sentences
from ingest.text.german import noun_by_rule
from ingest.text.words import STOPWORDS

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
OUT = Path(__file__).resolve().parent.parent / "ingest" / "text"
_WORD = re.compile(r"[^\W\d_][\w-]*[^\W\d_]|[^\W\d_]")
_DETERMINERS = frozenset(
    "der die das den dem des ein eine einen einem einer eines kein keine keinen keinem keiner "
    "im am zum zur vom beim ins dieser diese dieses diesen diesem jeder jede jedes jeden "
    "unser unsere seine seiner seinen ihre ihrer ihren".split()
)
_ADJECTIVE = re.compile(r"[a-zäöüß]+(?:e|en|er|es|em)$")
_COMPASS = frozenset("nord süd ost west nordost südost nordwest südwest ober nieder".split())
MAX_NOUNS = 5000
MAX_STARTERS = 800


def german_rows() -> list[str]:
    """10kGNAD texts not kept back for measuring (index % 5 != 0)."""
    csv.field_size_limit(10**9)
    with (DATA / "10kgnad" / "test.csv").open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle, delimiter=";", quotechar="'"))
    return [text for i, (_, text) in enumerate(rows) if i % 5 != 0]


def xquad_contexts(language: str) -> list[str]:
    data = json.loads((DATA / "xquad" / f"xquad.{language}.json").read_text(encoding="utf-8"))
    return [p["context"] for article in data["data"] for p in article["paragraphs"]]


def bbc_texts() -> Iterator[str]:
    for folder in ("business", "entertainment", "tech", "politics", "sport"):
        for path in sorted((DATA / "bbc" / folder).glob("*.txt")):
            yield path.read_text(encoding="utf-8", errors="replace")


def sentence_words(texts: Iterable[str]) -> Iterator[list[str]]:
    for text in texts:
        for sentence in split_sentences(text):
            yield _WORD.findall(sentence)


def _is_head(head: str, vocabulary: set[str]) -> bool:
    """A compound's first part is itself a noun, maybe with a linking s or n ("Umsatzanteil",
    "Bankenchef"); compass prefixes make place names, not nouns ("Ostösterreich")."""
    if head in _COMPASS:
        return False
    return any(head.removesuffix(link) in vocabulary for link in ("", "s", "es", "n", "en"))


def german_nouns(texts: list[str]) -> list[str]:
    capitalised: Counter[str] = Counter()
    after_adjective: Counter[str] = Counter()
    for words in sentence_words(texts):
        for i, word in enumerate(words):
            if i == 0 or not word[0].isupper() or word.isupper() or "-" in word:
                continue
            key = word.lower()
            capitalised[key] += 1
            if i >= 2 and _ADJECTIVE.match(words[i - 1]) and words[i - 2].lower() in _DETERMINERS:
                after_adjective[key] += 1
    tails: Counter[str] = Counter()
    vocabulary = set(capitalised)
    for word in vocabulary:
        for cut in range(3, len(word) - 3):
            head, tail = word[:cut], word[cut:]
            if tail in vocabulary and _is_head(head, vocabulary):
                tails[tail] += 1
    nouns = [
        w
        for w in capitalised
        if (after_adjective[w] >= 1 and after_adjective[w] >= 0.03 * capitalised[w])
        or tails[w] >= 2
    ]
    nouns.sort(key=lambda w: (-capitalised[w], w))
    kept: set[str] = set()
    for noun in sorted(nouns[:MAX_NOUNS], key=len):
        if not noun_by_rule(noun, kept):
            kept.add(noun)
    return sorted(kept)


def starters(texts: Iterable[str], language: str) -> list[str]:
    first: Counter[str] = Counter()
    lower: Counter[str] = Counter()
    for words in sentence_words(texts):
        if words and words[0][0].isupper() and not words[0].isupper():
            first[words[0].lower()] += 1
        lower.update(w for w in words[1:] if w[0].islower())
    found = [w for w in first if lower[w] >= 2 and w not in STOPWORDS[language]]
    found.sort(key=lambda w: (-first[w], w))
    return found[:MAX_STARTERS]


def _packed(words: list[str]) -> str:
    lines, line = [], ""
    for word in sorted(words):
        if len(line) + len(word) + 1 > 94:
            lines.append(line)
            line = ""
        line = f"{line} {word}" if line else word
    return "\n".join([*lines, line])


def main() -> int:
    if not DATA.exists():
        print(f"needs {DATA}", file=sys.stderr)
        return 1
    german = german_rows() + xquad_contexts("de")
    nouns = german_nouns(german)
    de_starters = [w for w in starters(german, "de") if w not in set(nouns)]
    en_starters = starters([*xquad_contexts("en"), *bbc_texts()], "en")
    header = "Generated by benchmarks/derive_lexicon.py (read it for how); do not edit by hand."
    (OUT / "nouns_de.py").write_text(
        f'"""Common German nouns, lower case: capitalised, yet not names.\n{header}"""\n\n'
        f'GERMAN_NOUNS = frozenset(\n    """\n{_packed(nouns)}\n""".split()\n)\n',
        encoding="utf-8",
    )
    (OUT / "starters.py").write_text(
        '"""Ordinary words that start sentences with a capital, lower case.\n'
        f'{header}"""\n\n'
        f'GERMAN_STARTERS = frozenset(\n    """\n{_packed(de_starters)}\n""".split()\n)\n'
        f'ENGLISH_STARTERS = frozenset(\n    """\n{_packed(en_starters)}\n""".split()\n)\n',
        encoding="utf-8",
    )
    print(
        f"{len(nouns)} German nouns, {len(de_starters)} German, {len(en_starters)} English starters"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
