"""Does a gold answer span occur in a piece of answer text? Matching that is fair to answers
written in another language or number style than the source.

Both texts become token lists, and the gold span must occur as a run of tokens:

- case, accents, punctuation and spacing do not count ("Daily Mail & General Trust" =
  "daily mail and general trust"; "und", "and" and "&" are one connector);
- a word may carry a short inflection ending the other lacks ("Apples" = "Apple",
  "Dollars" = "Dollar"), but only whole words match ("Sky" is not in "Skype"), except that
  the span's last word may open a German compound ("Zilien" is in "Zilienbänder");
- numbers compare by value: "1,2" = "1.2", "1.200" = "1,200" = "1200" (a separator before
  exactly three digits may be either kind); number words count ("zehn" = "ten" = "10");
  a scale joins its number ("115 Millionen" = "115 million" = "115m"; "1,5 Mrd." = "$1.5bn");
- currencies are one token wherever they stand ("$", "US-Dollar", "dollars" = usd; "€",
  "euros" = eur; "£", "Pfund" = gbp); a symbol before its number moves behind it, so
  "$2bn" = "2 Milliarden Dollar"; percent signs and words are one token ("1,4 Prozent" = "1.4%");
- month names are one token in both languages, day before month ("7. Februar" =
  "February 7"; "Jänner" = "January"), and so is a unit of time after a number
  ("zehn Jahre" = "ten years");
- leading articles and prepositions of the gold span are optional ("im Jahr 2010" needs
  "Jahr 2010"; "die Falic Group" needs "Falic Group").

Nothing is translated beyond that: an English "the Rhine" does not match a German "Rhein".
"""

import re
import unicodedata
from collections.abc import Collection, Sequence
from dataclasses import dataclass

Token = str | frozenset[float]
"""A word (normalised string) or a number (the values its spelling may stand for)."""

_NUMBER = r"(?P<pre>us\$|[$€£¥])?\s?(?P<num>\d+(?:[.,'’]\d+)*)(?P<suf>[^\W\d_]{1,3}(?![^\W\d_]))?"
_SCANNER = re.compile(rf"{_NUMBER}|(?P<sym>[$€£¥%&])|(?P<word>[^\W_]+)")
_INNER_APOSTROPHE = re.compile(r"(?<=[^\W\d_])['’](?=[^\W\d_])")

_SCALES = {
    "thousand": 1e3, "thousands": 1e3, "tausend": 1e3, "tsd": 1e3, "k": 1e3,
    "million": 1e6, "millions": 1e6, "millionen": 1e6, "mio": 1e6, "mn": 1e6, "m": 1e6,
    "billion": 1e9, "billions": 1e9, "milliarde": 1e9, "milliarden": 1e9, "mrd": 1e9,
    "bn": 1e9, "bln": 1e9,
}  # fmt: skip
_ATTACHED_SCALES = {"k", "m", "mn", "bn", "mio", "mrd"}
_WORD_SCALES = {word: scale for word, scale in _SCALES.items() if word not in {"k", "m"}}
"""Scales that may stand apart from their number ("100 m" is a distance, "100m" money)."""
_ORDINAL_SUFFIXES = {"st", "nd", "rd", "th"}
_SCALE_ONLY_WORDS = {
    "a": 1.0, "an": 1.0, "one": 1.0, "ein": 1.0, "eine": 1.0, "einer": 1.0, "einem": 1.0,
    "einen": 1.0, "half": 0.5, "halbe": 0.5, "halben": 0.5, "halb": 0.5,
}  # fmt: skip
_NUMBER_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20, "hundred": 100,
    "zwei": 2, "drei": 3, "vier": 4, "funf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9,
    "zehn": 10, "elf": 11, "zwolf": 12, "zwanzig": 20, "hundert": 100,
}  # fmt: skip
_CURRENCIES = {
    "$": "usd", "us$": "usd", "usd": "usd", "dollar": "usd", "dollars": "usd",
    "€": "eur", "eur": "eur", "euro": "eur", "euros": "eur",
    "£": "gbp", "gbp": "gbp", "pfund": "gbp", "pound": "gbp", "pounds": "gbp",
    "¥": "jpy", "yen": "jpy", "jpy": "jpy", "chf": "chf", "franken": "chf",
}  # fmt: skip
_PERCENT = {"%", "prozent", "percent", "pct", "prozentpunkte"}
_CONNECTORS = {"und", "and", "&"}
_DURATIONS = {
    **dict.fromkeys(("jahr", "jahre", "jahren", "jahres", "year", "years"), "unit:year"),
    **dict.fromkeys(("monat", "monate", "monaten", "month", "months"), "unit:month"),
    **dict.fromkeys(("woche", "wochen", "week", "weeks"), "unit:week"),
    **dict.fromkeys(("tag", "tage", "tagen", "day", "days"), "unit:day"),
    **dict.fromkeys(("stunde", "stunden", "hour", "hours"), "unit:hour"),
}
"""Units of time after a number, the one kind of word that is translated ("zehn Jahre")."""
_MONTHS = {
    **dict.fromkeys(("january", "januar", "janner", "jan"), 1),
    **dict.fromkeys(("february", "februar", "feber", "feb"), 2),
    **dict.fromkeys(("march", "marz", "mar", "mrz"), 3),
    **dict.fromkeys(("april", "apr"), 4),
    **dict.fromkeys(("may", "mai"), 5),
    **dict.fromkeys(("june", "juni", "jun"), 6),
    **dict.fromkeys(("july", "juli", "jul"), 7),
    **dict.fromkeys(("august", "aug"), 8),
    **dict.fromkeys(("september", "sept", "sep"), 9),
    **dict.fromkeys(("october", "oktober", "oct", "okt"), 10),
    **dict.fromkeys(("november", "nov"), 11),
    **dict.fromkeys(("december", "dezember", "dec", "dez"), 12),
}
_AMBIGUOUS_MONTHS = {"may", "march", "jan", "mar", "august", "aug"}
"""Also ordinary words or names: months only next to a number ("May 5", "5 May 2004")."""
_OPTIONAL_LEAD = set(
    """the a an der die das den dem des ein eine einer eines einem einen in im am an um von vom
    zum zur bei mit fur from of at on to by for""".split()
)
_INFLECTIONS = ("s", "es", "n", "en", "e", "er", "ern", "em", "ns")
_COMPOUND_HEAD = 4
_COMPOUND_REST = 3
_TOLERANCE = 1e-9


def _fold(text: str) -> str:
    """Casefolded, accents dropped (ä -> a, ß -> ss, é -> e)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _values(digits: str) -> frozenset[float] | None:
    """The values a digit string may stand for; None when it is no plain number."""
    separators = re.findall(r"[.,'’]", digits)
    groups = re.split(r"[.,'’]", digits)
    if not separators:
        return frozenset({float(digits)})
    if len(set(separators)) == 2 and len(groups) >= 3:
        decimal = digits.rfind(separators[-1])
        whole = re.sub(r"[.,'’]", "", digits[:decimal])
        return frozenset({float(f"{whole}.{digits[decimal + 1 :]}")})
    if len(set(separators)) > 1:
        return None
    found: set[float] = set()
    if all(len(g) == 3 for g in groups[1:]):
        found.add(float("".join(groups)))
    if len(groups) == 2 and separators[0] in ".,":
        found.add(float(".".join(groups)))
    return frozenset(found) or None


def _scaled(values: frozenset[float], scale: float) -> frozenset[float]:
    return frozenset(v * scale for v in values)


def _raw_tokens(text: str) -> list[Token]:
    """Words, numbers (with an attached scale or a prefixed currency moved behind them) and
    the symbols that carry meaning."""
    tokens: list[Token] = []
    for match in _SCANNER.finditer(_fold(_INNER_APOSTROPHE.sub("", text))):
        if match.group("num") is not None:
            values = _values(match.group("num"))
            suffix = match.group("suf") or ""
            if values is None:
                tokens.append(match.group(0).strip())
                continue
            if suffix in _ATTACHED_SCALES:
                values = _scaled(values, _SCALES[suffix])
            elif suffix and suffix not in _ORDINAL_SUFFIXES:
                tokens.append(f"{match.group('num')}{suffix}")
                continue
            tokens.append(values)
            if match.group("pre"):
                tokens.append(f"pre:{_CURRENCIES[match.group('pre')]}")
        else:
            tokens.append(match.group("sym") or match.group("word"))
    return tokens


def _is_number(token: Token | None) -> bool:
    return isinstance(token, frozenset)


def _is_word(token: Token, words: Collection[str]) -> bool:
    return isinstance(token, str) and token in words


def _canonical(raw: list[Token]) -> list[Token]:
    """Number words, scales, currencies, percent, connectors and dates in one spelling."""
    out: list[Token] = []
    i = 0
    while i < len(raw):
        token = raw[i]
        after = raw[i + 1] if i + 1 < len(raw) else None
        if isinstance(token, str) and token in _SCALE_ONLY_WORDS:
            run = 1
            while run < 3 and i + run < len(raw) and _is_word(raw[i + run], _SCALE_ONLY_WORDS):
                run += 1
            scale = raw[i + run] if i + run < len(raw) else None
            if isinstance(scale, str) and scale in _WORD_SCALES:
                factor = min(_SCALE_ONLY_WORDS[str(w)] for w in raw[i : i + run])
                out.append(frozenset({factor * _WORD_SCALES[scale]}))
                i += run + 1
                continue
        if isinstance(token, str) and token in _NUMBER_WORDS:
            token = frozenset({float(_NUMBER_WORDS[token])})
        if isinstance(token, frozenset):
            prefix = after[4:] if isinstance(after, str) and after.startswith("pre:") else None
            i += 2 if prefix else 1
            scale = raw[i] if i < len(raw) else None
            if isinstance(scale, str) and scale in _WORD_SCALES:
                token = _scaled(token, _WORD_SCALES[scale])
                i += 1
            out.append(token)
            out.extend([prefix] if prefix else [])
            unit = raw[i] if i < len(raw) and not prefix else None
            if isinstance(unit, str) and unit in _DURATIONS:
                out.append(_DURATIONS[unit])
                i += 1
            continue
        if token == "us" and after in {"dollar", "dollars", "$"}:
            out.append("usd")
            i += 1
        elif token == "per" and after == "cent":
            out.append("%")
            i += 1
        elif token in _CURRENCIES:
            out.append(_CURRENCIES[token])
        elif token in _PERCENT:
            out.append("%")
        elif token in _CONNECTORS:
            out.append("and")
        else:
            out.append(token)
        i += 1
    return _dates(out)


def _dates(tokens: list[Token]) -> list[Token]:
    """Month names become "month:N", and "February 7" becomes "7 month:2"."""
    out = list(tokens)
    for i, token in enumerate(tokens):
        if not isinstance(token, str) or token not in _MONTHS:
            continue
        before = tokens[i - 1] if i > 0 else None
        after = tokens[i + 1] if i + 1 < len(tokens) else None
        if token in _AMBIGUOUS_MONTHS and not (_is_number(before) or _is_number(after)):
            continue
        out[i] = f"month:{_MONTHS[token]}"
    for i in range(len(out) - 1):
        day = out[i + 1]
        if (
            isinstance(out[i], str)
            and str(out[i]).startswith("month:")
            and isinstance(day, frozenset)
            and any(1 <= v <= 31 and v == int(v) for v in day)
            and not (i > 0 and _is_number(out[i - 1]))
        ):
            out[i], out[i + 1] = day, out[i]
    return out


def tokens(text: str) -> list[Token]:
    """The comparable tokens of a text (see the module docstring)."""
    return _canonical(_raw_tokens(text))


def _same(gold: Token, seen: Token) -> bool:
    if isinstance(gold, frozenset) or isinstance(seen, frozenset):
        if not (isinstance(gold, frozenset) and isinstance(seen, frozenset)):
            return False
        return any(abs(g - s) <= _TOLERANCE * max(1.0, abs(g)) for g in gold for s in seen)
    if gold == seen:
        return True
    short, long = sorted((gold, seen), key=len)
    return len(short) >= 3 and long.startswith(short) and long[len(short) :] in _INFLECTIONS


@dataclass(frozen=True)
class Span:
    """A gold answer, ready to look for."""

    text: str
    needle: tuple[Token, ...]


def gold_span(text: str) -> Span:
    """The gold text as tokens, leading articles and prepositions dropped (one token stays)."""
    found = tokens(text)
    while len(found) > 1 and isinstance(found[0], str) and found[0] in _OPTIONAL_LEAD:
        found = found[1:]
    return Span(text, tuple(found))


def _opens_compound(gold: Token, seen: Token) -> bool:
    """German writes compounds as one word, so a span's last word may open one ("Zilien" in
    "Zilienbänder"), if both parts are long enough not to be a coincidence."""
    return (
        isinstance(gold, str)
        and isinstance(seen, str)
        and gold.isalpha()
        and len(gold) >= _COMPOUND_HEAD
        and len(seen) - len(gold) >= _COMPOUND_REST
        and seen.startswith(gold)
    )


def _at(haystack: Sequence[Token], needle: Sequence[Token], start: int) -> bool:
    last = len(needle) - 1
    return all(
        _same(n, haystack[start + k]) or (k == last and _opens_compound(n, haystack[start + k]))
        for k, n in enumerate(needle)
    )


def contains(haystack: Sequence[Token], needle: Sequence[Token]) -> bool:
    """Is the needle a run of tokens in the haystack?"""
    if not needle:
        return False
    return any(_at(haystack, needle, i) for i in range(len(haystack) - len(needle) + 1))


def _ends_with(haystack: Sequence[Token], part: Sequence[Token]) -> bool:
    return len(part) <= len(haystack) and _at(haystack, part, len(haystack) - len(part))


def _starts_with(haystack: Sequence[Token], part: Sequence[Token]) -> bool:
    return len(part) <= len(haystack) and _at(haystack, part, 0)


def found_in(units: Sequence[str], span: Span) -> bool:
    """Is the span inside one of the units, or split over two of them: its first part ending
    one unit and the rest opening another? (A sentence splitter may cut an answer in two.)"""
    pieces = [tokens(unit) for unit in units]
    if any(contains(piece, span.needle) for piece in pieces):
        return True
    for cut in range(1, len(span.needle)):
        head, tail = span.needle[:cut], span.needle[cut:]
        ends = [i for i, piece in enumerate(pieces) if _ends_with(piece, head)]
        if any(_starts_with(p, tail) for i in ends for j, p in enumerate(pieces) if j != i):
            return True
    return False
