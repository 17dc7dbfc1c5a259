"""Sentence-level evidence: which retrieved sentences answer the question, and how well.

Chunk-level cosine is too blunt to decide whether the corpus answers a question, and too coarse
to quote. Each sentence is scored together with its neighbours; a headline lends its score to the
sentence under it, because in news text the headline states the point and the sentence below
carries the facts. USE is an averaging encoder, so the mean of neighbouring sentence vectors
stands in for the window's own embedding at no extra encoding cost.
"""

import math
import re
import threading
from collections import OrderedDict
from typing import NamedTuple

import numpy as np

from bot.core.injection import is_instruction
from bot.core.models import Evidence
from bot.core.ports import QuestionEncoder
from ingest.sentences import split_sentences
from vectorstore.embeddings import Matrix
from vectorstore.keyword import keyword_terms
from vectorstore.models import SearchHit

_MIN_WORDS = 4
_FULL_LENGTH_WORDS = 14
_HEADLINE_WEIGHT = 0.9
_SAME_FACT = 0.85
_KEYWORD_BONUS = 0.15


def _is_headline(sentence: str) -> bool:
    return sentence[-1:] not in ".!?…\"'“”»«):" and len(sentence.split()) <= 14


class ScoredEvidence(NamedTuple):
    """Quotable sentences, best first, and the hits that hold planted instructions."""

    evidence: list[Evidence]
    planted: list[int]


class EvidenceScorer:
    """Scores the sentences of retrieved hits against a question, caching sentence vectors
    (the same passages come back for related questions)."""

    def __init__(self, encoder: QuestionEncoder, cache_size: int = 50_000) -> None:
        self.encoder = encoder
        self.cache_size = cache_size
        self._cache: OrderedDict[str, Matrix] = OrderedDict()
        self._lock = threading.Lock()

    def _vectors(self, sentences: list[str]) -> dict[str, Matrix]:
        with self._lock:
            missing = [s for s in dict.fromkeys(sentences) if s not in self._cache]
        fresh = self.encoder.encode(missing) if missing else np.zeros((0, 0), dtype=np.float32)
        with self._lock:
            for sentence, vector in zip(missing, fresh, strict=True):
                self._cache[sentence] = vector
            found = {}
            for sentence in sentences:
                self._cache.move_to_end(sentence)
                found[sentence] = self._cache[sentence]
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        return found

    def score(
        self, question_vector: Matrix, hits: list[SearchHit], question: str = ""
    ) -> ScoredEvidence:
        """Quotable sentences of the hits, best first, one per fact (translations of the same
        sentence in two articles count once). Sentences sharing the question's keywords get a
        bonus: the embedding barely sees names and numbers. Instruction-like sentences are
        neither evidence nor quotable; the hits holding them are reported."""
        wanted = set(keyword_terms(question, compounds=False))
        per_hit = [split_sentences(hit.text) for hit in hits]
        orders = [
            {i for i, s in enumerate(sentences) if is_instruction(s)} for sentences in per_hit
        ]
        terms = {s: set(keyword_terms(s, compounds=False)) & wanted for ss in per_hit for s in ss}
        weights = _rarity(wanted, list(terms.values()))
        vectors = self._vectors([s for sentences in per_hit for s in sentences])
        scored: list[tuple[Evidence, Matrix]] = []
        for h, sentences in enumerate(per_hit):
            body = [
                i for i, s in enumerate(sentences) if not _is_headline(s) and i not in orders[h]
            ]
            for j, i in enumerate(body):
                sentence = sentences[i]
                words = len(sentence.split())
                if words < _MIN_WORDS:
                    continue
                window = np.mean([vectors[sentences[b]] for b in body[max(0, j - 1) : j + 2]], 0)
                window /= np.linalg.norm(window) or 1.0
                own = 0.5 * float(vectors[sentence] @ question_vector)
                own += 0.5 * float(window @ question_vector)
                own *= math.sqrt(min(1.0, words / _FULL_LENGTH_WORDS))
                own += _KEYWORD_BONUS * sum(weights[t] for t in terms[sentence])
                above = sentences[i - 1] if i > 0 else None
                lent = 0.0
                if above is not None and _is_headline(above):
                    lent = _HEADLINE_WEIGHT * float(vectors[above] @ question_vector)
                item = Evidence(hit_index=h, position=i, sentence=sentence, score=max(own, lent))
                scored.append((item, vectors[sentence]))
        scored.sort(key=lambda pair: pair[0].score, reverse=True)
        kept: list[tuple[Evidence, Matrix]] = []
        for item, vector in scored:
            if all(float(vector @ other) < _SAME_FACT for _, other in kept):
                kept.append((item, vector))
        planted = [h for h, found in enumerate(orders) if found]
        return ScoredEvidence([item for item, _ in kept], planted)


def _rarity(wanted: set[str], sentence_terms: list[set[str]]) -> dict[str, float]:
    """Weights for the question's keywords that sum to 1, rarer among the candidate sentences
    counting more: in an article about Alibaba, "Alibaba" in a sentence says little."""
    if not wanted:
        return {}
    total = len(sentence_terms) or 1
    raw = {t: math.log(1 + total / (1 + sum(t in s for s in sentence_terms))) for t in wanted}
    norm = sum(raw.values()) or 1.0
    return {t: w / norm for t, w in raw.items()}


def is_grounded(evidence: list[Evidence], min_score: float) -> bool:
    """Does the best sentence answer the question well enough to quote?"""
    return bool(evidence) and evidence[0].score >= min_score


def select_evidence(
    evidence: list[Evidence], max_sentences: int = 3, margin: float = 0.12
) -> list[Evidence]:
    """The first sentences in the given order (the typed ranking puts the one that states the
    asked value first), skipping repeats (chunks overlap) and runners-up far weaker than the
    best-scoring sentence."""
    chosen: list[Evidence] = []
    seen: set[str] = set()
    best = max((item.score for item in evidence), default=0.0)
    for item in evidence:
        if len(chosen) == max_sentences:
            break
        if chosen and item.score < best - margin:
            continue
        key = re.sub(r"\W+", " ", item.sentence.lower()).strip()
        if key in seen:
            continue
        seen.add(key)
        chosen.append(item)
    return chosen
