"""The quality of our own evaluation questions: their shape, and (with ../shared/data) that
every gold span really is in its documents and every no-answer trap names things the corpus
mentions without the fact it asks for."""

import json
import re
from collections import Counter
from functools import cache
from itertools import pairwise

import pytest

from bot.evaluation.datasets import BUNDLED, load_bbc, load_xquad, read_gnad
from bot.evaluation.spans import tokens
from ingest.models import Document
from ingest.sentences import split_sentences
from tests.conftest import SHARED_DATA, shared_data

GNAD = BUNDLED / "gnad_deal_questions.jsonl"
ANSWER_TYPES = {
    "amount", "stake", "date", "buyer", "seller", "company", "person", "count", "reason",
    "yes_no", "other",
}  # fmt: skip
TRAP_KINDS = {"no_price", "no_such_deal", "never_together"}
MAX_SPAN_CHARS = 60
"""Gold spans stay short: the corpora are research-only and must not be copied."""


def _rows(name: str) -> list[dict[str, object]]:
    with (BUNDLED / name).open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def test_gnad_questions_are_bilingual_typed_and_a_quarter_traps() -> None:
    """60+ questions, English and German about half each, a quarter no-answer traps, every
    answerable one with short gold spans and a known type, every trap with its reason."""
    rows = _rows("gnad_deal_questions.jsonl")
    assert len(rows) >= 60
    assert len({r["id"] for r in rows}) == len(rows)
    languages = Counter(str(r["language"]) for r in rows)
    assert set(languages) == {"en", "de"} and min(languages.values()) >= 0.4 * len(rows)
    traps = [r for r in rows if not r["expected"]]
    assert 0.24 <= len(traps) / len(rows) <= 0.3
    assert {str(r["language"]) for r in traps} == {"en", "de"}
    for row in rows:
        if row["expected"]:
            answers = row["answers"]
            assert isinstance(answers, list) and answers, row["id"]
            assert all(0 < len(a) <= MAX_SPAN_CHARS for a in answers), row["id"]
            assert row["type"] in ANSWER_TYPES, row["id"]
        else:
            trap = row["trap"]
            assert isinstance(trap, dict)
            assert trap["kind"] in TRAP_KINDS and trap["names"] and len(trap["why"]) > 20
    assert len({r["type"] for r in rows if r["expected"]}) >= 8


def test_bbc_answerable_questions_have_short_typed_gold_spans() -> None:
    """Every answerable BBC question now carries short gold spans and an answer type."""
    for row in _rows("bbc_deal_questions.jsonl"):
        if row["expected"]:
            answers = row["answers"]
            assert isinstance(answers, list) and answers, row["id"]
            assert all(len(a) <= MAX_SPAN_CHARS for a in answers), row["id"]
            assert row["type"] in ANSWER_TYPES, row["id"]


@cache
def _gnad_documents() -> dict[str, Document]:
    return {d.source: d for d in read_gnad(SHARED_DATA / "10kgnad" / "test.csv")}


def _full_text(document: Document) -> str:
    return f"{document.title}\n{document.text}"


def _mentions(text: str, name: str) -> bool:
    """The name as a whole word, case as written (names are proper nouns)."""
    return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text) is not None


def _has_amount(sentence: str) -> bool:
    """A number followed by a currency, in any of the spellings the span matcher knows."""
    found = tokens(sentence)
    return any(
        isinstance(a, frozenset) and b in {"usd", "eur", "gbp", "jpy", "chf"}
        for a, b in pairwise(found)
    )


@pytest.mark.shared
def test_every_gnad_gold_span_is_in_each_of_its_documents() -> None:
    """Each gold span occurs verbatim in an expected article, and each expected article
    holds one of the question's spans (it answers the question alone)."""
    shared_data("10kgnad", "test.csv")
    documents = _gnad_documents()
    for row in _rows("gnad_deal_questions.jsonl"):
        answers = [str(a) for a in row.get("answers", [])]  # type: ignore[attr-defined]
        texts = [_full_text(documents[str(s)]) for s in row["expected"]]  # type: ignore[attr-defined]
        for answer in answers:
            assert any(answer in text for text in texts), (row["id"], answer)
        for text in texts:
            assert any(answer in text for answer in answers), row["id"]


@pytest.mark.shared
def test_every_gnad_trap_names_things_the_corpus_mentions_without_the_asked_fact() -> None:
    """Trap names occur in the corpus; "never_together" names share no article, and for
    "no_price" traps no sentence names them all together with an amount of money."""
    shared_data("10kgnad", "test.csv")
    documents = [_full_text(d) for d in _gnad_documents().values()]
    for row in _rows("gnad_deal_questions.jsonl"):
        if row["expected"]:
            continue
        trap = row["trap"]
        assert isinstance(trap, dict)
        names = [str(n) for n in trap["names"]]
        for name in names:
            assert any(_mentions(text, name) for text in documents), (row["id"], name)
        if trap["kind"] == "never_together":
            assert not [t for t in documents if all(_mentions(t, n) for n in names)], row["id"]
        if trap["kind"] == "no_price":
            assert not _priced_sentences(documents, names), row["id"]
    assert _priced_sentences(documents, ["Google", "DeepMind"]), "the price check finds prices"


def _priced_sentences(documents: list[str], names: list[str]) -> list[str]:
    """Sentences that name all the names and an amount of money: where a price would be."""
    together = [t for t in documents if all(_mentions(t, n) for n in names)]
    return [
        sentence
        for text in together
        for sentence in split_sentences(text)
        if all(_mentions(sentence, n) for n in names) and _has_amount(sentence)
    ]


@pytest.mark.shared
def test_every_bbc_gold_span_is_in_each_of_its_documents() -> None:
    """Each BBC gold span occurs verbatim in an expected article (duplicates included), and
    each expected article holds one of the question's spans."""
    shared_data("bbc")
    tasks = load_bbc(SHARED_DATA)
    documents = {d.source: _full_text(d) for d in tasks[0].corpus.documents}
    for question in (q for task in tasks for q in task.questions if q.answerable):
        texts = [documents[source] for source in question.expected]
        for answer in question.answers:
            assert any(answer in text for text in texts), (question.qid, answer)
        for text in texts:
            assert any(answer in text for answer in question.answers), question.qid


@pytest.mark.shared
def test_every_xquad_gold_span_is_in_its_german_paragraph() -> None:
    """The loader pairs each question, English or German, with its German paragraph's span
    (as cleaned at ingest, which collapses runs of spaces)."""
    shared_data("xquad")
    en_de, de_de, _ = load_xquad(SHARED_DATA)
    documents = {d.source: " ".join(d.text.split()) for d in en_de.corpus.documents}
    for task in (en_de, de_de):
        answerable = [q for q in task.questions if q.answerable]
        assert len(answerable) == 1190
        for question in answerable:
            (source,) = question.expected
            assert question.answers, question.qid
            spans = [" ".join(a.split()) for a in question.answers]
            assert all(a in documents[source] for a in spans), question.qid
