"""Language detection on questions and articles."""

import pytest

from ingest.language import detect_language


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Why did Alibaba invest in Amblin?", "en"),
        ("Warum investiert Alibaba in Amblin?", "de"),
        ("Wer hat gewonnen?", "de"),
        ("Who won the 2022 FIFA World Cup final?", "en"),
        ("Alibaba steigt ins Filmgeschäft ein", "de"),
        ("Qu'est-ce que Amblin Partners fait dans le cinéma aujourd'hui?", "fr"),
        ("", "und"),
        ("12345 678", "und"),
    ],
)
def test_language_is_detected_for_short_and_long_text(text: str, expected: str) -> None:
    """German and English are told apart even in one short question."""
    assert detect_language(text) == expected


def test_sample_article_is_german() -> None:
    """The seed article is German."""
    from tests.conftest import SAMPLE

    text = (SAMPLE / "alibaba-amblin.de.txt").read_text(encoding="utf-8")
    assert detect_language(text) == "de"
