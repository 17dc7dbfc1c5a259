"""Date-aware answers: latest-questions, newer-first re-ranking, and "as of <date>" notes."""

from datetime import date

import pytest

from bot.core.models import Citation, Evidence, SearchHit
from bot.core.recency import (
    as_of_note,
    as_of_notes,
    asks_for_latest,
    prefer_recent_evidence,
    rerank_by_recency,
    subjects,
)
from bot.core.service import DealDesk
from ingest.load import make_document
from tests.fakes.core import Article, memory_desk
from vectorstore.indexer import index_documents
from vectorstore.models import NewerArticle
from vectorstore.retriever import HybridSearcher
from vectorstore.store import Store

STAKE = (
    "Quillon Media buys a stake in Brightwater Films",
    "Quillon Media, the online video group from Hangzhou, has paid 200 million dollars for a "
    "20 percent stake in the Hollywood producer Brightwater Films. The two companies will "
    "co-finance family films and release them in Chinese cinemas. Brightwater said it would use "
    "the money to enlarge its animation unit and hire forty artists.",
    date(2016, 5, 10),
)
CONCERTS = (
    "Quillon Media buys concert promoter Stagelight",
    "Quillon Media has bought Stagelight, a promoter of arena concerts in Asia, for an "
    "undisclosed sum. Stagelight organises around three hundred shows a year and sells tickets "
    "through its own app, which Quillon plans to merge into its video service.",
    date(2017, 8, 20),
)
STREAMING = (
    "Quillon Media agrees to buy music streaming service Tunewave",
    "Quillon Media has agreed to buy Tunewave, a music streaming service with nine million "
    "subscribers, from its founders. The purchase is Quillon's largest entertainment deal so "
    "far and adds licensed music from the major record labels to its video and concert "
    "businesses.",
    date(2019, 2, 1),
)
UNRELATED = (
    "Nordwind Games opens a studio in Lisbon",
    "Nordwind Games, a maker of sailing simulations, has opened a studio in Lisbon with sixty "
    "developers. The studio will build a multiplayer version of its best-known game.",
    None,
)


def _hit(name: str, published: date | None, rank_score: float = 0.5) -> SearchHit:
    return SearchHit(
        chunk_id=f"c-{name}", doc_id=f"d-{name}", title=name, source=f"https://news.example/{name}",
        language="en", published=published, text=f"{name} text.", score=rank_score,
        similarity=0.6,
    )  # fmt: skip


def _citation(n: int, title: str, quote: str, published: date | None) -> Citation:
    return Citation(
        n=n, title=title, source=f"https://news.example/{n}", published=published, language="en",
        quote=quote, chunk_id=f"c{n}", score=0.7,
    )  # fmt: skip


@pytest.mark.parametrize(
    "question",
    [
        "What is Alibaba's latest entertainment deal?",
        "Which studio did Sony buy most recently?",
        "Who owns Pixar now?",
        "What are the newest deals in streaming?",
        "What is the current state of the Disney-Fox merger?",
        "Was ist der neueste Deal von Alibaba?",
        "Welche Übernahme hat Sony zuletzt angekündigt?",
        "Wie steht es aktuell um die Fusion?",
        "Was hat Tencent kürzlich gekauft?",
        "Wer ist derzeit Chef von Sky?",
        "Was war die jüngste Investition von Alibaba?",
    ],
)
def test_question_about_the_latest_news_is_recognised(question: str) -> None:
    """English and German ways of asking for the newest state are recognised."""
    assert asks_for_latest(question)


@pytest.mark.parametrize(
    "question",
    [
        "Why did Alibaba invest in Amblin?",
        "How much did Disney pay for Lucasfilm in 2012?",
        "Who founded Pixar?",
        "Warum investierte Alibaba in Amblin?",
        "Wie viel zahlte Comcast für Sky?",
    ],
)
def test_question_without_a_time_cue_is_not_a_latest_question(question: str) -> None:
    """Questions that do not ask for the newest state leave ranking alone."""
    assert not asks_for_latest(question)


def test_rerank_moves_a_nearly_as_relevant_newer_hit_ahead() -> None:
    """The runner-up from 2019 overtakes the 2016 top hit."""
    hits = [_hit("old", date(2016, 1, 1)), _hit("new", date(2019, 1, 1)), _hit("mid", None)]
    assert [h.title for h in rerank_by_recency(hits)] == ["new", "old", "mid"]


def test_rerank_does_not_let_a_barely_relevant_new_hit_jump_to_the_top() -> None:
    """The last of ten hits stays behind the best one even when it is the newest."""
    hits = [_hit(f"h{i}", date(2016, 1, 1 + i)) for i in range(9)]
    hits.append(_hit("newest", date(2020, 1, 1)))
    reranked = rerank_by_recency(hits)
    assert reranked[0].title != "newest"
    assert reranked.index(hits[-1]) < 9


def test_rerank_keeps_undated_hits_in_relevance_order() -> None:
    """Without dates there is nothing to prefer; the order is unchanged."""
    hits = [_hit("a", None), _hit("b", None), _hit("c", None)]
    assert rerank_by_recency(hits) == hits


def test_close_evidence_is_ordered_newest_source_first() -> None:
    """Sentences within the margin of the best are ordered by their source's date; weaker
    ones stay behind, in score order."""
    hits = [_hit("old", date(2016, 1, 1)), _hit("new", date(2019, 1, 1))]
    evidence = [
        Evidence(hit_index=0, position=0, sentence="old best", score=0.70),
        Evidence(hit_index=1, position=0, sentence="new close", score=0.64),
        Evidence(hit_index=1, position=1, sentence="new weak", score=0.40),
    ]
    ordered = prefer_recent_evidence(evidence, hits, margin=0.1)
    assert [e.sentence for e in ordered] == ["new close", "old best", "new weak"]
    narrow = prefer_recent_evidence(evidence, hits, margin=0.05)
    assert [e.sentence for e in narrow] == ["old best", "new close", "new weak"]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What is Quillon Media's latest entertainment deal?", ["Quillon Media"]),
        ("Did Quillon Media buy Brightwater Films?", ["Quillon Media", "Brightwater Films"]),
        ("Was ist der neueste Deal von Quillon Media?", ["Quillon Media"]),
        ("Welche Übernahme plant Quillon Media?", ["Quillon Media"]),
        ("What did Sony buy?", []),
    ],
)
def test_subjects_are_names_in_the_question_that_the_sources_mention(
    question: str, expected: list[str]
) -> None:
    """Question words and German nouns the sources do not mention are not companies."""
    cited = [_citation(1, STAKE[0], STAKE[1], STAKE[2])]
    assert subjects(question, cited) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            "As of 2016-05-10 (the date of [1]). The corpus has newer coverage of Quillon Media: "
            "“Tunewave deal” (2019-02-01, https://news.example/t).",
        ),
        (
            "de",
            "Stand 2016-05-10 (Datum von [1]). Das Korpus enthält eine neuere Meldung zu Quillon "
            "Media: „Tunewave deal“ (2019-02-01, https://news.example/t).",
        ),
    ],
)
def test_as_of_note_names_the_date_and_the_newer_article(language: str, expected: str) -> None:
    """The note says how old the cited source is and where the newer story is."""
    newer = NewerArticle("Tunewave deal", date(2019, 2, 1), "https://news.example/t", "t")
    assert as_of_note("Quillon Media", 1, date(2016, 5, 10), newer, language) == expected


ARTICLES = [
    Article(title, body, f"https://news.example/{i}", published, f"https://news.example/{i}")
    for i, (title, body, published) in enumerate([STAKE, CONCERTS, STREAMING, UNRELATED])
]


@pytest.fixture
def quillon() -> DealDesk:
    """A desk over four articles held in memory: three on Quillon Media (2016, 2017, 2019)."""
    return memory_desk(*ARTICLES)


def test_newer_coverage_finds_the_newest_later_article_naming_the_company(store: Store) -> None:
    """Only later articles with the company in their title count, the newest wins (real store:
    keyword search plus the catalog's titles and dates)."""
    docs = [
        make_document(a.source, a.title, a.text, url=a.url, published=a.published) for a in ARTICLES
    ]
    index_documents(store, docs, store.settings.ingest)
    retriever = HybridSearcher(store, store.settings.retrieval)
    newer = retriever.newer_coverage("Quillon Media", date(2016, 5, 10))
    assert newer is not None and (newer.title, newer.published) == (STREAMING[0], STREAMING[2])
    assert retriever.newer_coverage("Quillon Media", date(2019, 2, 1)) is None
    assert retriever.newer_coverage("Brightwater Films", date(2016, 5, 10)) is None


def test_no_note_when_the_newest_coverage_is_already_cited(quillon: DealDesk) -> None:
    """Citing the 2019 article leaves nothing newer to point at."""
    cited = [_citation(1, STREAMING[0], "Quillon Media has agreed to buy Tunewave.", STREAMING[2])]
    cited[0] = cited[0].model_copy(update={"source": "https://news.example/2"})
    assert as_of_notes("What did Quillon Media buy?", cited, quillon.retriever, "en") == []


def test_answer_from_an_old_article_says_as_of_its_date(quillon: DealDesk) -> None:
    """Asking about the 2016 stake cites it and notes that newer Quillon coverage exists."""
    answer = quillon.ask("How much did Quillon Media pay for its stake in Brightwater Films?")
    assert answer.grounded
    assert answer.citations[0].published == date(2016, 5, 10)
    assert len(answer.notes) == 1
    assert answer.notes[0].startswith("As of 2016-05-10 (the date of [1]).")
    assert f"“{STREAMING[0]}” (2019-02-01, https://news.example/2)" in answer.notes[0]


@pytest.mark.parametrize(
    "question",
    ["What is Quillon Media's latest entertainment deal?", "Was ist der neueste Deal von Quillon?"],
)
def test_latest_question_cites_the_newest_article_first(quillon: DealDesk, question: str) -> None:
    """For "latest" questions the newest relevant source leads the answer, with its date."""
    answer = quillon.ask(question)
    assert answer.grounded
    assert answer.citations[0].published == date(2019, 2, 1)
    assert "[1]" in answer.answer.split("\n")[1]
    assert not any(note.startswith(("As of", "Stand")) for note in answer.notes)
