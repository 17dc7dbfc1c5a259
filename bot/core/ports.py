"""What the core needs from the world, as small protocols. `bot.compose` plugs in the real
store; the core's own tests plug in in-memory fakes (tests/fakes/core.py) and run without Chroma
or a model."""

from collections.abc import Sequence
from datetime import date
from typing import Protocol

from bot.core.models import Answer, Turn
from vectorstore.embeddings import Matrix
from vectorstore.models import NewerArticle, SearchFilters, SearchHit, StoredDocument, StoreStats


class Retriever(Protocol):
    """Finds passages for a question, and later coverage of a company for "as of" notes."""

    def search(
        self,
        query: str,
        k: int | None = None,
        filters: SearchFilters | None = None,
        query_vector: Matrix | None = None,
    ) -> list[SearchHit]: ...

    def newer_coverage(self, name: str, after: date) -> NewerArticle | None: ...

    def chunks_mentioning(self, names: Sequence[str], k: int = 10) -> list[SearchHit]: ...


class QuestionEncoder(Protocol):
    """Embeds questions and quotable sentences into the space the passages were embedded in."""

    @property
    def model_id(self) -> str: ...

    def encode(self, texts: list[str]) -> Matrix: ...

    def encode_queries(self, texts: list[str]) -> Matrix: ...


class Corpus(Protocol):
    """What front ends may show about the corpus, and the handle to release at shutdown."""

    def stats(self) -> StoreStats: ...

    def recent(self, limit: int = 10) -> list[StoredDocument]: ...

    def document_count(self) -> int: ...

    def close(self) -> None: ...


class ConversationMemory(Protocol):
    """The turns of each conversation, for follow-ups, and its last answer, for /sources."""

    def history(self, conversation_id: str) -> list[Turn]: ...

    def last_answer(self, conversation_id: str) -> Answer | None: ...

    def record(self, conversation_id: str, answer: Answer) -> None: ...

    def reset(self, conversation_id: str) -> None: ...
