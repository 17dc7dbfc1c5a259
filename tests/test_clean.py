"""Cleaning: normalisation, boilerplate removal and Markdown to text."""

import pytest

from ingest.clean import clean_text, markdown_to_text
from tests.conftest import SAMPLE


def test_seed_article_author_footer_is_removed() -> None:
    """The seed article's 'Letzte Artikel von Eugen …' footer never reaches a chunk."""
    text = clean_text((SAMPLE / "alibaba-amblin.de.txt").read_text(encoding="utf-8"))
    assert "Letzte Artikel von" not in text
    assert "Alle anzeigen" not in text
    assert text.endswith("erzählen kann.“")


@pytest.mark.parametrize(
    "line",
    [
        "Letzte Artikel von Eugen (Redakteur) (Alle anzeigen)",
        "Share on Facebook",
        "Teilen:",
        "Read more: How Netflix won the streaming war",
        "Lesen Sie auch: Disney kauft Fox",
        "© 2016 Example Media GmbH",
        "All rights reserved.",
        "Anzeige",
        "Advertisement",
        "Folgen Sie uns auf Twitter",
    ],
)
def test_boilerplate_lines_are_dropped(line: str) -> None:
    """Footers, share prompts and ads in German and English are not article text."""
    assert clean_text(f"Der Deal ist fertig.\n{line}\nDas ist gut.") == (
        "Der Deal ist fertig.\nDas ist gut."
    )


@pytest.mark.parametrize(
    "line",
    [
        "Sony shares rose after the deal was announced.",
        "Die Aktie teilen sich drei Investoren.",
        "Copyrights to the films stay with Amblin, the companies said.",
    ],
)
def test_article_sentences_that_look_like_boilerplate_are_kept(line: str) -> None:
    """Only whole boilerplate lines go; sentences that merely mention the words stay."""
    assert clean_text(line) == line


def test_whitespace_invisible_characters_and_entities_are_normalised() -> None:
    """Soft hyphens, zero-width spaces, NBSPs and entities do not survive into chunks."""
    raw = "Film\u00adgeschäft\u200b  mit\u00a0Amblin &amp; Co.\r\n\r\n\r\n\r\nNeu."
    assert clean_text(raw) == "Filmgeschäft mit Amblin & Co.\n\nNeu."


def test_markdown_markup_is_removed_but_words_stay() -> None:
    """Headings, emphasis and links lose their markup only."""
    md = "# Title\n\nSee **the deal** with [Amblin](https://example.org).\n- point one"
    assert markdown_to_text(md) == "Title\n\nSee the deal with Amblin.\npoint one"
