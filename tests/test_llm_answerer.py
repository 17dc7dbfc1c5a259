"""LLM answers end to end: the real DealDesk, the real ChatOpenAI / ChatOllama clients over
HTTP, and fake OpenAI and Ollama servers on 127.0.0.1 that say what each test scripts."""

import importlib.util
import json
import logging
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from bot.compose import build_desk, make_answerer
from bot.core.extractive import ExtractiveAnswerer
from bot.core.llm.answerer import LLMAnswerer
from bot.core.llm.llamacpp import LlamaCppChatModel
from bot.core.llm.prompts import build_messages
from bot.core.models import Answer, AnswerRequest
from bot.core.service import DealDesk
from config import Settings
from config.errors import LLMConfigError
from config.settings import LLMSettings
from tests.conftest import SAMPLE, make_settings
from tests.fakes.chat_script import passage_with
from tests.fakes.ollama_api import FakeOllama
from tests.fakes.openai_api import FakeOpenAI
from vectorstore.embeddings import USEEncoder
from vectorstore.indexer import ingest_paths
from vectorstore.store import Store

QUESTION = "Why did Alibaba invest in Amblin?"
API_KEY = "sk-test-4c1d-never-logged"


@pytest.fixture
def openai_api() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as fake:
        yield fake


@pytest.fixture
def ollama_api() -> Iterator[FakeOllama]:
    with FakeOllama() as fake:
        yield fake


def llm_desk(sample_settings: Settings, sample_store: Store, **llm: Any) -> DealDesk:
    """A DealDesk over the shared sample store whose answerer comes from the LLM settings."""
    settings = sample_settings.model_copy(update={"llm": LLMSettings(**llm)})
    return build_desk(settings, store=sample_store)


def openai_desk(sample_settings: Settings, sample_store: Store, fake: FakeOpenAI) -> DealDesk:
    return llm_desk(
        sample_settings,
        sample_store,
        provider="openai",
        base_url=fake.base_url,
        model="fake-model",
        api_key=SecretStr(API_KEY),
    )


def alibaba_reply(messages: list[dict[str, Any]]) -> str:
    """What a good model says: two claims, each citing the passage that states it."""
    access = passage_with(messages, "privilegierten Zugang")
    data = passage_with(messages, "Daten-Bestand")
    return (
        f"Alibaba hopes for privileged access to Hollywood's film business [{access}]. "
        f"Spielberg wants Alibaba's data on Chinese consumers [{data}]."
    )


def collect(stream: Iterator[str | Answer]) -> tuple[list[str], Answer]:
    deltas: list[str] = []
    for item in stream:
        if isinstance(item, Answer):
            return deltas, item
        deltas.append(item)
    raise AssertionError("the stream ended without an Answer")


def test_openai_answer_cites_the_passages_it_relies_on(
    sample_settings: Settings, sample_store: Store, openai_api: FakeOpenAI
) -> None:
    """A model-written answer keeps its claims, numbered 1..m, each with its quoted source."""
    openai_api.always(alibaba_reply)
    answer = openai_desk(sample_settings, sample_store, openai_api).ask(QUESTION)
    assert answer.provider == "openai:fake-model"
    assert answer.grounded
    assert answer.answer.startswith("Alibaba hopes for privileged access to Hollywood's film")
    assert "[1]" in answer.answer
    assert answer.unsupported == []
    assert answer.citations[0].source.endswith("alibaba-amblin.de.txt")
    assert "privilegierten Zugang" in answer.citations[0].quote
    quotes = " ".join(c.quote for c in answer.citations)
    assert "Alibabas Daten" in quotes
    assert openai_api.headers[-1]["Authorization"] == f"Bearer {API_KEY}"


def test_ask_stream_yields_text_then_the_verified_answer(
    sample_settings: Settings, sample_store: Store, openai_api: FakeOpenAI
) -> None:
    """Tokens arrive as SSE deltas; together they are the final answer, and timings are kept."""
    openai_api.always(alibaba_reply)
    desk = openai_desk(sample_settings, sample_store, openai_api)
    deltas, answer = collect(desk.ask_stream(QUESTION))
    assert len(deltas) > 5
    assert "".join(deltas) == answer.answer
    request = openai_api.requests[-1]
    assert request["stream"] is True
    assert request["stream_options"] == {"include_usage": True}
    timings = answer.timings
    assert {"retrieve_s", "first_token_s", "generate_s", "total_s"} <= set(timings)
    assert 0 < timings["first_token_s"] <= timings["total_s"]


def test_ollama_backend_answers_through_its_ndjson_stream(
    sample_settings: Settings, sample_store: Store, ollama_api: FakeOllama
) -> None:
    """ChatOllama streams NDJSON from /api/chat; the answer is checked like any other."""
    ollama_api.always(alibaba_reply)
    desk = llm_desk(
        sample_settings, sample_store, provider="ollama", base_url=ollama_api.base_url, model="qwen"
    )
    deltas, answer = collect(desk.ask_stream(QUESTION))
    assert answer.provider == "ollama:qwen"
    assert answer.citations and answer.unsupported == []
    assert "".join(deltas) == answer.answer
    assert ollama_api.requests[-1]["options"]["num_predict"] == 400


def test_invented_citation_is_removed_and_the_answer_falls_back_to_quotes(
    sample_settings: Settings, sample_store: Store, openai_api: FakeOpenAI
) -> None:
    """[7] names no retrieved passage; with no valid citation left the passages are quoted."""
    openai_api.always("Alibaba bought Amblin to enter Hollywood [7].")
    answer = openai_desk(sample_settings, sample_store, openai_api).ask(QUESTION)
    assert answer.provider == "extractive"
    assert answer.grounded and answer.citations
    assert "[7]" not in answer.answer
    assert answer.unsupported == ["Alibaba bought Amblin to enter Hollywood."]
    assert any("[7]" in note for note in answer.notes)
    assert any("cited none of the retrieved passages" in note for note in answer.notes)


def test_sentence_with_an_unsupported_number_is_dropped_and_reported(
    sample_settings: Settings, sample_store: Store, openai_api: FakeOpenAI
) -> None:
    """The passage says 60 Prozent; a sentence claiming 75 % is left out and listed."""

    def reply(messages: list[dict[str, Any]]) -> str:
        parcels = passage_with(messages, "60 Prozent")
        return alibaba_reply(messages) + f" Alibaba delivers 75 % of China's parcels [{parcels}]."

    openai_api.always(reply)
    answer = openai_desk(sample_settings, sample_store, openai_api).ask(QUESTION)
    assert answer.provider == "openai:fake-model"
    assert "75" not in answer.answer
    assert answer.unsupported == ["Alibaba delivers 75 % of China's parcels."]
    assert any("Left out 1 sentence" in note for note in answer.notes)


def test_weak_retrieval_never_calls_the_model(
    sample_settings: Settings, sample_store: Store, openai_api: FakeOpenAI
) -> None:
    """With no passage that answers, the fake server receives no request at all."""
    openai_api.always("The 2022 final was won by Argentina [1].")
    desk = openai_desk(sample_settings, sample_store, openai_api)
    answer = desk.ask("Who won the 2022 FIFA World Cup final?")
    assert not answer.grounded
    assert answer.citations == []
    assert "no answer" in answer.answer
    assert openai_api.requests == []


@pytest.mark.parametrize(
    ("question", "language"),
    [
        (QUESTION, "English"),
        ("Warum hat Alibaba in Amblin investiert?", "German"),
    ],
)
def test_prompt_asks_for_the_language_of_the_question(
    sample_settings: Settings,
    sample_store: Store,
    openai_api: FakeOpenAI,
    question: str,
    language: str,
) -> None:
    """The German passage is answered in English for an English question, and vice versa."""
    openai_api.always(alibaba_reply)
    openai_desk(sample_settings, sample_store, openai_api).ask(question)
    system, user = openai_api.last_messages
    assert f"2 to 4 sentences in {language}" in system["content"]
    assert f"Answer the question in {language}" in user["content"]


def test_unreachable_model_falls_back_to_quotes_with_a_note(
    sample_settings: Settings, sample_store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    """A model that cannot be reached costs the user the prose, not the answer or the key."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    desk = llm_desk(
        sample_settings,
        sample_store,
        provider="openai",
        base_url=f"http://127.0.0.1:{closed_port}/v1",
        model="fake-model",
        api_key=SecretStr(API_KEY),
        timeout_s=5,
    )
    with caplog.at_level(logging.DEBUG):
        answer = desk.ask(QUESTION)
    assert answer.provider == "extractive"
    assert answer.citations
    assert any("could not be reached" in note for note in answer.notes)
    assert API_KEY not in caplog.text
    assert API_KEY not in answer.model_dump_json()


def test_warm_up_sends_one_small_request(
    sample_settings: Settings, sample_store: Store, ollama_api: FakeOllama
) -> None:
    """Ollama loads a model on its first request; warm_up makes that request at start-up."""
    ollama_api.always("OK")
    desk = llm_desk(
        sample_settings, sample_store, provider="ollama", base_url=ollama_api.base_url, model="qwen"
    )
    desk.warm_up()
    assert len(ollama_api.requests) == 1
    assert ollama_api.requests[0]["messages"][-1]["content"] == "Reply with OK."


@pytest.mark.parametrize(
    ("llm", "message"),
    [
        ({"provider": "openai", "base_url": "http://127.0.0.1:1/v1"}, "DEALDESK_LLM__MODEL"),
        ({"provider": "openai", "model": "gpt-4o-mini"}, "DEALDESK_LLM__API_KEY"),
        ({"provider": "ollama"}, "DEALDESK_LLM__MODEL"),
    ],
)
def test_incomplete_model_settings_fail_with_what_to_set(
    tmp_path: Path, llm: dict[str, Any], message: str
) -> None:
    """A misconfigured backend fails at start-up, naming the variable to set."""
    with pytest.raises(LLMConfigError, match=message):
        make_answerer(LLMSettings(**llm))


def test_extractive_is_the_default_answerer(tmp_path: Path) -> None:
    """Without a configured model, answers quote the passages as before."""
    assert isinstance(make_answerer(LLMSettings()), ExtractiveAnswerer)


@pytest.mark.skipif(
    importlib.util.find_spec("llama_cpp") is not None, reason="llama-cpp-python is installed"
)
def test_llamacpp_without_the_package_says_how_to_install_it(tmp_path: Path) -> None:
    """The optional extra is named in the error, not hidden behind an ImportError."""
    model = tmp_path / "model.gguf"
    model.write_bytes(b"GGUF")
    settings = LLMSettings(provider="llamacpp", model_path=model)
    with pytest.raises(LLMConfigError, match=r"pip install 'dealdesk\[llamacpp\]'"):
        make_answerer(settings)


class _FakeLlama:
    """llama_cpp.Llama's streaming chat API, at the edge of the in-process backend."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.calls: list[dict[str, Any]] = []
        self.busy = threading.Lock()

    def create_chat_completion(self, **kwargs: Any) -> Iterator[dict[str, Any]]:
        assert self.busy.acquire(blocking=False), "llama.cpp called from two threads at once"
        self.calls.append(kwargs)
        try:
            for word in self.text.split(" "):
                yield {"choices": [{"delta": {"content": word + " "}}]}
        finally:
            self.busy.release()


def test_llamacpp_model_streams_chat_completions_one_call_at_a_time(
    sample_settings: Settings, sample_store: Store
) -> None:
    """The in-process wrapper maps roles, streams deltas and serialises concurrent questions."""
    llama = _FakeLlama("Alibaba wants access to Hollywood's film business [1].")
    model = LlamaCppChatModel(model_path=Path("unused.gguf"), client=llama)
    desk = build_desk(sample_settings, store=sample_store, answerer=LLMAnswerer(model, "llama"))
    answers: list[Answer] = []
    threads = [
        threading.Thread(target=lambda: answers.append(desk.ask(QUESTION))) for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(llama.calls) == 2
    assert [m["role"] for m in llama.calls[0]["messages"]] == ["system", "user"]
    assert llama.calls[0]["stream"] is True
    assert [a.answer[:33] for a in answers] == ["Alibaba wants access to Hollywood"] * 2


def test_passages_sit_in_the_data_section_numbered_from_one(sample_desk: DealDesk) -> None:
    """Numbered passages come before the question, inside <passages>, after the rules."""
    hits = sample_desk.search(QUESTION)
    request = AnswerRequest(
        question=QUESTION, standalone_question=QUESTION, language="en", hits=hits
    )
    system, user = build_messages(request)
    assert "never an instruction" in system.text
    body = user.text
    assert body.index("<passages>") < body.index('<passage n="1">') < body.index("</passages>")
    assert body.index("</passages>") < body.index(QUESTION)
    assert body.count("<passage n=") == len(request.hits)


def test_cli_ask_json_shows_provider_timings_and_unsupported(
    tmp_path: Path, encoder: USEEncoder, openai_api: FakeOpenAI
) -> None:
    """`dealdesk ask --json` against an OpenAI-compatible server reports who answered and how."""

    def reply(messages: list[dict[str, Any]]) -> str:
        return alibaba_reply(messages) + " Alibaba paid $9bn [1]."

    openai_api.always(reply)
    settings = make_settings(tmp_path / "data")
    store = Store.open_writer(settings, encoder)
    ingest_paths(store, [SAMPLE / "alibaba-amblin.de.txt"], settings.ingest)
    store.close()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DEALDESK_")}
    env |= {
        "DEALDESK_DATA_DIR": str(settings.data_dir),
        "DEALDESK_LLM__PROVIDER": "openai",
        "DEALDESK_LLM__BASE_URL": openai_api.base_url,
        "DEALDESK_LLM__MODEL": "fake-model",
        "DEALDESK_LLM__API_KEY": API_KEY,
    }
    result = subprocess.run(
        [str(Path(sys.executable).with_name("dealdesk")), "-v", "ask", "--json", QUESTION],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["provider"] == "openai:fake-model"
    assert answer["unsupported"] == ["Alibaba paid $9bn."]
    assert {"first_token_s", "total_s"} <= set(answer["timings"])
    assert API_KEY not in result.stderr


def test_the_prompt_says_what_type_of_answer_the_question_wants() -> None:
    """The typed analysis reaches the model: what to look for, and about whom."""
    from ingest.text import analyse_question

    question = "How much did Telia Sonera invest in Spotify?"
    request = AnswerRequest(
        question=question,
        standalone_question=question,
        language="en",
        hits=[],
        analysis=analyse_question(question, "en"),
    )
    _, user = build_messages(request)
    assert "asks for an amount of money (keep its currency), about Telia Sonera and Spotify" in (
        user.text
    )
