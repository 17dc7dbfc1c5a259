"""Numbers, money, percentages and counts in English and German text.

German writes "6.800" for 6800 and "1,5" for 1.5; English the other way round. With the language
known a number has one value; unknown, a group of exactly three digits after one separator is
read as thousands ("1.200 Angestellte", "3,000 jobs"), and `Number.values` keeps both readings
for comparisons ("6.800" may be 6.8). An amount's own words settle it where they can: German
scale words ("Millionen", "Mrd.") make it German, a leading "$" or "bn" English; "Billion" is
10^12 in German and "billion" 10^9 in English.
"""

import re
from decimal import Decimal, InvalidOperation

from ingest.text.mentions import Count, Money, Number, Per, Percent, Qualifier
from ingest.text.words import CURRENCIES, NUMBER_WORDS, SCALES

_NUM = r"\d{1,3}(?:[.,\u00a0\u202f]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
_FRACTIONS = {
    "half a": Decimal("0.5"), "eine halbe": Decimal("0.5"), "einer halben": Decimal("0.5"),
    "einen halben": Decimal("0.5"), "anderthalb": Decimal("1.5"), "eineinhalb": Decimal("1.5"),
    "a quarter of a": Decimal("0.25"), "a": Decimal(1), "an": Decimal(1),
}  # fmt: skip
_SPOKEN = {w: v for w, v in NUMBER_WORDS.items() if w not in {"a", "an"}} | _FRACTIONS
_WORDNUM = "|".join(re.escape(w) for w in sorted(_SPOKEN, key=len, reverse=True))
_LONG_SCALE = (
    r"thousand|tausend|Tsd\.?|millions?|Millionen|Million|Mio\.?|billions?|Milliarden|Milliarde"
    r"|Mrd\.?|trillions?|Billionen|Billion|Bio\."
)
_SHORT_SCALE = r"bn|mn|mln|tn|[mkb](?![\w])"
_SYMBOL = (
    r"US\$|A\$|AU\$|C\$|CA\$|HK\$|\$|£|€|¥"
    r"|(?:USD|EUR|GBP|CHF|JPY|CNY|SEK|NOK|DKK|CAD|AUD|HKD|RUB|INR|SFr\.?)\s?"
)
_CURRENCY_WORD = (
    r"US-Dollars?|Dollars?|dollars?|Euros?|euros?|€|\$|£|Pfund|pounds?(?:\s+sterling)?|Franken"
    r"|Schweizer\s+Franken|Swiss\s+francs|Yen|yen|Yuan|yuan|Renminbi|Rubel|roubles|rubles"
    r"|rupees|USD|EUR|GBP|CHF|JPY|CNY"
)
_PREFIXED = re.compile(
    rf"(?P<cur>{_SYMBOL})\s?(?P<n1>{_NUM})(?:\s?(?P<s1>{_SHORT_SCALE})|\s(?P<l1>{_LONG_SCALE}))?"
    rf"(?:\s?(?:-|–|to|bis)\s?(?:{_SYMBOL})?\s?(?P<n2>{_NUM})"
    rf"(?:\s?(?P<s2>{_SHORT_SCALE})|\s(?P<l2>{_LONG_SCALE}))?)?"
)
_SUFFIXED = re.compile(
    rf"(?:(?P<between>zwischen|between)\s)?(?<![\w.,])(?:(?P<n1>{_NUM})|(?P<w1>{_WORDNUM}))"
    rf"(?:(?:\s?(?:-|–|bis|to)\s?|(?(between)\s(?:und|and)\s|(?!)))(?P<n2>{_NUM}))?"
    rf"(?:\s?(?P<s1>{_SHORT_SCALE})|\s(?P<l1>{_LONG_SCALE}))?\s?(?:of\s+)?(?P<cur>{_CURRENCY_WORD})"
    r"(?![\w])",
    re.IGNORECASE,
)
_PERCENT = re.compile(
    rf"(?<![\w.,])(?:(?P<n1>{_NUM})|(?P<w1>{_WORDNUM}))\s?(?P<unit>%|Prozentpunkte?n?|Prozent|"
    r"percentage\s+points?|per\s?cent|percent|pct\b)",
    re.IGNORECASE,
)
_COUNT_NOUN = (
    r"jobs|staff|employees|workers|people|subscribers|users|customers|members|viewers|listeners"
    r"|readers|copies|units|stores|shops|branches|outlets|players|downloads|songs|tracks|films"
    r"|movies|titles|games|devices|phones|handsets|households|accounts|visitors|fans|artists"
    r"|cinemas|screens|channels|stations|shares|apps|consoles|computers|vehicles|cars|passengers"
    r"|homes|Angestellten?|Mitarbeitern?|Mitarbeiterinnen|Beschäftigten?|Arbeitsplätzen?|Stellen"
    r"|Jobs|Abonnenten|Abonnentinnen|Nutzern?|Nutzerinnen|Kunden|Mitgliedern?|Zuschauern?|Hörern?"
    r"|Lesern?|Exemplaren?|Geräten?|Filialen|Geschäften?|Läden|Haushalten?|Downloads|Aktien|Stück"
    r"|Besuchern?|Fans|Spielen?|Filmen?|Songs|Titeln?|Apps|Konsolen|Smartphones|Handys|Autos"
    r"|Fahrzeugen?|Passagieren?|Menschen|Personen|Wohnungen|Mitarbeitende|Beschäftigte"
)
_COUNT = re.compile(
    rf"(?<![\w.,$€£])(?:(?P<n1>{_NUM})|(?P<w1>{_WORDNUM}))(?:\s(?P<l1>{_LONG_SCALE}))?"
    rf"\s(?:[a-zäöüß][\w-]*\s)?(?P<noun>{_COUNT_NOUN})(?![\w])",
    re.IGNORECASE,
)
_DIGITS = re.compile(rf"(?<![\w.,\[])(?:{_NUM})(?![\d\]])")
_WORD_NUMBER = re.compile(
    r"(?<![\w-])(?:"
    + "|".join(re.escape(w) for w in sorted(NUMBER_WORDS, key=len, reverse=True) if len(w) > 3)
    + r"|one|two|six|ten|elf|acht|vier|drei|zwei|neun|null|half)(?![\w-])",
    re.IGNORECASE,
)
_QUALIFIER_WORDS: tuple[tuple[str, Qualifier], ...] = (
        (r"\b(?:more than|over|above|in excess of|mehr als|über|gut|upwards of", "more"),
        (r"\b(?:less than|under|below|weniger als|knapp|unter|almost|nearly|fast|beinahe", "less"),
        (r"\b(?:about|around|roughly|approximately|some|an estimated|rund|etwa|ca\.|circa|"
         r"zirka|ungefähr|geschätzte?n?", "about"),
        (r"\b(?:at least|mindestens|wenigstens", "at_least"),
        (r"\b(?:up to|bis zu", "up_to"),
)  # fmt: skip
_QUALIFIERS = [(re.compile(p + r")\s*$", re.I), q) for p, q in _QUALIFIER_WORDS]
_PER: list[tuple[re.Pattern[str], Per]] = [
    (re.compile(r"\s*(?:a|per|each|pro|je)\s+(?:share|aktie)\b", re.I), "share"),
    (re.compile(
        r"\s*(?:(?:a|per|pro|im|each)\s+(?:month|monat)\b|monthly|monatlich)", re.I
    ), "month"),
    (re.compile(
        r"\s*(?:(?:a|per|pro|im)\s+(?:year|jahr)\b(?!\s+\d)|annually|jährlich)", re.I
    ), "year"),
    (re.compile(
        r"\s*(?:(?:per|pro|je)\s+(?:unit|stück|user|nutzer|ticket|device|gerät|person|kopf)\b"
        r"|each\b)",
        re.I,
    ), "unit"),
]  # fmt: skip
_ARTICLES = frozenset("a an ein eine einen einem einer".split())
_BOUNDARY = re.compile(r"[.;!?]\s")
_STAKE = re.compile(
    r"\b(?:stake|holding|shareholding|equity|beteilig\w*|anteil\w*|aktien)\b", re.IGNORECASE
)


def number_values(token: str, language: str | None = None) -> frozenset[Decimal]:
    """The values a written number can mean: one when the language is known, both readings
    of "6.800" (6800 and 6.8) when it is not. "1,5" is 1.5 in either language."""
    token = re.sub(r"[\u00a0\u202f]", ".", token)
    seps = re.findall(r"[.,]", token)
    readings: set[str] = set()
    if not seps:
        readings.add(token)
    elif len(set(seps)) == 2:
        whole, _, fraction = token.rpartition(seps[-1])
        readings.add(re.sub(r"[.,]", "", whole) + "." + fraction)
    elif len(seps) > 1:
        readings.add(re.sub(r"[.,]", "", token))
    else:
        whole, fraction = re.split(r"[.,]", token)
        thousands = len(fraction) == 3
        decimal_sep = {"de": ",", "en": "."}.get(language or "")
        if thousands and decimal_sep is None:
            readings.update({whole + fraction, f"{whole}.{fraction}"})
        elif thousands and seps[0] != decimal_sep:
            readings.add(whole + fraction)
        else:
            readings.add(f"{whole}.{fraction}")
    values: set[Decimal] = set()
    for reading in readings:
        try:
            values.add(Decimal(reading).normalize())
        except InvalidOperation:
            continue
    return frozenset(values)


def _plain(value: Decimal) -> Decimal:
    """Without trailing zeros or an exponent: 6750000000, not 6.75E+9."""
    value = value.normalize()
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def _value(token: str, language: str | None) -> Decimal:
    """The likelier reading: thousands for a lone group of three digits in unknown language."""
    values = number_values(token, language)
    return max(values) if values else Decimal(0)


def _spoken(word: str | None) -> Decimal | None:
    return None if word is None else _SPOKEN.get(re.sub(r"\s+", " ", word.lower()))


def _scale(short: str | None, long: str | None, language: str | None) -> Decimal:
    word = (short or long or "").rstrip(".")
    if not word:
        return Decimal(1)
    if word.startswith("Billion") and language != "en":
        return Decimal(10**12)
    return SCALES[word.lower()]


def _amount_language(match: re.Match[str], language: str | None) -> str | None:
    """The language an amount is written in, from its own words when the caller doesn't know."""
    if language:
        return language
    scale = match.group("l1") or ""
    if scale[:1].isupper() or re.search(r"Franken|Pfund|Rubel|Euro\b", match.group()):
        return "de"
    if match.group("s1") or scale or match.group("cur").strip().startswith(("$", "£", "US$")):
        return "en"
    return None


def _qualifier(text: str, start: int) -> Qualifier | None:
    before = text[max(0, start - 25) : start]
    for pattern, qualifier in _QUALIFIERS:
        if pattern.search(before):
            return qualifier
    return None


def _per(text: str, end: int) -> Per | None:
    after = text[end : end + 25]
    for pattern, per in _PER:
        if pattern.match(after):
            return per
    return None


def _currency(raw: str) -> str:
    key = re.sub(r"\s+", " ", raw.strip().lower().rstrip("."))
    return CURRENCIES.get(key) or CURRENCIES.get(key.split()[-1], "USD")


def money_in(text: str, language: str | None = None) -> list[Money]:
    """Amounts of money, whether a symbol leads ("$6.75bn", "US$ 50m", "€1.2 billion") or a
    word follows ("115 Millionen Dollar", "eine halbe Milliarde Dollar", "120 Mio. €")."""
    found: list[Money] = []
    taken: list[tuple[int, int]] = []
    for pattern in (_PREFIXED, _SUFFIXED):
        for m in pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            lang = _amount_language(m, language)
            groups = m.groupdict()
            low_scale = _scale(groups["s1"], groups["l1"], lang)
            high_scale = _scale(groups.get("s2"), groups.get("l2"), lang)
            if not (groups["s1"] or groups["l1"]):
                low_scale = high_scale
            elif not (groups.get("s2") or groups.get("l2")):
                high_scale = low_scale
            base = _spoken(groups.get("w1"))
            value = (base if base is not None else _value(groups["n1"], lang)) * low_scale
            high = _value(groups["n2"], lang) * high_scale if groups["n2"] else None
            found.append(
                Money(
                    m.start(),
                    m.end(),
                    m.group(),
                    value=_plain(value),
                    currency=_currency(m.group("cur")),
                    high=_plain(high) if high is not None else None,
                    qualifier=_qualifier(text, m.start()),
                    per=_per(text, m.end()),
                )
            )
            taken.append((m.start(), m.end()))
    return sorted(found, key=lambda money: money.start)


def percents_in(text: str, language: str | None = None) -> list[Percent]:
    """Percentages ("1,4 Prozent", "20%", "20 per cent", "zwölf Prozent"); `stake` when the
    words around, in the same sentence, speak of a holding ("a 49% stake", "Anteil von 20
    Prozent"). Of two readings of an unknown-language number the smaller is the percentage."""
    found: list[Percent] = []
    for m in _PERCENT.finditer(text):
        base = _spoken(m.group("w1"))
        readings = number_values(m.group("n1"), language) if base is None else {base}
        before = _BOUNDARY.split(text[max(0, m.start() - 40) : m.start()])[-1]
        after = _BOUNDARY.split(text[m.end() : m.end() + 40])[0]
        unit = m.group("unit").lower()
        found.append(
            Percent(
                m.start(),
                m.end(),
                m.group(),
                value=_plain(min(readings)),
                qualifier=_qualifier(text, m.start()),
                stake=bool(_STAKE.search(before) or _STAKE.search(after)),
                points="punkt" in unit or "point" in unit,
            )
        )
    return found


def counts_in(text: str, language: str | None = None) -> list[Count]:
    """How many of something: "1.200 Angestellte", "3,000 jobs", "zwei Millionen Abonnenten",
    "10 million subscribers" (an adjective may stand between: "3,000 new jobs"); an article is
    no count ("einen Kunden") unless a scale follows ("eine Million Nutzer")."""
    found: list[Count] = []
    for m in _COUNT.finditer(text):
        if (m.group("w1") or "").lower() in _ARTICLES and not m.group("l1"):
            continue
        base = _spoken(m.group("w1"))
        lang = language or ("de" if m.group("noun")[0].isupper() else "en")
        value = base if base is not None else _value(m.group("n1"), lang)
        value *= _scale(None, m.group("l1"), lang)
        found.append(
            Count(
                m.start(),
                m.end(),
                m.group(),
                value=_plain(value),
                noun=m.group("noun"),
                qualifier=_qualifier(text, m.start()),
            )
        )
    return found


def numbers_in(text: str, language: str | None = None) -> list[Number]:
    """Numbers as written, digits ("6.800", "1,5"; not citation markers like "[2]") and words
    ("zwölf", "twelve", "half"), without their scale: "115 Millionen" gives 115."""
    found = [
        Number(m.start(), m.end(), m.group(), _plain(_value(m.group(), language)), values)
        for m in _DIGITS.finditer(text)
        if (values := number_values(m.group(), language))
    ]
    for m in _WORD_NUMBER.finditer(text):
        value = _SPOKEN.get(m.group().lower()) or NUMBER_WORDS[m.group().lower()]
        found.append(Number(m.start(), m.end(), m.group(), value, frozenset({value})))
    return sorted(found, key=lambda number: number.start)
