"""Do two spellings name the same thing? Tolerant of case, inflection (Alibaba/Alibabas/
Alibaba's, Chinese/chinesischen), diacritics (Zürich/Zurich), German transliteration of Russian
(Lebedev/Lebedew, Gorbachev/Gorbatschow, Tchaikovsky/Tschaikowski, Khodorkovsky/Chodorkowski,
Yeltsin/Jelzin), a few exonyms no rule can derive (Munich/München, Vienna/Wien), company
suffixes (Alibaba Group/Alibaba) and obvious acronyms (IBM/International Business Machines);
not of different names that share a start (Instagram/Intel).
"""

import re
import unicodedata
from enum import IntEnum
from functools import lru_cache

_WORD = re.compile(r"[^\W_](?:[\w&]|['’.](?=[^\W_]))*", re.UNICODE)
_POSSESSIVE = re.compile(r"['’]s?$")
_SUFFIXES = frozenset(
    "inc ltd plc llc corp corporation co company ag gmbh se sa nv bv ab asa oyj kg kgaa spa "
    "group gruppe holding holdings partners limited".split()
)
_ENDINGS = frozenset(
    "s es n en e er ern em ens ie ien ier isch ische ischen ischer isches ish ese ian ians "
    "ner egen a o".split()
) | {""}
"""What may follow the shared start of two forms of one name (Alibaba/Alibabas, Italy/Italien,
Chinese/chinesischen, Norway/Norwegen), so that Microsoft is not an inflection of Micron."""
_LEADING = frozenset("the der die das".split())
_ACRONYM_FILLERS = frozenset("of and & the für und der die das de".split())
_EXONYM_SPELLINGS = {
    "münchen": "munich", "wien": "vienna", "köln": "cologne", "moskau": "moscow",
    "genf": "geneva", "rom": "rome", "prag": "prague", "warschau": "warsaw",
    "brüssel": "brussels", "mailand": "milan", "venedig": "venice", "neapel": "naples",
    "deutschland": "germany", "österreich": "austria", "schweiz": "switzerland",
    "frankreich": "france", "spanien": "spain", "großbritannien": "britain",
    "vereinigte staaten": "united states", "usa": "united states", "us": "united states",
    "russland": "russia", "japan": "japan", "türkei": "turkey", "griechenland": "greece",
    "niederlande": "netherlands", "belgien": "belgium", "schweden": "sweden",
}  # fmt: skip
"""Exonyms whose forms share too little for any rule; translations of ordinary nouns (Empire/
Reich) are deliberately not here: they are words, not names."""


class Strength(IntEnum):
    """How well a text mentions a name: not at all, by one distinctive word of a multi-word
    name ("Warner" for "Time Warner", "Lacroix" for "Christian Lacroix"), or fully."""

    NONE = 0
    PARTIAL = 1
    FULL = 2


def _fold(text: str) -> str:
    """Lower case without diacritics; German ä/ö/ü also as their ae/oe/ue spellings."""
    lowered = text.lower().replace("ß", "ss")
    lowered = lowered.replace("ae", "ä").replace("oe", "ö").replace("ue", "ü")
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_EXONYMS = {_fold(k): v for k, v in _EXONYM_SPELLINGS.items()}


def _words(name: str) -> list[str]:
    return [_POSSESSIVE.sub("", w) for w in _WORD.findall(name)]


def _core_words(name: str) -> list[str]:
    """The name's words without a leading article and trailing company suffixes."""
    words = [w.lower().rstrip(".") for w in _words(name)]
    while len(words) > 1 and words[0] in _LEADING:
        words.pop(0)
    while len(words) > 1 and words[-1] in _SUFFIXES:
        words.pop()
    return words


def name_key(name: str) -> str:
    """A normalised key for grouping spellings of one name: "Alibaba Group", "Alibaba" and
    "Alibabas" give the same key, as do "Amblin Partners" and "Amblin"."""
    words = [_fold(w) for w in _core_words(name)]
    if words and len(words[-1]) > 4 and words[-1].endswith("s") and words[-1][-2] not in "sxz":
        words[-1] = words[-1][:-1]
    joined = " ".join(words)
    return _EXONYMS.get(joined, joined)


@lru_cache(maxsize=65536)
def _sounds(word: str) -> frozenset[str]:
    """Phonetic spellings of a folded word. German writes Russian "ch" as "tsch", "kh" as "ch",
    "v" as "w", "y" as "j", "ts" as "z"; English "ch" is either, so both readings are kept."""
    w = _EXONYMS.get(word, word)
    w = w.replace("tsch", "C").replace("sch", "S").replace("tch", "C").replace("sh", "S")
    w = w.replace("kh", "X").replace("zh", "J").replace("ts", "z").replace("tz", "z")
    w = w.replace("w", "v").replace("y", "i").replace("j", "i").replace("ck", "k")
    w = re.sub(r"(.)\1+", r"\1", w)
    if "ch" in w:
        return frozenset({w.replace("ch", "C"), w.replace("ch", "X")})
    return frozenset({w})


def _same_word(a: str, b: str) -> bool:
    """Equal, an inflection (shared start of at least four letters and all but the last two of
    the shorter word: Alibaba/Alibabas, Chinese/chinesischen, Norway/Norwegen; not Instagram/
    Intel), or the same sounds in another transliteration."""
    a, b = _fold(a), _fold(b)
    if a == b:
        return True
    if min(len(a), len(b)) >= 4:
        shared = 0
        for x, y in zip(a, b, strict=False):
            if x != y:
                break
            shared += 1
        short, long = sorted((a, b), key=len)
        if shared >= max(4, len(short) - 2) and long[shared:] in _ENDINGS:
            return True
    if max(len(a), len(b)) < 5:
        return False
    sounds_a, sounds_b = _sounds(a), _sounds(b)
    if sounds_a & sounds_b:
        return True
    return any(_one_vowel_apart(x, y) for x in sounds_a for y in sounds_b)


def _one_vowel_apart(a: str, b: str) -> bool:
    """Gorbachev/Gorbatschow differ in one vowel (Russian ё); allowed from six letters on."""
    if len(a) != len(b) or len(a) < 6:
        return False
    diffs = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    return len(diffs) == 1 and all(c in "aeiou" for c in diffs[0])


def _is_acronym_of(acronym: str, words: list[str]) -> bool:
    initials = [w[0] for w in words if w.lower() not in _ACRONYM_FILLERS]
    return len(initials) >= 2 and "".join(initials).lower() == acronym.lower()


def _acronym_match(raw_a: str, raw_b: str) -> bool:
    """IBM / International Business Machines, MGM / Metro-Goldwyn-Mayer: initials only."""
    for short, raw_long in ((raw_a, raw_b), (raw_b, raw_a)):
        letters = short.replace("&", "")
        if len(_words(short)) == 1 and letters.isupper() and len(letters) >= 2:
            long_words = [p for w in _words(raw_long) for p in w.split("-")]
            if len(long_words) >= 2 and _is_acronym_of(letters, long_words):
                return True
    return False


def match_strength(a: str, b: str) -> Strength:
    """How strongly two names match: FULL when every core word of one matches the other's in
    order (suffixes and articles aside), PARTIAL when a single-word name matches the first or
    last word of a multi-word one ("Warner" for "Time Warner", "Servus" for "Servus TV")."""
    words_a, words_b = _core_words(a), _core_words(b)
    if not words_a or not words_b:
        return Strength.NONE
    if name_key(a) == name_key(b):
        return Strength.FULL
    if len(words_a) == len(words_b) and all(
        _same_word(x, y) for x, y in zip(words_a, words_b, strict=True)
    ):
        return Strength.FULL
    if _acronym_match(a, b):
        return Strength.FULL
    short, long = sorted((words_a, words_b), key=len)
    if (
        len(short) == 1
        and len(long) > 1
        and (_same_word(short[0], long[-1]) or _same_word(short[0], long[0]))
    ):
        return Strength.PARTIAL
    return Strength.NONE


def same_name(a: str, b: str) -> bool:
    """Do the two spellings name the same thing (see the module docstring for what counts)?"""
    return match_strength(a, b) is Strength.FULL


def mention_strength(text: str, name: str) -> Strength:
    """How the text mentions the name: its words in sequence anywhere (FULL), also as parts of
    German compounds ("Spotify-Gründer"); or only its last word (PARTIAL)."""
    wanted = _core_words(name)
    if not wanted:
        return Strength.NONE
    tokens = [p for w in _words(text) for p in re.split(r"-", w) if p]
    n = len(wanted)
    best = Strength.NONE
    for i in range(len(tokens) - n + 1):
        if all(_same_word(wanted[k], tokens[i + k]) for k in range(n)):
            return Strength.FULL
    if len(wanted) == 1 and wanted[0].isalpha() and len(name) >= 2 and name.isupper():
        joined = " ".join(tokens)
        if _acronym_in(name, tokens) or re.search(rf"\b{re.escape(name)}\b", joined):
            return Strength.FULL
    if n > 1 and any(_same_word(wanted[-1], t) for t in tokens):
        best = Strength.PARTIAL
    return best


def _acronym_in(acronym: str, tokens: list[str]) -> bool:
    """An acronym spelled out in the text as capitalised words ("International Business
    Machines" for IBM)."""
    size = len(acronym)
    capitalised = [t for t in tokens if t[:1].isupper() or t.lower() in _ACRONYM_FILLERS]
    return any(
        _is_acronym_of(acronym, capitalised[i : i + size + 2])
        or _is_acronym_of(acronym, capitalised[i : i + size])
        for i in range(len(capitalised))
    )


def mentions(text: str, name: str) -> bool:
    """Does the text mention the name in full (inflected, transliterated or as a compound's
    part)?"""
    return mention_strength(text, name) is Strength.FULL
