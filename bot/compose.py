"""The composition root: the one place that builds a `DealDesk` from settings. Front ends, the
CLI, evaluation and benchmarks call `build_desk`; the core never constructs its own parts."""

from collections.abc import Callable

from bot.core.answerers import Answerer
from bot.core.conversation import ConversationStore
from bot.core.extractive import ExtractiveAnswerer
from bot.core.service import DealDesk
from config import LLMSettings, Settings
from vectorstore.retriever import HybridSearcher
from vectorstore.store import Store


def _llm_answerer(settings: LLMSettings) -> Answerer:
    from bot.core.llm.answerer import make_llm_answerer

    return make_llm_answerer(settings)


ANSWERERS: dict[str, Callable[[LLMSettings], Answerer]] = {
    "extractive": lambda settings: ExtractiveAnswerer(),
    "openai": _llm_answerer,
    "ollama": _llm_answerer,
    "llamacpp": _llm_answerer,
}


def make_answerer(settings: LLMSettings) -> Answerer:
    """Extractive unless a model is configured. Called once per process: the model client (or
    the in-process GGUF model) is built here and reused for every question."""
    return ANSWERERS[settings.provider](settings)


def build_desk(
    settings: Settings, store: Store | None = None, answerer: Answerer | None = None
) -> DealDesk:
    """A desk over `store` (default: the store in the configured data dir) answering with
    `answerer` (default: the configured provider)."""
    store = store or Store(settings)
    return DealDesk(
        retriever=HybridSearcher(store, settings.retrieval),
        corpus=store,
        encoder=store.encoder,
        answerer=answerer or make_answerer(settings.llm),
        conversations=ConversationStore(settings.conversation),
        settings=settings.retrieval,
    )
