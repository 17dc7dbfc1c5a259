"""The Slack bot end to end over real HTTP: signed events -> our Bolt endpoint -> the real core
over the sample corpus -> Block Kit replies to a fake Slack Web API on loopback."""

import asyncio
import itertools
import json
import logging
import re
import socket
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from pydantic import SecretStr
from slack_sdk.web.async_client import AsyncWebClient

from bot.compose import build_desk
from bot.core.answerers import Answerer
from bot.core.extractive import ExtractiveAnswerer
from bot.core.models import Answer, AnswerRequest, Citation
from bot.core.service import DealDesk
from bot.format_slack import SECTION_LIMIT
from bot.replies import NO_SOURCES
from bot.slack import EVENTS_PATH, SeenEvents, build_app, serve, start_http, verify_bot_token
from bot.slack_events import conversation_id
from config import Settings, SlackSettings
from config.errors import FrontEndStartError
from tests.conftest import make_settings
from tests.fakes.slack_api import BOT_USER_ID, FakeSlackAPI, SlackCall, event_callback, sign
from vectorstore.store import Store

BOT_TOKEN = "xoxb-1111-2222-botsecretvalue"
SIGNING_SECRET = "signing-secret-8f3a9c"
ALLOWED = "CDEALS"
QUESTION = "Why did Alibaba invest in Amblin?"
ALIBABA_TITLE = "Alibaba steigt ins Filmgeschäft ein"

_ts = itertools.count(1)


def new_ts() -> str:
    """A fresh Slack message timestamp, so tests sharing the core never share a thread."""
    return f"{1_700_000_000 + next(_ts)}.000100"


def mention(text: str, channel: str = ALLOWED, **extra: Any) -> dict[str, Any]:
    return {
        "type": "app_mention",
        "user": "UASKER",
        "text": f"<@{BOT_USER_ID}> {text}",
        "ts": new_ts(),
        "channel": channel,
    } | extra


def direct_message(text: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": "message",
        "channel_type": "im",
        "user": "UASKER",
        "text": text,
        "ts": new_ts(),
        "channel": "D0ASKER",
    } | extra


def shown_text(call: SlackCall) -> str:
    """Everything a user could read in a posted message: fallback text and all block texts."""
    return call.args.get("text", "") + json.dumps(call.args.get("blocks", []), ensure_ascii=False)


class Bot:
    """Our Bolt app served on loopback, wired to a fake Slack Web API."""

    def __init__(self, url: str, fake: FakeSlackAPI, session: aiohttp.ClientSession) -> None:
        self.url = url
        self.fake = fake
        self.session = session

    async def post(
        self, payload: dict[str, Any], headers: dict[str, str] | None = None
    ) -> tuple[int, bytes]:
        body = json.dumps(payload).encode()
        signed = sign(SIGNING_SECRET, body) | (headers or {})
        async with self.session.post(self.url, data=body, headers=signed) as response:
            return response.status, await response.read()

    async def send(self, event: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        status, _ = await self.post(event_callback(event), headers)
        assert status == 200

    async def replies_to(self, event: dict[str, Any]) -> list[SlackCall]:
        """Wait until the 👀 on `event` is taken off, i.e. its answer is complete."""
        await self.fake.wait_for("reactions.remove", timestamp=event["ts"])
        return [
            call
            for call in self.fake.calls_to("chat.postMessage", channel=event["channel"])
            if call.args.get("thread_ts") in (event.get("thread_ts"), event["ts"])
        ]


@asynccontextmanager
async def running_bot(
    desk: DealDesk, fake: FakeSlackAPI, rate_limit_per_minute: int = 10
) -> AsyncIterator[Bot]:
    slack = SlackSettings(
        bot_token=SecretStr(BOT_TOKEN),
        signing_secret=SecretStr(SIGNING_SECRET),
        api_base_url=fake.base_url,
        allowed_channels=[ALLOWED],
        rate_limit_per_minute=rate_limit_per_minute,
    )
    settings = make_settings(Path("unused-data-dir"), slack=slack)  # the bot needs only .slack
    runner = await start_http(build_app(settings, desk), "127.0.0.1", 0)
    port = runner.addresses[0][1]
    try:
        async with aiohttp.ClientSession() as session:
            yield Bot(f"http://127.0.0.1:{port}{EVENTS_PATH}", fake, session)
    finally:
        await runner.cleanup()


@pytest.fixture
async def fake_slack() -> AsyncIterator[FakeSlackAPI]:
    async with FakeSlackAPI(BOT_TOKEN) as fake:
        yield fake


@pytest.fixture
async def bot(sample_desk: DealDesk, fake_slack: FakeSlackAPI) -> AsyncIterator[Bot]:
    async with running_bot(sample_desk, fake_slack) as bot:
        yield bot


class EdgeAnswerer:
    """The answerer edge of the core (an LLM, in production), played differently by each test."""

    name = "edge"

    def __init__(self) -> None:
        self.plays: Answerer = ExtractiveAnswerer()

    def answer(self, request: AnswerRequest) -> Answer:
        return self.plays.answer(request)


@pytest.fixture(scope="module")
def edge_desk(sample_settings: Settings, sample_store: Store) -> DealDesk:
    """The sample corpus behind an `EdgeAnswerer`. One per module, because a desk's first answer
    encodes every retrieved sentence; not closed, as it shares the session's store."""
    return build_desk(sample_settings, store=sample_store, answerer=EdgeAnswerer())


@asynccontextmanager
async def bot_answering_with(
    answerer: Answerer, desk: DealDesk, fake: FakeSlackAPI
) -> AsyncIterator[Bot]:
    assert isinstance(desk.answerer, EdgeAnswerer)
    desk.answerer.plays = answerer
    async with running_bot(desk, fake) as bot:
        yield bot


class GatedAnswerer:
    """The extractive answerer, held back until the test opens the gate: a slow LLM."""

    name = "gated"

    def __init__(self) -> None:
        self.gate = threading.Event()

    def answer(self, request: AnswerRequest) -> Answer:
        if not self.gate.wait(30):
            raise TimeoutError("the test never opened the gate")
        return ExtractiveAnswerer().answer(request)


class BrokenAnswerer:
    """An answerer whose backend fails, with internals in the exception message."""

    name = "broken"

    def answer(self, request: AnswerRequest) -> Answer:
        raise RuntimeError("backend exploded at /srv/internal/llm.py")


class LongAnswerer:
    """A 10,000-character answer citing every retrieved passage, as a wordy LLM might."""

    name = "long"

    def answer(self, request: AnswerRequest) -> Answer:
        citations = [
            Citation(
                n=n,
                title=hit.title,
                source=hit.source,
                url=hit.url,
                published=hit.published,
                language=hit.language,
                quote=hit.text,
                chunk_id=hit.chunk_id,
                score=hit.score,
            )
            for n, hit in enumerate(request.hits, start=1)
        ]
        text = " ".join(f"Point {i} about the deal & its terms [1]." for i in range(250))
        return Answer(
            question=request.question,
            standalone_question=request.standalone_question,
            answer=text,
            language=request.language,
            grounded=True,
            citations=citations,
            provider=self.name,
        )


async def test_mention_gets_a_threaded_reply_with_sources(bot: Bot) -> None:
    """An @-mention is answered in its thread, citing the article with its quoted passage."""
    event = mention(QUESTION)
    await bot.send(event)
    [reply] = await bot.replies_to(event)
    assert reply.args["thread_ts"] == event["ts"]
    assert reply.token == BOT_TOKEN
    blocks = reply.args["blocks"]
    assert blocks[0]["type"] == "section"
    assert "[1]" in blocks[0]["text"]["text"]
    sources = [b for b in blocks if b["type"] == "context"]
    assert ALIBABA_TITLE in sources[0]["elements"][0]["text"]
    assert re.search("Hollywood|Filmgeschäft", sources[0]["elements"][1]["text"])
    assert bot.fake.calls_to("auth.test")


async def test_eyes_reaction_is_added_while_working_and_removed_after(bot: Bot) -> None:
    """👀 goes on the question before the answer is posted and comes off after it."""
    event = mention(QUESTION)
    await bot.send(event)
    await bot.replies_to(event)
    order = [
        (call.method, call.args.get("name"))
        for call in bot.fake.calls
        if call.args.get("timestamp") == event["ts"] or call.args.get("thread_ts") == event["ts"]
    ]
    assert order == [
        ("reactions.add", "eyes"),
        ("chat.postMessage", None),
        ("reactions.remove", "eyes"),
    ]


async def test_direct_message_is_answered_in_the_dm(bot: Bot) -> None:
    """A DM gets its answer in the DM itself, not in a thread."""
    event = direct_message(QUESTION)
    await bot.send(event)
    await bot.fake.wait_for("reactions.remove", timestamp=event["ts"])
    [reply] = bot.fake.calls_to("chat.postMessage", channel="D0ASKER")
    assert "thread_ts" not in reply.args
    assert ALIBABA_TITLE in shown_text(reply)


async def test_bad_signature_is_rejected_with_401(bot: Bot) -> None:
    """A request not signed with our signing secret is refused and never answered."""
    body = json.dumps(event_callback(mention(QUESTION))).encode()
    headers = sign("someone-elses-secret", body)
    async with bot.session.post(bot.url, data=body, headers=headers) as response:
        assert response.status == 401
    assert not bot.fake.calls_to("reactions.add")


async def test_stale_timestamp_is_rejected_with_401(bot: Bot) -> None:
    """A correctly signed but ten-minute-old request is a possible replay and is refused."""
    body = json.dumps(event_callback(mention(QUESTION))).encode()
    headers = sign(SIGNING_SECRET, body, timestamp=int(time.time()) - 600)
    async with bot.session.post(bot.url, data=body, headers=headers) as response:
        assert response.status == 401
    assert not bot.fake.calls_to("reactions.add")


async def test_url_verification_is_answered_with_the_challenge(bot: Bot) -> None:
    """Slack's endpoint check gets its challenge back."""
    status, body = await bot.post(
        {"type": "url_verification", "token": "legacy", "challenge": "3eZbrw1aBm2rZgRNFdxV"}
    )
    assert status == 200
    assert json.loads(body) == {"challenge": "3eZbrw1aBm2rZgRNFdxV"}


RETRY = {"X-Slack-Retry-Reason": "http_timeout"}


async def test_event_retried_three_times_while_answering_is_answered_once(
    edge_desk: DealDesk, fake_slack: FakeSlackAPI
) -> None:
    """Slack's three redeliveries of one event (same event_id), arriving while the first
    answer is still being worked out, are acked with 200 and answered not at all."""
    answerer = GatedAnswerer()
    async with bot_answering_with(answerer, edge_desk, fake_slack) as bot:
        event = mention(QUESTION)
        payload = event_callback(event)
        assert (await bot.post(payload))[0] == 200
        await fake_slack.wait_for("reactions.add", timestamp=event["ts"])
        for number in (1, 2, 3):
            status, _ = await bot.post(payload, RETRY | {"X-Slack-Retry-Num": str(number)})
            assert status == 200
        answerer.gate.set()
        [reply] = await bot.replies_to(event)
        later = mention(QUESTION)
        await bot.send(later)
        await bot.replies_to(later)
    assert ALIBABA_TITLE in shown_text(reply)
    assert len(fake_slack.calls_to("reactions.add", timestamp=event["ts"])) == 1
    assert len(fake_slack.calls_to("chat.postMessage", thread_ts=event["ts"])) == 1


async def test_event_whose_first_delivery_was_lost_is_answered_once_from_its_retries(
    bot: Bot,
) -> None:
    """When only Slack's retries arrive (the first delivery never reached us), the first of
    them is answered and the other two are not: the question is not lost."""
    event = mention(QUESTION)
    payload = event_callback(event)
    for number in (1, 2, 3):
        status, _ = await bot.post(payload, RETRY | {"X-Slack-Retry-Num": str(number)})
        assert status == 200
    [reply] = await bot.replies_to(event)
    later = mention(QUESTION)
    await bot.send(later)
    await bot.replies_to(later)
    assert ALIBABA_TITLE in shown_text(reply)
    assert len(bot.fake.calls_to("chat.postMessage", thread_ts=event["ts"])) == 1


def test_seen_events_are_forgotten_after_an_hour_and_bounded() -> None:
    """Event ids are kept long enough for Slack's retries, and never grow without bound."""
    clock = [0.0]
    seen = SeenEvents(ttl_s=3600, max_ids=3, clock=lambda: clock[0])
    assert seen.first_time("a") and not seen.first_time("a")
    clock[0] = 3601
    assert seen.first_time("a")
    for event_id in "bcde":
        assert seen.first_time(event_id)
    assert not seen.first_time("e")
    assert seen.first_time("b")


async def test_sources_mention_in_a_thread_quotes_that_threads_last_answer(
    bot: Bot, sample_desk: DealDesk
) -> None:
    """ "@dealdesk sources" in a thread lists the last answer's citations with their quoted
    passages (from the Answer, not its rendered text); a thread without an answer is told so."""
    first = mention(QUESTION)
    await bot.send(first)
    await bot.replies_to(first)
    ask_sources = mention("sources", thread_ts=first["ts"])
    await bot.send(ask_sources)
    [_, sources] = await bot.fake.wait_for("chat.postMessage", 2, thread_ts=first["ts"])
    answer = sample_desk.last_answer(conversation_id(ALLOWED, first["ts"]))
    assert answer is not None and answer.citations
    blocks = sources.args["blocks"]
    assert blocks[0]["text"]["text"] == "*Sources*"
    assert len(blocks) == 1 + len(answer.citations)
    assert ALIBABA_TITLE in blocks[1]["elements"][0]["text"]
    assert answer.citations[0].quote[:40] in shown_text(sources)

    elsewhere = mention("Sources")
    await bot.send(elsewhere)
    [empty] = await bot.fake.wait_for("chat.postMessage", thread_ts=elsewhere["ts"])
    assert empty.args["text"] == NO_SOURCES
    assert not bot.fake.calls_to("reactions.add", timestamp=elsewhere["ts"])


async def test_mention_with_filters_restricts_the_corpus(bot: Bot) -> None:
    """ "@dealdesk --lang en question" never cites the German article; a bad date gets the
    reason and the usage instead of an answer."""
    german = mention(f"--lang de {QUESTION}")
    await bot.send(german)
    [with_german] = await bot.replies_to(german)
    english = mention(f"--lang en {QUESTION}")
    await bot.send(english)
    [without_german] = await bot.replies_to(english)
    bad = mention(f"--since 2016-13-01 {QUESTION}")
    await bot.send(bad)
    [usage] = await bot.fake.wait_for("chat.postMessage", thread_ts=bad["ts"])
    assert ALIBABA_TITLE in shown_text(with_german)
    assert ALIBABA_TITLE not in shown_text(without_german)
    assert usage.args["text"].startswith("--since takes a date like 2016-01-01, not '2016-13-01'.")
    assert "Usage: [--since YYYY-MM-DD]" in usage.args["text"]


async def test_rate_limit_asks_user_to_slow_down(
    sample_desk: DealDesk, fake_slack: FakeSlackAPI
) -> None:
    """Past the per-user limit (the same policy as Telegram's) the bot says when to try again
    and does no work."""
    async with running_bot(sample_desk, fake_slack, rate_limit_per_minute=2) as bot:
        events = [mention(QUESTION) for _ in range(3)]
        for event in events[:2]:
            await bot.send(event)
            await bot.replies_to(event)
        await bot.send(events[2])
        [refusal] = await fake_slack.wait_for("chat.postMessage", thread_ts=events[2]["ts"])
    assert refusal.args["text"].startswith("Slow down, please: try again in ")
    assert not fake_slack.calls_to("reactions.add", timestamp=events[2]["ts"])
    assert sample_desk.last_answer(conversation_id(ALLOWED, events[2]["ts"])) is None


async def test_slack_outage_is_reported_once_and_its_end_too(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    """While the Web API answers 500s the bot retries with backoff, logs one line when the
    outage starts and one when Slack answers again, and shows no traceback."""
    caplog.set_level(logging.INFO)
    bot.fake.statuses["reactions.add"] = [500, 500, 500]
    event = mention(QUESTION)
    await bot.send(event)
    [reply] = await bot.replies_to(event)
    assert ALIBABA_TITLE in shown_text(reply)
    assert len(bot.fake.calls_to("reactions.add", timestamp=event["ts"])) == 3
    lines = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert lines[0] == "the Slack Web API is not answering (HTTP 500); retrying with backoff"
    assert lines[-1].startswith("the Slack Web API is answering again after ")
    assert sum("not answering" in line for line in lines) == 1
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING and r.exc_info]


async def test_slow_answer_is_still_acknowledged_within_three_seconds(
    edge_desk: DealDesk, fake_slack: FakeSlackAPI
) -> None:
    """Slack gets its 200 while the answer is still being worked out; the answer follows."""
    answerer = GatedAnswerer()
    async with bot_answering_with(answerer, edge_desk, fake_slack) as bot:
        event = mention(QUESTION)
        started = time.monotonic()
        await bot.send(event)
        assert time.monotonic() - started < 3.0
        assert not fake_slack.calls_to("chat.postMessage")
        answerer.gate.set()
        [reply] = await bot.replies_to(event)
        assert ALIBABA_TITLE in shown_text(reply)


async def test_thread_follow_up_continues_the_threads_conversation(
    bot: Bot, sample_desk: DealDesk
) -> None:
    """A follow-up mention in the thread is read with that thread's history, and only its."""
    first = mention(QUESTION)
    await bot.send(first)
    await bot.replies_to(first)
    follow_up = mention("And what does Spielberg get out of it?", thread_ts=first["ts"])
    await bot.send(follow_up)
    [_, reply] = await bot.replies_to(follow_up)
    assert reply.args["thread_ts"] == first["ts"]
    answer = sample_desk.last_answer(conversation_id(ALLOWED, first["ts"]))
    assert answer is not None
    assert answer.question == "And what does Spielberg get out of it?"
    assert answer.standalone_question.endswith("(Alibaba, Amblin)")

    elsewhere = mention("And what does Spielberg get out of it?")
    await bot.send(elsewhere)
    await bot.replies_to(elsewhere)
    fresh = sample_desk.last_answer(conversation_id(ALLOWED, elsewhere["ts"]))
    assert fresh is not None
    assert fresh.standalone_question == "And what does Spielberg get out of it?"


async def test_channel_not_allowed_gets_nothing_and_is_logged(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    """A mention in an unlisted channel gets no reply, no reaction, and a log line."""
    caplog.set_level(logging.WARNING, logger="bot.slack")
    event = mention(QUESTION, channel="CRANDOM")
    await bot.send(event)
    later = mention(QUESTION)
    await bot.send(later)
    await bot.replies_to(later)
    assert not [call for call in bot.fake.calls if call.args.get("channel") == "CRANDOM"]
    assert "CRANDOM" in caplog.text
    assert "DEALDESK_SLACK__ALLOWED_CHANNELS" in caplog.text


@pytest.mark.parametrize(
    "event",
    [
        direct_message(QUESTION, bot_id="BOTHER"),
        direct_message(QUESTION, subtype="message_changed"),
        direct_message(QUESTION, subtype="bot_message"),
        mention(QUESTION, bot_id="BOTHER"),
        direct_message(QUESTION, channel_type="channel", channel=ALLOWED),
    ],
    ids=["bot-dm", "edited-dm", "bot-message", "bot-mention", "channel-message"],
)
async def test_bot_posts_edits_and_plain_channel_messages_are_ignored(
    bot: Bot, event: dict[str, Any]
) -> None:
    """Only people's mentions and DMs are answered, so two bots can never loop."""
    await bot.send(event)
    later = direct_message(QUESTION)
    await bot.send(later)
    await bot.fake.wait_for("reactions.remove", timestamp=later["ts"])
    assert not bot.fake.calls_to("reactions.add", timestamp=event["ts"])
    assert len(bot.fake.calls_to("chat.postMessage")) == 1


async def test_mention_without_question_gets_help(bot: Bot) -> None:
    """A bare @-mention is answered with what the bot can do, in the thread."""
    event = mention("")
    await bot.send(event)
    [reply] = await bot.fake.wait_for("chat.postMessage", thread_ts=event["ts"])
    assert "Why did Alibaba invest in Amblin?" in reply.args["text"]
    assert not bot.fake.calls_to("reactions.add", timestamp=event["ts"])


async def test_failure_gets_a_short_message_and_no_traceback(
    edge_desk: DealDesk, fake_slack: FakeSlackAPI, caplog: pytest.LogCaptureFixture
) -> None:
    """When answering fails the user reads one sentence; the traceback goes to the log only."""
    async with bot_answering_with(BrokenAnswerer(), edge_desk, fake_slack) as bot:
        event = mention(QUESTION)
        await bot.send(event)
        [reply] = await bot.replies_to(event)
    assert reply.args["text"].startswith("Sorry, something went wrong")
    assert "Traceback" not in shown_text(reply)
    assert "exploded" not in shown_text(reply)
    assert "backend exploded" in caplog.text


async def test_failed_reaction_does_not_cost_the_answer(bot: Bot) -> None:
    """If Slack refuses the 👀, the question is still answered."""
    bot.fake.failures["reactions.add"] = "missing_scope"
    event = mention(QUESTION)
    await bot.send(event)
    [reply] = await bot.replies_to(event)
    assert ALIBABA_TITLE in shown_text(reply)


async def test_long_answer_is_split_into_sections_within_slacks_limit(
    edge_desk: DealDesk, fake_slack: FakeSlackAPI
) -> None:
    """A 10,000-character answer arrives whole, in sections of at most 3,000 characters."""
    async with bot_answering_with(LongAnswerer(), edge_desk, fake_slack) as bot:
        event = mention(QUESTION)
        await bot.send(event)
        replies = await bot.replies_to(event)
    sections = [
        block["text"]["text"]
        for reply in replies
        for block in reply.args["blocks"]
        if block["type"] == "section"
    ]
    assert len(sections) >= 4
    assert all(len(text) <= SECTION_LIMIT for text in sections)
    assert " ".join(sections).count("&amp;") == 250
    assert all(len(reply.args["blocks"]) <= 50 for reply in replies)


async def test_tokens_never_reach_the_logs(bot: Bot, caplog: pytest.LogCaptureFixture) -> None:
    """Even at DEBUG, with a failing Web API call, neither token nor secret is logged."""
    caplog.set_level(logging.DEBUG)
    bot.fake.failures["reactions.remove"] = "invalid_auth"
    event = mention(QUESTION)
    await bot.send(event)
    await bot.fake.wait_for("reactions.remove", timestamp=event["ts"])
    bad = {"X-Slack-Signature": "v0=forged"}
    status, _ = await bot.post(event_callback(mention(QUESTION)), bad)
    assert status == 401
    assert "reactions.remove" in caplog.text
    assert BOT_TOKEN not in caplog.text
    assert SIGNING_SECRET not in caplog.text


async def test_rejected_bot_token_fails_start_up_without_showing_it(
    fake_slack: FakeSlackAPI,
) -> None:
    """A wrong bot token stops start-up with Slack's reason, never with the token."""
    client = AsyncWebClient(token="xoxb-wrong-token-value", base_url=fake_slack.base_url)
    with pytest.raises(FrontEndStartError, match="invalid_auth") as caught:
        await verify_bot_token(client)
    assert "xoxb-wrong-token-value" not in str(caught.value)


async def test_busy_port_fails_start_up_with_a_clear_message(
    sample_desk: DealDesk, sample_settings: Settings, fake_slack: FakeSlackAPI
) -> None:
    """A port already in use is reported as such, not as a traceback."""
    settings = make_settings(
        sample_settings.data_dir,
        slack=SlackSettings(
            bot_token=SecretStr(BOT_TOKEN),
            signing_secret=SecretStr(SIGNING_SECRET),
            api_base_url=fake_slack.base_url,
        ),
    )
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(FrontEndStartError, match=f"cannot listen on 127.0.0.1:{port}"):
            await serve(settings, sample_desk, "127.0.0.1", port, print, asyncio.Event())
