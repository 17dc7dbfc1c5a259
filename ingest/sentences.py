"""Sentence splitting for German and English news text, without a model.

A full stop ends a sentence unless it belongs to an abbreviation ("z. B.", "Dr.", "Inc."),
an initial ("J. K. Rowling"), a German ordinal ("am 3. März") or a number ("3.5").
Line breaks always end a sentence: headlines and paragraphs never run together.
"""

import re

_ABBREVIATIONS = frozenset(
    """
    z.b zb bzw ca usw u.a etc evtl ggf inkl insb vgl d.h dh s.o s.u o.ä u.ä z.t zt
    dr prof hr fr herr frau nr str st abs abb bd jh jhd mio mrd tsd kg km
    mr mrs ms jr sr inc corp ltd co llc plc bros vs no approx dept est fig gen gov
    jan feb mär apr jun jul aug sep sept okt oct nov dez dec
    u.s u.k e.g i.e a.m p.m
    """.split()
)
_CANDIDATE = re.compile(r"[.!?…]+[\"'»«“”’)\]]*\s+")
_NEXT_STARTS_SENTENCE = re.compile(r"[\"'„“»«(\[]?[A-ZÄÖÜ0-9]")
_PREV_TOKEN = re.compile(r"(\S+)$")
_GERMAN_MONTHS = re.compile(
    r"(Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember)\b"
)


def _is_false_boundary(before: str, after: str) -> bool:
    match = _PREV_TOKEN.search(before)
    if match is None:
        return False
    token = match.group(1).rstrip(".").lstrip("(\"'„“»").lower()
    if not before.endswith("."):
        return False
    if token in _ABBREVIATIONS:
        return True
    if len(token) == 1 and token.isalpha():
        return True
    return token.isdigit() and len(token) <= 2 and bool(_GERMAN_MONTHS.match(after))


def split_sentences(text: str) -> list[str]:
    """Split text into sentences; every line break is a boundary."""
    sentences: list[str] = []
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        start = 0
        for match in _CANDIDATE.finditer(line):
            end = match.end()
            after = line[end:]
            if not _NEXT_STARTS_SENTENCE.match(after):
                continue
            before = line[start : match.start() + len(match.group().rstrip())]
            if _is_false_boundary(line[: match.start() + 1], after):
                continue
            sentences.append(before.strip())
            start = end
        tail = line[start:].strip()
        if tail:
            sentences.append(tail)
    return sentences
