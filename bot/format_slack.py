"""Slack rendering: mrkdwn escaping, Block Kit messages within Slack's limits, and the
reverse trip from a mention's mrkdwn to a plain question. Pure functions, no Slack client."""

import html
import re
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from bot.core.messages import quote
from bot.core.models import Answer, Citation
from bot.filters import USAGE
from bot.replies import NO_SOURCES

SECTION_LIMIT = 3000
"""Slack rejects a section (or context element) text longer than this."""
MAX_BLOCKS = 50
"""Slack rejects a message with more blocks than this."""
MAX_CONTEXT_ELEMENTS = 10

Block = dict[str, Any]

_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_ANGLE = re.compile(r"<([^<>]*)>")


@dataclass
class SlackMessage:
    """One chat.postMessage: `text` is the notification fallback, `blocks` what users see."""

    text: str
    blocks: list[Block] = field(default_factory=list)


def escape(text: str) -> str:
    """Slack reads &, < and > as control characters in mrkdwn; everything else is literal."""
    return text.translate(_ESCAPES)


def split_escaped(text: str, limit: int = SECTION_LIMIT) -> list[str]:
    """Escape `text` and cut it into pieces of at most `limit` characters, preferably at a line
    end in the second half of a piece, else at a space. The cut is chosen on the raw text, so
    it never lands inside an `&amp;` entity."""
    pieces = []
    rest = text.strip()
    while rest:
        escaped_len, fits = 0, 0
        for index, char in enumerate(rest):
            escaped_len += len(escape(char))
            if escaped_len > limit:
                break
            fits = index + 1
        if fits == len(rest):
            pieces.append(escape(rest))
            break
        window = rest[: fits + 1]
        cut = window.rfind("\n")
        if cut < fits // 2:
            cut = window.rfind(" ")
        if cut <= 0:
            cut = max(fits, 1)
        pieces.append(escape(rest[:cut].rstrip()))
        rest = rest[cut:].strip()
    return pieces


def _link_url(url: str) -> str:
    """A URL fit for `<url|label>`: `|` would end the URL early, so it is percent-encoded."""
    return escape(url.replace("|", "%7C"))


def source_line(citation: Citation) -> str:
    """`[n] <url|title> · date · source`; without a URL the title is bold and the file named."""
    title = escape(citation.title.replace("\n", " ").strip() or "untitled")
    when = citation.published.isoformat() if citation.published else "date unknown"
    if citation.url:
        return f"*[{citation.n}]* <{_link_url(citation.url)}|{title}> · {when}"
    origin = escape(PurePath(citation.source).name or citation.source)
    return f"*[{citation.n}]* *{title}* · {when} · {origin}"


def source_block(citation: Citation) -> Block:
    """A context block: the source line, then the quoted passage (split, and cut short only
    past the nine elements Slack leaves for it)."""
    quoted = quote(citation.quote.strip(), citation.language)
    pieces = split_escaped(quoted, SECTION_LIMIT - 2)
    if len(pieces) > MAX_CONTEXT_ELEMENTS - 1:
        pieces = [*pieces[: MAX_CONTEXT_ELEMENTS - 2], pieces[MAX_CONTEXT_ELEMENTS - 2] + " …"]
    elements = [{"type": "mrkdwn", "text": source_line(citation)}]
    elements += [{"type": "mrkdwn", "text": piece} for piece in pieces]
    return {"type": "context", "elements": elements}


def answer_blocks(answer: Answer) -> list[Block]:
    """The answer as sections, a divider, one context block per source, then any notes."""
    blocks: list[Block] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": piece}}
        for piece in split_escaped(answer.answer)
    ]
    if answer.citations:
        blocks.append({"type": "divider"})
        blocks += [source_block(citation) for citation in answer.citations]
    for note in answer.notes:
        blocks += [
            {"type": "context", "elements": [{"type": "mrkdwn", "text": f"_{piece}_"}]}
            for piece in split_escaped(note, SECTION_LIMIT - 2)
        ]
    return blocks


def _in_messages(blocks: list[Block], fallback: str) -> list[SlackMessage]:
    """One message per 50 blocks; the first carries `fallback` as its notification text."""
    return [
        SlackMessage(
            text=fallback if start == 0 else "(continued)",
            blocks=blocks[start : start + MAX_BLOCKS],
        )
        for start in range(0, len(blocks), MAX_BLOCKS)
    ]


def answer_messages(answer: Answer) -> list[SlackMessage]:
    """The answer's blocks; the first message carries the answer's opening as its fallback."""
    fallback = split_escaped(answer.answer)[:1] or [""]
    return _in_messages(answer_blocks(answer), fallback[0])


def sources_messages(answer: Answer | None) -> list[SlackMessage]:
    """The reply to "sources": every source of the thread's last answer with its quoted
    passage, taken from the answer's citations."""
    if answer is None or not answer.citations:
        return [plain_message(NO_SOURCES)]
    heading: Block = {"type": "section", "text": {"type": "mrkdwn", "text": "*Sources*"}}
    blocks = [heading, *(source_block(citation) for citation in answer.citations)]
    return _in_messages(blocks, f"Sources of the last answer ({len(answer.citations)})")


def plain_message(text: str) -> SlackMessage:
    """A one-section message for the bot's own sentences (help, errors)."""
    escaped = escape(text)
    return SlackMessage(
        text=escaped, blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": escaped}}]
    )


def error_message(language: str) -> SlackMessage:
    """What the user sees when answering failed: one sentence; the details go to the log."""
    if language == "de":
        return plain_message(
            "Entschuldigung, beim Beantworten ist etwas schiefgegangen. Bitte später noch einmal."
        )
    return plain_message("Sorry, something went wrong while answering. Please try again later.")


def help_message() -> SlackMessage:
    """The reply to a mention without a question, and to "help"."""
    return plain_message(
        "Ask me about a tech or entertainment deal, in English or German, for example: "
        "“Why did Alibaba invest in Amblin?” I answer from the article corpus and quote my "
        "sources. Ask follow-ups in the same thread.\n"
        f"Filters go first: {USAGE}, e.g. “--since 2016-01-01 --lang de Alibaba Hollywood”.\n"
        "“sources” shows the quoted passages of the thread's last answer; “reset” forgets "
        "the thread's conversation."
    )


def usage_message(problem: str) -> SlackMessage:
    """The reply to a malformed question: what is wrong, then how to ask."""
    return plain_message(f"{problem}\nUsage: {USAGE}")


def _replace_angle(match: re.Match[str], bot_user_id: str | None) -> str:
    target, _, label = match.group(1).partition("|")
    if target.startswith("@"):
        if bot_user_id and target[1:] == bot_user_id:
            return ""
        return f"@{label or target[1:]}"
    if target.startswith("#"):
        return f"#{label or target[1:]}"
    if target.startswith("!"):
        return label
    return label or target


def question_text(text: str, bot_user_id: str | None) -> str:
    """The plain question in a message: without the bot's own mention, with links and other
    mentions reduced to their labels, entities decoded and whitespace collapsed."""
    plain = _ANGLE.sub(lambda match: _replace_angle(match, bot_user_id), text)
    return " ".join(html.unescape(plain).split())
