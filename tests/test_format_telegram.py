"""Telegram formatting is pure: escaping, sources, splitting, plain fallback; table-driven."""

import re
from datetime import date
from html.parser import HTMLParser

import pytest

from bot.core.models import Answer, Citation
from bot.format_telegram import (
    MAX_MESSAGE,
    NO_SOURCES,
    escape,
    html_to_plain,
    parse_sources_callback,
    render_answer,
    render_recent,
    render_sources,
    render_stats,
    sources_callback_data,
    split_html,
    utf16_len,
)
from vectorstore.models import StoredDocument, StoreStats


def citation(n: int = 1, **fields: object) -> Citation:
    values: dict[str, object] = {
        "n": n,
        "title": "Alibaba steigt ins Filmgeschäft ein",
        "source": "/srv/corpus/alibaba-amblin.de.txt",
        "url": None,
        "published": date(2016, 10, 9),
        "language": "de",
        "quote": "Alibaba ließ lange Zeit nichts von sich hören.",
        "chunk_id": f"c{n}",
        "score": 0.8,
    }
    return Citation.model_validate(values | fields)


def answer(text: str = "Alibaba kauft sich ein [1].", *citations: Citation) -> Answer:
    return Answer(
        question="Warum?",
        standalone_question="Warum?",
        answer=text,
        language="de",
        grounded=bool(citations),
        citations=list(citations),
    )


class _Balance(HTMLParser):
    """Checks that tags nest and close, as Telegram's parser demands."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack.pop() == tag, f"unbalanced </{tag}>"


def assert_valid_html(text: str) -> None:
    checker = _Balance()
    checker.feed(text)
    checker.close()
    assert checker.stack == [], f"unclosed tags {checker.stack}"
    assert not re.search(r"&(?![a-zA-Z]+;|#[0-9]+;|#x[0-9a-fA-F]+;)", text), "bare ampersand"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("AT&T <buys> Time Warner", "AT&amp;T &lt;buys&gt; Time Warner"),
        ("Übernahme für 5 € & mehr", "Übernahme für 5 € &amp; mehr"),
        ('He said "yes"', 'He said "yes"'),
        ("<b>not bold</b>", "&lt;b&gt;not bold&lt;/b&gt;"),
    ],
)
def test_escape_neutralises_markup_in_article_text(text: str, expected: str) -> None:
    """Article text can never open a tag or an entity in Telegram HTML."""
    assert escape(text) == expected


def test_answer_escapes_every_piece_of_article_text() -> None:
    """Answer, titles and sources are escaped; only our own tags remain."""
    hostile = citation(
        title="<script>alert(1)</script> & Co",
        source="/tmp/<evil>.txt",
        url=None,
    )
    html = render_answer(answer("Deal <b>done</b> & dusted [1].", hostile))
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in html
    assert "Deal &lt;b&gt;done&lt;/b&gt; &amp; dusted [1]." in html
    assert "&lt;evil&gt;.txt" in html
    assert set(re.findall(r"</?([a-z]+)", html)) == {"b"}
    assert_valid_html(html)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://example.com/a?x=1&y=2",
            '[1] <a href="https://example.com/a?x=1&amp;y=2">Alibaba steigt ins Filmgeschäft '
            "ein</a> — 2016-10-09, de",
        ),
        (
            'https://example.com/"onclick=x',
            '[1] <a href="https://example.com/&quot;onclick=x">Alibaba steigt ins Filmgeschäft '
            "ein</a> — 2016-10-09, de",
        ),
        (
            "javascript:alert(1)",
            "[1] Alibaba steigt ins Filmgeschäft ein — alibaba-amblin.de.txt, 2016-10-09, de",
        ),
        (None, "[1] Alibaba steigt ins Filmgeschäft ein — alibaba-amblin.de.txt, 2016-10-09, de"),
    ],
)
def test_source_line_links_web_urls_only(url: str | None, expected: str) -> None:
    """Web sources become links; local files show their name, never the server's path."""
    html = render_answer(answer("Text [1].", citation(url=url)))
    assert html.splitlines()[-1] == expected


def test_ungrounded_answer_has_no_sources_section() -> None:
    """With no citations there is nothing to list and nothing to open."""
    html = render_answer(answer("Dazu finde ich nichts."))
    assert html == "Dazu finde ich nichts."
    assert render_sources(answer("Dazu finde ich nichts.")) == escape(NO_SOURCES)


def test_sources_quote_each_passage_in_a_blockquote() -> None:
    """The sources view shows every cited passage, escaped, under its heading."""
    html = render_sources(
        answer("x [1] [2]", citation(1), citation(2, quote="Preis: <1 Mrd. & mehr", language="en"))
    )
    assert html.count("<blockquote>") == 2
    assert "<blockquote>Alibaba ließ lange Zeit nichts von sich hören.</blockquote>" in html
    assert "<blockquote>Preis: &lt;1 Mrd. &amp; mehr</blockquote>" in html
    assert_valid_html(html)


def test_notes_are_shown_in_italics() -> None:
    """Notes from the core (e.g. a dropped claim) reach the user, escaped."""
    grounded = answer("x [1]", citation()).model_copy(update={"notes": ["1 claim <removed>"]})
    assert render_answer(grounded).endswith("<i>1 claim &lt;removed&gt;</i>")


def test_stats_and_recent_render_escaped_values() -> None:
    """/stats and /recent show corpus facts, with titles escaped and web URLs linked."""
    stats = StoreStats(
        documents=5,
        chunks=18,
        languages={"de": 3, "en": 2},
        embedding_model="usem3",
        dimension=512,
        location="/x",
        chroma_mode="embedded",
    )
    assert "Documents: 5" in render_stats(stats)
    assert "Languages: de: 3, en: 2" in render_stats(stats)
    document = StoredDocument(
        doc_id="d",
        source="s",
        origin_file=None,
        title="Sky & Fox <merger>",
        language="en",
        published=None,
        url="https://example.com/sky",
        content_hash="h",
        n_chunks=3,
        ingested_at=1_700_000_000.0,
    )
    recent = render_recent([document])
    assert '<a href="https://example.com/sky">Sky &amp; Fox &lt;merger&gt;</a> — en' in recent
    assert render_recent([]) == "Nothing has been ingested yet."


@pytest.mark.parametrize(
    ("data", "key"),
    [
        (sources_callback_data("abc123"), "abc123"),
        ("src:", None),
        ("other:abc", None),
        (None, None),
    ],
)
def test_sources_callback_data_round_trips(data: str | None, key: str | None) -> None:
    """Only our own button payloads are recognised."""
    assert parse_sources_callback(data) == key


def test_callback_data_fits_telegram_limit() -> None:
    """Telegram refuses callback data over 64 bytes."""
    assert len(sources_callback_data("x" * 12).encode()) <= 64


@pytest.mark.parametrize(
    ("html", "plain"),
    [
        ("AT&amp;T &lt;buys&gt; Time Warner", "AT&T <buys> Time Warner"),
        ('<a href="https://e.com/a?x=1&amp;y=2">Deal</a>', "Deal (https://e.com/a?x=1&y=2)"),
        ('<a href="https://e.com">https://e.com</a>', "https://e.com"),
        ("<b>Sources</b>\n<blockquote>Zitat</blockquote>", "Sources\nZitat"),
        ("&#8364; &#x20AC; &quot;", '€ € "'),
    ],
)
def test_plain_fallback_keeps_text_and_link_targets(html: str, plain: str) -> None:
    """When Telegram refuses our HTML, the plain version loses no words and no links."""
    assert html_to_plain(html) == plain


@pytest.mark.parametrize(
    ("text", "length"), [("abc", 3), ("Fußball", 7), ("deal 🤝", 7), ("🎬🎬", 4)]
)
def test_utf16_length_counts_like_telegram(text: str, length: int) -> None:
    """Astral characters count twice, as Telegram's limit does."""
    assert utf16_len(text) == length


def test_short_message_is_not_split() -> None:
    """A message within the limit goes out as it is."""
    assert split_html("<b>Hi</b> there") == ["<b>Hi</b> there"]
    assert split_html("  \n ") == []


def _words(text: str) -> list[str]:
    return html_to_plain(text).split()


@pytest.mark.parametrize(
    ("html", "limit", "expected"),
    [
        ("First para.\n\nSecond para.", 20, ["First para.", "Second para."]),
        ("Line one\nline two\nline three", 20, ["Line one\nline two", "line three"]),
        ("One sentence. Two sentence. Three.", 30, ["One sentence. Two sentence.", "Three."]),
        ("Satz eins.” Satz zwei.", 16, ["Satz eins.”", "Satz zwei."]),
        ("alpha beta gamma delta", 12, ["alpha beta", "gamma delta"]),
        ("abcdefghij", 4, ["abcd", "efgh", "ij"]),
        ("x &amp;&amp;&amp; y", 8, ["x &amp;", "&amp;", "&amp; y"]),
        ("<b>bold words here</b>", 16, ["<b>bold</b>", "<b>words</b>", "<b>here</b>"]),
    ],
)
def test_split_prefers_paragraph_line_sentence_word(
    html: str, limit: int, expected: list[str]
) -> None:
    """Breaks fall at the best boundary available, never inside an entity or a tag."""
    assert split_html(html, limit) == expected


def test_split_reopens_link_across_a_break() -> None:
    """A link cut in two stays a link in both parts, with its address."""
    html = '<a href="https://e.com/x">' + " ".join(["word"] * 20) + "</a>"
    parts = split_html(html, 60)
    assert len(parts) > 1
    for part in parts:
        assert part.startswith('<a href="https://e.com/x">') and part.endswith("</a>")
        assert utf16_len(part) <= 60
        assert_valid_html(part)


def test_split_ten_thousand_character_answer_loses_nothing() -> None:
    """A 10,000-character answer becomes valid parts of at most 4096 that keep every word."""
    paragraph = "Die Übernahme kostet 5 Mrd. € & mehr. Sie wurde <heute> gemeldet [1]. " * 9
    text = "\n\n".join(f"{i}. {paragraph}" for i in range(16))
    assert len(text) > 10_000
    html = render_answer(answer(text, citation()))
    parts = split_html(html)
    assert len(parts) >= 3
    for part in parts:
        assert utf16_len(part) <= MAX_MESSAGE
        assert_valid_html(part)
        assert not part.startswith((" ", "\n")) and not part.endswith((" ", "\n"))
    assert [w for part in parts for w in _words(part)] == _words(html)
    assert all(html_to_plain(p).rstrip().endswith(("[1].", "de")) for p in parts)


def test_split_counts_emoji_as_two_units() -> None:
    """A message of emoji is split by Telegram's UTF-16 count, not by Python's."""
    parts = split_html("🎬 " * 3000)
    assert len(parts) == 3
    assert all(utf16_len(part) <= MAX_MESSAGE for part in parts)


def test_split_inside_blockquote_closes_and_reopens_it() -> None:
    """A quote longer than a message is carried over, still quoted, into the next part."""
    html = "<b>Sources</b>\n\n<blockquote>" + "Ein langer Satz. " * 400 + "</blockquote>"
    parts = split_html(html)
    assert len(parts) == 2
    assert parts[0].endswith("</blockquote>")
    assert parts[1].startswith("<blockquote>")
    for part in parts:
        assert_valid_html(part)
