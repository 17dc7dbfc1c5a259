"""Citation markers in model-written text: [n], [2][3], [1, 2], "[Passage 1]", wherever the
model puts them; renumbering by first use; and the sentences they belong to."""

import re

from ingest.sentences import split_sentences

_MARKER = re.compile(
    r"\s*\[\s*(?:(?:passages?|sources?|quellen?)\s*)?(\d{1,3}(?:\s*[,;]\s*\d{1,3})*)\s*\]",
    re.IGNORECASE,
)
_OPEN_TAIL = re.compile(r"\s*(?:\[[^\]\n]{0,15})?$")
_LEADING_MARKERS = re.compile(rf"^(?:{_MARKER.pattern})+", re.IGNORECASE)
_INLINE_MARKER = r"[ \t]*" + _MARKER.pattern.removeprefix("\\s*")
_MARKERS_AFTER_STOP = re.compile(rf"([.!?…]+)((?:{_INLINE_MARKER})+)(?=\s|$)", re.IGNORECASE)
_BULLET = re.compile(r"^\s*(?:[-*•]|\d{1,2}[.)])\s+")


def cited_numbers(text: str) -> list[int]:
    """Every passage number cited in the text, in order, repeats included."""
    return [int(n) for m in _MARKER.finditer(text) for n in re.split(r"\s*[,;]\s*", m.group(1))]


def renumber_citations(text: str, retrieved: int) -> tuple[str, list[int], list[int]]:
    """Markers mapped to citation numbers by first use; markers for passages that were not
    retrieved (n > `retrieved`) are dropped. Returns the text, the passage number of each
    citation, and the invented passage numbers."""
    sources: list[int] = []
    invented: list[int] = []

    def replace(match: re.Match[str]) -> str:
        kept = []
        for n in (int(x) for x in re.split(r"\s*[,;]\s*", match.group(1))):
            if not 1 <= n <= retrieved:
                invented.append(n)
                continue
            if n not in sources:
                sources.append(n)
            kept.append(sources.index(n) + 1)
        if not kept:
            return ""
        return " " + "".join(f"[{c}]" for c in dict.fromkeys(kept))

    return _MARKER.sub(replace, text), sources, invented


def stable_length(raw: str) -> int:
    """How much of a growing model output can be renumbered without waiting for more: all but
    trailing whitespace and a marker that is still open (a later marker may remove both)."""
    match = _OPEN_TAIL.search(raw)
    return match.start() if match else len(raw)


def split_answer(text: str) -> list[str]:
    """Answer sentences, each keeping the markers that follow its full stop ("… deal. [1]")."""
    sentences: list[str] = []
    for raw in split_sentences(_after_stop(text)):
        sentence = _BULLET.sub("", raw)
        lead = _LEADING_MARKERS.match(sentence)
        if lead:
            sentence = sentence[lead.end() :].strip()
            if sentences:
                sentences[-1] = _after_stop(sentences[-1] + lead.group().strip())
            elif sentence:
                sentence = _after_stop(sentence + lead.group().strip())
        if sentence:
            sentences.append(sentence)
    return sentences


def _after_stop(text: str) -> str:
    """A marker belongs inside its sentence: "Hollywood.[1]" becomes "Hollywood[1]."."""
    return _MARKERS_AFTER_STOP.sub(r"\2\1", text)


def strip_markers(text: str) -> str:
    return _MARKER.sub(" ", text)


def plain(text: str) -> str:
    """The text without markers, as a reader would quote it."""
    return tidy(_MARKER.sub("", text))


def tidy(text: str) -> str:
    return re.sub(r"\s+([.,;:!?…])", r"\1", text).strip()
