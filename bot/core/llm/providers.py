"""The one place a provider name becomes a LangChain chat model: a registry of factories."""

import importlib.util
from collections.abc import Callable

from langchain_core.language_models import BaseChatModel
from pydantic import SecretStr

from config.errors import LLMConfigError
from config.settings import LLMSettings


def _openai(settings: LLMSettings) -> BaseChatModel:
    if not settings.model:
        raise LLMConfigError(
            "DEALDESK_LLM__MODEL is required for provider openai: the model name the endpoint "
            "serves."
        )
    if settings.base_url is None and settings.api_key is None:
        raise LLMConfigError(
            "DEALDESK_LLM__API_KEY is required for OpenAI itself; for a local OpenAI-compatible "
            "server set DEALDESK_LLM__BASE_URL."
        )
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(
        model=settings.model,
        base_url=settings.base_url,
        api_key=settings.api_key or SecretStr("not-needed"),
        temperature=settings.temperature,
        max_tokens=settings.max_tokens,
        timeout=settings.timeout_s,
        max_retries=1,
        stream_usage=True,
    )


def _ollama(settings: LLMSettings) -> BaseChatModel:
    if not settings.model:
        raise LLMConfigError(
            "DEALDESK_LLM__MODEL is required for provider ollama, e.g. qwen2.5:3b."
        )
    from langchain_ollama import ChatOllama

    return ChatOllama(
        model=settings.model,
        base_url=settings.base_url,
        temperature=settings.temperature,
        num_predict=settings.max_tokens,
        client_kwargs={"timeout": settings.timeout_s},
    )


def _llamacpp(settings: LLMSettings) -> BaseChatModel:
    if importlib.util.find_spec("llama_cpp") is None:
        raise LLMConfigError(
            "provider llamacpp needs llama-cpp-python, which is not installed: "
            "pip install 'dealdesk[llamacpp]' (it compiles llama.cpp, about 3 minutes)."
        )
    if settings.model_path is None or not settings.model_path.is_file():
        raise LLMConfigError(
            "provider llamacpp needs DEALDESK_LLM__MODEL_PATH set to a .gguf file; "
            f"got {settings.model_path}."
        )
    from bot.core.llm.llamacpp import LlamaCppChatModel

    return LlamaCppChatModel(
        model_path=settings.model_path,
        temperature=settings.temperature,
        max_tokens=settings.max_tokens,
    )


CHAT_MODELS: dict[str, Callable[[LLMSettings], BaseChatModel]] = {
    "openai": _openai,
    "ollama": _ollama,
    "llamacpp": _llamacpp,
}


def make_chat_model(settings: LLMSettings) -> BaseChatModel:
    """The chat model of the configured provider, built once per process."""
    factory = CHAT_MODELS.get(settings.provider)
    if factory is None:
        raise LLMConfigError(f"provider {settings.provider} uses no language model")
    return factory(settings)


def provider_label(settings: LLMSettings) -> str:
    """'openai:gpt-4o-mini', 'llamacpp:model.gguf': which backend wrote an answer."""
    model = settings.model or (settings.model_path.name if settings.model_path else "")
    return f"{settings.provider}:{model}" if model else settings.provider
