"""Follow-up questions: rule-based rewriting for extractive answers, model rewriting when a model
is configured, a capped and expiring history, and the console streaming within one conversation."""

import io
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import SecretStr

from bot.compose import build_desk
from bot.console import CONVERSATION, handle_line
from bot.core.conversation import ConversationStore
from bot.core.models import Answer, Turn
from bot.core.rewrite import rewrite_follow_up
from bot.core.service import DealDesk
from config import Settings
from config.settings import ConversationSettings, LLMSettings
from tests.fakes.chat_script import passage_with
from tests.fakes.openai_api import FakeOpenAI
from vectorstore.store import Store

QUESTION = "Why did Alibaba invest in Amblin?"
FOLLOW_UP = "And what does Spielberg get out of it?"
REWRITTEN = "What does Spielberg get out of Alibaba's investment in Amblin?"


def _turn(question: str) -> Turn:
    return Turn(question=question, standalone_question=question, answer="…")


@pytest.mark.parametrize(
    ("previous", "question", "carried"),
    [
        (QUESTION, FOLLOW_UP, ["Alibaba", "Amblin"]),
        ("Warum hat Alibaba in Amblin investiert?", "Und was hat Spielberg davon?", ["Alibaba"]),
        ("Why did Verizon buy MCI?", "What did they pay?", ["Verizon", "MCI"]),
        ("Wer hat MCI gekauft?", "Was hat es gekostet?", ["MCI"]),
        (QUESTION, "How much did Oracle pay for PeopleSoft?", []),
        ("Wer hat MCI gekauft?", "Wie viel zahlte Oracle für PeopleSoft?", []),
    ],
)
def test_rule_based_rewrite_carries_the_names_of_the_last_turn(
    previous: str, question: str, carried: list[str]
) -> None:
    """Follow-ups get the last turn's names; a question that names its own subject is left as is."""
    rewritten = rewrite_follow_up(question, [_turn(previous)])
    assert rewritten.startswith(question)
    for name in carried:
        assert name in rewritten
    if not carried:
        assert rewritten == question


def _is_rewrite(messages: list[dict[str, Any]]) -> bool:
    return "standalone question" in messages[0]["content"]


def answer_or_rewrite(rewrite: str) -> Any:
    """A fake model that answers answer prompts and rewrites rewrite prompts."""

    def reply(messages: list[dict[str, Any]]) -> str:
        if _is_rewrite(messages):
            return rewrite
        access = passage_with(messages, "privilegierten Zugang")
        return f"Alibaba hopes for privileged access to Hollywood's film business [{access}]."

    return reply


@pytest.fixture
def openai_api() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as fake:
        yield fake


def llm_desk(
    sample_settings: Settings, sample_store: Store, fake: FakeOpenAI, max_turns: int = 6
) -> DealDesk:
    llm = LLMSettings(
        provider="openai", base_url=fake.base_url, model="fake", api_key=SecretStr("sk-x")
    )
    conversation = ConversationSettings(max_turns=max_turns)
    settings = sample_settings.model_copy(update={"llm": llm, "conversation": conversation})
    return build_desk(settings, store=sample_store)


def _rewrite_requests(fake: FakeOpenAI) -> list[str]:
    return [r["messages"][-1]["content"] for r in fake.requests if _is_rewrite(r["messages"])]


def test_model_rewrites_the_follow_up_from_the_conversation(
    sample_settings: Settings, sample_store: Store, openai_api: FakeOpenAI
) -> None:
    """With a model configured, the model names what 'it' is, and retrieval uses its question."""
    openai_api.always(answer_or_rewrite(REWRITTEN))
    desk = llm_desk(sample_settings, sample_store, openai_api)
    desk.ask(QUESTION, conversation_id="c1")
    answer = desk.ask(FOLLOW_UP, conversation_id="c1")
    assert answer.standalone_question == REWRITTEN
    [prompt] = _rewrite_requests(openai_api)
    assert f"Q: {QUESTION}" in prompt
    assert "A: Alibaba hopes for privileged access" in prompt
    assert "[1]" not in prompt
    assert prompt.endswith(f"Follow-up: {FOLLOW_UP}\nStandalone question:")
    assert answer.citations[0].source.endswith("alibaba-amblin.de.txt")
    assert "rewrite_s" in answer.timings


@pytest.mark.parametrize("junk", ["", "x" * 400])
def test_unusable_model_rewrite_falls_back_to_the_rules(
    sample_settings: Settings, sample_store: Store, openai_api: FakeOpenAI, junk: str
) -> None:
    """An empty or rambling rewrite is not used; the names of the last turn are carried instead."""
    openai_api.always(answer_or_rewrite(junk))
    desk = llm_desk(sample_settings, sample_store, openai_api)
    desk.ask(QUESTION, conversation_id="c2")
    answer = desk.ask(FOLLOW_UP, conversation_id="c2")
    assert answer.standalone_question == f"{FOLLOW_UP} (Alibaba, Amblin)"


def test_question_that_names_its_subject_is_not_sent_for_rewriting(
    sample_settings: Settings, sample_store: Store, openai_api: FakeOpenAI
) -> None:
    """A standalone question costs no extra model call, even mid-conversation."""
    openai_api.always(answer_or_rewrite(REWRITTEN))
    desk = llm_desk(sample_settings, sample_store, openai_api)
    desk.ask(QUESTION, conversation_id="c3")
    answer = desk.ask("What did Alibaba buy from Steven Spielberg?", conversation_id="c3")
    assert answer.standalone_question == "What did Alibaba buy from Steven Spielberg?"
    assert _rewrite_requests(openai_api) == []


def test_history_sent_for_rewriting_is_capped(
    sample_settings: Settings, sample_store: Store, openai_api: FakeOpenAI
) -> None:
    """With max_turns=2 only the last two turns reach the model; older ones are forgotten."""
    openai_api.always(answer_or_rewrite(REWRITTEN))
    desk = llm_desk(sample_settings, sample_store, openai_api, max_turns=2)
    for question in (
        "Why did ABC switch to colour?",
        QUESTION,
        "What did Alibaba buy from Steven Spielberg?",
    ):
        desk.ask(question, conversation_id="c4")
    desk.ask(FOLLOW_UP, conversation_id="c4")
    [prompt] = _rewrite_requests(openai_api)
    assert prompt.count("\nQ: ") + prompt.startswith("Q: ") == 2
    assert "ABC" not in prompt


def test_idle_conversation_is_forgotten_after_its_ttl() -> None:
    """History lives ttl_s seconds after the last turn; then a follow-up starts afresh."""
    now = [0.0]
    store = ConversationStore(ConversationSettings(ttl_s=60), clock=lambda: now[0])
    answer = Answer(
        question=QUESTION, standalone_question=QUESTION, answer="…", language="en", grounded=True
    )
    store.record("tg:1", answer)
    now[0] = 59.0
    assert len(store.history("tg:1")) == 1
    now[0] = 59.0 + 61.0
    assert store.history("tg:1") == []
    assert store.last_answer("tg:1") is None


class _Terminal(io.StringIO):
    """A stdout that remembers each write, to see that text arrived in pieces."""

    def __init__(self) -> None:
        super().__init__()
        self.writes: list[str] = []

    def write(self, text: str) -> int:
        self.writes.append(text)
        return super().write(text)


def test_console_streams_the_answer_and_keeps_one_conversation(
    sample_settings: Settings, sample_store: Store, openai_api: FakeOpenAI
) -> None:
    """Tokens reach the terminal as they come; the follow-up is read in the session's context."""
    openai_api.always(answer_or_rewrite(REWRITTEN))
    desk = llm_desk(sample_settings, sample_store, openai_api)
    desk.reset(CONVERSATION)
    terminal = _Terminal()
    assert handle_line(desk, QUESTION, terminal)
    assert handle_line(desk, FOLLOW_UP, terminal)
    output = terminal.getvalue()
    assert output.count("Sources:") == 2
    assert "Alibaba hopes for privileged access to Hollywood's film business [1]." in output
    assert len(terminal.writes) > 10
    assert "Checked against the sources" not in output
    last = desk.last_answer(CONVERSATION)
    assert last is not None and last.standalone_question == REWRITTEN
    assert not handle_line(desk, "/quit", terminal)


def test_console_shows_the_checked_answer_when_the_preview_changed(
    sample_settings: Settings, sample_store: Store, openai_api: FakeOpenAI
) -> None:
    """A streamed sentence the sources do not back is followed by the checked answer."""

    def reply(messages: list[dict[str, Any]]) -> str:
        access = passage_with(messages, "privilegierten Zugang")
        return (
            f"Alibaba hopes for privileged access to Hollywood's film business [{access}]. "
            f"Alibaba paid $4bn for it [{access}]."
        )

    openai_api.always(reply)
    desk = llm_desk(sample_settings, sample_store, openai_api)
    desk.reset(CONVERSATION)
    terminal = _Terminal()
    handle_line(desk, QUESTION, terminal)
    preview, checked = terminal.getvalue().split("Checked against the sources:")
    assert "$4bn" in preview
    assert "$4bn" not in checked
    assert "Left out 1 sentence" in checked
