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

from ingest.deals.lexicon import KIND_OF_LEMMA, STAKE_WORDS, SYMMETRIC, Kind, TriggerForm
from ingest.deals.parties import Party, in_prepositional_phrase

_BREAK_EN = re.compile(
    r";|:|\s[-–—]\s|\s(?:but|while|whereas|although|though|because|since)\s|,\s(?:and|as)\s",
    re.IGNORECASE,
)
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
    "en": frozenset("of in into at from for with by to between".split()),
    "de": frozenset("von vom an am bei beim durch mit für aus zu zum zur über in zwischen".split()),
}
"""The prepositions that mark a party's role, per language ("an" is German only)."""
_PASSIVE_EN = re.compile(
    r"\b(?:is|are|was|were|be|been|being|get|got|gets)\s+(?:\w+ly\s+|now\s+|also\s+|to\s+be\s+)?$"
)
_PASSIVE_DE = re.compile(r"\b(?:wird|wurde|wurden|werden|worden)\b")
_POSSESSIVE = re.compile(r"^['’]s?\s+(?:[\w$£€.,%-]+\s+){0,4}$")
_COMPOUND = re.compile(r"^(?:-|\s)$")
_FRONTED = re.compile(r"^\s*(?:after|following|since|with|nach|seit|mit)\b", re.IGNORECASE)
_REPORTED = re.compile(
    r"(?<![\w-])(?:said|says|told|added|announced|sagte|sagt|teilte|erklärte)(?![\w-])"
)
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
_DITRANSITIVE = re.compile(
    r"\s+(?:the|its|a|an|their|his|her)\s+(?P<np>(?:[\w&'-]+\s+){0,3}?(?:rights|stake|shares"
    r"|business|unit|division|assets|licen[cs]e|brand))\b",
    re.IGNORECASE,
)
""""ESPN sold EA the rights to its branding": the name is the buyer, the thing comes after."""
_UNIT_HEADS = (
    r"business|businesses|unit|units|division|divisions|operations?|subsidiar(?:y|ies)|assets"
    r"|network|brand|chain|stations?|plants?|mills?|propert(?:y|ies)|rights|portfolio|arm|group"
    r"|newspapers?|magazines?|label|studios?|branch(?:es)?|centers|centres|stores|hotels?"
    r"|restaurants|theaters|theatres|cinemas|mines?|refinery|refineries|estate|line|lines"
)
_COMPANY_HEADS = r"company|firm|maker|manufacturer|producer|operator|venture|concern|bank"
_UNIT_NP = re.compile(
    r"\s+(?:(?:the|its|his|her|their|a|an|certain|some|(?:substantially\s+)?all(?:\s+of)?"
    r"(?:\s+the)?|(?:one|two|three|four|five)\s+of\s+its)\s+)?(?P<np>(?:(?!(?:the|a|an|its"
    rf"|their|to|of|and|for)\b)[\w&'-]+\s+){{0,4}}?(?:{_UNIT_HEADS}))\b",
    re.IGNORECASE,
)
_APPOSED = re.compile(r",\s+$")
_OWNED_BY = re.compile(
    r",\s+(?:which\s+(?:is|was)\s+)?(?:(?:wholly|majority|partly|jointly)[- ])?(?:owned|controlled)"
    r"\s+by\s+|,\s+(?:a|the|an)\s+(?:wholly[- ]owned\s+|majority[- ]owned\s+)?(?:unit|subsidiary"
    r"|division|affiliate|arm)\s+of\s+|,\s+(?:eine|die)\s+Tochter(?:gesellschaft|firma)?\s+"
    r"(?:von|des|der)\s+",
    re.IGNORECASE,
)
_POSSESSIVES = frozenset("its his her their seine seiner ihre ihrer".split())
_PERCENT_HEAD = re.compile(r"[\d.,]+%|pct|percent|cent")
_STAKE_HEADS = frozenset(
    "stake stakes interest interests shares shareholding holding control equity pct percent "
    "majority minority part rest remainder assets most much some half bulk all capital stock "
    "securities units investors shareholders holders stakeholders worth anteil anteile "
    "anteilen beteiligung".split()
)


@dataclass(frozen=True)
class Roles:
    """One reading of a trigger: the kind of deal and its parties (any may be missing)."""

    kind: Kind
    buyer: Party | None
    target: Party | None
    seller: Party | None = None


@dataclass(frozen=True)
class Hit:
    """A trigger found in a sentence."""

    start: int
    end: int
    form: TriggerForm


class _Clause:
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
            if lo <= p.start and p.end <= hi and not _in_brackets(sentence, p)
            and not any(a <= p.start < b for a, b in skipped)
        ]  # fmt: skip
        self.left = [p for p in inside if p.end <= hit.start][::-1] + antecedent
        self.right = [p for p in inside if p.start >= hit.end]
        self.markers: dict[Party, tuple[str | None, str]] = {}
        previous = hit.end
        for party in self.right:
            self.markers[party] = _marker(sentence, max(previous, lo), party.start, self.preps)
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
            if in_prepositional_phrase(self.sentence, party.start, self.language) and not (
                infinitive_subject
            ):
                continue
            reported = _REPORTED.search(self.sentence, party.end, self.hit.start)
            if reported and self.hit.form.pos == "verb":
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

    def between(self, a: int, b: int) -> str:
        return self.sentence[min(a, b) : max(a, b)]


def _in_brackets(sentence: str, party: Party) -> bool:
    before = sentence[: party.start]
    return before.count("(") > before.count(")")


def _marker(sentence: str, lo: int, start: int, preps: frozenset[str]) -> tuple[str | None, str]:
    """The preposition governing a mention and the noun before it ("stake in" -> ("in",
    "stake")), or (None, "") when the mention follows its verb directly: the nearest
    preposition at most five words back, within the clause, not across a comma."""
    words = sentence[lo:start].split()
    for back in range(1, min(len(words), 7) + 1):
        word = words[-back].strip("„“\"'").lower()
        if word in preps:
            head = words[-back - 1].lower().strip(",;:") if back < len(words) else ""
            return word, head
        if words[-back].endswith((",", ";", ")")) and not re.search(r"\d,\d", words[-back]):
            return None, ""
    return None, ""


def _coordinated(sentence: str, first: Party, parties: list[Party]) -> Party | None:
    """The party joined to `first` by "and"/"und" just before it ("Hitachi and Matsushita")."""
    for party in parties:
        gap = sentence[party.end : first.start]
        if party.end <= first.start and re.fullmatch(r"\s*(?:,|and|und|&)\s*", gap):
            return party
    return None


def _kind(hit: Hit, clause: _Clause, target: Party | None, span_start: int) -> Kind:
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


_HEAD_NOUN = re.compile(
    rf"\s+(?:(?!(?:the|a|an|its|their|his|her|to|of|and|or)\b)[a-z][\w-]*\s+){{0,2}}"
    rf"(?:{_UNIT_HEADS})\b"
)
_SUFFIXED = re.compile(r"\b(?:Inc|Corp|Co|Ltd|Plc|PLC|LLC|AG|SA|NV|AB|GmbH|SE|Group)\.?$")


def _with_head(sentence: str, party: Party | None) -> Party | None:
    """A name that only modifies the business bought: "the Presley estate", "its Deluxe Film
    unit"."""
    if party is None or party.kind != "name" or _SUFFIXED.search(party.text):
        return party
    m = _HEAD_NOUN.match(sentence, party.end)
    if m is None:
        return party
    return Party(sentence[party.start : m.end()], party.start, m.end(), "description")


def _descriptive_target(sentence: str, hit: Hit) -> Party | None:
    """A business that is not a name: "sell its media business", "acquire the plastic
    container business of Monsanto"."""
    return _described(sentence, hit.end, "")


def _described(sentence: str, position: int, lead: str, companies: bool = False) -> Party | None:
    """A description of a business right after `position` (after `lead`, a regex); with
    `companies`, also of a whole company ("a stake in a privately-held plastics maker")."""
    pattern = _UNIT_NP.pattern
    if companies:
        pattern = pattern.replace(f"(?:{_UNIT_HEADS})", f"(?:{_UNIT_HEADS}|{_COMPANY_HEADS})")
    m = re.compile(lead + pattern, re.IGNORECASE).match(sentence, position)
    if m is None:
        return None
    return Party(m.group("np"), m.start("np"), m.end("np"), "description")


def _object(clause: _Clause, hit: Hit) -> tuple[Party | None, Party | None]:
    """What a buying or selling verb acts on, and the owner of it when that is a part of a
    company: a name ("acquire Shelard"), a holding in one ("a 20% stake in Sina"), a name
    inside a description ("its Triplett Electrical Corp subsidiary"), a description
    ("its media business") with its owner ("the plastic container business of Monsanto") or
    with its name in apposition ("its foodservice unit, Service America Corp")."""
    sentence = clause.sentence
    named = clause.first_right(None, "of", "in", "into", heads=_STAKE_HEADS)
    described = _descriptive_target(sentence, hit)
    if described is None or (named is not None and named.start < described.start):
        return _with_head(sentence, named), None
    inside = [p for p in clause.right if described.start <= p.start and p.end <= described.end]
    company = [p for p in inside if _SUFFIXED.search(p.text)]
    if company:
        return company[0], None
    if inside and not re.match(r"['’]s\b", sentence[inside[-1].end :]):
        head = _with_head(sentence, inside[-1])
        if head is not None and head.end == described.end:
            return head, None
    after = [p for p in clause.right if p.start >= described.end]
    if after and _APPOSED.fullmatch(sentence[described.end : after[0].start]):
        return after[0], None
    if after and clause.prep(after[0]) == "of":
        return described, after[0]
    return described, None


def _english_verb(clause: _Clause, hit: Hit, lemma: str) -> list[Roles]:
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
        merged, _ = _object(clause, hit)
        if merged is not None and merged.end <= absorber.start and merged.key != absorber.key:
            return [Roles("merger", absorber, merged, actor)]
        return [Roles("merger", absorber, actor)]
    if lemma in ("merge", "partner"):
        other = clause.first_right("with")
        if other is None and actor is not None:
            other, actor = actor, _coordinated(sentence, actor, clause.left)
        return [Roles(KIND_OF_LEMMA[hit.form.lemma], actor, other)]
    if lemma == "invest":
        target = clause.first_right("in", "into")
        return [Roles("stake", actor, target)]
    target, owner = _object(clause, hit)
    if lemma == "sell" and target is not None and target.kind == "name":
        given = _DITRANSITIVE.match(sentence, target.end)
        if given:
            thing = Party(given.group("np"), given.start("np"), given.end("np"), "description")
            return [Roles("acquisition", target, thing, actor)]
    if lemma == "sell":
        buyer = clause.first_right("to")
        return [Roles(_sale_kind(hit, clause, target, buyer), buyer, target, actor)]
    seller = clause.first_right("from") or owner
    return [Roles(_kind(hit, clause, target, hit.end), actor, target, seller)]


def _german_verb(clause: _Clause, hit: Hit, lemma: str) -> list[Roles]:
    sentence = clause.sentence
    plain_left = [p for p in clause.left if not in_prepositional_phrase(sentence, p.start, "de")]
    plain_right = [p for p in clause.right if clause.prep(p) is None]
    marked = [p for p in clause.left + clause.right if p not in plain_left + plain_right]
    by = [p for p in marked if _prep_of(clause, p) in ("von", "vom", "durch")]
    at = [p for p in marked if _prep_of(clause, p) in ("an", "am", "bei", "beim")]
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
        held = [p for p in at if clause.head(p) in _STAKE_HEADS or _prep_head(clause, p)]
        buyer = next((p for p in at if p not in held), None)
        sold = held[0] if held else theme
        return [Roles(_sale_kind(hit, clause, sold, buyer), buyer, sold, actor)]
    if lemma in ("invest", "buy") and at and (theme is None or lemma == "invest"):
        return [Roles("stake", actor, at[0])]
    if lemma == "merge":
        other = next((p for p in marked if _prep_of(clause, p) == "mit"), None)
        if other is None and theme is not None and _coordinated(sentence, theme, plain):
            other, actor = theme, _coordinated(sentence, theme, plain)
        elif other is None and actor is not None:
            other, actor = actor, _coordinated(sentence, actor, clause.left)
        return [Roles("merger", actor, other)]
    if lemma == "bid":
        target = next((p for p in marked if _prep_of(clause, p) in ("für", "um")), theme)
        return [Roles("acquisition", actor, target)]
    seller = next((p for p in clause.right if clause.prep(p) in ("von", "vom")), None)
    span = actor.end if actor else hit.start
    return [Roles(_kind(hit, clause, theme, span), actor, theme, seller)]


def _sale_kind(hit: Hit, clause: _Clause, target: Party | None, buyer: Party | None) -> Kind:
    """A sale is the buyer's acquisition, a divestment while the buyer is unknown, or a stake
    when a part of the company changes hands."""
    if _kind(hit, clause, target, hit.end) == "stake":
        return "stake"
    return "acquisition" if buyer is not None else "divestment"


def _prep_head(clause: _Clause, party: Party) -> bool:
    """Is the party's preposition governed by a stake word ("Anteile an Canal Plus")?"""
    before = clause.sentence[max(0, party.start - 30) : party.start].split()
    return len(before) >= 2 and before[-2].lower() in _STAKE_HEADS


def _prep_of(clause: _Clause, party: Party) -> str | None:
    if party in clause.markers:
        prep = clause.prep(party)
    else:
        prep = _marker(clause.sentence, max(0, party.start - 40), party.start, clause.preps)[0]
    return prep.lower() if prep else None


def _noun(clause: _Clause, hit: Hit, lemma: str) -> list[Roles]:
    sentence = clause.sentence
    actor = None
    for party in clause.left:
        gap = sentence[party.end : hit.start]
        if _POSSESSIVE.match(gap):
            actor = party
            break
    modifier = next(
        (p for p in clause.left if _COMPOUND.match(sentence[p.end : hit.start]) or
         sentence[p.end : hit.start] == "-"), None,
    )  # fmt: skip
    de = clause.language == "de"
    absorber = clause.first_right("into") if lemma == "merge" else None
    if absorber is not None and (actor or clause.subject()):
        return [Roles("merger", absorber, actor or clause.subject())]
    if lemma in ("merge", "partner", "venture", "license"):
        pair = clause.first_right("between", "of", "von", "zwischen")
        if pair is not None:
            other = next((p for p in clause.right if _coordinated(sentence, p, [pair])), None)
            if other is not None:
                return [Roles(KIND_OF_LEMMA[hit.form.lemma], pair, other)]
        other = clause.first_right("with", "mit")
        first = actor or modifier or clause.subject()
        if other is None and first is not None:
            other, first = first, _coordinated(sentence, first, clause.left)
        return [Roles(KIND_OF_LEMMA[hit.form.lemma], first, other)]
    agent = clause.first_right("by", "durch") or (
        clause.first_right("from") if lemma == "bid" else None
    )
    holder = clause.first_right("von", "vom") if lemma in ("bid", "stake", "invest") else None
    if agent is None and holder is not None and clause.first_right("an", "bei", "für"):
        agent = holder
    if lemma == "bid":
        target = clause.first_right("for", "für") or clause.first_right(
            "of", "in", heads=_STAKE_HEADS
        )
        if modifier is not None and re.search(r"['’]s\s+$", sentence[: modifier.start]):
            target = target or modifier
        else:
            actor = actor or modifier
    elif lemma in ("stake", "invest"):
        target = clause.first_right("in", "an", "bei", "of", "into") or _described(
            sentence, hit.end, r"\s+(?:in|an|bei)", companies=True
        )
    elif _CONTEST.match(sentence, hit.end):
        target = clause.first_right("for")
    else:
        target = (
            clause.first_right("of", "von", "vom")
            or clause.first_right("in", heads=_STAKE_HEADS)
            or (modifier if modifier is not None and modifier is not actor else None)
            or _described(sentence, hit.end, r"\s+of")
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


def _owner(sentence: str, target: Party, parties: list[Party]) -> Party | None:
    """Who owns the target, said in apposition: "Y, owned by Z", "Y, a unit of Z", "Y, eine
    Tochter von Z"."""
    m = _OWNED_BY.match(sentence, target.end)
    if m is None:
        return None
    return next((p for p in parties if m.end() <= p.start <= m.end() + 30), None)


def assign_roles(sentence: str, hit: Hit, parties: list[Party], language: str) -> list[Roles]:
    """The readings of one trigger: usually one; none when it has no party at all. A reading
    may lack its buyer or its target (a fragment the article may complete elsewhere)."""
    clause = _Clause(sentence, hit, parties, language)
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
        replace(r, seller=_owner(sentence, r.target, parties))
        if r.target is not None and r.seller is None and r.kind not in SYMMETRIC
        else r
        for r in readings
    ]
    return [
        r for r in readings
        if (r.target is not None or r.buyer is not None)
        and (
            r.buyer is None or r.target is None or r.buyer.key != r.target.key
            or r.target.kind == "anaphor"
        )
        and (r.seller is None or r.target is None or r.seller.key != r.target.key)
    ]  # fmt: skip
