"""Slack formatting: escaping, Block Kit limits, sources, and reading questions out of mentions."""

from datetime import date
from typing import Any

import pytest

from bot.core.models import Answer, Citation
from bot.format_slack import (
    MAX_BLOCKS,
    SECTION_LIMIT,
    answer_blocks,
    answer_messages,
    error_message,
    escape,
    question_text,
    source_block,
    source_line,
    split_escaped,
)


def citation(n: int = 1, **fields: Any) -> Citation:
    values: dict[str, Any] = {
        "n": n,
        "title": "Alibaba steigt ins Filmgeschäft ein",
        "source": "/corpus/alibaba-amblin.de.txt",
        "url": None,
        "published": None,
        "language": "de",
        "quote": "Alibaba erhofft sich einen privilegierten Zugang zu Hollywoods Filmgeschäft.",
        "chunk_id": f"chunk{n}",
        "score": 0.5,
    }
    return Citation(**(values | fields))


def answer(text: str = "Alibaba wants access to Hollywood [1].", **fields: Any) -> Answer:
    values: dict[str, Any] = {
        "question": "Why did Alibaba invest in Amblin?",
        "standalone_question": "Why did Alibaba invest in Amblin?",
        "answer": text,
        "language": "en",
        "grounded": True,
        "citations": [citation()],
    }
    return Answer(**(values | fields))


def section_texts(blocks: list[dict[str, Any]]) -> list[str]:
    return [b["text"]["text"] for b in blocks if b["type"] == "section"]


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("AT&T buys Time Warner", "AT&amp;T buys Time Warner"),
        ("<script>", "&lt;script&gt;"),
        ("Umsatz > 5 Mrd. & Gewinn < 1 Mrd.", "Umsatz &gt; 5 Mrd. &amp; Gewinn &lt; 1 Mrd."),
        ("&amp; stays literal", "&amp;amp; stays literal"),
        ("*bold* _it_ `code` „Zitat“", "*bold* _it_ `code` „Zitat“"),
        ("", ""),
    ],
)
def test_escape_encodes_only_the_three_control_characters(raw: str, escaped: str) -> None:
    """Slack treats only &, < and > specially, so only they are encoded."""
    assert escape(raw) == escaped


@pytest.mark.parametrize(
    ("text", "limit", "pieces"),
    [
        ("short", 3000, ["short"]),
        ("", 3000, []),
        ("one two three", 8, ["one two", "three"]),
        ("first line\nsecond line", 15, ["first line", "second line"]),
        ("abcdefghij", 4, ["abcd", "efgh", "ij"]),
        ("a & b & c", 9, ["a &amp; b", "&amp; c"]),
        ("&&&", 10, ["&amp;&amp;", "&amp;"]),
    ],
)
def test_split_escaped_cuts_at_breaks_within_the_limit(
    text: str, limit: int, pieces: list[str]
) -> None:
    """Pieces prefer line ends and spaces, and an entity is never cut in half."""
    assert split_escaped(text, limit) == pieces


def test_split_escaped_keeps_every_word_of_a_long_german_text() -> None:
    """A 10,000-character answer survives splitting word for word, each piece within 3,000."""
    text = " ".join(f"Übernahme{i} & Fusion" for i in range(600))
    pieces = split_escaped(text)
    assert len(pieces) > 3
    assert all(len(piece) <= SECTION_LIMIT for piece in pieces)
    assert " ".join(pieces) == escape(text)


@pytest.mark.parametrize(
    ("fields", "line"),
    [
        (
            {"url": "https://example.com/a?x=1&y=2", "published": date(2016, 10, 9)},
            "*[1]* <https://example.com/a?x=1&amp;y=2|Alibaba steigt ins Filmgeschäft ein>"
            " · 2016-10-09",
        ),
        (
            {},
            "*[1]* *Alibaba steigt ins Filmgeschäft ein* · date unknown · alibaba-amblin.de.txt",
        ),
        (
            {"title": "Q&A <live>", "url": "https://x.test/a|b"},
            "*[1]* <https://x.test/a%7Cb|Q&amp;A &lt;live&gt;> · date unknown",
        ),
        (
            {"source": "https://feeds.example/rss", "title": ""},
            "*[1]* *untitled* · date unknown · rss",
        ),
    ],
)
def test_source_line_shows_number_link_or_title_and_date(fields: dict[str, Any], line: str) -> None:
    """Each source names its number, title (linked when there is a URL) and date."""
    assert source_line(citation(**fields)) == line


def test_source_block_is_a_context_block_with_the_quoted_passage() -> None:
    """The passage follows the source line, in the quote marks of its language."""
    block = source_block(citation(url="https://example.com", published=date(2016, 10, 9)))
    assert block["type"] == "context"
    texts = [element["text"] for element in block["elements"]]
    assert texts[1] == (
        "„Alibaba erhofft sich einen privilegierten Zugang zu Hollywoods Filmgeschäft.“"
    )


def test_source_block_splits_a_long_quote_within_context_limits() -> None:
    """A huge passage fills at most ten elements of at most 3,000 characters each."""
    block = source_block(citation(quote="Wort " * 10_000, language="en"))
    elements = block["elements"]
    assert len(elements) == 10
    assert all(len(element["text"]) <= SECTION_LIMIT for element in elements)
    assert elements[-1]["text"].endswith(" …")


def test_answer_blocks_put_sources_after_a_divider() -> None:
    """Answer first, then a divider, then one context block per citation."""
    blocks = answer_blocks(answer(citations=[citation(1), citation(2, title="Second")]))
    assert [b["type"] for b in blocks] == ["section", "divider", "context", "context"]
    assert section_texts(blocks) == ["Alibaba wants access to Hollywood [1]."]
    assert "Second" in blocks[3]["elements"][0]["text"]


def test_ungrounded_answer_has_no_source_blocks() -> None:
    """Without citations the reply is the answer alone."""
    blocks = answer_blocks(answer("I found no answer to that.", grounded=False, citations=[]))
    assert [b["type"] for b in blocks] == ["section"]


def test_answer_blocks_escape_the_answer_text() -> None:
    """Markup-like text in the answer is shown, not interpreted."""
    blocks = answer_blocks(answer("<!channel> AT&T [1]"))
    assert section_texts(blocks) == ["&lt;!channel&gt; AT&amp;T [1]"]


def test_notes_become_italic_context() -> None:
    """The core's notes are shown small, after the sources."""
    blocks = answer_blocks(answer(notes=["Sources disagree"]))
    assert blocks[-1] == {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": "_Sources disagree_"}],
    }


def test_long_answer_is_split_into_sections_of_at_most_3000_characters() -> None:
    """A 10,000-character answer becomes several sections, none over Slack's limit."""
    text = "\n".join(f"Sentence {i} about the deal [1]." for i in range(400))
    assert len(text) > 10_000
    sections = section_texts(answer_blocks(answer(text)))
    assert len(sections) >= 4
    assert all(len(section) <= SECTION_LIMIT for section in sections)
    assert "\n".join(sections) == text


def test_many_blocks_are_spread_over_messages_of_at_most_50() -> None:
    """Past 50 blocks, the reply continues in further messages."""
    many = [citation(n, title=f"Source {n}") for n in range(1, 61)]
    messages = answer_messages(answer(citations=many))
    assert [len(m.blocks) for m in messages] == [MAX_BLOCKS, 12]
    assert messages[0].text == "Alibaba wants access to Hollywood [1]."
    assert messages[1].text == "(continued)"


def test_fallback_text_stays_within_the_section_limit() -> None:
    """The notification text of a long answer is its first section, not the whole answer."""
    messages = answer_messages(answer("x " * 6000))
    assert len(messages[0].text) <= SECTION_LIMIT


@pytest.mark.parametrize(("language", "word"), [("en", "Sorry"), ("de", "Entschuldigung")])
def test_error_message_is_one_short_sentence_in_the_users_language(
    language: str, word: str
) -> None:
    """Failures get one plain sentence, never details."""
    message = error_message(language)
    assert message.text.startswith(word)
    assert "Traceback" not in message.text
    assert len(message.blocks) == 1


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("<@UBOT> Why did Alibaba invest in Amblin?", "Why did Alibaba invest in Amblin?"),
        ("<@UBOT|dealdesk>   Warum   investiert Alibaba?", "Warum investiert Alibaba?"),
        ("What did <@U123|anna> say about AT&amp;T?", "What did @anna say about AT&T?"),
        ("<@UBOT> see <https://example.com/x|this article>", "see this article"),
        ("<@UBOT> see <https://example.com/x>", "see https://example.com/x"),
        ("<@UBOT> deals in <#C42|media>?", "deals in #media?"),
        ("<!here> <@UBOT> Q &lt;3&gt;?", "Q <3>?"),
        ("<@UBOT>", ""),
        ("Did <@UOTHER> ask?", "Did @UOTHER ask?"),
    ],
)
def test_question_text_strips_the_bot_mention_and_decodes_mrkdwn(text: str, question: str) -> None:
    """The core sees the question as the user typed it, without the bot's mention."""
    assert question_text(text, "UBOT") == question
