"""Shared fixtures: a real store and core over the bundled sample corpus, in temp dirs."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from bot.compose import build_desk
from bot.core.service import DealDesk
from config import Settings
from vectorstore.embeddings import USEEncoder
from vectorstore.indexer import ingest_paths
from vectorstore.store import Store

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "data" / "sample"
SHARED_DATA = REPO.parent / "shared" / "data"


def shared_data(*parts: str) -> Path:
    """A path under ../shared/data, or skip the test when that folder is not beside the repo."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"needs {path} (../shared/data beside the repo); not present here")
    return path


@pytest.fixture(scope="session")
def encoder() -> USEEncoder:
    """One USE encoder for the whole run: it is stateless, and loading it costs a second."""
    return USEEncoder()


def make_settings(data_dir: Path, **overrides: object) -> Settings:
    """Settings that ignore the developer's own .env and environment."""
    return Settings(_env_file=None, data_dir=data_dir, **overrides)  # type: ignore[call-arg]


@pytest.fixture(scope="session")
def sample_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return make_settings(tmp_path_factory.mktemp("sample-store"))


@pytest.fixture(scope="session")
def sample_store(sample_settings: Settings, encoder: USEEncoder) -> Iterator[Store]:
    """The real store over the sample corpus (seed article + XQuAD media paragraphs)."""
    store = Store(sample_settings, encoder)
    ingest_paths(store, [SAMPLE], sample_settings.ingest)
    yield store
    store.close()


@pytest.fixture(scope="session")
def sample_desk(sample_settings: Settings, sample_store: Store) -> DealDesk:
    """A real DealDesk over the sample store."""
    return build_desk(sample_settings, store=sample_store)


@pytest.fixture
def store(tmp_path: Path, encoder: USEEncoder) -> Iterator[Store]:
    """An empty embedded store in a fresh temp dir."""
    store = Store(make_settings(tmp_path / "store"), encoder)
    yield store
    store.close()
