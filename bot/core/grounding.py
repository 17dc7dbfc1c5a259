"""Checks a model-written answer against the passages it was given, in code.

A prompt can ask a model to cite honestly; only code can make sure it did. Every [n] marker must
name a retrieved passage, and every sentence must be backed by the passages it cites: the numbers
in it must occur there (as numbers: "60 %" matches "60 Prozent", "1,5" matches "1.5"), and so must
its names ("Alibabas" matches "Alibaba"), and an amount's currency ("$156m" is not "£156m").
Words may be translated, numbers may not.

Names are easy to spot in English, where a capital letter mid-sentence marks one. In German every
noun is capitalised, so a German sentence only has its unmistakable names checked (acronyms,
CamelCase, names with digits, and names the question or an English passage capitalises);
"Übernahme" for "takeover" must not count as an invented name.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from bot.core.injection import is_instruction
from bot.core.markers import (
    cited_numbers,
    plain,
    renumber_citations,
    split_answer,
    strip_markers,
    tidy,
)
from ingest.sentences import split_sentences
from ingest.text import is_stopword, money_in
from ingest.text import numbers_in as find_numbers

_WORD = re.compile(r"[^\W_][\w&'’-]*")
_POSSESSIVE = re.compile(r"['’]s?$")


class Passage(NamedTuple):
    """A retrieved passage as the model saw it, numbered from 1 in the prompt."""

    text: str
    language: str


@dataclass(frozen=True)
class SentenceCheck:
    """Why one answer sentence is or is not backed by the passages it cites."""

    sentence: str
    cited: tuple[int, ...]
    missing_numbers: tuple[str, ...] = ()
    missing_names: tuple[str, ...] = ()
    wrong_currency: tuple[str, ...] = ()
    shares_nothing: bool = False

    @property
    def supported(self) -> bool:
        return not (
            self.missing_numbers or self.missing_names or self.wrong_currency or self.shares_nothing
        )

    def reason(self) -> str:
        where = "".join(f"[{n}]" for n in self.cited) or "any cited passage"
        parts = []
        if self.missing_numbers:
            parts.append(f"number {', '.join(self.missing_numbers)} not in {where}")
        if self.missing_names:
            parts.append(f"name {', '.join(self.missing_names)} not in {where}")
        if self.wrong_currency:
            parts.append(f"currency of {', '.join(self.wrong_currency)} differs from {where}")
        if self.shares_nothing:
            parts.append(f"nothing in common with {where}")
        return "; ".join(parts)


@dataclass
class GroundedText:
    """The verified answer text, its markers renumbered 1..m in order of first use.

    `sources[i]` is the passage number that citation i+1 stands for. `fallback` says why no
    usable text is left (then `text` is empty and the caller answers extractively)."""

    text: str
    sources: list[int]
    unsupported: list[str] = field(default_factory=list)
    invented: list[int] = field(default_factory=list)
    fallback: str | None = None


def numbers_in(text: str) -> dict[str, frozenset[Decimal]]:
    """Numbers written with digits (markers excluded), each with the values it may mean."""
    return {
        number.text: number.values
        for number in find_numbers(strip_markers(text))
        if number.text[:1].isdigit()
    }


def _wrong_currency(sentence: str, texts: list[str]) -> tuple[str, ...]:
    """Amounts whose value the passages state, but only in another currency: "$156m" is not
    "£156m". A value the passages give without a currency is no evidence either way."""
    stated = {(m.currency, m.value) for text in texts for m in money_in(strip_markers(text))}
    values = {value for _, value in stated}
    return tuple(
        m.text
        for m in money_in(strip_markers(sentence))
        if m.value in values and (m.currency, m.value) not in stated
    )


def _number_pool(texts: Iterable[str]) -> set[Decimal]:
    """Every value the texts state, in digits or in words ("zwölf", "twelve")."""
    return {value for text in texts for number in find_numbers(text) for value in number.values}


def _words(text: str) -> list[str]:
    return [_POSSESSIVE.sub("", w) for w in _WORD.findall(strip_markers(text))]


def _is_capitalised(word: str) -> bool:
    return word[:1].isupper()


def _is_distinct_name(word: str) -> bool:
    """Acronym (MCI), CamelCase (PeopleSoft), or a name with digits (3G): names in any language."""
    capitals = sum(c.isupper() for c in word)
    return capitals >= 2 or (capitals >= 1 and any(c.isdigit() for c in word))


def _same_word(a: str, b: str) -> bool:
    """Equal, or one an inflection of the other: Alibaba/Alibabas, Chinese/chinesischen."""
    a, b = a.lower(), b.lower()
    if a == b:
        return True
    if min(len(a), len(b)) < 4:
        return False
    shared = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        shared += 1
    return shared >= max(4, min(len(a), len(b)) - 2)


def context_names(texts: Iterable[str]) -> set[str]:
    """Words capitalised mid-sentence in English text: names, as the context itself spells them."""
    names: set[str] = set()
    for text in texts:
        for sentence in split_sentences(text):
            words = _words(sentence)
            names.update(w for w in words[1:] if _is_capitalised(w))
            names.update(w for w in words if _is_distinct_name(w))
    return names


def name_candidates(sentence: str, language: str, known: set[str] | None = None) -> list[str]:
    """The names a sentence states. See the module docstring for why German is checked less."""
    known_lower = {k.lower() for k in known or ()}
    found = []
    for i, word in enumerate(_words(sentence)):
        if not _is_capitalised(word):
            continue
        if _is_distinct_name(word):
            found.append(word)
        elif language == "de":
            if word.lower() in known_lower:
                found.append(word)
        elif i > 0 or not is_stopword(word):
            found.append(word)
    return list(dict.fromkeys(found))


def _content_terms(text: str) -> set[str]:
    return {w for w in _words(text) if (len(w) >= 4 or _is_distinct_name(w)) and not is_stopword(w)}


def check_sentence(
    sentence: str, cited: Mapping[int, Passage], language: str, known: set[str] | None = None
) -> SentenceCheck:
    """Are the sentence's numbers and names in the passages it cites, and does it share at
    least one word with them?"""
    texts = [p.text for p in cited.values()]
    pool = _number_pool(texts)
    missing_numbers = tuple(
        written for written, values in numbers_in(sentence).items() if values and not values & pool
    )
    passage_words = {w for text in texts for w in _words(text)}
    missing_names = tuple(
        name
        for name in name_candidates(sentence, language, known)
        if not any(_same_word(name, w) for w in passage_words)
    )
    wrong_currency = _wrong_currency(sentence, texts)
    terms = _content_terms(sentence)
    shares_nothing = bool(terms) and not any(_same_word(t, w) for t in terms for w in passage_words)
    return SentenceCheck(
        sentence=sentence,
        cited=tuple(cited),
        missing_numbers=missing_numbers,
        missing_names=missing_names,
        wrong_currency=wrong_currency,
        shares_nothing=shares_nothing or not terms,
    )


def is_on_question(text: str, questions: Iterable[str]) -> bool:
    """Does the answer speak of what was asked? It must name something the question names
    (or, for a question without names, share a word with it). "SBC agreed to buy AT&T", as an
    answer to "Which company agreed to buy MCI?", is sourced but not an answer."""
    questions = list(questions)
    said = _words(text)
    asked_names = context_names(questions)
    if asked_names:
        return any(_same_word(n, w) for n in asked_names for w in said)
    asked = {t for q in questions for t in _content_terms(q)}
    return not asked or any(_same_word(a, s) for a in asked for s in _content_terms(text))


def ground_answer(
    raw: str, passages: Mapping[int, Passage], questions: list[str], language: str
) -> GroundedText:
    """Drop invented markers and unsupported sentences; renumber what is left.

    A sentence without a marker is held to all passages the rest of the answer cites."""
    valid = len(passages)
    _, _, invented = renumber_citations(raw, valid)
    known = context_names(
        [q for q in questions] + [p.text for p in passages.values() if p.language == "en"]
    )
    sentences = split_answer(raw)
    cited_anywhere = [n for n in dict.fromkeys(cited_numbers(raw)) if 1 <= n <= valid]
    kept: list[str] = []
    unsupported: list[str] = []
    for sentence in sentences:
        own = [n for n in dict.fromkeys(cited_numbers(sentence)) if 1 <= n <= valid]
        basis = own or cited_anywhere
        check = check_sentence(sentence, {n: passages[n] for n in basis}, language, known)
        if check.supported:
            kept.append(sentence)
        else:
            unsupported.append(plain(sentence))
    text, sources, _ = renumber_citations(" ".join(kept), valid)
    grounded = GroundedText(tidy(text), sources, unsupported, invented)
    if not sources:
        grounded.fallback = "no_valid_citation"
    elif not is_on_question(text, questions):
        grounded.fallback = "off_question"
        grounded.unsupported += [plain(s) for s in kept]
    if grounded.fallback:
        grounded.text, grounded.sources = "", []
    return grounded


def supporting_sentences(claims: list[str], passage: str, limit: int = 2) -> list[str]:
    """For each claim the passage sentence sharing most names, numbers and words with it, in
    passage order: the quote a reader checks the claim against."""
    sentences = [s for s in split_sentences(passage) if not is_instruction(s)]
    chosen: set[int] = set()
    for claim in claims:
        terms = _content_terms(claim) | set(numbers_in(claim))
        best, best_score = None, 0
        for i, sentence in enumerate(sentences):
            words = _words(sentence) + list(numbers_in(sentence))
            score = sum(any(_same_word(t, w) for w in words) for t in terms)
            if score > best_score:
                best, best_score = i, score
        if best is not None:
            chosen.add(best)
    return [sentences[i] for i in sorted(chosen)[:limit]]
