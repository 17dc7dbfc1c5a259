"""Opening the Chroma collection, embedded or on a server, with its embedding model pinned."""

from typing import Any
from urllib.parse import urlparse

import chromadb
from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from chromadb.config import Settings as ChromaClientSettings
from chromadb.utils.embedding_functions import register_embedding_function

from config import Settings
from config.errors import ModelMismatchError, StoreError
from vectorstore.embeddings import Encoder


@register_embedding_function
class DealdeskEmbeddingFunction(EmbeddingFunction[Documents]):
    """Our encoder as Chroma sees it. Registered, so a collection reopened without it is rebuilt
    from its config instead of silently falling back to Chroma's downloading default."""

    def __init__(self, encoder: Encoder) -> None:
        self.encoder = encoder

    def __call__(self, input: Documents) -> Embeddings:
        return list(self.encoder.encode(list(input)))

    @staticmethod
    def name() -> str:
        return "dealdesk"

    def get_config(self) -> dict[str, Any]:
        return {"model": self.encoder.model_id}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> "DealdeskEmbeddingFunction":
        from config import EmbeddingSettings
        from vectorstore.registry import make_encoder

        return DealdeskEmbeddingFunction(make_encoder(EmbeddingSettings(model=config["model"])))

    def default_space(self) -> str:  # type: ignore[override]
        return "cosine"


def _client_settings() -> ChromaClientSettings:
    """A fresh object per client: HttpClient rewrites the settings it is given into HTTP mode,
    and a shared object would turn every later PersistentClient into a failing HTTP client."""
    return ChromaClientSettings(anonymized_telemetry=False)


def make_client(settings: Settings) -> ClientAPI:
    """PersistentClient under the data dir, or HttpClient when a server URL is configured."""
    url = settings.chroma.url
    if not url:
        path = settings.data_dir / "chroma"
        return chromadb.PersistentClient(path=str(path), settings=_client_settings())
    parsed = urlparse(url)
    if parsed.scheme not in {"http", "https"} or not parsed.hostname:
        raise StoreError(f"DEALDESK_CHROMA__URL must look like http://host:port, not {url!r}")
    try:
        return chromadb.HttpClient(
            host=parsed.hostname,
            port=parsed.port or (443 if parsed.scheme == "https" else 8000),
            ssl=parsed.scheme == "https",
            settings=_client_settings(),
        )
    except Exception as exc:
        raise StoreError(f"cannot reach the Chroma server at {url}: {exc}") from exc


def mismatch_message(built_with: str, dimension: Any, encoder: Encoder, where: str) -> str:
    return (
        f"the index in {where} was built with the embedding model {built_with} "
        f"({dimension} dimensions), but the configured model is {encoder.model_id} "
        f"({encoder.dimension} dimensions). Vectors of two models cannot be mixed: run "
        "`dealdesk reindex` to re-embed the corpus with the new model, or set "
        f"DEALDESK_EMBEDDING__MODEL={built_with} to keep using the old index."
    )


def open_collection(
    client: ClientAPI, name: str, encoder: Encoder, where: str, create: bool = True
) -> Collection | None:
    """Get (or, with `create`, create) the collection, refusing one built with another embedding
    model; None if it does not exist and `create` is off."""
    existing = {c.name for c in client.list_collections()}
    function = DealdeskEmbeddingFunction(encoder)
    if name in existing:
        collection = client.get_collection(name)
        metadata = collection.metadata or {}
        built_with = metadata.get("embedding_model")
        if built_with != encoder.model_id or metadata.get("dimension") != encoder.dimension:
            raise ModelMismatchError(
                mismatch_message(str(built_with), metadata.get("dimension"), encoder, where)
            )
        return client.get_collection(name, embedding_function=function)  # type: ignore[arg-type]
    if not create:
        return None
    return client.create_collection(
        name,
        embedding_function=function,  # type: ignore[arg-type]
        metadata={
            "embedding_model": encoder.model_id,
            "dimension": encoder.dimension,
            "hnsw:space": "cosine",
        },
    )
