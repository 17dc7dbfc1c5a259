"""What a deal sentence says besides the parties: the deal's value (not a price per share, not a
revenue), the size of a stake, how far the deal got, and when.

An amount counts only where words make it the deal's value: "for", "worth", "valued at", "paid"
before it, or "deal", "takeover", "bid" right after it ("a $156m deal"); a conversion in
brackets after another amount ("$6.8bn (£3.6bn)") and figures of assets, sales or profits do
not. A following sentence may give the price only in so many words ("The purchase was valued at
14.8 mln dlrs", "Terms were not disclosed").
"""

import re
from datetime import date

from ingest.deals.amounts import amounts_in, undisclosed_in
from ingest.deals.lexicon import HEARSAY, STATUS_CUES, Status
from ingest.deals.models import Amount
from ingest.text import dates_in, percents_in
from ingest.text.mentions import Money

_HEDGE = (
    r"(?:about|around|some|roughly|approximately|nearly|almost|up\s+to|more\s+than|over|just"
    r"\s+over|less\s+than|under|an\s+estimated|a\s+reported|rund|etwa|knapp|mehr\s+als|über|bis"
    r"\s+zu|gut|fast|a|an|the|its|cash\s+and\s+\w+\s+securities\s+worth)"
)
_CUE_BEFORE = re.compile(
    r"(?:\bfor|\bworth|\bvalued\s+at|\bvalue\s+of|\bpaid|\bpay|\bpays|\bpaying|\bprice\s+of"
    r"|\bbid\s+of|\boffer\s+of|\bround\s+of|\bat|\bfür|\bzahlt\w*|\bgezahlt|\bWert\s+von|\bHöhe\s+von"
    r"|\bbietet|\bum|\bKaufpreis\s+von|\brealized|\braised|\bfetch\w*|\b(?:equivalent|amounting)"
    r"\s+to|\bconsideration\s+of|\btotal\s+of|\bsum\s+of|\bliegt\s+bei|\bbeträgt)\s+(?:"
    + _HEDGE
    + r"\s+)?$",
    re.IGNORECASE,
)
_CUE_AFTER = re.compile(
    r"^\s*(?:\([^)]*\)\s*)?(?:[\w-]+\s+){0,2}?(?:deal|takeover|acquisition|purchase|buyout"
    r"|bid|offer|merger|sale|transaction|investment|Übernahme|Deal|Kauf|Gebot|Angebot"
    r"|Transaktion)\b",
    re.IGNORECASE,
)
_PER_SHARE_OR = re.compile(r"\b(?:a|per)\s+share,?\s+or\s+$", re.IGNORECASE)
_NOT_A_PRICE = re.compile(
    r"(?:assets|sales|revenues?|profits?|turnover|earnings|income|debts?|loss(?:es)?|"
    r"capitali[sz]ation|Umsatz|Gewinn|Verlust|Schulden|Vermögen)\s+(?:\w+\s+){0,3}$",
    re.IGNORECASE,
)
_LATER_PRICE = re.compile(
    r"\b(?:deal|transaction|acquisition|purchase|sale|takeover|merger|price|offer|bid|terms"
    r"|Kaufpreis|Preis|Übernahme|Transaktion|bought|paid|purchased|acquired|sold|kaufte|zahlte)"
    r"\b[^.;]{0,60}?$",
    re.IGNORECASE,
)
_LATER_UNDISCLOSED = re.compile(
    r"\b(?:terms|price|details|amount|value|sum|Kaufpreis|Preis|Summe|Details)\b", re.IGNORECASE
)
_INTENT = re.compile(
    r"\b(?:to|will|would|shall|be|plans?|wants?|intends?|seeks?|hopes?|expects?|wollen|will"
    r"|plant|möchte)\s+(?:\w+\s+){0,1}$",
    re.IGNORECASE,
)


def _amount(money: Money) -> Amount:
    return Amount(value=float(money.value), currency=money.currency, text=money.text)


def _undisclosed(sentence: str) -> Amount | None:
    found = undisclosed_in(sentence)
    return Amount(value=None, currency=None, text=found[0].group().strip()) if found else None


def _candidates(sentence: str, language: str) -> list[Money]:
    """Amounts that can be a deal's value: not per share or per year, not a conversion in
    brackets after another amount, not a figure of assets or sales."""
    kept: list[Money] = []
    for money in amounts_in(sentence, language):
        before = sentence[max(0, money.start - 50) : money.start]
        if money.per is not None or _NOT_A_PRICE.search(before):
            continue
        if re.search(r"[\d$£€]\S*\s*\($|\(\s*$", before) and kept:
            continue
        kept.append(money)
    return kept


def deal_amount(sentence: str, language: str, start: int, end: int) -> Amount | None:
    """The value of the deal whose trigger spans `start`..`end`: the closest amount that words
    make a price (after the trigger preferred), else an undisclosed price."""
    scored = []
    for money in _candidates(sentence, language):
        before = sentence[max(0, money.start - 60) : money.start]
        after = sentence[money.end : money.end + 40]
        if not (
            _CUE_BEFORE.search(before) or _CUE_AFTER.match(after) or _PER_SHARE_OR.search(before)
        ):
            continue
        distance = money.start - end if money.start >= end else 2 * (start - money.end)
        scored.append((distance, money.start, money))
    if scored:
        return _amount(min(scored, key=lambda s: (s[0], s[1]))[2])
    return _undisclosed(sentence)


def later_amount(sentence: str, language: str) -> Amount | None:
    """A price stated in a following sentence only with words that make it the deal's."""
    for money in _candidates(sentence, language):
        before = sentence[max(0, money.start - 80) : money.start]
        if _LATER_PRICE.search(before) and _CUE_BEFORE.search(before):
            return _amount(money)
    if _LATER_UNDISCLOSED.search(sentence):
        return _undisclosed(sentence)
    return None


def stake_percent(sentence: str, language: str, lo: int, hi: int) -> float | None:
    """The size of the stake between two positions ("a 20% stake", "26 pct of", "Anteil von 20
    Prozent")."""
    text = re.sub(r"\bpct\b", "%", sentence)
    found = [p for p in percents_in(text, language) if lo - 30 <= p.start <= hi + 30]
    if not found:
        return None
    best = next((p for p in found if p.stake), found[0])
    return float(best.value)


def status_of(sentence: str, lo: int, start: int, end: int, hi: int) -> Status | None:
    """How far the deal got: a veto or withdrawal anywhere in the sentence first ("Regulators
    blocked Sony's takeover"), then hearsay anywhere, then, in the words from the deal's first
    party (`lo`) to its last (`hi`), the trigger at `start`..`end`: modals ("may", "soll"),
    completion (a past tense, unless an intent governs it: "agreed to buy"), agreement, a
    bid."""
    ending: tuple[Status, ...] = ("blocked", "withdrawn")
    for status in ending:
        if STATUS_CUES[status].search(sentence):
            return status
    if HEARSAY.search(sentence):
        return "rumoured"
    window = sentence[lo : max(end, hi) + 25]
    if STATUS_CUES["rumoured"].search(window):
        return "rumoured"
    intent = _INTENT.search(sentence[max(lo, start - 20) : start]) is not None
    if not intent and STATUS_CUES["completed"].search(window):
        return "completed"
    settling: tuple[Status, ...] = ("agreed", "bid")
    for status in settling:
        if STATUS_CUES[status].search(window):
            return status
    return None


def announced_in(sentence: str, published: date | None) -> date | None:
    """A day the sentence names, else the article's date."""
    year = published.year if published else None
    days = [d.date for d in dates_in(sentence, year) if d.precision == "day"]
    return days[0] if days else published
