"""Escape sequences and control characters never survive into stored or printed text."""

import pytest

from ingest.sanitize import strip_control_sequences


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Alibaba\x1b[2J kauft", "Alibaba kauft"),
        ("\x1b[31mred\x1b[0m text", "red text"),
        ("\x1b]0;owned\x07Title", "Title"),
        ("\x1b]8;;http://evil.example\x1b\\link\x1b]8;;\x1b\\", "link"),
        ("\x9b31mC1 CSI", "C1 CSI"),
        ("\x9d0;title\x9cafter", "after"),
        ("bell\x07 and null\x00 and del\x7f", "bell and null and del"),
        ("keeps\ttabs\nand newlines", "keeps\ttabs\nand newlines"),
        ("windows\r\nline\rends", "windows\nline\nends"),
        ("Übernahme für 1,2 Mrd. € — „Amblin“", "Übernahme für 1,2 Mrd. € — „Amblin“"),
        ("\x1bcreset", "reset"),
        ("unterminated \x1b]2;title", "unterminated "),
    ],
)
def test_escape_sequences_and_controls_are_stripped(raw: str, clean: str) -> None:
    """Text from articles is safe to print on a terminal after stripping; real text is kept."""
    assert strip_control_sequences(raw) == clean


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Deal \x1b]0;no end\nSecond line stays.", "Deal \nSecond line stays."),
        ("\x90DCS payload\nNext paragraph.\nAnd another.", "\nNext paragraph.\nAnd another."),
    ],
)
def test_unterminated_string_sequence_takes_only_its_line(raw: str, clean: str) -> None:
    """A stray OSC/DCS introducer in an article costs its line, not the rest of the article."""
    assert strip_control_sequences(raw) == clean
