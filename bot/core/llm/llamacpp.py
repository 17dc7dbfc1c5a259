"""A GGUF model run in-process by llama-cpp-python, as a LangChain chat model."""

import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.language_models.chat_models import generate_from_stream
from langchain_core.messages import AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGenerationChunk, ChatResult
from pydantic import ConfigDict, PrivateAttr


class LlamaCppChatModel(BaseChatModel):
    """A GGUF file run in-process by llama-cpp-python.

    Forty lines here instead of langchain-community's ChatLlamaCpp, which would add
    langchain-community and its dependency tree for one class. llama.cpp is not thread-safe, so
    generation is serialised; the model is loaded once, on first use or `warm_up`."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    model_path: Path
    temperature: float = 0.1
    max_tokens: int = 400
    n_ctx: int = 4096
    n_threads: int | None = None
    client: Any = None
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    @property
    def _llm_type(self) -> str:
        return "llamacpp"

    def _llama(self) -> Any:
        if self.client is None:
            from llama_cpp import Llama

            self.client = Llama(
                model_path=str(self.model_path),
                n_ctx=self.n_ctx,
                n_threads=self.n_threads or os.cpu_count(),
                verbose=False,
            )
        return self.client

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        roles = {"system": "system", "human": "user", "ai": "assistant"}
        payload = [{"role": roles.get(m.type, "user"), "content": m.text} for m in messages]
        with self._lock:
            parts = self._llama().create_chat_completion(
                messages=payload,
                stream=True,
                temperature=self.temperature,
                max_tokens=self.max_tokens,
                stop=stop,
            )
            for part in parts:
                delta = part["choices"][0]["delta"].get("content")
                if not delta:
                    continue
                chunk = ChatGenerationChunk(message=AIMessageChunk(content=delta))
                if run_manager:
                    run_manager.on_llm_new_token(delta, chunk=chunk)
                yield chunk

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        return generate_from_stream(self._stream(messages, stop, run_manager, **kwargs))
