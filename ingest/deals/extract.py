"""Deals in one article, offline, at ingest: find trigger words, give roles to the parties
around each, add the amount, stake, status and date the sentence states, check every field
against its quote, and merge what several sentences say about one deal.

Only sentences with a trigger word are analysed, and the trigger patterns run only at words
that hold a trigger's stem, so an article without deals costs one scan of its sentences; see
docs/benchmarks/deals.md for the overhead on ingest.
"""

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache

from ingest.deals.clause import Hit
from ingest.deals.details import (
    announced_in,
    deal_amount,
    later_amount,
    stake_percent,
    status_of,
)
from ingest.deals.lexicon import FAMILY, STEMS, TRIGGERS, TriggerForm
from ingest.deals.merge import deal_from_sources, merge_deals, same_party
from ingest.deals.models import Deal, DealFields, DealSource
from ingest.deals.parties import Discourse, Party
from ingest.deals.roles import Roles, assign_roles
from ingest.models import Chunk, Document
from ingest.sentences import split_sentences
from ingest.text import name_key

_PARTICLE_EIN = re.compile(r"\bein\b|eingestiegen")
_STAKE_SIZE = re.compile(
    r"(?:%|pct|per\s?cent|percent|Prozent|equity|controlling|minority|majority)\W+(?:\w+\W+)?$",
    re.IGNORECASE,
)
_ATTRIBUTIVE = re.compile(
    r"\b(?:its|the|a|an|their|his|her|this|der|die|das|den|dem|des|seine[nrms]?|ihre[nrms]?)"
    r"\s+(?:newly\s+|recently\s+|previously\s+|jüngst\s+)?$",
    re.IGNORECASE,
)
"""A participle after a determiner is an adjective: "its demerged Deluxe unit", "the acquired
company", "die übernommene Firma"."""
_MODIFYING = re.compile(
    r"\s+(?:officers?|banks?|bankers?|banking|funds?|managers?|management|strateg(?:y|ies)|panel"
    r"|code|rules|spree|team|trust|vehicles?|firms?|compan(?:y|ies)|income|returns|portfolios?"
    r"|advis[eo]rs?|house|director|committee|polic(?:y|ies)|climate|activit(?:y|ies)|boom|wave"
    r"|frenzy|markets?|opportunit(?:y|ies)|trends?|levels?|grade|schemes?|products?|decisions?"
    r"|advice|analysts?|experts?|specialists?|houses|arms?|division|unit|chief|head|guru)\b",
    re.IGNORECASE,
)
"""A deal noun modifying another noun names no deal: "chief investment officer", "investment
bank", "acquisition spree"."""
_SUCCESSION = re.compile(
    r"\s+(?:as\b|the\s+(?:helm|reins|role|job|post|presidency|chairmanship|management|running"
    r"|day-to-day|duties|responsibilit\w*|lead)\b|(?:\w+\s+)?(?:management|running)\s+of\b)",
    re.IGNORECASE,
)
"""Taking over a post is no deal: "took over as chief executive", "take over the helm"."""
_FIGURATIVE_BID = re.compile(
    r"\s+to\s+(?!(?:buy|acquire|take\s+over|purchase|merge|win\s+control|gain\s+control)\b)[a-z]+",
    re.IGNORECASE,
)
"""A bid to do anything but buy is no takeover: "a bid to conquer the box office", "a bid to
become chairman"."""
_NOMINAL = re.compile(r"\s+(?:of|by)\b")
"""A verb form followed by "of" is a noun: "the purchase of Rexnord"."""
_LATER_SENTENCES = 2
_BEFORE_SUBJECT = 25
"""Status words may stand just before the first party: "Oracle completed its takeover"."""
_IMPLICIT_ACTOR = frozenset({"buy", "bid", "stake", "invest"})
_OWN_HOLDINGS = re.compile(r"\s+of\s+(?:its\s+|their\s+)?(?:stakes?|holdings?|assets|shares)\b")
_DEFINITE = re.compile(
    r"\b(?:the|its|their|this|that|der|die|das|den|dem|des|seine[nrms]?|ihre[nrms]?)\s+"
    r"(?:[\w$£€.,%-]+\s+){0,3}$|^\s*$",
    re.IGNORECASE,
)
_COUNTED = re.compile(r"\b\d[\d.,]*\s*(?:m|bn|k|mn|million|billion|thousand|Mio\.|Millionen)?\s+$")
_COUNTED_GOODS = re.compile(
    r"\s+(?:about|some|almost|nearly|more\s+than|over|another)?\s*(?:\d[\d.,]*|one|two|three|four"
    r"|five|six|seven|eight|nine|ten|twelve|twenty|fifty|hundreds|thousands|millions)\s*(?:m|bn|k|million"
    r"|billion|thousand)?\s+(?:(?!(?:pct|percent|per|of|its|the|mln|dlrs?)\b)[a-z-]+\s+){0,2}"
    r"(?:(?!(?:shares|stakes?|pct|percent|dlrs|dollars|euros|pounds|francs|marks|crowns|yen|its)"
    r"\b)[a-z]+s|aircraft)\b"
)
_PRODUCT = re.compile(
    r"(?:\s+(?!(?:of|for|in|and|or|as|to)\b)[\w-]+)?\s+(?:consoles?|phones?|handsets?|cars?|vehicles?|motorbikes?|motorcycles?"
    r"|jets?|aircraft|planes?|chips?|computers?|laptops?|pcs|games?|songs?|albums?|singles?"
    r"|tickets?|copies|devices?|players?|goods|drinks?|cigarettes?|shoes?|records|cds|dvds"
    r"|aircraft|products|iPods"
    r"|Konsolen|Handys|Autos|Flugzeuge|Spiele|Geräte|Exemplare)\b",
    re.IGNORECASE,
)
_SINGLE_TARGET = frozenset({"buyout", "buy-out", "takeover", "take-over", "bid", "offer"})
_GOVERNED = re.compile(
    r"\s+(?:of\s+)?(?:an?\s+|its\s+|their\s+|the\s+)?(?:[\d.,]+\s*(?:%|pct|per\s?cent)\s+)?$"
)
"""A stake word right after another deal word belongs to it: "sales of stakes in", "bought a
20% stake in"."""


@cache
def _trigger_regex(language: str) -> tuple[re.Pattern[str], tuple[TriggerForm, ...]]:
    forms = tuple(
        sorted((f for f in TRIGGERS if f.language == language), key=lambda f: f.pos != "noun")
    )
    alternatives = "|".join(f"(?P<t{i}>{f.pattern})" for i, f in enumerate(forms))
    return re.compile(rf"(?:{alternatives})(?![\w-])", re.IGNORECASE), forms


def _language(code: str) -> str:
    return "de" if code == "de" else "en"


def find_triggers(sentence: str, language: str) -> list[Hit]:
    """The deal words of a sentence, in order ("steigt" only with its particle "ein"; a bare
    "interest" only as a stake: "a 5 pct interest in")."""
    pattern, forms = _trigger_regex(_language(language))
    hits: list[Hit] = []
    for m in _candidates(sentence, language, pattern):
        form = forms[int(next(k for k, v in m.groupdict().items() if v is not None)[1:])]
        word = m.group().lower()
        separable = word.startswith("st") and form.language == "de" and form.lemma == "buy"
        if separable and not _PARTICLE_EIN.search(sentence, m.end()):
            continue
        if word.endswith("interest") and not _STAKE_SIZE.search(sentence[: m.start()]):
            continue
        if form.past and form.pos == "verb" and _ATTRIBUTIVE.search(sentence[: m.start()]):
            continue
        if form.pos == "noun" and _MODIFYING.match(sentence, m.end()):
            continue
        if form.lemma == "buy" and _SUCCESSION.match(sentence, m.end()):
            continue
        if form.lemma == "bid" and _FIGURATIVE_BID.match(sentence, m.end()):
            continue
        if form.pos == "verb" and not form.past and _NOMINAL.match(sentence, m.end()):
            form = replace(form, pos="noun")
        if form.language == "de" and form.pos == "verb" and m.group()[:1].isupper() and m.start():
            form = replace(form, pos="noun", past=False)
        if (
            form.lemma == "stake"
            and hits
            and _GOVERNED.fullmatch(sentence, hits[-1].end, m.start())
        ):
            continue
        hits.append(Hit(m.start(), m.end(), form))
    return hits


def _candidates(sentence: str, language: str, pattern: re.Pattern[str]) -> Iterator[re.Match[str]]:
    """Trigger matches, tried only at the start of words that contain a trigger's stem: the
    stems are one fast scan, the full patterns run a few times per sentence, not at every
    character."""
    end = 0
    lowered = sentence.lower()
    stems = STEMS[_language(language)]
    found = stems.finditer(lowered if len(lowered) == len(sentence) else sentence)
    for stem in found:
        start = stem.start()
        while start > 0 and (sentence[start - 1].isalnum() or sentence[start - 1] in "-_"):
            start -= 1
        if start < end:
            continue
        m = pattern.match(sentence, start)
        if m is not None:
            end = m.end()
            yield m


@dataclass(frozen=True)
class _Sentence:
    index: int
    text: str
    chunk_id: str | None


def _sentences(chunks: Sequence[Chunk]) -> list[_Sentence]:
    """Each sentence once (chunks overlap), with the first chunk that holds it."""
    seen: set[str] = set()
    found: list[_Sentence] = []
    for chunk in chunks:
        for text in split_sentences(chunk.text):
            if text not in seen:
                seen.add(text)
                found.append(_Sentence(len(found), text, chunk.chunk_id))
    return found


class _Article:
    def __init__(self, document: Document, chunks: Sequence[Chunk]) -> None:
        self.document = document
        self.language = _language(document.language)
        self.sentences = _sentences(chunks)
        self.first_chunk = chunks[0].chunk_id if chunks else None
        self.discourse = Discourse(document.title, [s.text for s in self.sentences], self.language)

    def text(self, index: int) -> str:
        return self.discourse.text(index)

    def chunk(self, index: int) -> str | None:
        return self.first_chunk if index < 0 else self.sentences[index].chunk_id

    def source(self, quote: str, index: int) -> dict[str, object]:
        doc = self.document
        return {
            "source": doc.source, "title": doc.title, "published": doc.published,
            "quote": quote, "chunk_id": self.chunk(index), "language": self.language,
        }  # fmt: skip


def _quote(article: _Article, index: int, parties: Sequence[Party | None]) -> str:
    """The sentence, after the sentences that name its resolved anaphors."""
    before = []
    for party in parties:
        if party is not None and party.antecedent and party.antecedent not in before:
            before.append(party.antecedent)
    return " … ".join([*before, article.text(index)])


def _fields(article: _Article, index: int, hit: Hit, roles: Roles) -> DealFields:
    sentence = article.text(index)
    named = [p for p in (roles.buyer, roles.target, roles.seller) if p is not None]
    lo = max(0, min([hit.start, *(p.start for p in named)]) - _BEFORE_SUBJECT)
    hi = max([hit.end, *(p.end for p in named)])
    stake = stake_percent(sentence, article.language, lo, hi) if roles.kind == "stake" else None
    return DealFields(
        kind=roles.kind,
        buyer=roles.buyer.text if roles.buyer else None,
        target=roles.target.text if roles.target else None,
        seller=roles.seller.text if roles.seller else None,
        amount=deal_amount(sentence, article.language, hit.start, hit.end),
        stake_percent=stake,
        status=status_of(sentence, lo, hit.start, hit.end, hi),
        announced=announced_in(sentence, article.document.published),
    )


def _later_price(article: _Article, index: int) -> DealSource | None:
    """A price given in one of the next sentences of the same chunk, in so many words."""
    if index < 0:
        return None
    for later in article.sentences[index + 1 : index + 1 + _LATER_SENTENCES]:
        if later.chunk_id != article.sentences[index].chunk_id:
            break
        amount = later_amount(later.text, article.language)
        if amount is not None:
            source, _ = DealSource.checked(
                DealFields(amount=amount), **article.source(later.text, later.index)
            )
            return source
    return None


def _implicit(article: _Article, index: int, hit: Hit, roles: Roles) -> Roles:
    """A definite deal noun whose sentence leaves a party unsaid means the company the headline
    names: "the purchase of Japan Telecom" (Softbank's), "sales of stakes in MTS" (Telekom's),
    "a buyout by Verizon" (of MCI). Plural nouns ("investments in Venezuela") mean no one
    deal, and an article without a headline company leaves the party unsaid."""
    if hit.form.pos != "noun":
        return roles
    discourse = article.discourse
    sentence = article.text(index)
    lemma, word = hit.form.lemma, sentence[hit.start : hit.end].lower()
    definite = _DEFINITE.search(sentence[: hit.start]) is not None and not word.endswith("ions")
    if roles.target and not (roles.buyer or roles.seller) and definite:
        actor = discourse.protagonist(index, hit.start, roles.target.key, headline=True)
        if lemma in _IMPLICIT_ACTOR:
            return replace(roles, buyer=actor)
        if lemma == "sell" and _OWN_HOLDINGS.match(sentence, hit.end):
            return replace(roles, seller=actor)
    if roles.buyer and not roles.target and word in _SINGLE_TARGET:
        target = discourse.protagonist(index, hit.start, roles.buyer.key, headline=True)
        return replace(roles, target=target)
    return roles


def _merchandise(sentence: str, hit: Hit, roles: Roles) -> bool:
    """Goods sold are no deal: a counted object ("to sell 23 new planes to Air China", "sold
    almost 4m DS consoles") or a name right before a product word ("Honda brand
    motorbikes")."""
    if hit.form.pos == "verb" and _COUNTED_GOODS.match(sentence, hit.end):
        return True
    target = roles.target
    if (
        target is None
        or target.kind == "anaphor"
        or roles.kind not in ("acquisition", "divestment")
    ):
        return False
    counted = _COUNTED.search(sentence[max(0, target.start - 20) : target.start])
    return counted is not None or _PRODUCT.match(sentence, target.end) is not None


def _distinct(article: _Article, index: int, hit: Hit, roles: Roles) -> Roles | None:
    """A deal needs two parties: an anaphoric target that names the buyer again ("Dart said it
    would pay to acquire the company") means the other company the sentence or article is
    about; without one the reading is dropped."""
    if roles.buyer is None or roles.target is None or roles.buyer.key != roles.target.key:
        return roles
    other = article.discourse.protagonist(index, roles.target.start, roles.buyer.key)
    return replace(roles, target=other) if other is not None else None


def _mentions(article: _Article, index: int) -> Iterator[Deal]:
    sentence = article.text(index)
    hits = find_triggers(sentence, article.language)
    if not hits:
        return
    parties = article.discourse.parties(index)
    for hit in hits:
        for roles in assign_roles(sentence, hit, parties, article.language):
            distinct = _distinct(article, index, hit, _implicit(article, index, hit, roles))
            if distinct is None:
                continue
            roles = distinct
            if _merchandise(sentence, hit, roles):
                continue
            fields = _fields(article, index, hit, roles)
            quote = _quote(article, index, (roles.buyer, roles.target, roles.seller))
            source, _ = DealSource.checked(fields, **article.source(quote, index))
            if source is None or source.fields.kind is None:
                continue
            if source.fields.target is None and source.fields.buyer is None:
                continue
            extra = _later_price(article, index) if fields.amount is None else None
            yield deal_from_sources([source] if extra is None else [source, extra])


def _complete(deal: Deal) -> bool:
    return deal.target is not None and (deal.buyer is not None or deal.seller is not None)


def _paired(found: list[Deal], title: str) -> tuple[list[Deal], list[Deal]]:
    """An article that names a deal's buyer in one sentence ("a buyout by Verizon") and its
    target in another ("a takeover of MCI") reports one deal, when it has no other candidate:
    one buyer and one target among its fragments of one family, and no complete deal of
    that target; a headline's fragment does not count. Returns the deals so made and the
    fragments left."""
    made: list[Deal] = []
    used: set[int] = set()
    body = [d for d in found if any(s.quote != title for s in d.sources)]
    for family in {FAMILY[d.kind] for d in body}:
        buyers = [d for d in body if d.target is None and FAMILY[d.kind] == family]
        targets = [
            d for d in body
            if d.target and not (d.buyer or d.seller) and FAMILY[d.kind] == family
        ]  # fmt: skip
        if (
            len({name_key(d.buyer or "") for d in buyers}) != 1
            or len({name_key(d.target or "") for d in targets}) != 1
        ):
            continue
        if any(_complete(d) and same_party(d.target, targets[0].target) for d in found):
            continue
        made.append(deal_from_sources([s for d in buyers + targets for s in d.sources]))
        used |= {id(d) for d in buyers + targets}
    return made, [d for d in found if id(d) not in used]


def extract_deals(document: Document, chunks: Sequence[Chunk]) -> list[Deal]:
    """The deals one article reports, each merged from its sentences, every field backed by a
    quote from `chunks`. The title adds to a deal its text reports, never one of its own:
    headlines are too terse to give roles ("Standard Life concern at LSE bid")."""
    article = _Article(document, chunks)
    found: list[Deal] = []
    for index in [-1, *range(len(article.sentences))]:
        found.extend(_mentions(article, index))
    made, rest = _paired(found, document.title)
    return [
        d for d in merge_deals(made + rest)
        if _complete(d) and any(s.quote != document.title for s in d.sources)
    ]  # fmt: skip
