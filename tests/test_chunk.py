"""Sentence splitting and chunking, German and English."""

import itertools

import pytest

from ingest.chunk import chunk_document, count_tokens
from ingest.models import Document
from ingest.sentences import split_sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Das ist z. B. gut. Am 3. März kam Dr. Müller. Fertig!",
            ["Das ist z. B. gut.", "Am 3. März kam Dr. Müller.", "Fertig!"],
        ),
        (
            "Er sagte: „Ja.“ Dann ging er. Apple Inc. kaufte 3.5 Mio. Aktien.",
            ["Er sagte: „Ja.“", "Dann ging er.", "Apple Inc. kaufte 3.5 Mio. Aktien."],
        ),
        (
            "Mr. Smith went to Washington. The U.S. economy grew 3.2%. Really?",
            ["Mr. Smith went to Washington.", "The U.S. economy grew 3.2%.", "Really?"],
        ),
        (
            "J. K. Rowling signed with Warner. It was big.",
            ["J. K. Rowling signed with Warner.", "It was big."],
        ),
        ("Headline without stop\nBody sentence.", ["Headline without stop", "Body sentence."]),
    ],
)
def test_sentences_split_at_real_boundaries_only(text: str, expected: list[str]) -> None:
    """Abbreviations, initials, ordinals and decimals do not end a sentence; line breaks do."""
    assert split_sentences(text) == expected


def _document(text: str, language: str = "en") -> Document:
    return Document(source="/tmp/doc.txt", title="Deal title", text=text, language=language)


@pytest.mark.parametrize("language", ["en", "de"])
def test_chunks_are_whole_sentences_within_size_with_overlap(language: str) -> None:
    """Chunks hold 120–250 tokens of whole sentences, and consecutive chunks overlap."""
    sentence = {
        "en": "Sony agreed to pay {n} million dollars for the studio's film library today.",
        "de": "Sony zahlt {n} Millionen Dollar für die Filmbibliothek des Studios heute.",
    }[language]
    text = " ".join(sentence.format(n=i) for i in range(60))
    chunks = chunk_document(_document(text, language))
    assert len(chunks) > 3
    for chunk in chunks[:-1]:
        assert 120 <= count_tokens(chunk.text) <= 250
        assert chunk.text.endswith(".")
    for first, second in itertools.pairwise(chunks):
        assert first.text.split(". ")[-1] in second.text


def test_chunk_ids_are_deterministic_and_change_with_content() -> None:
    """The same text gives the same ids; changed text gives new ids."""
    doc = _document("First sentence here. " * 80)
    assert [c.chunk_id for c in chunk_document(doc)] == [c.chunk_id for c in chunk_document(doc)]
    changed = _document("Other sentence here. " * 80)
    assert not {c.chunk_id for c in chunk_document(doc)} & {
        c.chunk_id for c in chunk_document(changed)
    }


def test_every_chunk_carries_its_document_title_as_context() -> None:
    """The title travels with each chunk into the embedding."""
    chunks = chunk_document(_document("A sentence about money. " * 100))
    assert all(c.embed_text.startswith("Deal title\n") for c in chunks)


def test_overlong_sentence_is_split_rather_than_dropped() -> None:
    """A 'sentence' of 600 words still ends up in chunks no larger than the maximum."""
    chunks = chunk_document(_document(" ".join(["word"] * 600)))
    assert sum(count_tokens(c.text) for c in chunks) >= 600
    assert all(count_tokens(c.text) <= 250 for c in chunks)
