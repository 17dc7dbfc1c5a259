"""What an answerer is. The extractive one (`bot.core.extractive`) needs no model; the LLM one
(`bot.core.llm.answerer`) writes prose; `bot.compose` picks one from the settings."""

from typing import Protocol, runtime_checkable

from bot.core.models import Answer, AnswerRequest, AnswerStream, Turn


class Answerer(Protocol):
    """Anything that writes an answer from retrieved passages, citing only those passages."""

    name: str

    def answer(self, request: AnswerRequest) -> Answer: ...


@runtime_checkable
class StreamingAnswerer(Protocol):
    """An answerer that shows its text while writing it: text deltas, then the final Answer."""

    name: str

    def answer(self, request: AnswerRequest) -> Answer: ...

    def stream(self, request: AnswerRequest) -> AnswerStream: ...


@runtime_checkable
class FollowUpRewriter(Protocol):
    """An answerer with its own way (a model) of making follow-ups standalone."""

    def rewrite(self, question: str, history: list[Turn]) -> str: ...


@runtime_checkable
class WarmsUp(Protocol):
    """An answerer with something slow to load (a model) that start-up should load."""

    def warm_up(self) -> None: ...
