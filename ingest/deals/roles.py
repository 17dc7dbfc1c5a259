"""Who does what to whom around one deal trigger: the buyer (or investor, or first partner),
the target and the seller, from word order, voice and the prepositions that mark roles.

English: the subject before an active verb acts ("Oracle bought PeopleSoft"); a passive's agent
follows "by" ("PeopleSoft was bought by Oracle"); "from" marks the seller and, after "sell",
"to" the buyer ("Rank sold Deluxe to Carlyle"); a noun takes its actor from a possessive
("SBC's takeover of AT&T"), "by" or the clause's subject, and its target from "of", "for"
(bids), "in" (stakes) or a name compounded before it ("the MCI takeover"). German: the finite
verb stands second ("Telekom übernimmt E-Plus", "Jetzt übernimmt Telekom E-Plus") or last
("..., dass Telekom E-Plus übernimmt", "hat E-Plus übernommen"); "von"/"durch" mark a passive's
agent, "an"/"bei" what is invested in ("steigt bei Amblin ein"), "an" after "verkaufen" the
buyer.
"""

import re
from dataclasses import dataclass, replace

from ingest.deals.clause import STAKE_HEADS, Clause, Hit, coordinated, prep_of
from ingest.deals.lexicon import KIND_OF_LEMMA, STAKE_WORDS, SYMMETRIC, Kind
from ingest.deals.merge import one_party
from ingest.deals.objects import (
    DITRANSITIVE,
    described_after,
    object_of,
    owner_of,
)
from ingest.deals.parties import Party, in_prepositional_phrase

_PASSIVE_EN = re.compile(
    r"\b(?:is|are|was|were|be|been|being|get|got|gets)\s+(?:\w+ly\s+|now\s+|also\s+|to\s+be\s+)?$"
)

_PASSIVE_DE = re.compile(r"\b(?:wird|wurde|wurden|werden|worden)\b")

_POSSESSIVE = re.compile(r"^['’]s?\s+(?:[\w$£€.,%-]+\s+){0,4}$")

_COMPOUND = re.compile(r"^(?:-|\s)$")

_FRONTED = re.compile(r"^\s*(?:after|following|since|with|nach|seit|mit)\b", re.IGNORECASE)

_DECREASE = re.compile(
    r"\b(?:cut|cuts|cutting|lowered|lowers|reduced|reduces|reducing|trimmed|sold|sells|selling"
    r"|decreased|pared|verringert\w*|reduziert\w*|verkauft\w*|senkt\w*)\s+(?:\w+\s+){0,3}$",
    re.IGNORECASE,
)
"""A stake cut or sold: its holder is the seller ("Harris said it cut its stake in Cyclops")."""

_CONTEST = re.compile(r"\s+(?:battle|fight|bid|offer|war|approach|interest)\s+for\b", re.I)

_WHOLE = re.compile(
    r"\b(?:all|outstanding|remaining|rest|100\s?(?:%|pct|per\s?cent)|alle|restlichen|übrigen)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Roles:
    """One reading of a trigger: the kind of deal and its parties (any may be missing)."""

    kind: Kind
    buyer: Party | None
    target: Party | None
    seller: Party | None = None


def _kind(hit: Hit, clause: Clause, target: Party | None, span_start: int) -> Kind:
    kind = KIND_OF_LEMMA[hit.form.lemma]
    if kind in ("acquisition", "divestment") and target is not None:
        lo, hi = sorted((span_start, target.start))
        words = clause.sentence[lo:hi]
        if STAKE_WORDS.search(words) and not _WHOLE.search(words):
            return "stake"
    return kind


def _passive(sentence: str, hit: Hit, language: str) -> bool:
    if not hit.form.past or hit.form.pos != "verb":
        return False
    if language == "de":
        return _PASSIVE_DE.search(sentence) is not None
    after = sentence[hit.end : hit.end + 4]
    return bool(_PASSIVE_EN.search(sentence[max(0, hit.start - 30) : hit.start])) or after == " by "


def _english_verb(clause: Clause, hit: Hit, lemma: str) -> list[Roles]:
    sentence = clause.sentence
    if _passive(sentence, hit, clause.language):
        theme = clause.subject()
        agent = clause.first_right("by")
        if lemma == "sell":
            buyer = clause.first_right("to")
            return [Roles(_sale_kind(hit, clause, theme, buyer), buyer, theme, agent)]
        return [Roles(KIND_OF_LEMMA[hit.form.lemma], agent, theme, clause.first_right("from"))]
    actor = clause.subject()
    absorber = clause.first_right("into") if lemma == "merge" else None
    if absorber is not None and actor is not None:
        merged, _ = object_of(clause, hit)
        if merged is not None and merged.end <= absorber.start and merged.key != absorber.key:
            return [Roles("merger", absorber, merged, actor)]
        return [Roles("merger", absorber, actor)]
    if lemma in ("merge", "partner"):
        other = clause.first_right("with")
        if other is None and actor is not None:
            other, actor = actor, coordinated(sentence, actor, clause.left)
        return [Roles(KIND_OF_LEMMA[hit.form.lemma], actor, other)]
    if lemma == "invest":
        target = clause.first_right("in", "into")
        return [Roles("stake", actor, target)]
    target, owner = object_of(clause, hit)
    if lemma == "sell" and target is not None and target.kind == "name":
        given = DITRANSITIVE.match(sentence, target.end)
        if given:
            thing = Party(given.group("np"), given.start("np"), given.end("np"), "description")
            return [Roles("acquisition", target, thing, actor)]
    if lemma == "sell":
        buyer = clause.first_right("to")
        return [Roles(_sale_kind(hit, clause, target, buyer), buyer, target, actor)]
    seller = clause.first_right("from") or owner
    return [Roles(_kind(hit, clause, target, hit.end), actor, target, seller)]


def _german_verb(clause: Clause, hit: Hit, lemma: str) -> list[Roles]:
    sentence = clause.sentence
    plain_left = [p for p in clause.left if not in_prepositional_phrase(sentence, p.start, "de")]
    plain_right = [p for p in clause.right if clause.prep(p) is None]
    marked = [p for p in clause.left + clause.right if p not in plain_left + plain_right]
    by = [p for p in marked if prep_of(clause, p) in ("von", "vom", "durch")]
    at = [p for p in marked if prep_of(clause, p) in ("an", "am", "bei", "beim")]
    plain = plain_left + plain_right
    actor: Party | None
    theme: Party | None
    if _passive(sentence, hit, "de") and by:
        theme = plain[0] if plain else None
        if lemma == "sell":
            buyer = at[0] if at else None
            return [Roles(_sale_kind(hit, clause, theme, buyer), buyer, theme, by[0])]
        return [Roles(KIND_OF_LEMMA[hit.form.lemma], by[0], theme)]
    if plain_left and plain_right:
        actor, theme = plain_left[0], plain_right[0]
    elif len(plain_left) >= 2:
        actor, theme = plain_left[1], plain_left[0]
    elif len(plain_right) >= 2:
        actor, theme = plain_right[0], plain_right[1]
    else:
        actor, theme = (plain[0] if plain else None), None
    if lemma == "sell":
        held = [p for p in at if clause.head(p) in STAKE_HEADS or _prep_head(clause, p)]
        buyer = next((p for p in at if p not in held), None)
        sold = held[0] if held else theme
        return [Roles(_sale_kind(hit, clause, sold, buyer), buyer, sold, actor)]
    if lemma in ("invest", "buy") and at and (theme is None or lemma == "invest"):
        return [Roles("stake", actor, at[0])]
    if lemma == "merge":
        other = next((p for p in marked if prep_of(clause, p) == "mit"), None)
        if other is None and theme is not None and coordinated(sentence, theme, plain):
            other, actor = theme, coordinated(sentence, theme, plain)
        elif other is None and actor is not None:
            other, actor = actor, coordinated(sentence, actor, clause.left)
        return [Roles("merger", actor, other)]
    if lemma == "bid":
        target = next((p for p in marked if prep_of(clause, p) in ("für", "um")), theme)
        return [Roles("acquisition", actor, target)]
    seller = next((p for p in clause.right if clause.prep(p) in ("von", "vom")), None)
    span = actor.end if actor else hit.start
    return [Roles(_kind(hit, clause, theme, span), actor, theme, seller)]


def _sale_kind(hit: Hit, clause: Clause, target: Party | None, buyer: Party | None) -> Kind:
    """A sale is the buyer's acquisition, a divestment while the buyer is unknown, or a stake
    when a part of the company changes hands."""
    if _kind(hit, clause, target, hit.end) == "stake":
        return "stake"
    return "acquisition" if buyer is not None else "divestment"


def _prep_head(clause: Clause, party: Party) -> bool:
    """Is the party's preposition governed by a stake word ("Anteile an Canal Plus")?"""
    before = clause.sentence[max(0, party.start - 30) : party.start].split()
    return len(before) >= 2 and before[-2].lower() in STAKE_HEADS


def _noun(clause: Clause, hit: Hit, lemma: str) -> list[Roles]:
    sentence = clause.sentence
    actor = None
    for party in clause.left:
        gap = sentence[party.end : hit.start]
        if _POSSESSIVE.match(gap):
            actor = party
            break
    if actor is not None and lemma == "buy" and clause.first_right("by", "durch"):
        return [Roles("acquisition", clause.first_right("by", "durch"), actor)]
    modifier = next(
        (p for p in clause.left if _COMPOUND.match(sentence[p.end : hit.start]) or
         sentence[p.end : hit.start] == "-"), None,
    )  # fmt: skip
    de = clause.language == "de"
    if lemma == "fund":
        raiser = actor or clause.subject() or clause.first_right("for", "für")
        return [Roles("funding round", clause.first_right("by", "from", "von", "durch"), raiser)]
    absorber = clause.first_right("into") if lemma == "merge" else None
    if absorber is not None and (actor or clause.subject()):
        return [Roles("merger", absorber, actor or clause.subject())]
    if lemma in ("merge", "partner", "venture", "license"):
        pair = clause.first_right("between", "of", "von", "zwischen")
        if pair is not None:
            other = next((p for p in clause.right if coordinated(sentence, p, [pair])), None)
            if other is not None:
                return [Roles(KIND_OF_LEMMA[hit.form.lemma], pair, other)]
        other = clause.first_right("with", "mit")
        first = actor or modifier or clause.subject()
        if other is None and first is not None:
            other, first = first, coordinated(sentence, first, clause.left)
        return [Roles(KIND_OF_LEMMA[hit.form.lemma], first, other)]
    agent = clause.first_right("by", "durch") or (
        clause.first_right("from") if lemma == "bid" else None
    )
    holder = clause.first_right("von", "vom") if lemma in ("bid", "stake", "invest") else None
    if agent is None and holder is not None and clause.first_right("an", "bei", "für"):
        agent = holder
    if lemma == "bid":
        target = clause.first_right("for", "für") or clause.first_right(
            "of", "in", heads=STAKE_HEADS
        )
        if modifier is not None and re.search(r"['’]s\s+$", sentence[: modifier.start]):
            target = target or modifier
        else:
            actor = actor or modifier
    elif lemma in ("stake", "invest"):
        target = clause.first_right("in", "an", "bei", "of", "into") or described_after(
            sentence, hit.end, r"\s+(?:in|an|bei)", companies=True
        )
    elif _CONTEST.match(sentence, hit.end):
        target = clause.first_right("for")
    else:
        target = (
            clause.first_right("of", "von", "vom")
            or clause.first_right("in", heads=STAKE_HEADS)
            or (modifier if modifier is not None and modifier is not actor else None)
            or described_after(sentence, hit.end, r"\s+of")
        )
    holder_cuts = actor is None or actor.kind == "anaphor"
    if lemma == "sell" or (
        lemma == "stake" and holder_cuts and _DECREASE.search(sentence[: hit.start])
    ):
        seller = actor or agent or clause.subject()
        buyer = clause.first_right("to", "an")
        sold: Kind = "stake" if lemma == "stake" else "acquisition" if buyer else "divestment"
        return [Roles(sold, buyer, target, seller)]
    if agent is None and actor is None:
        actor = clause.subject()
        if re.search(
            r"\bwith\s+(?:a|an|its|the|their)?\s*(?:[\w$.,-]+\s+){0,2}$", sentence[: hit.start]
        ):
            actor = next(
                (p for p in clause.left[::-1] if not in_prepositional_phrase(sentence, p.start)),
                actor,
            )
        if actor is None and _FRONTED.match(sentence[: hit.start]):
            comma = sentence.find(",", hit.end)
            actor = next((p for p in clause.right if comma != -1 and p.start > comma), None)
    buyer = agent or actor
    if target is not None and buyer is target:
        buyer = None
    kind: Kind = KIND_OF_LEMMA[hit.form.lemma]
    if lemma == "buy" and not de:
        kind = _kind(hit, clause, target, hit.end)
    return [Roles(kind, buyer, target, clause.first_right("from") if lemma != "bid" else None)]


def assign_roles(sentence: str, hit: Hit, parties: list[Party], language: str) -> list[Roles]:
    """The readings of one trigger: usually one; none when it has no party at all. A reading
    may lack its buyer or its target (a fragment the article may complete elsewhere)."""
    clause = Clause(sentence, hit, parties, language)
    lemma = hit.form.lemma
    if hit.form.pos == "noun":
        readings = _noun(clause, hit, lemma)
    elif language == "de":
        readings = _german_verb(clause, hit, lemma)
    else:
        readings = _english_verb(clause, hit, lemma)
    readings = [
        replace(r, seller=None) if r.seller and r.buyer and r.seller.key == r.buyer.key else r
        for r in readings
    ]
    readings = [
        replace(r, seller=owner_of(sentence, r.target, parties))
        if r.target is not None and r.seller is None and r.kind not in SYMMETRIC
        else r
        for r in readings
    ]
    return [
        r for r in readings
        if (r.target is not None or r.buyer is not None)
        and (
            r.buyer is None or r.target is None or r.target.kind == "anaphor"
            or not one_party(r.buyer.text, r.target.text)
        )
        and (r.seller is None or r.target is None or r.seller.key != r.target.key)
    ]  # fmt: skip
