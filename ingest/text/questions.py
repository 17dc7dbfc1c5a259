"""What a question asks for: the type of the answer, the names it must be about, the deal it
concerns and the role each name plays in it, in English and German.

"How much did Telia Sonera invest in Spotify?" wants an amount (a Money mention) about Telia
Sonera (the investor) and Spotify (the target); "Wer hat das Label Christian Lacroix von LVMH
gekauft?" wants the buyer of Christian Lacroix from LVMH. An answer selector ranks sentences that
carry a value of that type and mention those names first.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from ingest.text.mentions import Name
from ingest.text.names import is_german_noun, names_in, unique_names

AnswerType = Literal[
    "amount", "stake", "date", "buyer", "seller", "company", "person", "count", "reason",
    "yes_no", "other",
]  # fmt: skip
Trigger = Literal["buy", "sell", "invest", "merge", "bid", "partner"]
Role = Literal["buyer", "seller", "target"]


@dataclass(frozen=True)
class QuestionAnalysis:
    """The typed reading of one question. `buyer` is whoever acquires or invests, `target` what
    is bought or invested in, `seller` who gives it up; each is a name of the question as
    written, or None. `asked_role` is the role of the thing asked for ("Who bought X?" ->
    buyer, "Which company did Microsoft buy?" -> target)."""

    question: str
    language: str
    answer_type: AnswerType
    names: tuple[Name, ...]
    trigger: Trigger | None = None
    buyer: str | None = None
    target: str | None = None
    seller: str | None = None
    asked_role: Role | None = None

    @property
    def name_texts(self) -> tuple[str, ...]:
        return tuple(name.text for name in self.names)


def _any(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


def _alt(words: str) -> str:
    """A regex alternation of space-separated words ("_" stands for a space)."""
    return "(?:" + "|".join(w.replace("_", " ") for w in words.split()) + ")"


_BUY_EN = _alt(
    r"buy buys bought buying acquire[ds]? acquiring purchas(?:e[ds]?|ing) t[ao]oke?n?_over "
    r"takes_over taking_over snapped_up paid pay pays paying"
)
_BUY_DE = _alt(
    r"kauf\w* gekauft übernahm\w* übernimmt übernommen übernehmen erwarb\w* erworben erwirbt "
    r"erwerben geschluckt schluckt\w* zahlt\w* bezahlt\w* gezahlt"
)
_INVEST = _alt(
    r"invested invests invest investiert\w* beteiligt steigt eingestiegen bid bidding bietet "
    r"geboten bot"
)
_ORGS_EN = _alt(
    "company companies firm firms studio studios group business label brand service platform "
    "network broadcaster bank operator carrier startup website app"
)
_ORGS_DE = _alt(
    "unternehmen firma firmen konzern konzerne studio gruppe marke dienst plattform sender bank "
    "anbieter hersteller label startup"
)
_PERSON = _alt(
    r"chief_executive ceo founder founded chairman boss head president owner director manager "
    r"chef\w* gründe\w* vorstand\w* leite\w* besitzer eigentümer präsident\w* geschäftsführer"
)
_SELL = _alt(
    r"sell sells sold selling sale divest\w* offload\w* verkauf\w* veräußer\w* abgestoßen "
    r"trennt\w*_sich"
)
_MERGE = _alt(r"merge[ds]? merger merging fusion\w* fusionier\w* zusammenschluss")
_BID = _alt(r"bid bids bidding tender_offer gebot\w* bietet geboten übernahmeangebot")
_STAKE = _alt(
    r"invest\w* stake holding backed funding investier\w* beteilig\w* einstieg eingestiegen "
    r"anteil\w* owns? owned hält halten besitzt gehört gehören"
)
_PARTNER = _alt(
    r"partner\w* alliance joint_venture teamed_up team_up kooperation kooperier\w* "
    r"zusammenarbeit"
)
_TRIGGERS: list[tuple[Trigger, re.Pattern[str]]] = [
    ("sell", _any(rf"\b{_SELL}\b")),
    ("merge", _any(rf"\b{_MERGE}\b")),
    ("bid", _any(rf"\b{_BID}\b")),
    ("buy", _any(rf"\b(?:{_BUY_EN}|takeover|acquisition|{_BUY_DE})\b")),
    ("invest", _any(rf"\b{_STAKE}\b", r"\bsteigt\b.*\bein\b")),
    ("partner", _any(rf"\b{_PARTNER}\b", r"\barbeite\w* .*zusammen\b")),
]
_WHY = _alt("why warum weshalb wieso wozu weswegen what_for aus_welchem_grund")
_PRICE = _alt(
    r"price cost costs value valued worth valuation \w*preis bewertung bewertet betrag summe kosten"
)
_YES_NO = {
    "en": _alt("did does do is are was were has have had can could will would should shall"),
    "de": _alt(
        "hat hatte ist war sind waren wird wurde werden wurden kann könnte soll sollte gibt gab "
        "haben hatten kauft kaufte übernimmt übernahm investiert investierte plant will wollte "
        "darf muss besitzt gehört stimmt verkauft verkaufte"
    ),
}
_YES_NO_START = {language: re.compile(rf"^{verbs}\b", re.I) for language, verbs in _YES_NO.items()}
_TYPES: list[tuple[AnswerType, re.Pattern[str]]] = [
    ("reason", _any(
        rf"\b{_WHY}\b",
        r"\bfor what (?:reason|purpose)\b",
        r"\bwhat (?:does|did|do|will|would|is) .{1,40}\b(?:get|gain|hope|want|expect)\w*\b",
        r"\bwas (?:erhofft|verspricht|will|erwartet) sich\b", r"\bwas bringt\b",
        r"\bwhat (?:is|was) the (?:reason|purpose|motive|aim|goal)\b",
        r"\bwas (?:ist|war) (?:das|der) (?:ziel|zweck|grund)\b",
    )),
    ("stake", _any(
        r"\b(?:what|which|how (?:big|large|much of))\s+(?:an?\s+)?"
        r"(?:share|stake|percentage|per ?cent|portion|holding)\b",
        r"\bhow many (?:per ?cent|percent)\b", r"\bwhat percent", r"\bwie viel(?:e)? prozent\b",
        r"\bwie (?:hoch|groß) (?:ist|war|wäre|sind|waren) (?:der|die|das) (?:anteil|beteiligung)",
        r"\bwelche[nr]? (?:anteil|prozentsatz)\b", r"\bwelche beteiligung\b",
        r"\bwie viele anteile\b",
        r"\bhow (?:big|large) (?:is|was) (?:the|its|their|\w+'s) (?:stake|share|holding)\b",
    )),
    ("date", _any(
        r"\b(?:when|wann)\b", r"\b(?:in )?(?:what|which) (?:year|month|day|date)\b",
        r"\bsince when\b", r"\bwelche[mns]? (?:jahr|monat|jahrhundert)\b", r"\ban welchem tag\b",
    )),
    ("count", _any(r"\bhow many\b", r"\bwie ?vielen?\b", r"\bnumber of\b", r"\banzahl\b")),
    ("amount", _any(
        r"\bhow much\b", r"\bat what price\b", r"\bhow (?:expensive|costly)\b",
        r"\bwie ?viel\b", r"\bwie teuer\b", r"\bwas kostet", r"\bwhat did .{1,40}\bpay\b",
        r"\bwie hoch (?:war|ist|lag|liegt|waren|sind) (?:der|die|das) "
        r"(?:\w*preis|betrag|wert|summe|bewertung|investition|ablöse)",
    )),
    ("seller", _any(
        r"\bwho (?:\w+ )?(?:sold|sells|selling|sell|divested)\b", r"\bfrom whom\b",
        r"\bwho was the seller\b", r"\bwer (?:\w+ ){0,6}(?:verkauf\w*|veräußer\w*)\b",
        r"\bvon wem (?:hat|haben|hatte|kaufte|übernahm|erwarb)\b", r"\bwer war der verkäufer\b",
        r"\bwho did .{1,40}\b(?:buy|acquire|purchase) .{1,40}\bfrom\b",
    )),
    ("company", _any(
        rf"\b(?:which|what) (?:\w+ )?{_ORGS_EN}\b (?:did|does|do|will|has|had|is|was) "
    )),
    ("buyer", _any(
        rf"\bwho\b.{{0,40}}\b(?:{_BUY_EN}|{_INVEST}|backed|agreed to buy)\b",
        r"\bby whom\b", r"\bvon wem (?:wurde|wird|wurden|ist)\b",
        rf"\b(?:which|what) (?:\w+ )?(?:company|firm|group|studio|investor|buyer|bidder)s? "
        rf"(?:\w+ )?(?:{_BUY_EN}|invested|bid|agreed|wants|plans)\b",
        rf"\bwer\b.{{0,60}}\b(?:{_BUY_DE}|{_INVEST})\b",
        rf"\bwelche[srnm]? (?:\w+ )?(?:{_ORGS_DE}|käufer|investor|bieter)\b.{{0,60}}"
        rf"\b(?:{_BUY_DE}|{_INVEST})\b",
        r"\bwho was the (?:buyer|acquirer|bidder|investor)\b",
        r"\bwer war der (?:käufer|investor|bieter)\b",
    )),
    ("company", _any(
        r"\b(?:who|wer|mit wem)\b.{0,30}\b(?:partner\w*|teamed up|allied|kooperier\w*)"
    )),
    ("person", _any(rf"\b(?:who|wer)\b.{{0,40}}\b{_PERSON}", r"^(?:who|wer|whom|wem|wen)\b")),
    ("company", _any(
        rf"\b(?:which|what) (?:\w+ )?{_ORGS_EN}\b",
        rf"\bwelche[snrm]? (?:\w+ )?{_ORGS_DE}\b",
        r"\b(?:with whom|mit wem|who owns|wem gehört)\b",
    )),
    ("amount", _any(rf"\b{_PRICE}\b")),
]  # fmt: skip
_FOLLOW_UP = re.compile(
    rf"^(?:{_alt('and but also so okay ok und aber auch')}\b[,\s]*)+"
    r"(?:(?:what|how) about|was ist mit)?\s*",
    re.IGNORECASE,
)
_PASSIVE = re.compile(
    r"\b(?:wurden?|worden|wird|werden)\b|\b(?:was|were|is|are|been|being)\s+(?:\w+\s+){0,4}?"
    r"(?:bought|acquired|purchased|sold|taken over|backed|snapped up)\b",
    re.IGNORECASE,
)
_QUESTION_COMPANY = re.compile(r"^(?:which|what)\b.*\b(?:did|does|do|will|has|had|is|was)\b", re.I)


def _strip_follow_up(question: str) -> str:
    """The question without zero-width characters and a leading "and", "und", "what about"."""
    return _FOLLOW_UP.sub("", re.sub(r"[\u200b-\u200d\ufeff]", "", question).strip())


def answer_type(question: str, language: str | None = None) -> AnswerType:
    """The type of answer the question asks for (English or German; a question that starts
    with a finite verb of its language asks yes or no)."""
    text = _strip_follow_up(question)
    for kind, pattern in _TYPES:
        if kind == "amount" and pattern is _TYPES[-1][1] and _starts_with_verb(text, language):
            return "yes_no"
        if pattern.search(text):
            return kind
    return "yes_no" if _starts_with_verb(text, language) else "other"


def _starts_with_verb(text: str, language: str | None) -> bool:
    languages = [language] if language in _YES_NO_START else list(_YES_NO_START)
    return any(_YES_NO_START[lang].search(text) for lang in languages if lang)


def deal_trigger(question: str) -> Trigger | None:
    """The kind of deal the question is about, if any."""
    for trigger, pattern in _TRIGGERS:
        if pattern.search(question):
            return trigger
    return None


_ROLE_TRIGGERS = frozenset({"buy", "sell", "invest", "bid"})
_DEAL_NOUNS = frozenset("übernahme kauf verkauf anteil anteile beteiligung aktien fusion".split())
_ARTICLES = frozenset("the a der die das den dem des ein eine einen einem".split())


def _before(question: str, name: Name) -> tuple[str, str]:
    """The preposition before a name (articles skipped) and the word before that."""
    words = [w.lower() for w in re.findall(r"[\w']+", question[: name.start])]
    while words and words[-1] in _ARTICLES:
        words.pop()
    return (words[-1] if words else "", words[-2] if len(words) > 1 else "")


def _role_by_preposition(
    preposition: str, before: str, trigger: Trigger, passive: bool, holder: bool
) -> Role | None:
    """The role a preposition gives the name after it. German "von" is "from" after a verb
    ("von LVMH gekauft"), "by" in the passive, and "of" after a noun ("die Übernahme von
    Lucasfilm"), where a stake's "von X an Y" makes X the holder."""
    if preposition == "von":
        if passive:
            return "buyer"
        if before.lower() in _DEAL_NOUNS or (before[:1].isupper() and is_german_noun(before)):
            return "buyer" if holder else "target"
        return "seller" if trigger != "sell" else None
    if preposition == "from":
        return "seller" if trigger != "sell" else None
    if preposition == "by":
        return "seller" if trigger == "sell" else "buyer"
    if preposition in {"to", "an"} and trigger == "sell":
        return "buyer"
    if preposition == "zu":
        return "buyer"
    if preposition in {"in", "into", "bei", "an", "for", "für", "of"}:
        return "target"
    return None


def _roles(
    question: str, names: Iterable[Name], trigger: Trigger, kind: AnswerType
) -> dict[Role, str]:
    """Who plays which part, from the preposition before each name, the voice, and the order
    of bare names (subject before object, in English and in German)."""
    passive = bool(_PASSIVE.search(question))
    holder = bool(re.search(r"\bvon\b.+\ban\b", question, re.I))
    roles: dict[Role, str] = {}
    bare: list[str] = []
    for name in names:
        preposition, before = _before(question, name)
        original = question[: name.start].split()
        if preposition == "von" and len(original) >= 2:
            before = original[-2]
        role = _role_by_preposition(preposition, before, trigger, passive, holder)
        if role is None:
            bare.append(name.text)
        else:
            roles.setdefault(role, name.text)
    subject: Role = "seller" if trigger == "sell" else "buyer"
    order: list[Role] = ["target"] if passive else [subject, "target"]
    order = [r for r in order if r != kind]
    for text in bare:
        free = [r for r in order if r not in roles]
        if free:
            roles[free[0]] = text
    return roles


def _without_leading_verb(names: list[Name], language: str) -> list[Name]:
    """A German yes/no question opens with its verb, capitalised ("Kaufte Microsoft ...")."""
    if not names or names[0].start != 0 or not _starts_with_verb(names[0].text, language):
        return names
    first, _, rest = names[0].text.partition(" ")
    if not rest or not _starts_with_verb(first, language):
        return names[1:]
    start = names[0].start + len(first) + 1
    return [Name(start, names[0].end, rest, names[0].kind, names[0].basis), *names[1:]]


def analyse_question(
    question: str, language: str, known: Iterable[str] | None = None
) -> QuestionAnalysis:
    """The answer type, names, deal trigger and roles of a question in "en" or "de"."""
    kind = answer_type(question, language)
    names = tuple(
        _without_leading_verb(unique_names(names_in(question, language, known)), language)
    )
    trigger = deal_trigger(question)
    roles = _roles(question, names, trigger, kind) if trigger in _ROLE_TRIGGERS else {}
    asked: Role | None = None
    if kind in ("buyer", "seller"):
        asked = kind
    elif kind == "company" and trigger and _QUESTION_COMPANY.search(_strip_follow_up(question)):
        asked = "target"
    return QuestionAnalysis(
        question=question,
        language=language,
        answer_type=kind,
        names=names,
        trigger=trigger,
        buyer=roles.get("buyer"),
        target=roles.get("target"),
        seller=roles.get("seller"),
        asked_role=asked,
    )
