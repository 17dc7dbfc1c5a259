"""Names in English and German text: companies, people, acronyms, camel case, multi-word names
and names inside German compounds.

English capitalises names and the first word of a sentence, so a capitalised word is a name
unless it starts the sentence as an ordinary word ("Shares", "However"). German capitalises every
noun, so there a capitalised word is a name only if it is name-shaped (MGM, YouTube), known from
elsewhere (the caller's `known`), introduced by a cue ("Firma Amblin", "Chef Katzian"), or not a
common noun: not in the derived noun lexicon (`nouns_de.py`), not noun-shaped ("-ung", "-schaft"),
and not a compound of lexicon nouns ("Musikdienst"). Measured on 10kGNAD in
docs/benchmarks/text-analysis.md.
"""

import re
from collections.abc import Iterable
from functools import lru_cache

from ingest.text.german import DEAL_NOUNS, noun_by_rule
from ingest.text.matching import name_key
from ingest.text.mentions import Name, NameBasis, NameKind
from ingest.text.nouns_de import GERMAN_NOUNS
from ingest.text.starters import ENGLISH_STARTERS, GERMAN_STARTERS
from ingest.text.words import AMOUNT_WORDS, MONTHS, STOPWORDS, WEEKDAYS, WORD, is_stopword

_POSSESSIVE = re.compile(r"['’]s?$")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\n–—]|[.!?:]\s*[\"'„“”»«(\[])\s*[\"'„“”»«(\[]?\s*$")
_COMPANY_SUFFIXES = frozenset(
    "inc inc. ltd ltd. plc llc corp corp. co co. ag gmbh se sa nv bv ab asa oyj kg kgaa spa "
    "group gruppe holding holdings partners company corporation limited".split()
)
_COMPANY_CUES = frozenset(
    """
    company firm group studio studios label network broadcaster carrier operator bank insurer
    retailer maker manufacturer startup start-up platform service brand chain publisher
    firma konzern unternehmen gruppe hersteller anbieter plattform dienst studio sender marke
    kette verlag bank versicherer händler startup mobilfunker betreiber label tochter
    """.split()
)
_PERSON_CUES = frozenset(
    """
    mr mrs ms dr sir lord lady prof herr frau chef chefin gründer gründerin präsident präsidentin
    ceo founder chairman chairwoman president director executive minister kanzler sprecher
    sprecherin vorstand vorstandschef milliardär investor regisseur
    """.split()
)
_COMPANY_CUE_TAILS = (
    "dienst", "konzern", "firma", "hersteller", "anbieter", "gruppe", "sender", "studio", "label",
    "riese", "unternehmen", "plattform", "händler", "bank", "startup", "netzwerk", "portal",
)  # fmt: skip
_PERSON_CUE_TAILS = ("chef", "chefin", "gründer", "gründerin", "präsident", "minister", "sprecher")
_TITLE_TAILS = (
    *_PERSON_CUE_TAILS, "konzern", "dienst", "hersteller", "anbieter", "unternehmen", "händler",
    "plattform", "riese",
)  # fmt: skip
"""German compounds ending in a title or a company word are nouns ("Verkehrsminister")."""
_NOT_NAMES = frozenset(
    "ceo cfo coo cto cio tv sms dvd dvds cd cds hd pr ok mr mrs ms dr prof herr frau i".split()
)


_NOUNS = GERMAN_NOUNS | DEAL_NOUNS
_NUMBERED = re.compile(r"\d{1,2}|\d{1,2}(?:st|nd|rd|th)")


def _is_shaped(word: str) -> bool:
    """Acronyms (MGM, AT&T), camel case (YouTube, iTunes, eBay) and names with digits (Tele2,
    ProSiebenSat.1, 3G) are names in any language; a hyphenated word is shaped when one of its
    parts is ("Coca-Cola" is not, "GPA-djp" is)."""
    if "-" in word:
        return any(_is_shaped(part) for part in word.split("-"))
    letters = [c for c in word if c.isalpha()]
    if len(letters) < 1 or len(word) < 2:
        return False
    if word[0].isdigit():
        return any(c.isupper() for c in word)
    if len(letters) >= 2 and all(c.isupper() for c in letters):
        return True
    return any(c.isupper() for c in word[1:]) and any(c.islower() for c in word)


@lru_cache(maxsize=65536)
def is_german_noun(word: str) -> bool:
    """Is the capitalised German word a common noun: in the lexicon, an inflection of one,
    noun-shaped ("-ung", "-schaft") or a compound of lexicon nouns ("Musikdienst")?"""
    return noun_by_rule(word.lower(), _NOUNS)


def _is_common(word: str, language: str | None, initial: bool) -> bool:
    """A capitalised word that is not a name in this position."""
    w = word.lower()
    if w in _NOT_NAMES or w in MONTHS or w in WEEKDAYS or w in STOPWORDS["en"]:
        return True
    if w in AMOUNT_WORDS or w in _PERSON_CUES or (language != "en" and w in _COMPANY_CUES):
        return True
    if language != "en" and (w in STOPWORDS["de"] or (len(w) > 8 and w.endswith(_TITLE_TAILS))):
        return True
    english = initial and w in ENGLISH_STARTERS
    german = is_german_noun(word) or (initial and w in GERMAN_STARTERS)
    if language == "en":
        return english
    if language == "de":
        return german
    return english or german


def _strip_possessive(word: str) -> str:
    return _POSSESSIVE.sub("", word)


class _Candidate:
    """One word's verdict: a name part (with its basis) or not."""

    __slots__ = ("basis", "end", "start", "text")

    def __init__(self, start: int, end: int, text: str, basis: NameBasis) -> None:
        self.start, self.end, self.text, self.basis = start, end, text, basis


def _compound_head(
    word: str, language: str | None, known: frozenset[str]
) -> tuple[str, NameBasis] | None:
    """The name leading a hyphenated compound: "Lucasfilm-Studios" -> Lucasfilm, "Coca-Cola-Chef"
    -> Coca-Cola, "Metro-Goldwyn-Mayer" whole; None when the head is a common word."""
    parts = word.split("-")
    if all(p[:1].isupper() for p in parts) and language != "de":
        return word, "capital"
    head: list[str] = []
    for part in parts:
        if not part[:1].isupper() and not _is_shaped(part):
            break
        if head and (_is_common(part, language, False) and not _is_shaped(part)):
            break
        head.append(part)
    if not head:
        return None
    text = "-".join(head)
    if _is_shaped(text) or any(_is_shaped(p) for p in head):
        return text, "shape"
    if text.lower() in known:
        return text, "known"
    if _is_common(head[0], language, False) or len(text) < 2:
        return None
    return text, "cue" if len(head) < len(parts) else "capital"


def _candidate(
    text: str, start: int, word: str, language: str | None, known: frozenset[str]
) -> _Candidate | None:
    clean = _strip_possessive(word)
    end = start + len(clean)
    if not clean or clean.isdigit():
        return None
    if "-" in clean.strip("-"):
        head = _compound_head(clean, language, known)
        return _Candidate(start, start + len(head[0]), head[0], head[1]) if head else None
    if _is_shaped(clean) and clean.lower() not in _NOT_NAMES:
        return _Candidate(start, end, clean, "shape")
    if not clean[0].isupper() or len(clean) < 2:
        return None
    lowered = clean.lower()
    if lowered in known:
        return _Candidate(start, end, clean, "known")
    if language != "en" and lowered.endswith("s") and lowered[:-1] in known:
        return _Candidate(start, end - 1, clean[:-1], "known")
    initial = bool(_SENTENCE_START.search(text, 0, start)) if start else True
    if _is_common(clean, language, initial):
        return None
    return _Candidate(start, end, clean, "capital")


def _kind(before: str, run_words: list[str]) -> NameKind:
    last = run_words[-1].lower().rstrip(".")
    if last in _COMPANY_SUFFIXES or before in _COMPANY_CUES or before.endswith(_COMPANY_CUE_TAILS):
        return "company"
    if before in _PERSON_CUES or before.endswith(_PERSON_CUE_TAILS):
        return "person"
    return "other"


def names_in(
    text: str, language: str | None = None, known: Iterable[str] | None = None
) -> list[Name]:
    """Every name mention in the text, in order; `language` is "en", "de" or None (unknown:
    a word must pass both languages' tests). `known` names (from the question, English
    passages, the catalog) count wherever they occur, also in the German genitive."""
    known_set = frozenset(k.lower() for k in known or ())
    tokens = [(m.start(), m.group()) for m in WORD.finditer(text)]
    if language != "en":
        capitalised = {w.lower() for _, w in tokens if w[:1].isupper() and not is_stopword(w)}
        known_set |= {w[:-1] for w in capitalised if w.endswith("s") and w[:-1] in capitalised}
    found: list[Name] = []
    i = 0
    while i < len(tokens):
        run = _run(text, tokens, i, language, known_set)
        if not run:
            i += 1
            continue
        before = tokens[i - 1][1].lower().rstrip(".") if i > 0 else ""
        found.append(_name(text, run, before))
        i += len(run)
    return found


def _run(
    text: str, tokens: list[tuple[int, str]], i: int, language: str | None, known: frozenset[str]
) -> list[_Candidate]:
    """The name starting at token i, one candidate per word ([] when none starts there)."""
    start, word = tokens[i]
    first = _candidate(text, start, word, language, known)
    adjective = _adjective_name(text, tokens, i, language)
    if adjective is not None:
        noun_start, noun = tokens[i + 1]
        run = [first or adjective, _Candidate(noun_start, noun_start + len(noun), noun, "cue")]
    elif first is not None:
        run = [first]
    elif (numbered := _numbered_name(text, tokens, i, language, known)) is not None:
        run = numbered
    elif (lead := _sentence_initial_lead(text, tokens, i, language, known)) is not None:
        run = [lead]
    else:
        return []
    while i + len(run) < len(tokens):
        previous, raw_previous = run[-1], tokens[i + len(run) - 1][1]
        nxt_start, nxt = tokens[i + len(run)]
        gap = text[previous.end : nxt_start]
        if "-" in previous.text or _strip_possessive(raw_previous) != raw_previous:
            break
        if gap == " " and nxt[:1].isupper() and nxt.lower().rstrip(".") in _COMPANY_SUFFIXES:
            run.append(_Candidate(nxt_start, nxt_start + len(nxt.rstrip(".")), nxt, "cue"))
            continue
        if nxt == "of" and language != "de" and gap == " " and i + len(run) + 1 < len(tokens):
            after_start, after = tokens[i + len(run) + 1]
            following = _candidate(text, after_start, after, language, known)
            if following is None or text[nxt_start + 2 : after_start] != " ":
                break
            run += [_Candidate(nxt_start, nxt_start + 2, nxt, "cue"), following]
            continue
        joined = gap.strip() == "&"
        candidate = _candidate(text, nxt_start, nxt, language, known)
        if candidate is None and gap == " " and _before_suffix(tokens, i + len(run)):
            candidate = _Candidate(nxt_start, nxt_start + len(nxt), nxt, "cue")
        if (gap != " " and not joined) or candidate is None:
            break
        if _separate(text, run, candidate, language, known):
            break
        run.append(candidate)
    return run


def _numbered_name(
    text: str, tokens: list[tuple[int, str]], i: int, language: str | None, known: frozenset[str]
) -> list[_Candidate] | None:
    """Names that start with a small number or an ordinal: "19 Entertainment", "20th Century
    Fox"; not amounts ("$19 Entertainment" is no name) and not counts of a compound."""
    start, word = tokens[i]
    if not _NUMBERED.fullmatch(word) or i + 1 >= len(tokens) or text[start - 1 : start] in "$€£":
        return None
    nxt_start, nxt = tokens[i + 1]
    if text[start + len(word) : nxt_start] != " " or "-" in nxt:
        return None
    following = _candidate(text, nxt_start, nxt, language, known)
    if following is None or following.basis != "capital":
        return None
    return [_Candidate(start, start + len(word), word, "cue"), following]


def _sentence_initial_lead(
    text: str, tokens: list[tuple[int, str]], i: int, language: str | None, known: frozenset[str]
) -> _Candidate | None:
    """An English sentence may open with a name whose first word is also an ordinary word:
    "Time Warner's shares", "Bank of America lent"."""
    start, word = tokens[i]
    if language == "de" or not word[:1].isupper() or is_stopword(word) or i + 1 >= len(tokens):
        return None
    if start and not _SENTENCE_START.search(text, 0, start):
        return None
    if word.lower() in _PERSON_CUES or word.lower() in AMOUNT_WORDS:
        return None
    j = i + 1
    if text[start + len(word) : tokens[j][0]] != " ":
        return None
    if tokens[j][1] == "of" and j + 1 < len(tokens):
        j += 1
    return _lead_if(text, tokens, j, word, start, language, known)


def _lead_if(
    text: str,
    tokens: list[tuple[int, str]],
    j: int,
    word: str,
    start: int,
    language: str | None,
    known: frozenset[str],
) -> _Candidate | None:
    nxt_start, nxt = tokens[j]
    following = _candidate(text, nxt_start, nxt, language, known)
    if following is None or following.basis == "shape":
        return None
    return _Candidate(start, start + len(word), word, "capital")


def _before_suffix(tokens: list[tuple[int, str]], j: int) -> bool:
    """A common noun inside a company name: "Telekom Austria AG", "Deutsche Post AG"."""
    return (
        j + 1 < len(tokens)
        and tokens[j][1][:1].isupper()
        and tokens[j + 1][1].lower().rstrip(".") in _COMPANY_SUFFIXES
    )


def _separate(
    text: str,
    run: list[_Candidate],
    candidate: _Candidate,
    language: str | None,
    known: frozenset[str],
) -> bool:
    """Two names side by side, not one: German puts subject and object next to each other
    ("hat Microsoft LinkedIn gekauft"). A known name ends where it ends, and a name-shaped word
    (LinkedIn, MCI) does not join a plain capitalised one."""
    if text[run[0].start : run[-1].end].lower() in known:
        return True
    return language != "en" and (candidate.basis == "shape") != (run[-1].basis == "shape")


def _adjective_name(
    text: str, tokens: list[tuple[int, str]], i: int, language: str | None
) -> _Candidate | None:
    """German capitalises adjectives mid-sentence only inside names: "Deutsche Bank", "Wiener
    Börse", "Neue Zürcher Zeitung". The adjective and the noun after it are one name."""
    start, word = tokens[i]
    if language == "en" or i + 1 >= len(tokens) or not word[:1].isupper():
        return None
    if not word.endswith(("e", "er")) or _SENTENCE_START.search(text, 0, start) or start == 0:
        return None
    lowered = word.lower()
    if lowered in STOPWORDS["de"] or lowered in AMOUNT_WORDS or lowered.endswith(_TITLE_TAILS):
        return None
    if lowered.endswith("er") and len(lowered) > 8 and is_german_noun(word):
        return None
    nxt_start, nxt = tokens[i + 1]
    if text[start + len(word) : nxt_start] != " " or not nxt[:1].isupper():
        return None
    if nxt.lower() in MONTHS or nxt.lower() in AMOUNT_WORDS or is_stopword(nxt):
        return None
    return _Candidate(start, start + len(word), word, "cue")


def _name(text: str, run: list[_Candidate], before: str) -> Name:
    bases = {c.basis for c in run}
    basis: NameBasis = next(b for b in ("shape", "known", "cue", "capital") if b in bases)
    kind = _kind(before, [c.text for c in run])
    if basis == "capital" and kind != "other":
        basis = "cue"
    start, end = run[0].start, run[-1].end
    return Name(start, end, text[start:end], kind, basis)


def unique_names(names: Iterable[Name]) -> list[Name]:
    """The first mention of each name, by `name_key`."""
    seen: dict[str, Name] = {}
    for name in names:
        seen.setdefault(name_key(name.text), name)
    return list(seen.values())
