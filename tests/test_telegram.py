"""The Telegram bot end to end: real python-telegram-bot polling a fake Bot API on loopback."""

import logging
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import date
from typing import Any

import pytest

from bot.core.conversation import ConversationStore
from bot.core.extractive import ExtractiveAnswerer
from bot.core.models import Answer, AnswerRequest, Citation
from bot.core.service import DealDesk
from bot.format_telegram import (
    APOLOGY,
    MAX_MESSAGE,
    NO_SOURCES,
    NOT_ALLOWED,
    SOURCES_EXPIRED,
    html_to_plain,
    utf16_len,
)
from bot.logs import SecretMask
from bot.telegram import COMMANDS, BotOptions, build_application
from config import ConversationSettings
from config.settings import TelegramSettings
from tests.fakes.telegram_api import Call, FakeTelegramAPI, fake_telegram, polling

TOKEN = "123456789:AAH-test-token-that-must-never-be-logged"
QUESTION = "Why did Alibaba invest in Amblin?"
FAST = BotOptions(backoff_s=0.01, max_backoff_s=0.05)

# PTB 22 warns when RetryAfter.retry_after is read as an int, including in its own constructor.
pytestmark = pytest.mark.filterwarnings(
    "ignore:.*attribute `retry_after` will be:telegram.warnings.PTBDeprecationWarning"
)


class ScriptedAnswerer:
    """An answerer at the edge: replies `text(request)` and cites one web article."""

    name = "scripted"

    def __init__(
        self,
        text: Callable[[AnswerRequest], str],
        gate: Callable[[AnswerRequest], None] = lambda request: None,
    ) -> None:
        self.text = text
        self.gate = gate

    def answer(self, request: AnswerRequest) -> Answer:
        self.gate(request)
        citation = Citation(
            n=1,
            title="AT&T <buys> Time Warner",
            source="reuters",
            url="https://example.com/deal?a=1&b=2",
            published=date(2016, 10, 22),
            language="en",
            quote="AT&T agreed to buy Time Warner for $85.4 billion <quoted>.",
            chunk_id="c1",
            score=0.9,
        )
        return Answer(
            question=request.question,
            standalone_question=request.standalone_question,
            answer=self.text(request),
            language=request.language,
            grounded=True,
            citations=[citation],
            provider=self.name,
        )


@pytest.fixture
async def api() -> AsyncIterator[FakeTelegramAPI]:
    async with fake_telegram(TOKEN) as server:
        yield server


def fresh_desk(sample_desk: DealDesk, answerer: ScriptedAnswerer | None = None) -> DealDesk:
    """A core with its own conversations over the shared sample store. It borrows the sample
    desk's sentence-vector cache: encoding sentences dominates a new desk's first answer."""
    desk = DealDesk(
        retriever=sample_desk.retriever,
        corpus=sample_desk.corpus,
        encoder=sample_desk.encoder,
        answerer=answerer or ExtractiveAnswerer(),
        conversations=ConversationStore(ConversationSettings()),
        settings=sample_desk.settings,
    )
    desk.evidence = sample_desk.evidence
    return desk


@pytest.fixture
def desk(sample_desk: DealDesk) -> DealDesk:
    return fresh_desk(sample_desk)


@asynccontextmanager
async def running(
    api: FakeTelegramAPI,
    desk: DealDesk,
    options: BotOptions = FAST,
    **settings: Any,
) -> AsyncIterator[None]:
    config = TelegramSettings(token=TOKEN, api_base_url=api.base_url, **settings)
    app = build_application(desk, config, options)
    async with polling(app, api):
        yield


def replies_to(calls: list[Call], message: dict[str, Any]) -> list[Call]:
    return [
        c
        for c in calls
        if c.method == "sendMessage"
        and c.status == 200
        and c["chat_id"] == message["chat"]["id"]
        and c.get("reply_parameters", {}).get("message_id") == message["message_id"]
    ]


async def test_private_question_gets_cited_answer(api: FakeTelegramAPI, desk: DealDesk) -> None:
    """A private message is a question; the reply quotes the corpus with [n] and lists sources."""
    async with running(api, desk):
        question = api.send_text(101, QUESTION)
        [reply] = await api.wait_for_messages(101)
    assert reply["parse_mode"] == "HTML"
    assert reply["reply_parameters"]["message_id"] == question["message_id"]
    assert "[1]" in reply["text"]
    assert "<b>Sources</b>" in reply["text"]
    assert "Alibaba steigt ins Filmgeschäft ein" in reply["text"]
    [[button]] = reply["reply_markup"]["inline_keyboard"]
    assert button["text"] == "Show sources"
    assert button["callback_data"].startswith("src:")
    typing = api.calls_to("sendChatAction")
    assert typing and typing[0]["action"] == "typing" and typing[0]["chat_id"] == 101
    assert api.calls.index(typing[0]) < api.calls.index(reply)


async def test_commands_are_registered_for_the_menu(api: FakeTelegramAPI, desk: DealDesk) -> None:
    """On start-up the bot registers its commands, so Telegram shows them in the menu."""
    async with running(api, desk):
        await api.wait_for(lambda calls: any(c.method == "setMyCommands" for c in calls))
    [register] = api.calls_to("setMyCommands")
    names = [c["command"] for c in register["commands"]]
    assert names == [c.command for c in COMMANDS]
    assert {"start", "help", "ask", "sources", "reset", "stats", "recent"} == set(names)


async def test_group_message_without_mention_is_ignored(
    api: FakeTelegramAPI, desk: DealDesk
) -> None:
    """In a group, chatter is ignored and only a message mentioning the bot is answered."""
    group = -1001
    async with running(api, desk):
        chatter = api.send_text(group, QUESTION, chat_type="supergroup", user_id=7)
        mention = api.send_text(
            group, f"@{api.username} {QUESTION}", chat_type="supergroup", user_id=8
        )
        [reply] = await api.wait_for_messages(group)
    assert reply["reply_parameters"]["message_id"] == mention["message_id"]
    assert "Alibaba steigt ins Filmgeschäft ein" in reply["text"]
    assert replies_to(api.calls, chatter) == []
    history = desk.conversations.history(f"tg:{group}")
    assert [turn.question for turn in history] == [QUESTION]


async def test_group_reply_to_the_bot_is_a_follow_up(api: FakeTelegramAPI, desk: DealDesk) -> None:
    """Replying to the bot's answer in a group asks a follow-up in the same conversation."""
    group = -1002
    async with running(api, desk):
        api.send_text(group, f"/ask@{api.username} {QUESTION}", chat_type="group", user_id=9)
        [first] = await api.wait_for_messages(group)
        follow_up = api.send_text(
            group, "Und was erhofft sich Alibaba davon?", chat_type="group", reply_to=first.result
        )
        await api.wait_for_messages(group, 2)
    assert replies_to(api.calls, follow_up)
    history = desk.conversations.history(f"tg:{group}")
    assert [turn.question for turn in history] == [QUESTION, "Und was erhofft sich Alibaba davon?"]


async def test_ask_with_filters_restricts_the_corpus(api: FakeTelegramAPI, desk: DealDesk) -> None:
    """`/ask --lang en` never cites the German article; a bad date gets the usage instead."""
    async with running(api, desk):
        api.send_text(102, f"/ask --lang de {QUESTION}")
        [german] = await api.wait_for_messages(102)
        api.send_text(102, f"/ask --lang en {QUESTION}")
        [_, english] = await api.wait_for_messages(102, 2)
        api.send_text(102, f"/ask --since 2016-13-01 {QUESTION}")
        [*_, usage] = await api.wait_for_messages(102, 3)
    assert "Alibaba steigt ins Filmgeschäft ein" in german["text"]
    assert "Alibaba steigt ins Filmgeschäft ein" not in english["text"]
    assert "--since takes a date like 2016-01-01, not '2016-13-01'." in usage["text"]
    assert "Usage:" in usage["text"]


async def test_sources_command_quotes_the_last_answer(api: FakeTelegramAPI, desk: DealDesk) -> None:
    """/sources shows the quoted passages of this chat's last answer, and only this chat's."""
    async with running(api, desk):
        api.send_text(103, QUESTION)
        await api.wait_for_messages(103)
        api.send_text(103, "/sources")
        api.send_text(104, "/sources")
        [_, sources] = await api.wait_for_messages(103, 2)
        [other] = await api.wait_for_messages(104)
    last = desk.last_answer("tg:103")
    assert last is not None
    assert sources["text"].startswith("<b>Sources</b>")
    assert sources["text"].count("<blockquote>") == len(last.citations)
    assert f"<blockquote>{last.citations[0].quote}</blockquote>" in sources["text"]
    assert other["text"] == NO_SOURCES


async def test_show_sources_button_opens_the_quotes_in_place(
    api: FakeTelegramAPI, desk: DealDesk
) -> None:
    """Pressing "Show sources" edits the answer to include the quoted passages."""
    async with running(api, desk):
        api.send_text(105, QUESTION)
        [reply] = await api.wait_for_messages(105)
        [[button]] = reply["reply_markup"]["inline_keyboard"]
        api.press_button(reply.result, button["callback_data"])
        await api.wait_for(lambda calls: any(c.method == "editMessageText" for c in calls))
    [answered] = api.calls_to("answerCallbackQuery")
    assert "text" not in answered.params
    [edit] = api.calls_to("editMessageText")
    assert edit["message_id"] == reply.result["message_id"] and edit["chat_id"] == 105
    assert edit["text"].startswith(reply["text"])
    assert "<blockquote>" in edit["text"]
    assert "reply_markup" not in edit.params


async def test_show_sources_button_on_long_answer_sends_a_follow_up(
    api: FakeTelegramAPI, sample_desk: DealDesk
) -> None:
    """When quotes would not fit beside the answer, they come as a reply to it."""
    answerer = ScriptedAnswerer(lambda request: "Long. " * 650 + "[1]")
    async with running(api, fresh_desk(sample_desk, answerer)):
        api.send_text(106, QUESTION)
        [*_, last] = await api.wait_for_messages(106)
        [[button]] = last["reply_markup"]["inline_keyboard"]
        api.press_button(last.result, button["callback_data"])
        await api.wait_for(lambda calls: len(api.messages_to(106)) == 2)
    sources = api.messages_to(106)[-1]
    assert sources["reply_parameters"]["message_id"] == last.result["message_id"]
    assert (
        "<blockquote>AT&amp;T agreed to buy Time Warner for $85.4 billion &lt;quoted&gt;."
        in (sources["text"])
    )
    assert api.calls_to("editMessageText") == []


async def test_stale_sources_button_says_the_sources_are_gone(
    api: FakeTelegramAPI, desk: DealDesk
) -> None:
    """A button whose answer is no longer remembered explains itself instead of failing."""
    async with running(api, desk):
        message = api.user_message(107, "old answer")
        api.press_button(message, "src:forgotten")
        await api.wait_for(lambda calls: any(c.method == "answerCallbackQuery" for c in calls))
    [answered] = api.calls_to("answerCallbackQuery")
    assert answered["text"] == SOURCES_EXPIRED
    assert answered["show_alert"] is True


async def test_unparseable_html_is_resent_as_plain_text(
    api: FakeTelegramAPI, sample_desk: DealDesk
) -> None:
    """On 400 "can't parse entities" the same answer goes out as plain text, links included."""
    answerer = ScriptedAnswerer(lambda request: "AT&T <buys> Time Warner [1].")
    api.refuse_entities_next("sendMessage")
    async with running(api, fresh_desk(sample_desk, answerer)):
        api.send_text(108, QUESTION)
        await api.wait_for_messages(108)
    refused, plain = api.calls_to("sendMessage")
    assert refused.status == 400 and refused["parse_mode"] == "HTML"
    assert "AT&amp;T &lt;buys&gt; Time Warner [1]." in refused["text"]
    assert "parse_mode" not in plain.params
    assert plain["text"] == html_to_plain(refused["text"])
    assert "AT&T <buys> Time Warner [1]." in plain["text"]
    assert "(https://example.com/deal?a=1&b=2)" in plain["text"]
    assert plain["reply_markup"] == refused["reply_markup"]


async def test_flood_control_waits_and_retries(api: FakeTelegramAPI, sample_desk: DealDesk) -> None:
    """A 429 with retry_after is waited out and the same message is sent again."""
    answerer = ScriptedAnswerer(lambda request: "Short answer [1].")
    api.flood_next("sendMessage", retry_after=1)
    async with running(api, fresh_desk(sample_desk, answerer)):
        api.send_text(109, QUESTION)
        await api.wait_for_messages(109)
    flooded, sent = api.calls_to("sendMessage")
    assert (flooded.status, sent.status) == (429, 200)
    assert flooded.params == sent.params


def outage_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    """What an operator reads at the default level (WARNING and above)."""
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


async def test_network_errors_are_retried_with_backoff_and_reported_once(
    api: FakeTelegramAPI, sample_desk: DealDesk, caplog: pytest.LogCaptureFixture
) -> None:
    """Two 502s in a row do not lose the answer; the operator reads one line when Telegram
    stops answering and one when it is back, and no traceback."""
    caplog.set_level(logging.DEBUG)
    answerer = ScriptedAnswerer(lambda request: "Short answer [1].")
    api.bad_gateway_next("sendMessage", times=2)
    async with running(api, fresh_desk(sample_desk, answerer)):
        api.send_text(110, QUESTION)
        await api.wait_for_messages(110)
    assert [c.status for c in api.calls_to("sendMessage")] == [502, 502, 200]
    assert outage_lines(caplog) == [
        "the Telegram Bot API (sending) is not answering (HTTP 502); retrying with backoff",
        outage_lines(caplog)[1],
    ]
    assert outage_lines(caplog)[1].startswith(
        "the Telegram Bot API (sending) is answering again after "
    )
    assert outage_lines(caplog)[1].endswith("(2 failed attempts)")
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING and r.exc_info]


async def test_flaky_polling_is_reported_once_not_per_retry(
    api: FakeTelegramAPI, desk: DealDesk, caplog: pytest.LogCaptureFixture
) -> None:
    """502s on getUpdates (a flaky proxy) are retried with backoff and cost two log lines in
    all, not a traceback per retry; questions are answered once Telegram is back."""
    caplog.set_level(logging.DEBUG)
    api.bad_gateway_next("getUpdates", times=2)
    async with running(api, desk):
        await api.wait_for(lambda calls: len(api.calls_to("getUpdates")) >= 3)
        api.send_text(119, QUESTION)
        [reply] = await api.wait_for_messages(119)
    assert "[1]" in reply["text"]
    assert [c.status for c in api.calls_to("getUpdates")][:3] == [502, 502, 200]
    lines = outage_lines(caplog)
    assert len(lines) == 2, lines
    assert lines[0] == (
        "the Telegram Bot API (getting updates) is not answering (HTTP 502); retrying with backoff"
    )
    assert "(getting updates) is answering again after" in lines[1]
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING and r.exc_info]


async def test_ten_thousand_character_answer_is_split(
    api: FakeTelegramAPI, sample_desk: DealDesk
) -> None:
    """A 10,000-character answer arrives as several messages within 4096, nothing lost."""
    paragraph = "Die Übernahme kostet 5 Mrd. € & mehr. Sie wurde <heute> gemeldet [1]. " * 9
    text = "\n\n".join(f"{i}. {paragraph}" for i in range(16))
    assert len(text) >= 10_000
    answerer = ScriptedAnswerer(lambda request: text)
    async with running(api, fresh_desk(sample_desk, answerer)):
        question = api.send_text(111, QUESTION)
        await api.wait_for(
            lambda calls: "<b>Sources</b>" in "".join(c["text"] for c in api.messages_to(111))
        )
    parts = api.messages_to(111)
    assert len(parts) >= 3
    assert all(utf16_len(p["text"]) <= MAX_MESSAGE for p in parts)
    assert parts[0]["reply_parameters"]["message_id"] == question["message_id"]
    assert all("reply_parameters" not in p.params for p in parts[1:])
    assert all("reply_markup" not in p.params for p in parts[:-1])
    assert "reply_markup" in parts[-1].params
    received = " ".join(html_to_plain(p["text"]) for p in parts).split()
    assert received[: len(text.split())] == text.split()


async def test_chat_not_allowed_is_refused_and_logged(
    api: FakeTelegramAPI, desk: DealDesk, caplog: pytest.LogCaptureFixture
) -> None:
    """A stranger's chat gets a polite refusal (silence for group chatter), its id is logged,
    and no answer is computed."""
    caplog.set_level(logging.WARNING, logger="bot.telegram")
    async with running(api, desk, allowed_chats=[112]):
        api.send_text(-666, QUESTION, chat_type="group")
        api.press_button(api.user_message(666, "old answer"), "src:whatever")
        api.send_text(666, QUESTION)
        api.send_text(112, QUESTION)
        [refusal] = await api.wait_for_messages(666)
        await api.wait_for_messages(112)
    assert refusal["text"] == NOT_ALLOWED
    assert api.messages_to(-666) == []
    [button_refusal] = api.calls_to("answerCallbackQuery")
    assert button_refusal["text"] == NOT_ALLOWED
    assert {c["chat_id"] for c in api.calls_to("sendChatAction")} == {112}
    assert desk.last_answer("tg:666") is None
    assert desk.last_answer("tg:112") is not None
    refused = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert sum("from chat 666:" in m for m in refused) == 2
    assert sum("from chat -666:" in m for m in refused) == 1


async def test_rate_limit_asks_user_to_slow_down(api: FakeTelegramAPI, desk: DealDesk) -> None:
    """Past the per-user limit the bot answers "slow down, try again in N s" and does no work."""
    async with running(api, desk, rate_limit_per_minute=2):
        for count in (1, 2, 3):
            api.send_text(113, QUESTION)
            await api.wait_for_messages(113, count)
    first, second, third = api.messages_to(113)
    assert "[1]" in first["text"] and "[1]" in second["text"]
    assert third["text"].startswith("Slow down, please: try again in ")
    seconds = int(third["text"].removeprefix("Slow down, please: try again in ").split()[0])
    assert 1 <= seconds <= 60
    assert len(desk.conversations.history("tg:113")) == 2


async def test_twenty_chats_at_once_each_get_their_own_answer(
    api: FakeTelegramAPI, desk: DealDesk
) -> None:
    """Twenty chats asking different questions at the same moment each get the real core's
    answer to their own question, once, in their own chat, replying to their own message."""
    asks = {
        "alibaba": ("Why did Alibaba invest in Amblin?", "Alibaba steigt ins Filmgeschäft ein"),
        "sky": ("Which set-top box do you need for Sky+ HD?", "Sky (United Kingdom)"),
        "abc": ("Who designed ABC's 2001-02 identity?", "American Broadcasting Company"),
    }
    topics = list(asks)
    chats = {chat: topics[chat % len(topics)] for chat in range(200, 220)}
    for question, _ in asks.values():
        desk.ask(question)  # warm the sentence-vector cache: this test is about routing
    async with running(api, desk):
        questions = {chat: api.send_text(chat, asks[topic][0]) for chat, topic in chats.items()}
        await api.wait_for(lambda calls: all(api.messages_to(chat) for chat in chats), 120)
    for chat, topic in chats.items():
        [reply] = api.messages_to(chat)
        assert reply["reply_parameters"]["message_id"] == questions[chat]["message_id"]
        assert asks[topic][1] in reply["text"], (chat, topic)
        others = [asks[t][1] for t in topics if t != topic]
        assert not any(title in reply["text"] for title in others), (chat, topic)
        [turn] = desk.conversations.history(f"tg:{chat}")
        assert turn.question == asks[topic][0]


async def test_slow_answer_does_not_block_other_chats(
    api: FakeTelegramAPI, sample_desk: DealDesk
) -> None:
    """While one chat's answer is still being computed, another chat is answered."""
    release = threading.Event()

    def hold_slow_chat(request: AnswerRequest) -> None:
        if "slow" in request.question:
            assert release.wait(20), "the slow answer was never released"

    answerer = ScriptedAnswerer(lambda request: f"Echo: {request.question} [1]", hold_slow_chat)
    async with running(api, fresh_desk(sample_desk, answerer)):
        api.send_text(301, f"{QUESTION} slow")
        await api.wait_for(lambda calls: any(c.get("chat_id") == 301 for c in calls))
        api.send_text(302, f"{QUESTION} fast")
        await api.wait_for_messages(302)
        assert api.messages_to(301) == []
        release.set()
        await api.wait_for_messages(301)


async def test_typing_is_renewed_while_a_long_answer_is_computed(
    api: FakeTelegramAPI, sample_desk: DealDesk
) -> None:
    """The "typing" action repeats until the answer is sent, then stops."""
    release = threading.Event()
    answerer = ScriptedAnswerer(lambda request: "Done [1].", lambda request: release.wait(20))
    options = BotOptions(typing_interval_s=0.05)
    async with running(api, fresh_desk(sample_desk, answerer), options):
        api.send_text(114, QUESTION)
        await api.wait_for(lambda calls: len(api.calls_to("sendChatAction")) >= 3)
        release.set()
        [reply] = await api.wait_for_messages(114)
        typing_while_answering = len(api.calls_to("sendChatAction"))
        api.send_text(114, "/help")
        await api.wait_for_messages(114, 2)
    assert all(c["action"] == "typing" for c in api.calls_to("sendChatAction"))
    assert len(api.calls_to("sendChatAction")) == typing_while_answering
    assert api.calls.index(api.calls_to("sendChatAction")[-1]) < api.calls.index(reply)


async def test_failing_handler_apologises_logs_and_keeps_serving(
    api: FakeTelegramAPI, sample_desk: DealDesk, caplog: pytest.LogCaptureFixture
) -> None:
    """An exception gets a short apology and a logged traceback; the next question works."""

    def explode(request: AnswerRequest) -> None:
        if "boom" in request.question:
            raise RuntimeError("answerer exploded")

    answerer = ScriptedAnswerer(lambda request: "Fine [1].", explode)
    caplog.set_level(logging.ERROR, logger="bot.telegram")
    async with running(api, fresh_desk(sample_desk, answerer)):
        api.send_text(115, f"{QUESTION} boom")
        [apology] = await api.wait_for_messages(115)
        api.send_text(115, QUESTION)
        [_, answer] = await api.wait_for_messages(115, 2)
    assert apology["text"] == APOLOGY
    assert "answerer exploded" not in apology["text"]
    assert "Fine [1]." in answer["text"]
    [record] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert record.exc_info is not None and "answerer exploded" in str(record.exc_info[1])


async def test_forum_topics_keep_separate_conversations(
    api: FakeTelegramAPI, desk: DealDesk
) -> None:
    """Each forum topic is its own conversation, and replies stay in their topic."""
    forum = -1003
    async with running(api, desk):
        api.send_text(forum, f"/ask {QUESTION}", chat_type="supergroup", topic=11)
        [answer] = await api.wait_for_messages(forum)
        api.send_text(forum, "/sources", chat_type="supergroup", topic=22)
        [_, other_topic] = await api.wait_for_messages(forum, 2)
        api.send_text(forum, "/sources", chat_type="supergroup", topic=11)
        [*_, same_topic] = await api.wait_for_messages(forum, 3)
    assert answer["message_thread_id"] == 11
    assert (other_topic["text"], other_topic["message_thread_id"]) == (NO_SOURCES, 22)
    assert same_topic["message_thread_id"] == 11 and "<blockquote>" in same_topic["text"]
    assert desk.last_answer(f"tg:{forum}:11") is not None


async def test_reset_forgets_the_conversation(api: FakeTelegramAPI, desk: DealDesk) -> None:
    """After /reset there is no last answer and no history for follow-ups."""
    async with running(api, desk):
        api.send_text(116, QUESTION)
        await api.wait_for_messages(116)
        api.send_text(116, "/reset")
        await api.wait_for_messages(116, 2)
        api.send_text(116, "/sources")
        [_, reset, sources] = await api.wait_for_messages(116, 3)
    assert reset["text"].startswith("Conversation forgotten.")
    assert sources["text"] == NO_SOURCES
    assert desk.conversations.history("tg:116") == []


async def test_start_help_stats_and_recent_describe_the_bot_and_corpus(
    api: FakeTelegramAPI, desk: DealDesk
) -> None:
    """The informational commands answer from the real corpus without asking anything."""
    async with running(api, desk):
        for count, command in enumerate(("/start", "/help", "/stats", "/recent"), start=1):
            api.send_text(117, command)
            await api.wait_for_messages(117, count)
    start, help_, stats, recent = (c["text"] for c in api.messages_to(117))
    assert start.startswith("Hello User117!")
    assert "Why did Alibaba invest in Amblin?" in help_
    assert f"@{api.username}" in help_
    assert "Documents: 5" in stats
    assert "Alibaba steigt ins Filmgeschäft ein" in recent
    assert api.calls_to("sendChatAction") == []


async def test_token_never_appears_in_logs(
    api: FakeTelegramAPI, desk: DealDesk, caplog: pytest.LogCaptureFixture
) -> None:
    """Even at DEBUG, a whole session's logs (PTB, httpx, ours) never contain the token, once
    the mask the CLI installs on its log handlers sits on the handler that records them."""
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="httpx")
    caplog.handler.addFilter(SecretMask([TOKEN]))
    api.flood_next("sendMessage", retry_after=1)
    async with running(api, desk):
        api.send_text(118, QUESTION)
        await api.wait_for_messages(118)
    logged = "\n".join(
        f"{r.getMessage()} {r.exc_text or ''} {r.exc_info[1] if r.exc_info else ''}"
        for r in caplog.records
    )
    assert len(caplog.records) > 20
    assert "getUpdates" in logged
    assert TOKEN not in logged
    assert TOKEN.split(":")[1] not in logged
    assert "Set Bot API URL: http://127.0.0.1" in logged and "[secret]" in logged
