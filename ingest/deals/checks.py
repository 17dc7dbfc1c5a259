"""The quote check: does a quoted passage state the value a deal field claims?

Whoever fills a field (the rule-based extractor at ingest, a language model on --reextract)
must pass it: a name must be written in the quote, an amount must be read from the quote with
the same value and currency, a percentage, a date, a kind or a status must have its words
there. The announcement date may instead be the article's own publication date.
"""

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from ingest.deals.amounts import amounts_in
from ingest.deals.lexicon import (
    HEARSAY,
    KIND_OF_LEMMA,
    STAKE_WORDS,
    STATUS_CUES,
    TRIGGERS,
    UNDISCLOSED,
    Kind,
)
from ingest.text import dates_in, percents_in

_SPACE = re.compile(r"\s+")


def _kind_cues() -> dict[Kind, re.Pattern[str]]:
    by_kind: dict[Kind, list[str]] = {}
    for form in TRIGGERS:
        by_kind.setdefault(KIND_OF_LEMMA[form.lemma], []).append(form.pattern)
    by_kind["acquisition"] += [f.pattern for f in TRIGGERS if f.lemma in {"sell", "bid"}]
    by_kind["stake"] += [
        STAKE_WORDS.pattern.replace(r"\b", ""),
        r"steig(?:t|en)|stiegen?|eingestiegen|Einstiegs?",
    ]
    by_kind["funding round"] = [
        r"funding",
        r"financing\s+round",
        r"(?:series\s+[a-e]\s+)?round",
        r"raised",
        r"Finanzierungsrunde\w*",
        r"Kapitalrunde\w*",
        r"eingesammelt",
        r"sammelt\w*",
    ]
    by_kind["bid"] = [f.pattern for f in TRIGGERS if f.lemma == "bid"]
    return {
        kind: re.compile(r"(?<![\w])(?:" + "|".join(patterns) + r")(?![\w])", re.IGNORECASE)
        for kind, patterns in by_kind.items()
    }


KIND_CUES = _kind_cues()


def flat(text: str) -> str:
    """Whitespace collapsed: hard-wrapped wire copy and a quote joined by " … " compare alike."""
    return _SPACE.sub(" ", text).strip()


def states_name(quote: str, name: str) -> bool:
    """A party is stored as the source writes it, so its exact words must be in the quote."""
    name = flat(name)
    return bool(name) and name in flat(quote)


def states_kind(quote: str, kind: str) -> bool:
    pattern = KIND_CUES.get(kind)  # type: ignore[call-overload]
    return pattern is not None and pattern.search(quote) is not None


def states_status(quote: str, status: str) -> bool:
    if status == "rumoured" and HEARSAY.search(quote):
        return True
    pattern = STATUS_CUES.get(status)  # type: ignore[call-overload]
    return pattern is not None and pattern.search(quote) is not None


def _close(a: Decimal, b: float) -> bool:
    return abs(float(a) - b) <= 1e-9 * max(1.0, abs(b))


def states_amount(
    quote: str, value: float | None, currency: str | None, text: str, language: str | None
) -> bool:
    """The amount's own words are in the quote and read as its value and currency; an
    undisclosed price is words that say so, with neither value nor currency."""
    if not states_name(quote, text):
        return False
    if value is None:
        return currency is None and UNDISCLOSED.search(text) is not None
    return any(
        m.currency == currency and _close(m.value, value) for m in amounts_in(text, language)
    )


def states_percent(quote: str, value: float, language: str | None) -> bool:
    pct = re.sub(r"\bpct\b", "%", quote)
    return any(_close(p.value, value) for p in percents_in(pct, language))


def states_date(quote: str, value: date, published: date | None) -> bool:
    if value == published:
        return True
    year = published.year if published else None
    return any(d.date == value and d.precision == "day" for d in dates_in(quote, year))


def states(
    field: str, value: Any, quote: str, published: date | None, language: str | None
) -> bool:
    """Does the quote (or, for `announced`, the article's date) state this field's value?"""
    checks: dict[str, Callable[[], bool]] = {
        "buyer": lambda: states_name(quote, value),
        "target": lambda: states_name(quote, value),
        "seller": lambda: states_name(quote, value),
        "kind": lambda: states_kind(quote, value),
        "status": lambda: states_status(quote, value),
        "amount": lambda: states_amount(quote, value.value, value.currency, value.text, language),
        "stake_percent": lambda: states_percent(quote, value, language),
        "announced": lambda: states_date(quote, value, published),
    }
    check = checks.get(field)
    return check is not None and check()
