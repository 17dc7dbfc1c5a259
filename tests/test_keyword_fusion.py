"""BM25 terms (character grams) and the weighted fusion of dense and keyword scores."""

import pytest

from vectorstore.keyword import char_grams, fts_match_expression, keyword_terms
from vectorstore.retriever import weighted_fusion


@pytest.mark.parametrize(
    ("word", "grams"),
    [
        ("film", ["_fil", "film", "ilm_"]),
        ("ab", ["_ab_"]),
        ("60", ["_60_"]),
    ],
)
def test_char_grams_mark_word_boundaries(word: str, grams: list[str]) -> None:
    """Grams carry underscores at word edges, so a word's start and end stay distinguishable."""
    assert char_grams(word) == grams


@pytest.mark.parametrize(
    ("compound", "part"),
    [("Filmgeschäft", "Geschäft"), ("Übernahmeangebot", "Übernahme"), ("takeovers", "takeover")],
)
def test_compound_shares_grams_with_its_parts(compound: str, part: str) -> None:
    """A German compound and its parts (or an inflected form) meet in BM25 through shared grams."""
    shared = set(keyword_terms(compound)) & set(keyword_terms(part))
    assert len(shared) >= 3


def test_plain_terms_stay_whole_words_for_evidence() -> None:
    """Without grams, terms are stemmed words minus stopwords (the evidence scorer uses these)."""
    assert keyword_terms("Wer kaufte die Firmen?", compounds=False) == ["kauft", "firm"]


def test_query_of_only_stopwords_has_no_match_expression() -> None:
    """A question of stopwords alone yields no FTS5 query rather than an invalid one."""
    assert fts_match_expression(keyword_terms("what is the")) is None


@pytest.mark.parametrize(
    ("dense", "keyword", "winner"),
    [
        ({"a": 0.50, "b": 0.48}, {"b": 10.0}, "b"),
        ({"a": 0.60, "b": 0.40}, {"b": 10.0}, "a"),
        ({"a": 0.50, "b": 0.49}, {}, "a"),
    ],
)
def test_keyword_score_breaks_near_ties_but_not_clear_dense_wins(
    dense: dict[str, float], keyword: dict[str, float], winner: str
) -> None:
    """With a small BM25 weight, a keyword match decides between close passages only."""
    fused = weighted_fusion(dense, keyword, 1.0, 0.005)
    assert max(fused, key=fused.__getitem__) == winner
