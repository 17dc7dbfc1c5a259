"""German noun morphology: is a lower-cased word a common noun, given a set of known nouns?

Kept apart from the lexicon so that benchmarks/derive_lexicon.py can leave out every noun these
rules already recognise, which keeps the lexicon small.
"""

import re

_NOUN_SUFFIX = re.compile(
    r"(?:ung|ungen|heit|heiten|keit|keiten|schaft|schaften|tion|tionen|sion|sionen|tät|täten"
    r"|ismus|ismen|nisse|nissen|logie|logien|ments|anten|enten|isten|erinnen|ierer)$"
)
_HEADS = frozenset(
    "groß klein haupt gesamt neu alt ur bundes landes stadt welt gross top super mega".split()
)
DEAL_NOUNS = frozenset(
    """
    aktie aktien aktionär aktionäre anteil anteile beteiligung übernahme übernahmen kaufpreis
    kauf verkauf fusion deal deals label labels investor investoren börse börsengang umsatz
    gewinn verlust konzern firma unternehmen sender studio studios marke käufer verkäufer
    bieter gebot angebot milliardär gründer chef geld preis wert summe betrag bewertung
    """.split()
)
"""Deal vocabulary, by hand: words every deal question uses that the derivation corpus is too
small to show often enough ("Aktie" occurs five times in it)."""
_LINKS = ("", "s", "es", "n", "en")
_ENDINGS = ("s", "n", "en", "e")


def noun_by_rule(word: str, nouns: frozenset[str] | set[str], depth: int = 1) -> bool:
    """In `nouns`, an inflection of one ("aktie"/"aktien"), noun-shaped from nine letters on
    (shorter words ending in "-ung" include Samsung), or a compound whose tail is a noun and
    whose head is one too, by these same rules ("musikdienst", "wirtschaftssystems"). Names
    built from nouns (Volkswagen) are the cost."""
    if word in nouns or (len(word) >= 9 and _NOUN_SUFFIX.search(word)):
        return True
    if any(word + e in nouns for e in _ENDINGS[1:]) or any(
        word.endswith(e) and word[: -len(e)] in nouns for e in _ENDINGS
    ):
        return True
    for cut in range(3, len(word) - 3):
        head, tail = word[:cut], word[cut:]
        if not (
            tail in nouns or any(tail.endswith(e) and tail[: -len(e)] in nouns for e in _ENDINGS)
        ):
            continue
        if head in _HEADS or any(
            (stem := head.removesuffix(link)) in nouns
            or (depth > 0 and len(stem) >= 4 and noun_by_rule(stem, nouns, depth - 1))
            for link in _LINKS
        ):
            return True
    return False
