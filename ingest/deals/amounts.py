"""Amounts of money as deal stories write them: everything `ingest.text.money_in` reads
("$6.8bn", "1,5 Milliarden Euro"), plus the wire-service style it does not ("25 mln dlrs",
"1.2 billion Belgian francs", "two mln stg"), plus prices the source says it does not know
("an undisclosed sum", "terms were not disclosed").
"""

import re
from decimal import Decimal

from ingest.deals.lexicon import UNDISCLOSED
from ingest.text import money_in, number_values
from ingest.text.mentions import Money, Per
from ingest.text.words import NUMBER_WORDS

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SPOKEN = "|".join(re.escape(w) for w in sorted(NUMBER_WORDS, key=len, reverse=True) if len(w) > 2)
_SCALE = {
    "mln": 10**6, "million": 10**6, "millions": 10**6, "billion": 10**9, "billions": 10**9,
    "bln": 10**9, "trillion": 10**12,
}  # fmt: skip
_CURRENCY_WORDS = {
    "canadian dlrs": "CAD", "canadian dlr": "CAD", "canadian dollars": "CAD",
    "australian dlrs": "AUD", "australian dlr": "AUD", "australian dollars": "AUD",
    "hong kong dlrs": "HKD", "hong kong dollars": "HKD", "new zealand dlrs": "NZD",
    "n.z. dlrs": "NZD", "n.z. dlr": "NZD", "australian dollar": "AUD",
    "u.s. dlrs": "USD", "u.s. dlr": "USD", "dlrs": "USD", "dlr": "USD", "stg": "GBP",
    "belgian francs": "BEF", "french francs": "FRF", "swiss francs": "CHF", "yen": "JPY",
    "marks": "DEM", "mark": "DEM", "guilders": "NLG", "lire": "ITL", "pesetas": "ESP",
    "rand": "ZAR", "swedish crowns": "SEK", "danish crowns": "DKK", "norwegian crowns": "NOK",
    "schillings": "ATS",
}  # fmt: skip
_NEWSWIRE = re.compile(
    rf"(?<![\w.,$])(?P<num>{_NUM}|{_SPOKEN})(?:\s+(?P<scale>{'|'.join(_SCALE)}))?"
    rf"\s+(?P<cur>{'|'.join(re.escape(c) for c in sorted(_CURRENCY_WORDS, key=len, reverse=True))})"
    r"(?![\w])",
    re.IGNORECASE,
)
_PER_SHARE = re.compile(
    r"\s*(?:(?:a|per|each)\s+(?:common\s+|preferred\s+)?share\b|each\b|-a-share|-per-share)",
    re.I,
)


def _newswire(text: str) -> list[Money]:
    found = []
    for m in _NEWSWIRE.finditer(text):
        raw = m.group("num").lower()
        if raw in NUMBER_WORDS:
            number = NUMBER_WORDS[raw]
        else:
            values = number_values(raw, "en")
            if not values:
                continue
            number = max(values)
        scale = Decimal(_SCALE[m.group("scale").lower()]) if m.group("scale") else Decimal(1)
        currency = _CURRENCY_WORDS[re.sub(r"\s+", " ", m.group("cur").lower())]
        per: Per | None = "share" if _PER_SHARE.match(text, m.end()) else None
        value = (number * scale).normalize()
        value = value.quantize(Decimal(1)) if value == value.to_integral_value() else value
        found.append(Money(m.start(), m.end(), m.group(), value=value, currency=currency, per=per))
    return found


def amounts_in(text: str, language: str | None = None) -> list[Money]:
    """Every amount of money in the text, in order, from either reader; where both read the
    same words the general reader's answer stands."""
    general = money_in(text, language)
    extra = [
        m for m in _newswire(text) if not any(g.start < m.end and m.start < g.end for g in general)
    ]
    return sorted(general + extra, key=lambda money: money.start)


def undisclosed_in(text: str) -> list[re.Match[str]]:
    """Phrases that say the price is not known ("for an undisclosed sum", "terms were not
    disclosed", "über den Preis wurde Stillschweigen vereinbart")."""
    return list(UNDISCLOSED.finditer(text))
