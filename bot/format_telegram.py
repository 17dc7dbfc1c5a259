"""Telegram rendering: HTML that Telegram accepts, split to its size limit, with a plain fallback.

Everything here is pure, so the rules Telegram enforces (escaping, 4096 characters, balanced
tags) are tested without a bot. Article text is never trusted: every piece of it is escaped.
"""

import html
import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from html.parser import HTMLParser

from bot.core.models import Answer, Citation
from bot.filters import USAGE
from bot.replies import NO_SOURCES, corpus_rows
from vectorstore.models import StoredDocument, StoreStats

MAX_MESSAGE = 4096
"""Telegram's limit, counted in UTF-16 code units."""

SOURCES_PREFIX = "src:"
SHOW_SOURCES = "Show sources"
EXAMPLES = (
    "Why did Alibaba invest in Amblin?",
    "Warum beteiligt sich Alibaba an Spielbergs Firma?",
    "Which set-top box do you need for Sky+ HD?",
)
NOT_ALLOWED = (
    "Sorry, this bot is private and not enabled for this chat. "
    "Ask its owner to add this chat to the allowed chats."
)
APOLOGY = "Sorry, something went wrong while answering. Please try again in a moment."
SOURCES_EXPIRED = "Those sources are no longer available; please ask again."
ASK_USAGE = (
    f"Usage: <code>/ask {USAGE}</code>\n"
    "For example: <code>/ask --lang de Why did Alibaba invest in Amblin?</code>"
)

_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^>]*>")
_ATOM = re.compile(r"<[^>]*>|&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z]+);|.", re.DOTALL)
_SENTENCE_END = frozenset(".!?…:;")


def escape(text: str) -> str:
    """Escape text for Telegram's HTML parse mode (it knows only &lt; &gt; &amp; &quot;)."""
    return html.escape(text, quote=False)


def utf16_len(text: str) -> int:
    """Length as Telegram counts it: emoji and other astral characters take two units."""
    return len(text.encode("utf-16-le")) // 2


def _link(text: str, url: str | None) -> str:
    """A link only for web URLs: Telegram rejects other schemes, and they could be hostile."""
    if url and url.startswith(("http://", "https://")):
        return f'<a href="{html.escape(url, quote=True)}">{escape(text)}</a>'
    return escape(text)


def _source_name(source: str) -> str:
    """The file name of a local source: the server's directory layout is nobody's business."""
    return source.rstrip("/").rsplit("/", 1)[-1]


def _citation_heading(citation: Citation) -> str:
    parts = [citation.published.isoformat()] if citation.published else []
    if not (citation.url and citation.url.startswith(("http://", "https://"))):
        parts.insert(0, _source_name(citation.source))
    parts.append(citation.language)
    details = escape(", ".join(parts))
    return f"[{citation.n}] {_link(citation.title, citation.url)} — {details}"


def render_answer(answer: Answer) -> str:
    """The answer with its [n] markers, then one line per source; quotes sit behind a button."""
    lines = [escape(answer.answer)]
    if answer.citations:
        lines += ["", "<b>Sources</b>"]
        lines += [_citation_heading(c) for c in answer.citations]
    if answer.notes:
        lines.append("")
        lines += [f"<i>{escape(note)}</i>" for note in answer.notes]
    return "\n".join(lines)


def render_sources(answer: Answer) -> str:
    """Every source of an answer with the passage it quotes, for /sources and the button."""
    if not answer.citations:
        return escape(NO_SOURCES)
    blocks = [
        f"{_citation_heading(c)}\n<blockquote>{escape(c.quote)}</blockquote>"
        for c in answer.citations
    ]
    return "<b>Sources</b>\n\n" + "\n\n".join(blocks)


def render_help(bot_username: str | None) -> str:
    mention = f"@{bot_username}" if bot_username else "the bot"
    examples = "\n".join(f"• <code>{escape(q)}</code>" for q in EXAMPLES)
    return (
        "Ask me about tech and entertainment deals, in English or German. I answer from a "
        "corpus of news articles and cite the passages I rely on as [n].\n\n"
        f"Examples:\n{examples}\n\n"
        "Follow-up questions keep the context of this chat.\n"
        "/sources — the quoted passages behind the last answer\n"
        "/reset — forget the conversation\n"
        "/stats — what is in the corpus\n"
        "/recent — recently added articles\n"
        "/ask — ask with filters: <code>/ask --since 2016-01-01 --lang de question</code>\n\n"
        f"In groups, mention {escape(mention)}, reply to one of my messages, or use /ask."
    )


def render_start(first_name: str | None, bot_username: str | None) -> str:
    greeting = f"Hello {escape(first_name)}!" if first_name else "Hello!"
    return f"{greeting} {render_help(bot_username)}"


def render_stats(stats: StoreStats) -> str:
    rows = corpus_rows(stats, with_store=False)
    return "<b>Corpus</b>\n" + "\n".join(f"{label}: {escape(value)}" for label, value in rows)


def render_recent(documents: Sequence[StoredDocument]) -> str:
    if not documents:
        return "Nothing has been ingested yet."
    lines = ["<b>Recently added</b>"]
    for doc in documents:
        added = datetime.fromtimestamp(doc.ingested_at).date().isoformat()
        lines.append(f"• {_link(doc.title, doc.url)} — {escape(doc.language)}, added {added}")
    return "\n".join(lines)


def sources_callback_data(key: str) -> str:
    """Button payload; Telegram allows 64 bytes, so it carries a key, not the sources."""
    return f"{SOURCES_PREFIX}{key}"


def parse_sources_callback(data: str | None) -> str | None:
    if data and data.startswith(SOURCES_PREFIX):
        return data[len(SOURCES_PREFIX) :] or None
    return None


def _tag_name(raw: str) -> tuple[bool, str] | None:
    """(is_closing, name) for a tag atom, None for text and entities."""
    match = _TAG.fullmatch(raw)
    if match is None:
        return None
    return match.group(1) == "/", match.group(2).lower()


def _closers(stack: Iterable[str]) -> str:
    names = [_tag_name(raw) for raw in stack]
    return "".join(f"</{name[1]}>" for name in reversed(names) if name)


def _break_priority(atoms: Sequence[str], position: int) -> int:
    """How good a break before atoms[position] is: paragraph > line > sentence > word."""
    before = atoms[position - 1]
    if before == "\n":
        return 4 if position >= 2 and atoms[position - 2] == "\n" else 3
    if before == " ":
        return 2 if position >= 2 and atoms[position - 2] in _SENTENCE_END else 1
    return 0


def _update_stack(stack: list[str], atom: str) -> None:
    tag = _tag_name(atom)
    if tag is None:
        return
    closing, name = tag
    if not closing:
        stack.append(atom)
    elif stack and _tag_name(stack[-1]) == (False, name):
        stack.pop()


def split_html(text: str, limit: int = MAX_MESSAGE) -> list[str]:
    """Split Telegram HTML into messages of at most `limit` UTF-16 units.

    Breaks fall at paragraph, line, sentence or word boundaries (in that order of preference),
    never inside a tag or an entity; tags open at a break are closed and reopened, so every
    part is valid HTML on its own. Whitespace at the breaks is dropped; nothing else is.
    """
    if utf16_len(text) <= limit:
        return [text] if text.strip() else []
    atoms = _ATOM.findall(text)
    parts: list[str] = []
    carried: list[str] = []
    start = 0
    while start < len(atoms):
        prefix = "".join(carried)
        stack = list(carried)
        used = utf16_len(prefix)
        best: tuple[int, int] | None = None
        best_stack = list(stack)
        end = start
        while end < len(atoms):
            used += utf16_len(atoms[end])
            _update_stack(stack, atoms[end])
            end += 1
            if used + utf16_len(_closers(stack)) > limit:
                break
            if end == len(atoms):
                best, best_stack = (5, end), list(stack)
                break
            priority = _break_priority(atoms, end)
            in_second_half = used >= limit // 2
            rank = priority if in_second_half else -1
            if best is None or (rank, end) >= best:
                best, best_stack = (rank, end), list(stack)
        cut = best[1] if best is not None else start + 1
        if best is None:
            best_stack = list(carried)
            _update_stack(best_stack, atoms[start])
        body = "".join(atoms[start:cut]).rstrip(" \n")
        part = prefix + body + _closers(best_stack)
        if html_to_plain(part).strip():
            parts.append(part)
        carried = best_stack
        start = cut
        while start < len(atoms) and atoms[start] in {" ", "\n"}:
            start += 1
    return parts


class _PlainText(HTMLParser):
    """Collects the text of Telegram HTML; a link keeps its address after the text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[tuple[str | None, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.links.append((dict(attrs).get("href"), len(self.parts)))

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.links:
            href, first = self.links.pop()
            label = "".join(self.parts[first:]).strip()
            if href and href != label:
                self.parts.append(f" ({href})")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_plain(text: str) -> str:
    """The same message without markup, for when Telegram refuses to parse our HTML."""
    parser = _PlainText()
    parser.feed(text)
    parser.close()
    return "".join(parser.parts)
