"""Typed answers: which sentences carry a value of the type a question asks for (an amount, a
stake, a date, a count, a name, a reason), ranked before mere similarity, and the value itself,
stated in the asker's language as the answer's first line.

"How much did Telia Sonera invest in Spotify?" over a German article: the sentence with "115
Millionen Dollar" and "Telia Sonera" answers it; "Spotify hat seine Kasse mit mehr als einer
halben Milliarde Dollar aufgefüllt" is about Spotify's money, but not about Telia Sonera.
"""

import re
from collections.abc import Iterator
from decimal import Decimal

from bot.core.models import Evidence
from ingest.sentences import split_sentences
from ingest.text import (
    DateMention,
    Money,
    Percent,
    QuestionAnalysis,
    counts_in,
    dates_in,
    mentions,
    money_in,
    names_in,
    numbers_in,
    percents_in,
)
from vectorstore.models import SearchHit

_CAUSAL = re.compile(
    r"\b(?:because|since|as a result|in order to|so that|so as to|aims? to|hopes? to|wants? to|"
    r"to gain|to get|to expand|to strengthen|to enter|to access|in a bid to|the reason|"
    r"weil|da\b|denn|damit|um\b[^.]{0,80}\bzu\b|erhofft|erhoffen|verspricht sich|versprechen|"
    r"will\b|wollen|soll\b|Ziel|wegen|deshalb|daher|darum|Grund)",
    re.IGNORECASE,
)
_ANAPHOR = re.compile(
    r"^(?:the (?:deal|takeover|acquisition|merger|company|firm|group|move|purchase|stake|bid)|"
    r"it|its|this|that|these|those|they|he|she|such|"
    r"(?:der|die|das|dieser|diese|dieses) (?:deal|übernahme|kauf|konzern|unternehmen|firma|"
    r"schritt|anteil|beteiligung|gruppe)|es|er|sie|dies|dabei|damit|dafür|davon|daher|"
    r"deshalb|um hier|um dort|hier|dort|so|auch)\b",
    re.IGNORECASE,
)
_PERIOD_PRICES = ("month", "year", "unit")
_ENTITY_TYPES = ("buyer", "seller", "company", "person")
TYPED = ("amount", "stake", "date", "count", *_ENTITY_TYPES)
VALUE_TYPES = ("amount", "stake", "date", "count")
"""Types whose value the first line states. A who/which answer needs the roles of a deal's
parties ("US phone company Qwest ... offer for MCI" names two companies, and the first is not
the one Verizon bought); until the deal records supply roles, those answers lead with quotes."""


def sentences_with_neighbours(hit: SearchHit) -> Iterator[tuple[str, str]]:
    """Each sentence of a hit with the text around it (title, previous and next sentence): a
    value is tied to a name when they sit that close."""
    sentences = split_sentences(hit.text)
    for i, sentence in enumerate(sentences):
        around = " ".join(sentences[max(0, i - 1) : i + 2])
        yield sentence, f"{hit.title}\n{around}"


def _deal_money(sentence: str, language: str) -> list[Money]:
    """Amounts that can be a deal's value: not subscription or unit prices."""
    return [m for m in money_in(sentence, language) if m.per not in _PERIOD_PRICES]


def _other_names(analysis: QuestionAnalysis, sentence: str, language: str) -> list[str]:
    """Names in the sentence the question does not name: the candidates for a who/which answer.
    A person question wants names the text marks as people ("Chief Executive Jack Ma") when
    it has any. German capitalises every noun and the name finder is unsure there (precision
    0.44 on 10kGNAD, docs/benchmarks/text-analysis.md), so in German only name-shaped names
    (acronyms, camel case) count."""
    asked = analysis.name_texts
    found = [
        n
        for n in names_in(sentence, language, known=asked)
        if (language == "en" or n.basis == "shape")
        and not any(mentions(n.text, a) or mentions(a, n.text) for a in asked)
    ]
    if analysis.answer_type == "person" and any(n.kind == "person" for n in found):
        found = [n for n in found if n.kind == "person"]
    return [n.text for n in found]


def _decade(sentence: str, mention: DateMention) -> bool:
    """ "the 1970s", "die 1970er-Jahre": a decade, not the year 1970."""
    return mention.precision == "year" and sentence[mention.end : mention.end + 1] in ("s", "e")


def carries_value(analysis: QuestionAnalysis, sentence: str, around: str, language: str) -> bool:
    """Does the sentence state a value of the asked type?"""
    kind = analysis.answer_type
    if kind == "amount":
        return bool(_deal_money(sentence, language))
    if kind == "stake":
        return bool(percents_in(sentence, language))
    if kind == "date":
        return bool(dates_in(sentence))
    if kind == "count":
        return bool(counts_in(sentence, language) or numbers_in(sentence, language))
    if kind in _ENTITY_TYPES:
        return bool(_other_names(analysis, sentence, language))
    if kind == "reason":
        return _CAUSAL.search(sentence) is not None
    return False


def rank_by_type(
    analysis: QuestionAnalysis, evidence: list[Evidence], hits: list[SearchHit]
) -> list[Evidence]:
    """Sentences that carry a value of the asked type and mention the question's names (or sit
    next to a sentence that does) first, then those with one of the two, each group by score."""
    names = analysis.name_texts
    contexts = {
        (h, i): around
        for h, hit in enumerate(hits)
        for i, (_, around) in enumerate(sentences_with_neighbours(hit))
    }

    def tier(item: Evidence) -> int:
        hit = hits[item.hit_index]
        around = contexts.get((item.hit_index, item.position), item.sentence)
        named = all(mentions(around, n) for n in names)
        valued = carries_value(analysis, item.sentence, around, hit.language)
        if analysis.answer_type in (*TYPED, "reason"):
            return 2 if valued and named else int(named)
        return int(named)

    return sorted(evidence, key=lambda item: (tier(item), item.score), reverse=True)


def with_antecedent(item: Evidence, hit: SearchHit) -> str:
    """The sentence, led by the one before it when it opens with an anaphor ("The deal ...",
    "Um hier Fuß zu fassen ..."), so the quote makes sense on its own."""
    if item.position == 0 or not _ANAPHOR.match(item.sentence):
        return item.sentence
    sentences = split_sentences(hit.text)
    if item.position >= len(sentences) or sentences[item.position] != item.sentence:
        return item.sentence
    return f"{sentences[item.position - 1]} {item.sentence}"


_SYMBOLS = {"USD": "$", "GBP": "£", "EUR": "€", "JPY": "¥"}
_CURRENCY_DE = {"USD": "Dollar", "GBP": "Pfund", "EUR": "Euro", "JPY": "Yen", "CHF": "Franken"}
_SCALES = (
    (Decimal(10) ** 12, "trillion", "Billionen"),
    (Decimal(10) ** 9, "billion", "Milliarden"),
    (Decimal(10) ** 6, "million", "Millionen"),
)
_MONTHS = {
    "en": "January February March April May June July August September October November December",
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
}


def _number(value: Decimal, language: str) -> str:
    text = f"{value.normalize():,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if language == "de":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def format_money(money: Money, language: str) -> str:
    """ "$115 million" / "115 Millionen Dollar": the source's currency, the asker's words."""
    value, scale_en, scale_de = money.value, "", ""
    for size, en, de in _SCALES:
        if abs(value) >= size:
            value, scale_en, scale_de = value / size, en, de
            break
    number = _number(value, language)
    if language == "de":
        currency = _CURRENCY_DE.get(money.currency, money.currency)
        return " ".join(part for part in (number, scale_de, currency) if part)
    symbol = _SYMBOLS.get(money.currency)
    amount = f"{symbol}{number}" if symbol else f"{number} {money.currency}"
    return f"{amount} {scale_en}".strip()


def format_percent(percent: Percent, language: str) -> str:
    number = _number(percent.value, language)
    return f"{number} Prozent" if language == "de" else f"{number}%"


def format_date(mention: DateMention, language: str) -> str:
    month = _MONTHS["de" if language == "de" else "en"].split()[mention.date.month - 1]
    if mention.precision == "year":
        return str(mention.date.year)
    if mention.precision == "month":
        return f"{month} {mention.date.year}"
    day = f"{mention.date.day}." if language == "de" else str(mention.date.day)
    return f"{day} {month} {mention.date.year}"


def value_text(analysis: QuestionAnalysis, sentence: str, language: str, asker: str) -> str | None:
    """The asked value as the sentence states it, written for the asker."""
    kind = analysis.answer_type
    if kind == "amount":
        amounts = _deal_money(sentence, language)
        return format_money(amounts[0], asker) if amounts else None
    if kind == "stake":
        percents = sorted(percents_in(sentence, language), key=lambda p: not p.stake)
        return format_percent(percents[0], asker) if percents else None
    if kind == "date":
        dates = dates_in(sentence)
        if not dates:
            return None
        if _decade(sentence, dates[0]):
            year = dates[0].date.year
            return f"{year}er-Jahre" if asker == "de" else f"{year}s"
        return format_date(dates[0], asker)
    if kind == "count":
        counts = counts_in(sentence, language)
        if counts:
            return _number(counts[0].value, asker)
        numbers = numbers_in(sentence, language)
        return _number(numbers[0].value, asker) if numbers else None
    return None


_LABELS = {
    "amount": ("Amount", "Betrag"),
    "stake": ("Stake", "Anteil"),
    "date": ("Date", "Datum"),
    "count": ("Number", "Anzahl"),
}
_DEAL_SENTENCES = {
    ("amount", "buy", "en"): "{buyer} paid {value} for {target}",
    ("amount", "buy", "de"): "{buyer} zahlte {value} für {target}",
    ("amount", "invest", "en"): "{buyer} invested {value} in {target}",
    ("amount", "invest", "de"): "{buyer} investierte {value} in {target}",
    ("amount", "bid", "en"): "{buyer} bid {value} for {target}",
    ("amount", "bid", "de"): "{buyer} bot {value} für {target}",
    ("stake", "buy", "en"): "{buyer}'s stake in {target}: {value}",
    ("stake", "buy", "de"): "Anteil von {buyer} an {target}: {value}",
    ("stake", "invest", "en"): "{buyer}'s stake in {target}: {value}",
    ("stake", "invest", "de"): "Anteil von {buyer} an {target}: {value}",
}


def lead_line(analysis: QuestionAnalysis, value: str, n: int) -> str:
    """The answer's first line in the asker's language: the question's deal as a statement when
    its roles are known ("Telia Sonera invested $115 million in Spotify [1]."), else the value
    under the question's names ("Date (Alibaba, Amblin): October 2016 [1].")."""
    language = "de" if analysis.language == "de" else "en"
    template = _DEAL_SENTENCES.get((analysis.answer_type, analysis.trigger or "", language))
    if template and analysis.buyer and analysis.target:
        text = template.format(buyer=analysis.buyer, target=analysis.target, value=value)
        return f"{text} [{n}]."
    english, german = _LABELS[analysis.answer_type]
    label = german if language == "de" else english
    about = f" ({', '.join(analysis.name_texts)})" if analysis.name_texts else ""
    return f"{label}{about}: {value} [{n}]."
