"""Text cleaning: HTML to text, Unicode and whitespace normalisation, boilerplate removal."""

import html
import re
import unicodedata
from html.parser import HTMLParser

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

_SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "nav", "footer", "aside", "form"}
_BLOCK_TAGS = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
    "section", "article", "header", "blockquote", "pre", "figcaption", "dd", "dt", "hr",
}  # fmt: skip


class _TextExtractor(HTMLParser):
    """Collects visible text with paragraph breaks; skips scripts, navigation and footers."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title = ""
        self.meta: dict[str, str] = {}
        self._skip_depth = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skip_depth += 1
        elif tag == "title":
            self._in_title = True
        elif tag == "meta":
            values = {k: v or "" for k, v in attrs}
            key = values.get("property") or values.get("name") or values.get("itemprop")
            if key and "content" in values:
                self.meta.setdefault(key.lower(), values["content"])
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS and self._skip_depth:
            self._skip_depth -= 1
        elif tag == "title":
            self._in_title = False
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        elif not self._skip_depth:
            self.parts.append(data)


def html_to_text(markup: str) -> tuple[str, str, dict[str, str]]:
    """Return (title, visible text, meta tags) of an HTML page."""
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    return normalize(parser.title), "".join(parser.parts), parser.meta


def normalize(text: str) -> str:
    """NFC, no invisible characters, single spaces, at most one blank line between paragraphs."""
    text = unicodedata.normalize("NFC", html.unescape(text)).translate(_INVISIBLE)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _MANY_NEWLINES.sub("\n\n", "\n".join(lines)).strip()


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
