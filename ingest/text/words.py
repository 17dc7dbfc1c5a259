"""Words of English and German: tokens, the one stopword list per language, question words and
number words.

The stopword lists are the union of the six the project grew separately (keyword index,
grounding's starters and stopwords, the question-name filters of the no-answer gate, recency
and rewriting, and language detection), so no module drops a word another one keeps.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

WORD = re.compile(r"[^\W_](?:[\w&]|['’.-](?=[^\W_]))*", re.UNICODE)
"""A word: letters and digits, joined by & (AT&T), hyphens (Lucasfilm-Studios), apostrophes
(Alibaba's) and inner dots (ProSiebenSat.1)."""

_EN = """
a about above according after again against all also although am an and any are as at be
because been before being below between both but by can could did do does doing down during
each either else even ever every few for from further had has have having he her here hers
herself him himself his how however i if in instead into is it its itself just least less let
many me meanwhile might more most much must my myself neither no nor not now of off often on
once one only or other others our ours ourselves out over overall own per perhaps rather same
she should since so some still such than that the their theirs them themselves then there
therefore these they this those though through thus to too under until up upon us very via was
we were what whatever when whenever where whereas whether which while who whom whose why will
with within without would yet you your yours yourself may
tell show give list get got me any
"""
_DE = """
aber alle allem allen aller alles allerdings als also am an andere anderen anderer anderes auch
auf aus außer außerdem bei beide beiden beim bereits bin bis bisher bist da dabei dadurch daher
dafür dagegen damit dann dar daran darauf darin darum darüber das dass daß davon dazu dein
deine dem den denen denn dennoch der deren des deshalb dessen dich die dies diese diesem diesen
dieser dieses dir doch dort du durch ebenfalls ein eine einem einen einer eines einige einigen
er es etwa euch euer falls für gegen gewesen hab habe haben hat hatte hatten hätte hätten hier
hin hinter ich ihm ihn ihnen ihr ihre ihrem ihren ihrer ihres im in indem ins insgesamt ist
jedoch jede jedem jeden jeder jedes jene jenem jenen jener jenes jetzt kann kein keine keinem
keinen keiner keines können könnte laut man manche mehr mein meine mit muss musste nach neben
nicht nichts noch nun nur ob oder ohne schon sehr sei seien sein seine seinem seinen seiner
seines seit seitdem selbst sich sie sind so sodass soll sollen sollte sondern sowie sowohl
statt um und uns unser unsere unter viel viele vom von vor während war waren warum was weder
weil welche welchem welchen welcher welches wenn wer werde werden wessen wie wieder wieso
weshalb wir wird wo wobei wurde wurden würde würden zu zudem zum zur zwar zwischen über
wann wen wem wozu woher wohin
"""
STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset(_EN.split()),
    "de": frozenset(_DE.split()),
}
"""Function words per language, lower case."""

QUESTION_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset("what who whom whose which when where why how".split()),
    "de": frozenset(
        "was wer wen wem wessen welche welcher welches welchen welchem wann wo woher wohin "
        "warum wieso weshalb wozu wie wieviel wieviele".split()
    ),
}

MONTHS: dict[str, int] = {
    **{m: i + 1 for i, m in enumerate("january february march april may june july august "
                                      "september october november december".split())},
    **{m: i + 1 for i, m in enumerate("januar februar märz april mai juni juli august "
                                      "september oktober november dezember".split())},
    **{m: i + 1 for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split())},
    "jänner": 1, "mär": 3, "okt": 10, "dez": 12, "sept": 9,
}  # fmt: skip
"""Month names and abbreviations of both languages ("Jänner" is Austrian), lower case."""

WEEKDAYS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday montag dienstag mittwoch "
    "donnerstag freitag samstag sonnabend sonntag".split()
)

NUMBER_WORDS: dict[str, Decimal] = {
    word: Decimal(value)
    for value, words in enumerate(
        [
            "zero null",
            "one eins ein eine einen einem einer",
            "two zwei",
            "three drei",
            "four vier",
            "five fünf",
            "six sechs",
            "seven sieben",
            "eight acht",
            "nine neun",
            "ten zehn",
            "eleven elf",
            "twelve zwölf",
        ]
    )
    for word in words.split()
} | {
    "half": Decimal("0.5"), "halbe": Decimal("0.5"), "halben": Decimal("0.5"),
    "halbes": Decimal("0.5"), "halb": Decimal("0.5"), "dozen": Decimal(12),
    "twenty": Decimal(20), "zwanzig": Decimal(20), "thirty": Decimal(30), "dreißig": Decimal(30),
    "fifty": Decimal(50), "fünfzig": Decimal(50), "hundred": Decimal(100),
    "hundert": Decimal(100), "a": Decimal(1), "an": Decimal(1),
}  # fmt: skip
"""Number words both languages write out; "a"/"an" count only before a scale ("a billion")."""


CURRENCIES: dict[str, str] = {
    "$": "USD", "us$": "USD", "usd": "USD", "dollar": "USD", "dollars": "USD",
    "us-dollar": "USD", "us-dollars": "USD", "a$": "AUD", "au$": "AUD", "c$": "CAD",
    "ca$": "CAD", "hk$": "HKD", "£": "GBP", "gbp": "GBP", "pound": "GBP", "pounds": "GBP",
    "pfund": "GBP", "sterling": "GBP", "€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR",
    "¥": "JPY", "jpy": "JPY", "yen": "JPY", "yuan": "CNY", "cny": "CNY", "renminbi": "CNY",
    "chf": "CHF", "sfr": "CHF", "franken": "CHF", "swiss francs": "CHF", "schweizer franken": "CHF",
    "rubel": "RUB", "roubles": "RUB", "rubles": "RUB", "rub": "RUB", "won": "KRW", "krw": "KRW",
    "rupees": "INR", "inr": "INR", "sek": "SEK", "nok": "NOK", "dkk": "DKK", "cad": "CAD",
    "aud": "AUD", "hkd": "HKD",
}  # fmt: skip
"""Currency symbols, codes and words of both languages (lower case) -> ISO 4217."""

SCALES: dict[str, Decimal] = {
    "thousand": Decimal(10**3), "tausend": Decimal(10**3), "tsd": Decimal(10**3),
    "k": Decimal(10**3), "m": Decimal(10**6), "mn": Decimal(10**6), "mln": Decimal(10**6),
    "million": Decimal(10**6), "millions": Decimal(10**6), "mio": Decimal(10**6),
    "millionen": Decimal(10**6), "bn": Decimal(10**9), "b": Decimal(10**9),
    "billion": Decimal(10**9), "billions": Decimal(10**9), "mrd": Decimal(10**9),
    "milliarde": Decimal(10**9), "milliarden": Decimal(10**9), "trillion": Decimal(10**12),
    "trillions": Decimal(10**12), "tn": Decimal(10**12), "tr": Decimal(10**12),
    "bio": Decimal(10**12), "billionen": Decimal(10**12),
}  # fmt: skip
"""Scale words (lower case). German "Billion" is 10^12; amounts.py decides it by case."""

AMOUNT_WORDS = frozenset(
    [*CURRENCIES, *SCALES, "prozent", "percent", "cent", "prozentpunkte", "mark"]
)
"""Words of amounts, never names (German "Dollar", "Millionen")."""


@dataclass(frozen=True)
class Word:
    """A word and where it stands in the text it came from."""

    start: int
    end: int
    text: str


def words(text: str) -> list[Word]:
    """The words of a text with their spans, in order."""
    return [Word(m.start(), m.end(), m.group()) for m in WORD.finditer(text)]


def is_stopword(word: str, language: str | None = None) -> bool:
    """Is the word a function word of the language (of either language when None)?"""
    lowered = word.lower()
    if language is None:
        return lowered in STOPWORDS["en"] or lowered in STOPWORDS["de"]
    return lowered in STOPWORDS.get(language, frozenset())


def is_question_word(word: str, language: str | None = None) -> bool:
    """Is the word an interrogative (what, wer, wie ...)?"""
    lowered = word.lower()
    if language is None:
        return lowered in QUESTION_WORDS["en"] or lowered in QUESTION_WORDS["de"]
    return lowered in QUESTION_WORDS.get(language, frozenset())
