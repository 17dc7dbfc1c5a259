"""The clause around one deal trigger: which parties stand before it and after it, and the
preposition that marks each one's role ("stake in Sina": "in", governed by "stake").

The clause ends at a semicolon, a dash, or a conjunction that starts another clause; a relative
clause ("Sillerman's company, which is to be renamed CFX, bought ...") is skipped, and a trigger
inside one takes its actor from the name the relative clause is about.
"""

import re
from dataclasses import dataclass

from ingest.deals.lexicon import TriggerForm
from ingest.deals.parties import Party, in_prepositional_phrase

_BREAK_EN = re.compile(
    r";|:|\s[-–—]\s|\s(?:but|while|whereas|although|though|because|since)\s|,\s(?:and|as)\s"
    r"|\s(?:after|before|when|until|unless|if)\s(?=[A-Z])",
)
"""Where an English clause ends; "after" and "when" start one only before a name ("after
Yukos was forced to sell"), not before a participle ("after being bought by")."""

_BREAK_DE = re.compile(
    r";|:|\s[-–—]\s|,\s(?:wo|als|wenn|weil|dass|nachdem|obwohl|während|und|aber|sondern|um)\s"
    r"|\s(?:aber|sondern|denn)\s"
)

_RELATIVE = {
    "en": re.compile(r",\s(?:which|who|whose|that)\s[^,;]*(?:,|$)", re.IGNORECASE),
    "de": re.compile(r",\s(?:der|die|das|dem|den|deren|dessen|welche\w*)\s[^,;]*(?:,|$)"),
}
"""A relative clause: its parties are not the main clause's; a trigger inside one takes its
actor from the name the clause is about ("Sillerman's company, which bought ...")."""

_MARKING = {
    "en": frozenset("of in into at from for with by to between through via on".split()),
    "de": frozenset("von vom an am bei beim durch mit für aus zu zum zur über in zwischen".split()),
}
"""The prepositions that mark a party's role, per language ("an" is German only)."""

_REPORTED = re.compile(
    r"(?<![\w-])(?:said|says|told|added|announced|complained|argued|warned|claimed|believes?"
    r"|believed|thinks?|insisted|suggested|noted|stressed|admitted|denied|sagte|sagt|teilte"
    r"|erklärte|meint|glaubt)(?![\w-])"
)

_NAME_WORD = re.compile(r"[A-ZÄÖÜ][\w&.-]*(?:['’]s)?")
_MODIFIER_WORD = re.compile(
    r"[A-Z]{1,3}|(?:American|British|Chinese|German|French|Japanese|Korean|Indian|Russian|US|UK"
    r"|European|Australian|Canadian|Swiss|Dutch|Italian|Spanish|Irish|Swedish)\w*"
)
"""Capitalised words a role's preposition may stand before: "for US phone firm MCI"."""
_POSSESSIVES = frozenset("its his her their seine seiner ihre ihrer".split())

_PERCENT_HEAD = re.compile(r"[\d.,]+%|pct|percent|cent")

STAKE_HEADS = frozenset(
    "stake stakes interest interests shares shareholding holding control equity pct percent "
    "majority minority part rest remainder assets most much some half bulk all capital stock "
    "securities units investors shareholders holders stakeholders worth anteil anteile "
    "anteilen beteiligung".split()
)


@dataclass(frozen=True)
class Hit:
    """A trigger found in a sentence."""

    start: int
    end: int
    form: TriggerForm


class Clause:
    """The parties of the clause around one trigger, with the word that marks each one's role."""

    def __init__(self, sentence: str, hit: Hit, parties: list[Party], language: str) -> None:
        self.sentence, self.hit, self.language = sentence, hit, language
        self.preps = _MARKING["de" if language == "de" else "en"]
        breaks = (_BREAK_DE if language == "de" else _BREAK_EN).finditer(sentence)
        lo, hi = 0, len(sentence)
        for b in breaks:
            if b.end() <= hit.start:
                lo = b.end()
            elif b.start() >= hit.end:
                hi = min(hi, b.start())
        skipped: list[tuple[int, int]] = []
        antecedent: list[Party] = []
        for rel in _RELATIVE["de" if language == "de" else "en"].finditer(sentence):
            if rel.start() <= hit.start < rel.end():
                before = [p for p in parties if p.end <= rel.start() and p.start >= lo]
                antecedent = before[-1:]
                lo, hi = rel.start(), min(hi, rel.end())
            else:
                skipped.append((rel.start(), rel.end()))
        inside = [
            p for p in parties
            if lo <= p.start and p.end <= hi and not in_brackets(sentence, p)
            and not any(a <= p.start < b for a, b in skipped)
        ]  # fmt: skip
        self.lo = lo
        self.left = [p for p in inside if p.end <= hit.start][::-1] + antecedent
        self.right = [p for p in inside if p.start >= hit.end]
        self.markers: dict[Party, tuple[str | None, str]] = {}
        previous = hit.end
        for party in self.right:
            self.markers[party] = marker(sentence, max(previous, lo), party.start, self.preps)
            previous = party.end

    def prep(self, party: Party) -> str | None:
        return self.markers.get(party, (None, ""))[0]

    def head(self, party: Party) -> str:
        return self.markers.get(party, (None, ""))[1]

    def subject(self) -> Party | None:
        """The nearest party before the trigger that is not the object of a preposition, nor
        the speaker of a clause whose verb is the deal ("Mr Rubin said the administrators sold
        ..." names no seller); a deal noun may be what the speaker announces ("X announced the
        acquisition of Y")."""
        for party in self.left:
            infinitive_subject = re.search(r"\bfor\s+$", self.sentence[: party.start]) and (
                self.sentence.startswith(" to ", party.end)
            )
            within = self.sentence[self.lo :] if party.start >= self.lo else self.sentence
            offset = self.lo if party.start >= self.lo else 0
            if in_prepositional_phrase(within, party.start - offset, self.language) and not (
                infinitive_subject
            ):
                continue
            reported = _REPORTED.search(self.sentence, party.end, self.hit.start)
            embedded = reported and self.sentence.startswith(" that ", reported.end())
            if reported and (self.hit.form.pos == "verb" or embedded):
                return None
            return party
        return None

    def first_right(self, *preps: str | None, heads: frozenset[str] | None = None) -> Party | None:
        """The first party after the trigger marked by one of `preps` (None: unmarked), or,
        when it is a possessor ("to Standard Brands' Art Store unit"), what it possesses."""
        for i, party in enumerate(self.right):
            if self.sentence[party.start : party.end].lower() in _POSSESSIVES:
                continue
            prep = self.prep(party)
            prep = prep.lower() if prep else None
            head = self.head(party)
            if prep in preps and (
                heads is None or prep is None or head in heads or _PERCENT_HEAD.fullmatch(head)
            ):
                following = self.right[i + 1 : i + 2]
                gap = self.sentence[party.end : following[0].start] if following else ""
                return following[0] if re.fullmatch(r"['’]s?\s+(?:\w+\s+)?", gap) else party
        return None


def in_brackets(sentence: str, party: Party) -> bool:
    before = sentence[: party.start]
    return before.count("(") > before.count(")")


def marker(sentence: str, lo: int, start: int, preps: frozenset[str]) -> tuple[str | None, str]:
    """The preposition governing a mention and the noun before it ("stake in" -> ("in",
    "stake")), or (None, "") when the mention follows its verb directly: the nearest
    preposition a few words back, within the clause, not across a comma nor across another
    English name, German capitalising every noun ("investment in Russia include France's
    Total": Total is not invested in)."""
    words = sentence[lo:start].split()
    for back in range(1, min(len(words), 7) + 1):
        raw = words[-back].strip("„“\"'")
        word = raw.lower()
        if word in preps:
            head = words[-back - 1].lower().strip(",;:") if back < len(words) else ""
            return word, head
        if words[-back].endswith((",", ";", ")")) and not re.search(r"\d,\d", words[-back]):
            return None, ""
        english = "of" in preps
        if english and back > 1 and _NAME_WORD.fullmatch(raw) and not _MODIFIER_WORD.fullmatch(raw):
            return None, ""
    return None, ""


def coordinated(sentence: str, first: Party, parties: list[Party]) -> Party | None:
    """The party joined to `first` by "and"/"und" just before it ("Hitachi and Matsushita")."""
    for party in parties:
        gap = sentence[party.end : first.start]
        if party.end <= first.start and re.fullmatch(r"\s*(?:,|and|und|&)\s*", gap):
            return party
    return None


def prep_of(clause: Clause, party: Party) -> str | None:
    if party in clause.markers:
        prep = clause.prep(party)
    else:
        prep = marker(clause.sentence, max(0, party.start - 40), party.start, clause.preps)[0]
    return prep.lower() if prep else None
