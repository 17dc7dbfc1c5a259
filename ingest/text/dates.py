"""Calendar dates in English and German text, as precise as written: a day ("3. März 2016",
"March 3, 2016", "2016-03-03"), a month ("im März 2016", "March 2005") or a year ("2016",
"im Jahr 2015"). Relative words ("gestern", "last year") are not dates: they need the article's
date, which the caller has and this module does not.
"""

import re
from datetime import date

from ingest.text.mentions import DateMention, Precision
from ingest.text.words import MONTHS

_MONTH = (
    r"(?P<month>"
    + "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
    + r")(?:\.|(?![\w]))"
)
_YEAR = r"(?P<year>1[89]\d\d|20\d\d)(?![\d])"
_DAY = r"(?P<day>[0-3]?\d)"
_PATTERNS: list[tuple[re.Pattern[str], Precision]] = [
    (re.compile(rf"(?<![\d.-]){_YEAR}-(?P<mnum>[01]\d)-{_DAY}(?![\d])"), "day"),
    (re.compile(rf"(?<![\d.]){_DAY}\.(?P<mnum>[01]?\d)\.{_YEAR}"), "day"),
    (re.compile(
        rf"(?<![\d.]){_DAY}(?:\.|st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?:\s*,?\s*{_YEAR})?", re.I
    ), "day"),
    (re.compile(rf"{_MONTH}\s+{_DAY}(?:st|nd|rd|th)?(?![\d.])(?:,?\s+(?:{_YEAR}))?", re.I), "day"),
    (re.compile(rf"{_MONTH}\s*,?\s+{_YEAR}", re.I), "month"),
    (re.compile(
        rf"(?<![\w.,$€£-]){_YEAR}(?![.,]\d|\s?(?:%|Prozent|per\s?cent|Euro|Dollar|dollars))"
    ), "year"),
]  # fmt: skip
_DIGIT = re.compile(r"\d")
_YEAR_ONLY_MONTH = re.compile(
    rf"(?:\b(?:in|im|seit|since|until|bis|anfang|ende|mitte|early|late|mid-?|vom|von)\s+){_MONTH}",
    re.I,
)


def _build(year: int | None, month: int, day: int | None) -> date | None:
    if year is None:
        return None
    try:
        return date(year, month, day or 1)
    except ValueError:
        return None


def dates_in(text: str, year: int | None = None) -> list[DateMention]:
    """Dates in the text, in order. A day or month written without a year ("am 3. März",
    "since March") counts only when `year` (say, the article's) is given; a bare month needs a
    preposition before it ("im März"), so "May" the verb is never a date."""
    if year is None and not _DIGIT.search(text):
        return []
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []

    def add(start: int, end: int, when: date | None, precision: Precision) -> None:
        if when is None or any(s < end and start < e for s, e in taken):
            return
        taken.append((start, end))
        found.append(DateMention(start, end, text[start:end].strip(), when, precision))

    for pattern, precision in _PATTERNS:
        for m in pattern.finditer(text):
            groups = m.groupdict()
            written = int(groups["year"]) if groups.get("year") else year
            month = int(groups["mnum"]) if groups.get("mnum") else 1
            if groups.get("month"):
                month = MONTHS[groups["month"].lower().rstrip(".")]
                if groups["month"][0].islower() and groups["month"].lower() == "may":
                    continue
            day = int(groups["day"]) if groups.get("day") else None
            add(m.start(), m.end(), _build(written, month, day), precision)
    if year is not None:
        for m in _YEAR_ONLY_MONTH.finditer(text):
            month = MONTHS[m.group("month").lower().rstrip(".")]
            add(m.start("month"), m.end(), _build(year, month, None), "month")
    return sorted(found, key=lambda mention: mention.start)
