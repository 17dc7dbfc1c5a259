"""Who can be a party to a deal in a sentence: names (not places, regulators or nationalities),
and anaphors ("it", "the company", "das chinesische Unternehmen", "der Internetriese") resolved
to the name they stand for.

An anaphor is resolved only where it is safe: to the subject of its own sentence when one is
named before it ("Henkel said it acquired ..."), otherwise to the most salient company of the
title and the three sentences before it (mentions counted, the title counting double, ties to
the most recent). A party resolved from another sentence carries that sentence, so the quote
that backs it can show the name.
"""

import re
from dataclasses import dataclass
from typing import Literal

from ingest.deals.lexicon import ANAPHOR_DE, ANAPHOR_EN, DEMONYMS, NON_PARTIES, PLACES
from ingest.text import is_german_noun, name_key, names_in

PartyKind = Literal["name", "anaphor", "description"]

_UNIT_NOUNS = frozenset("division unit subsidiary business operations operation arm branch".split())
_LEADING_WORDS = frozenset("former rival ex parent troubled struggling".split())
_PREPOSITION = re.compile(
    r"(?:\b(?i:of|in|at|from|for|with|by|to|on|into|as|than|about|over|under|between|against"
    r"|behind|like|including|among|via|after|before|without"
    r"|von|vom|aus|bei|beim|mit|für|an|am|nach|über|unter|zu|zum|zur|durch|gegen|ins|im)"
    r"|\()\s+(?:(?i:the|its|a|an|der|die|das|dem|den|des)\s+)?(?:[a-zäöüß][\w-]*\s+){0,3}$"
)
_PREDICATE = re.compile(r"\b(?:is|was|are|were|be|become|became|as|ist|war|wird|sind|als)\s+$")
_POSSESSOR_OF_DEAL = re.compile(
    r"\s+(?:[\w$£€.,%-]+\s+){0,3}?(?:takeover|acquisition|purchase|stake|bid|offer|merger|sale"
    r"|investment|buyout|holding|interest)s?\b",
    re.IGNORECASE,
)
_SUBJECT_IT = re.compile(r"(?:^|[,;]|\b(?:said|says|that|and|which|when|after|because|but|if))\s*$")
_REPORTING = re.compile(r"\b(?:said|says|told|announced|added|reported|sagte|teilte|erklärte)\b")


@dataclass(frozen=True)
class Party:
    """A party as written (`text`), where it is mentioned in the sentence (`start`, `end`: the
    anaphor's span when resolved), and the sentence that names it when that is another one."""

    text: str
    start: int
    end: int
    kind: PartyKind = "name"
    antecedent: str | None = None
    person: bool = False

    @property
    def key(self) -> str:
        return name_key(self.text)


_DESCRIBING_NOUN = re.compile(
    r"(?:Firma|Unternehmen|Konzern|Studio|Filmstudio|Produktionsfirma|Label|Sender|Plattform"
    r"|Tochter|Gesellschaft)$"
)


def looks_descriptive(text: str) -> bool:
    """A party by description ("film services unit", "Steven Spielbergs Firma"), not a name."""
    last = text.split()[-1] if text.split() else ""
    return last[:1].islower() or _DESCRIBING_NOUN.search(last) is not None


def is_place(text: str) -> bool:
    words = text.lower().strip(".").split()
    return " ".join(words) in PLACES or (len(words) == 1 and words[0] in PLACES)


def _not_a_party(text: str) -> bool:
    lowered = text.lower().strip(" .")
    return (
        lowered in NON_PARTIES or is_place(text) or DEMONYMS.fullmatch(text) is not None
        or len(lowered) < 2
    )  # fmt: skip


def _trim(sentence: str, start: int, end: int, language: str) -> list[tuple[int, int]]:
    """Cut a name to the party it names: no leading "Former" or demonym, no German common noun
    before it ("Mobilfunker E-Plus"), no " of <place>" after it ("Henkel KGaA of Dusseldorf");
    "the X Division of Y" is two names, the part and its owner."""
    text = sentence[start:end]
    words = list(re.finditer(r"\S+", text))
    while len(words) > 1 and (
        words[0].group().lower() in _LEADING_WORDS
        or DEMONYMS.fullmatch(words[0].group())
        or (language == "de" and is_german_noun(words[0].group()))
    ):
        words.pop(0)
    start += words[0].start()
    text = sentence[start:end]
    head, sep, tail = text.partition(" of ")
    if sep and is_place(tail):
        return [(start, start + len(head))]
    if sep and head.split()[-1].lower() in _UNIT_NOUNS and not is_place(tail):
        tail_start = start + len(head) + len(sep)
        return [(start, start + len(head)), (tail_start, end)]
    return [(start, end)]


_OWNED_FIRM = re.compile(
    r"(?<![\w-])(?:[A-ZÄÖÜ][\w-]+\s+)?[A-ZÄÖÜ][\w-]+s\s+(?:Firma|Unternehmen|Konzern|Studio"
    r"|Filmstudio|Produktionsfirma|Label|Sender|Plattform|Tochter|Gesellschaft)(?![\w-])"
)
_NAME_FOLLOWS = re.compile(r"\s*[„“\"»«]?\s*[A-ZÄÖÜ]")
"""A German genitive owner and a company noun: "Steven Spielbergs Firma" is a party by
description, unless a name follows in apposition ("Spielbergs Firma Amblin"): then that name
is the party and the owner only describes it."""


def name_parties(sentence: str, language: str, known: frozenset[str] = frozenset()) -> list[Party]:
    """The names in a sentence that can be parties, in order."""
    if language == "de":
        owners = list(_OWNED_FIRM.finditer(sentence))
        if owners:
            rest = _names(sentence, language, known)
            outside = [p for p in rest if not any(o.start() <= p.start < o.end() for o in owners)]
            owned = [
                Party(m.group(), m.start(), m.end(), "description")
                for m in owners if not _NAME_FOLLOWS.match(sentence, m.end())
            ]  # fmt: skip
            return sorted([*outside, *owned], key=lambda p: p.start)
    return _names(sentence, language, known)


def _names(sentence: str, language: str, known: frozenset[str]) -> list[Party]:
    parties = []
    known = known if language == "de" else frozenset()
    for name in names_in(sentence, language if language in ("en", "de") else None, known):
        for start, end in _trim(sentence, name.start, name.end, language):
            text = sentence[start:end].strip(" ,.;:'\"„“”")
            start = sentence.index(text, start) if text else start
            if text and not _not_a_party(text):
                parties.append(Party(text, start, start + len(text), person=name.kind == "person"))
    return parties


def in_prepositional_phrase(sentence: str, start: int) -> bool:
    """Is the mention at `start` the object of a preposition ("of Y", "from Y", "Y's")?"""
    return _PREPOSITION.search(sentence[max(0, start - 40) : start]) is not None


def _anaphors(sentence: str, language: str) -> list[tuple[int, int]]:
    """Spans of anaphors; predicates ("is the holding company")
    and appositions ("der Konkurrent Amazon") are not anaphors."""
    pattern = ANAPHOR_DE if language == "de" else ANAPHOR_EN
    found = []
    for m in pattern.finditer(sentence):
        if _PREDICATE.search(sentence[max(0, m.start() - 12) : m.start()]):
            continue
        after = sentence[m.end() : m.end() + 3]
        if after[:1] == " " and after[1:2].isupper() and language != "de":
            continue
        if language == "de" and re.match(r"\s+[„“\"]?[A-ZÄÖÜ][\w-]*[A-Z]", sentence[m.end() :]):
            continue
        pronoun = m.groupdict().get("pronoun")
        if pronoun == "its" and not _POSSESSOR_OF_DEAL.match(sentence, m.end()):
            continue
        if pronoun == "it" and not _SUBJECT_IT.search(sentence[max(0, m.start() - 12) : m.start()]):
            continue
        found.append((m.start(), m.end()))
    return found


class Discourse:
    """The sentences of one article and what its anaphors stand for. Names are read lazily,
    sentence by sentence, so articles without deals cost almost nothing."""

    def __init__(self, title: str, sentences: list[str], language: str) -> None:
        self.title = title
        self.sentences = sentences
        self.language = language
        self._names: dict[int, list[Party]] = {}
        self.known = frozenset(p.text.lower() for p in self.names(-1) if not p.person)

    def text(self, index: int) -> str:
        return self.title if index < 0 else self.sentences[index]

    def names(self, index: int) -> list[Party]:
        if index not in self._names:
            known: frozenset[str] = getattr(self, "known", frozenset())
            self._names[index] = name_parties(self.text(index), self.language, known)
        return self._names[index]

    def parties(self, index: int) -> list[Party]:
        """Names and resolved anaphors of sentence `index` (-1: the title), in order."""
        sentence = self.text(index)
        names = self.names(index)
        resolved = []
        for start, end in _anaphors(sentence, self.language):
            if any(n.start <= start < n.end for n in names):
                continue
            antecedent = self._resolve(index, start)
            if antecedent is not None:
                text, where = antecedent
                resolved.append(
                    Party(text, start, end, "anaphor", None if where == index else self.text(where))
                )
        return sorted([*names, *resolved], key=lambda p: p.start)

    def _resolve(self, index: int, position: int) -> tuple[str, int] | None:
        sentence = self.text(index)
        own = [
            n for n in self.names(index)
            if n.end <= position and not n.person and not in_prepositional_phrase(sentence, n.start)
        ]  # fmt: skip
        if own and _REPORTING.search(sentence, own[0].end, position):
            return own[0].text, index
        window = [-1, *range(max(0, index - 3), index)]
        scores: dict[str, float] = {}
        latest: dict[str, tuple[int, str]] = {}
        for order, i in enumerate(window):
            for party in self.names(i):
                if party.person:
                    continue
                scores[party.key] = scores.get(party.key, 0) + (2 if i < 0 else 1) + order * 0.01
                latest[party.key] = (i, party.text)
        if not scores:
            return None
        best = max(scores, key=lambda k: scores[k])
        where, text = latest[best]
        return text, where
