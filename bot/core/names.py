"""Names a question asks about, and whether the retrieved passages mention them.

The embedding cannot tell "How much did Microsoft pay for LinkedIn?" from a passage about
Microsoft buying Giant: both are about Microsoft paying for something. The names carry the
difference, so a passage that never names what the question names does not answer it
(measured in docs/BENCHMARKS.md, "No-answer gate").
"""

import re
from collections.abc import Iterable

_TOKEN = re.compile(r"[\w&]+(?:[-'’][\w&]+)*", re.UNICODE)
_POSSESSIVE = re.compile(r"['’]s?$")
_NOT_NAMES = frozenset(
    """
    what who whom whose why how which when where is are was were did does do has have had
    could can will would should may might if in on at by of for to from with and or the a an
    """.split()
)


def _is_name_shaped(token: str) -> bool:
    """Acronyms and camel case (MGM, AT&T, YouTube, iTunes) are names in any language."""
    return len(token) > 1 and any(c.isupper() for c in token[1:])


def question_names(question: str, language: str) -> list[str]:
    """Names in the question. English capitalises names only; German capitalises every noun, so
    a German question contributes only name-shaped tokens (acronyms, camel case) and the name
    in front of a hyphenated compound ("Lucasfilm-Studios")."""
    names: list[str] = []
    for position, raw in enumerate(_TOKEN.findall(question)):
        token = _POSSESSIVE.sub("", raw)
        head = token.split("-")[0]
        if len(head) < 2 or head.isdigit() or head.lower() in _NOT_NAMES:
            continue
        capitalised = head[0].isupper() and position > 0
        if _is_name_shaped(head) or (capitalised and (language == "en" or "-" in token)):
            names.append(head)
    return list(dict.fromkeys(names))


def _prefix(name: str) -> str:
    """Enough of a name to survive inflection and translation (Italy/Italien, Norway/Norwegen)
    while still telling Instagram from Intel."""
    return name[: max(3, round(0.6 * len(name)))].lower()


def missing_names(names: Iterable[str], texts: Iterable[str]) -> list[str]:
    """The names none of the texts mention, compared by prefix and case-insensitively (German
    "Anti-Spyware-Software" meets English "anti-spyware")."""
    words = {word.lower() for text in texts for word in re.findall(r"[\w&]+", text)}
    return [name for name in names if not any(word.startswith(_prefix(name)) for word in words)]


def unmatched_names(question: str, language: str, passages: list[tuple[str, str]]) -> list[str]:
    """The question's names the passages, as (language, text), fail to mention; empty when they
    mention enough. Over passages in the question's own language every name must occur. Across
    languages a capitalised word may be translated (Empire -> Reich, UK -> Großbritannien), so
    only names that keep their form count (acronyms and camel case, or what a German question
    counts as a name), and one of them is enough. Without passages there is nothing to compare."""
    if not passages:
        return []
    names = question_names(question, language)
    if all(passage_language == language for passage_language, _ in passages):
        return missing_names(names, (text for _, text in passages))
    lasting = names if language == "de" else [name for name in names if _is_name_shaped(name)]
    missing = missing_names(lasting, (text for _, text in passages))
    return missing if len(missing) == len(lasting) else []
