"""The typed things text analysis finds: each is a span of the input plus its value."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

NameKind = Literal["company", "person", "other"]
NameBasis = Literal["shape", "known", "cue", "capital"]
Qualifier = Literal["more", "less", "about", "at_least", "up_to"]
Per = Literal["share", "month", "year", "unit"]
Precision = Literal["year", "month", "day"]


@dataclass(frozen=True)
class Mention:
    """`text` is `source[start:end]` of the string it was found in."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Name(Mention):
    """A name. `basis` says why it counts: its shape (acronym, camel case, digits: it keeps its
    form in any language), the caller's known names, a cue (a company suffix or "Firma X", a
    title such as "Mr" or "Chef", a hyphenated compound's head), or only its capital letter
    (the weakest: in German a capitalised word the noun lexicon does not know)."""

    kind: NameKind = "other"
    basis: NameBasis = "capital"

    @property
    def distinct(self) -> bool:
        """Name-shaped, so the same in English and German text (MGM, YouTube, ProSiebenSat.1)."""
        return self.basis == "shape"


@dataclass(frozen=True)
class Number(Mention):
    """A number as written, with every value it may mean ("6.800": 6800 or 6.8 when the language
    is unknown); `value` is the likelier one."""

    value: Decimal
    values: frozenset[Decimal]


@dataclass(frozen=True)
class Money(Mention):
    """An amount in ISO 4217 `currency`, scale applied ("$6.75bn" -> 6750000000 USD). A range
    ("$1bn-$2bn") has `high`; `per` marks prices of one share, month, year or unit ("$40 a
    share"), which are not deal values; `qualifier` keeps "more than", "rund", "bis zu"."""

    value: Decimal
    currency: str
    high: Decimal | None = None
    qualifier: Qualifier | None = None
    per: Per | None = None

    @property
    def per_share(self) -> bool:
        return self.per == "share"


@dataclass(frozen=True)
class Percent(Mention):
    """A percentage ("1,4 Prozent" -> 1.4). `stake` when it is the size of a holding ("a 49%
    stake", "Anteil von 20 Prozent", "mit 20 Prozent beteiligt"); `points` for percentage
    points."""

    value: Decimal
    qualifier: Qualifier | None = None
    stake: bool = False
    points: bool = False


@dataclass(frozen=True)
class Count(Mention):
    """How many of something ("1.200 Angestellte" -> 1200, noun "Angestellte")."""

    value: Decimal
    noun: str
    qualifier: Qualifier | None = None


@dataclass(frozen=True)
class DateMention(Mention):
    """A calendar date as precise as written; `date` is the first day of that period, for
    ordering ("März 2016" -> 2016-03-01, precision "month")."""

    date: date
    precision: Precision
