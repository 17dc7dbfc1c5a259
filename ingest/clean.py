"""Text cleaning: Unicode and whitespace normalisation, escape sequences and control characters
out, boilerplate lines out; and dates from the forms metadata writes them in."""

import html
import re
import unicodedata
from datetime import date, datetime
from typing import Any

from ingest.sanitize import strip_control_sequences

_BOILERPLATE_LINE = re.compile(
    r"""^(
        letzte\ artikel\ von\b.*
      | (alle\ )?artikel\ von\ .*\(alle\ anzeigen\)
      | .*\(alle\ anzeigen\)\s*$
      | (mehr|weitere)\ (zum\ thema|artikel|beiträge)\b.*
      | (teilen|share)(\ (on|auf))?\s*(facebook|twitter|x|linkedin|whatsapp|e-?mail)?\s*:?\s*$
      | (folgen\ sie\ uns|follow\ us)\b.*
      | (lesen\ sie\ auch|read\ more|related(\ articles|\ stories)?|see\ also|weiterlesen)\s*:?.*
      | (anzeige|advertisement|werbung)\s*$
      | (©|\(c\)\ |copyright\s*(©|\(c\)|\d{4})).{0,120}$
      | (alle\ rechte\ vorbehalten|all\ rights\ reserved).*
      | (newsletter|abonnieren|subscribe)\b.{0,80}$
      | (image|photo|bild)\ (caption|copyright|credit|quelle)\b.*
      | (tags|schlagwörter|kategorien?|categories)\s*:.*
      | (posted|published|veröffentlicht)\ (by|von)\ .{0,80}$
      | (über\ den\ autor|about\ the\ author)\b.*
      | (cookies?|datenschutz(erklärung)?|privacy\ policy|impressum)\b.{0,40}$
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_MANY_NEWLINES = re.compile(r"\n{3,}")
_DATE_IN_TEXT = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})")


def normalize(text: str) -> str:
    """NFC, no invisible characters, no escape sequences or control characters (also none that
    entities spelled out), single spaces, at most one blank line between paragraphs."""
    text = unicodedata.normalize("NFC", html.unescape(text)).translate(_INVISIBLE)
    text = strip_control_sequences(text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _MANY_NEWLINES.sub("\n\n", "\n".join(lines)).strip()


def one_line(value: str | None) -> str | None:
    """A metadata value (author, publisher, URL) as one clean line; None when nothing is left."""
    if value is None:
        return None
    return " ".join(strip_control_sequences(value).split()) or None


def is_boilerplate(line: str) -> bool:
    return bool(_BOILERPLATE_LINE.match(line.strip()))


def clean_text(text: str) -> str:
    """Normalise and drop boilerplate lines such as author footers and share prompts."""
    kept = [line for line in normalize(text).split("\n") if not is_boilerplate(line)]
    return _MANY_NEWLINES.sub("\n\n", "\n".join(kept)).strip()


_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_MARKS = re.compile(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1")
_MD_PREFIX = re.compile(r"^\s{0,3}(#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)")


def markdown_to_text(text: str) -> str:
    """Keep the words of Markdown, drop its markup."""
    lines = []
    for line in text.split("\n"):
        line = _MD_PREFIX.sub("", line)
        line = _MD_LINK.sub(r"\1", line)
        lines.append(_MD_MARKS.sub(r"\2", line))
    return "\n".join(lines)


def parse_date(value: Any) -> date | None:
    """Dates from JSON fields or meta tags: ISO dates, ISO timestamps, or YYYY-MM-DD inside."""
    if value in (None, ""):
        return None
    if isinstance(value, int | float):
        return datetime.fromtimestamp(float(value)).date()
    text = str(value).strip()
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    match = _DATE_IN_TEXT.search(text)
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return None
    return None
