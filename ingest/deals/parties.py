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

_NON_PARTY_PHRASES = re.compile(
    r"(?<![\w-])(?:"
    + "|".join(re.escape(p) for p in sorted(NON_PARTIES, key=len, reverse=True) if " " in p)
    + r")(?![\w-])",
    re.IGNORECASE,
)
_DROPPED = re.compile(
    r"[A-Z][\w&.-]*\s+(?:chief|boss|chairman|chairwoman|president|founder|head|spokesman"
    r"|spokeswoman|executive|vice\s+president|analyst|Chef|Gründer|Sprecher\w*|Vorstand\w*)"
    r"\s+$"
)
"""A person named after a company and a title ("Microsoft chief Bill Gates") speaks for the
company, which is the party."""
_NUMBER_AFTER = re.compile(r"\s\d{1,3}\b(?![.,]\d|\s?(?:%|pct|per|million|billion|bn|m\b))")
"""Names that end in a small number: "Channel 4", "Xbox 360"."""


def _opening_participle(text: str, start: int, language: str) -> bool:
    """An English sentence opening with "Produced by ...": the participle is no name."""
    return language != "de" and start == 0 and " " not in text and text.endswith(("ed", "ing"))


_DEMONYM_SHAPE = re.compile(r"[A-Z][a-z]+(?:ian|ese|ish|ean)")
"""One word shaped like a nationality ("Romanian", "Taiwanese"): an adjective, not a party."""
_COUNTRIES = frozenset(
    "america canada japan china britain england scotland ireland australia germany france "
    "italy spain india korea europe asia africa brazil mexico".split()
)
"""Names end in "of America", "of Canada" ("Bank of America"), but not in "of Chicago"."""
_DEAL_WORD = re.compile(
    r"(?:takeover|take-over|merger|bid|offer|deal|stake|buyout|acquisition|sale|[Üü]bernahme"
    r"|Fusion|Gebot|Deal)s?",
    re.IGNORECASE,
)
"""A headline's capitalised deal word is no name: "Takeover rumour lifts Exel shares"."""
_SUFFIXES = frozenset("inc corp co ltd plc llc ag sa nv ab gmbh se spa lp l.p".split())
_UNIT_NOUNS = frozenset("division unit subsidiary business operations operation arm branch".split())
_LEADING_WORDS = frozenset("former rival ex parent troubled struggling".split())
PREPOSITIONS = {
    "en": "of in at from for with by to on into as than about over under between against behind "
    "like including among via after before without",
    "de": "von vom aus bei beim mit für an am nach über unter zu zum zur durch gegen ins im in",
}
_PREPOSITION = {
    language: re.compile(
        rf"(?:\b(?i:{'|'.join(words.split())})|\()\s+(?:(?i:the|its|a|an|der|die|das|dem|den|des)"
        r"\s+)?(?:(?:[a-zäöüß][\w-]*|[A-Z]{2,3})\s+){0,3}$"
    )
    for language, words in PREPOSITIONS.items()
}
_LED_BY = re.compile(r"\b(?:led|headed|controlled)\s+by\s+(?:\w+\s+){0,2}$")
_PREDICATE = re.compile(r"\b(?:is|was|are|were|be|become|became|as|ist|war|wird|sind|als)\s+$")
_POSSESSED = re.compile(
    r"\s+(?:[\w$£€.,%-]+\s+){0,3}?(?:takeover|acquisition|purchase|stake|bid|offer|merger|sale"
    r"|investment|buyout|holding|interest|shares|stock|board|directors)s?\b",
    re.IGNORECASE,
)
"""What "its" may own and stay a party: a deal ("its takeover of"), its shares ("for all its
shares"), its board ("said its board agreed to buy")."""
_SUBJECT_IT = re.compile(r"(?:^|[,;]|\b(?:said|says|that|and|which|when|after|because|but|if))\s*$")
_VERB_AFTER = re.compile(
    r"\s+(?:has|had|have|will|would|is|was|said|says|agreed|plans|also|now|then|still|already"
    r"|recently|bought|sold|took|made|won|owns|holds|paid|\w+ed)\b"
)
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


_STATE_AFTER = re.compile(
    r",\s+(?:[A-Z][a-z]{1,4}\.|N\.[YJ]\.|D\.C\.|[A-Z]{2}\b|(?:"
    + "|".join(
        sorted((p.title() for p in PLACES if " " not in p and len(p) > 3), key=len, reverse=True)
    )
    + r")\b)"
)
"""A name followed by a state or country ("Englewood, Colo.", "Porto, Portugal") is a town."""
_SHARE_CLASS = re.compile(
    r"Class(?:\s+[A-C])?|Yesterday|Today|Tomorrow|Tonight|Gestern|Heute|Morgen", re.IGNORECASE
)
"""Capitalised words that name no party: share classes, days."""


def _not_a_party(text: str) -> bool:
    lowered = text.lower().strip(" .")
    return (
        lowered in NON_PARTIES or is_place(text) or DEMONYMS.fullmatch(text) is not None
        or _DEMONYM_SHAPE.fullmatch(text) is not None or len(lowered) < 2
        or _SHARE_CLASS.fullmatch(text) is not None or lowered.rstrip(".") in _SUFFIXES
    )  # fmt: skip


def _trim(sentence: str, start: int, end: int, language: str) -> list[tuple[int, int]]:
    """Cut a name to the party it names: no leading "Former", no German common noun
    before it ("Mobilfunker E-Plus"), no " of <place>" after it ("Henkel KGaA of Dusseldorf");
    "the X Division of Y" is two names, the part and its owner."""
    text = sentence[start:end]
    words = list(re.finditer(r"\S+", text))
    while len(words) > 1 and (
        words[0].group().lower() in _LEADING_WORDS
        or (language == "de" and is_german_noun(words[0].group()))
    ):
        words.pop(0)
    start += words[0].start()
    text = sentence[start:end]
    head, sep, tail = text.partition(" of ")
    town = sep and _STATE_AFTER.match(sentence, end) is not None
    if sep and ((is_place(tail) and tail.lower() not in _COUNTRIES) or town):
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
    parties: list[Party] = []
    known = known if language == "de" else frozenset()
    excluded = [(m.start(), m.end()) for m in _NON_PARTY_PHRASES.finditer(sentence)]
    for name in names_in(sentence, language if language in ("en", "de") else None, known):
        if any(a < name.end and name.start < b for a, b in excluded):
            continue
        for start, end in _trim(sentence, name.start, name.end, language):
            text = sentence[start:end].strip(" ,.;:'\"„“”")
            start = sentence.index(text, start) if text else start
            if not text or _not_a_party(text) or _STATE_AFTER.match(sentence, start + len(text)):
                continue
            if _DEAL_WORD.fullmatch(text):
                continue
            if _DROPPED.search(sentence, 0, start) or _opening_participle(text, start, language):
                continue
            end = start + len(text)
            number = _NUMBER_AFTER.match(sentence, end)
            if number:
                text, end = sentence[start : number.end()], number.end()
            party = Party(text, start, end, person=name.kind == "person")
            if parties and _joined(sentence, parties[-1], party):
                first = parties.pop()
                party = Party(sentence[first.start : party.end], first.start, party.end)
            parties.append(party)
    return parties


def _joined(sentence: str, first: Party, second: Party) -> bool:
    """ "Sahlen and Associates Inc", "Parker and Parsley Petroleum Co" are one name: the
    second conjunct is one word before a company suffix, and the first has none."""
    if not re.fullmatch(r"\s+(?:and|&|und)\s+", sentence[first.end : second.start]):
        return False
    words = second.text.split()
    has_suffix = len(words) >= 2 and words[-1].lower().rstrip(".") in _SUFFIXES
    return has_suffix and len(words) <= 3 and first.text.split()[-1].lower() not in _SUFFIXES


_SPEAKS_AFTER = re.compile(
    r"\s*(?:,\s*)?(?:said|says|told\s+\w+|added|sagte|sagt|erklärte)\s*[.!?]?\s*[\"'”“]?\s*$",
    re.IGNORECASE,
)
_SPEAKS_BEFORE = re.compile(
    r"(?:said|says|told|added|sagte|sagt|erklärte)\s+(?:Mr|Ms|Mrs|Dr)?\.?\s*$"
)
_CONTRACTION = re.compile(r"[’']\s?(?:re|ve|ll|m|d|t)$", re.IGNORECASE)


def _speaking(sentence: str, party: Party) -> bool:
    return bool(
        _SPEAKS_AFTER.match(sentence, party.end)
        or _SPEAKS_BEFORE.search(sentence, 0, party.start)
        or _CONTRACTION.search(party.text)
    )


def in_prepositional_phrase(sentence: str, start: int, language: str = "en") -> bool:
    """Is the mention at `start` the object of a preposition ("of Y", "from Y")? Not after
    "led by": "a group led by Fundamental Management" is Fundamental's doing."""
    before = sentence[max(0, start - 40) : start]
    pattern = _PREPOSITION["de" if language == "de" else "en"]
    return pattern.search(before) is not None and not _LED_BY.search(before)


def _anaphors(sentence: str, language: str) -> list[tuple[int, int, str]]:
    """Spans of anaphors and their kind (pronoun, person, description); predicates ("is the
    holding company") and appositions ("der Konkurrent Amazon") are not anaphors."""
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
        groups = m.groupdict()
        word = (groups.get("pronoun") or groups.get("person") or "").lower()
        if word in ("its", "his", "her") and not _POSSESSED.match(sentence, m.end()):
            continue
        if word in ("it", "he", "she") and not (
            _SUBJECT_IT.search(sentence[max(0, m.start() - 12) : m.start()])
            or _VERB_AFTER.match(sentence, m.end())
        ):
            continue
        kind = (
            groups["order"] if groups.get("order")
            else "person" if groups.get("person") else "pronoun" if word else "description"
        )  # fmt: skip
        found.append((m.start(), m.end(), kind))
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
        """Names and resolved anaphors of sentence `index` (-1: the title), in order; the speaker
        of a quote ("..., said KK Mittal, a fund manager", "..., Lucas said.") is no party,
        though a pronoun may stand for it."""
        sentence = self.text(index)
        names = [n for n in self.names(index) if not _speaking(sentence, n)]
        resolved = []
        for start, end, kind in _anaphors(sentence, self.language):
            if any(n.start <= start < n.end for n in names):
                continue
            antecedent = self._resolve(index, start, kind)
            if antecedent is not None:
                text, where = antecedent
                resolved.append(
                    Party(text, start, end, "anaphor", None if where == index else self.text(where))
                )
        return sorted([*names, *resolved], key=lambda p: p.start)

    def _resolve(self, index: int, position: int, kind: str) -> tuple[str, int] | None:
        """A pronoun ("it", "he") stands for the nearest subject before it in its sentence
        ("X said Y doubled its offer": Y); a description ("the company") for the sentence's
        first subject when it speaks ("X said the company ..."); else, for all but persons,
        the most salient company of the title and the three sentences before."""
        sentence = self.text(index)
        own = [
            n for n in self.names(index)
            if n.end <= position and not in_prepositional_phrase(sentence, n.start, self.language)
        ]  # fmt: skip
        if kind == "person":
            return (own[-1].text, index) if own else None
        if kind in ("latter", "former"):
            named = [n for n in self.names(index) if n.end <= position] or (
                self.names(index - 1) if index > 0 else []
            )
            if not named:
                return None
            chosen = named[-1] if kind == "latter" else named[0]
            return chosen.text, index if chosen in self.names(index) else index - 1
        own = [n for n in own if not n.person]
        if own and kind == "pronoun":
            return own[-1].text, index
        if own and _REPORTING.search(sentence, own[0].end, position):
            return own[0].text, index
        return self._salient(index, -1, None)

    def _salient(
        self, index: int, position: int, exclude: str | None, back: int = 3
    ) -> tuple[str, int] | None:
        """The company most mentioned in the title (counting double) and the `back` sentences
        before `index` (and its own words before `position`), ties to the most recent."""
        window = [-1, *range(max(0, index - back), index)] + ([index] if position >= 0 else [])
        scores: dict[str, float] = {}
        latest: dict[str, tuple[int, str]] = {}
        for order, i in enumerate(window):
            for party in self.names(i):
                if party.person or party.key == exclude or (i == index and party.end > position):
                    continue
                scores[party.key] = scores.get(party.key, 0) + (2 if i < 0 else 1) + order * 0.01
                latest[party.key] = (i, party.text)
        if not scores:
            return None
        best = max(scores, key=lambda k: scores[k])
        where, text = latest[best]
        return text, where

    def protagonist(
        self, index: int, position: int, exclude: str, headline: bool = False
    ) -> Party | None:
        """Whose deal a sentence means when it names none: "the purchase of Japan Telecom" in
        an article about Softbank. The article's most salient company other than `exclude`;
        with `headline`, only one its title names."""
        found = self._salient(index, position, exclude, back=index)
        if found is None:
            return None
        text, where = found
        in_title = any(p.key == name_key(text) for p in self.names(-1))
        in_body = any(text in sentence for sentence in self.sentences)
        if headline and not (in_title and in_body):
            return None
        return Party(
            text, position, position, "anaphor", None if where == index else self.text(where)
        )
