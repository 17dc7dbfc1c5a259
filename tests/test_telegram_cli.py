"""`dealdesk telegram` as a real process: configuration, start-up, answering, clean shutdown."""

import asyncio
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest

from config import Settings
from tests.fakes.telegram_api import FakeTelegramAPI, fake_telegram, free_port
from vectorstore.embeddings import USEEncoder
from vectorstore.indexer import ingest_paths
from vectorstore.store import Store

REPO = Path(__file__).resolve().parent.parent
TOKEN = "555000111:AACli-token-that-must-never-be-logged"
SECRET = "cli-webhook-Secret_42"
QUESTION = "Why did Alibaba invest in Amblin?"
START_UP_S = 180.0  # imports, opening the store and warming the encoder, on a busy CI machine

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory, encoder: USEEncoder) -> Iterator[Path]:
    """A data dir with the sample corpus ingested and closed, for the bot process to open."""
    path = tmp_path_factory.mktemp("telegram-cli-data")
    settings = Settings(_env_file=None, data_dir=path)  # type: ignore[call-arg]
    store = Store.open_writer(settings, encoder)
    try:
        ingest_paths(store, [REPO / "data" / "sample"], settings.ingest)
    finally:
        store.close()
    yield path


def dealdesk_env(data_dir: Path, **values: str) -> dict[str, str]:
    """The environment of the bot process: ours only, none of the developer's DEALDESK_*."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DEALDESK_")}
    env |= {
        "PYTHONPATH": str(REPO),
        "DEALDESK_DATA_DIR": str(data_dir),
        "DEALDESK_LOG_LEVEL": "DEBUG",
        "PTB_TIMEDELTA": "",
    }
    return env | {f"DEALDESK_{key.upper()}": value for key, value in values.items()}


class BotProcess:
    def __init__(self, process: asyncio.subprocess.Process, log: Path) -> None:
        self.process = process
        self.log = log

    async def stop(self, sig: int = signal.SIGTERM) -> int:
        if self.process.returncode is None:
            self.process.send_signal(sig)
        return await asyncio.wait_for(self.process.wait(), 60)

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


@asynccontextmanager
async def dealdesk(cwd: Path, env: dict[str, str], *args: str) -> AsyncIterator[BotProcess]:
    """`python -m bot.cli telegram ARGS`, run from a directory without a .env file."""
    log = cwd / "dealdesk.log"
    with log.open("wb") as sink:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot.cli",
            "telegram",
            *args,
            cwd=cwd,
            env=env,
            stdout=sink,
            stderr=sink,
        )
    bot = BotProcess(process, log)
    try:
        yield bot
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


@pytest.fixture
async def api() -> AsyncIterator[FakeTelegramAPI]:
    async with fake_telegram(TOKEN) as server:
        yield server


async def test_without_a_token_it_explains_botfather_and_fails(
    tmp_path: Path, data_dir: Path
) -> None:
    """With no token configured the command says how to get one and exits non-zero."""
    async with dealdesk(tmp_path, dealdesk_env(data_dir)) as bot:
        code = await asyncio.wait_for(bot.process.wait(), 60)
    assert code == 2
    assert "@BotFather" in bot.output()
    assert "DEALDESK_TELEGRAM__TOKEN=" in bot.output()


async def test_polling_bot_answers_and_shuts_down_cleanly(
    tmp_path: Path, data_dir: Path, api: FakeTelegramAPI
) -> None:
    """The real command polls the API from config, rides out a 502, answers with citations,
    and stops cleanly on SIGTERM."""
    env = dealdesk_env(data_dir, telegram__token=TOKEN, telegram__api_base_url=api.base_url)
    api.bad_gateway_next("getUpdates")
    async with dealdesk(tmp_path, env) as bot:
        await api.wait_for(lambda calls: len(api.calls_to("getUpdates")) >= 2, START_UP_S)
        question = api.send_text(501, QUESTION)
        [reply] = await api.wait_for_messages(501, within_s=60)
        code = await bot.stop()
    assert code == 0, bot.output()
    assert reply["reply_parameters"]["message_id"] == question["message_id"]
    assert "Alibaba steigt ins Filmgeschäft ein" in reply["text"]
    assert api.calls_to("setMyCommands")
    assert [c.status for c in api.calls_to("getUpdates")][:2] == [502, 200]
    assert (
        "the Telegram Bot API (getting updates) is not answering (HTTP 502); retrying with backoff"
        in bot.output()
    )
    assert "the Telegram Bot API (getting updates) is answering again after" in bot.output()
    assert "Calling Bot API endpoint `getUpdates`" in bot.output()
    assert TOKEN not in bot.output()
    assert TOKEN.split(":")[1] not in bot.output()


async def test_webhook_bot_checks_the_secret_header(
    tmp_path: Path, data_dir: Path, api: FakeTelegramAPI
) -> None:
    """`--webhook` registers the URL and secret, answers true posts, refuses forged ones."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/tg/hook"
    env = dealdesk_env(
        data_dir,
        telegram__token=TOKEN,
        telegram__api_base_url=api.base_url,
        telegram__webhook_secret=SECRET,
    )
    args = ("--webhook", "--listen", "127.0.0.1", "--port", str(port), "--url", url)
    async with dealdesk(tmp_path, env, *args) as bot:
        await api.wait_for(lambda calls: any(c.method == "setWebhook" for c in calls), START_UP_S)
        question = api.user_message(502, QUESTION)
        forged = api.user_message(503, QUESTION)
        async with httpx.AsyncClient() as client:
            refused = await client.post(
                url,
                json={"update_id": 1, "message": forged},
                headers={"X-Telegram-Bot-Api-Secret-Token": "guess"},
            )
            accepted = await client.post(
                url,
                json={"update_id": 2, "message": question},
                headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
            )
        [reply] = await api.wait_for_messages(502, within_s=60)
        code = await bot.stop(signal.SIGINT)
    assert (refused.status_code, accepted.status_code) == (403, 200)
    assert code == 0, bot.output()
    assert api.messages_to(503) == []
    assert "Alibaba steigt ins Filmgeschäft ein" in reply["text"]
    [registered] = api.calls_to("setWebhook")
    assert (registered["url"], registered["secret_token"]) == (url, SECRET)
    assert TOKEN not in bot.output()
    assert SECRET not in bot.output()


async def test_unreachable_api_fails_in_two_lines_without_tracebacks(
    tmp_path: Path, data_dir: Path
) -> None:
    """With nothing listening at the API address, start-up retries, then the process says so
    in one line and exits 1: no traceback at the default log level (it printed 100 lines)."""
    closed = f"http://127.0.0.1:{free_port()}/bot"
    env = dealdesk_env(data_dir, telegram__token=TOKEN, telegram__api_base_url=closed)
    env["DEALDESK_LOG_LEVEL"] = "WARNING"
    async with dealdesk(tmp_path, env) as bot:
        code = await asyncio.wait_for(bot.process.wait(), START_UP_S)
    lines = bot.output().strip().splitlines()
    assert code == 1
    assert "Traceback" not in bot.output()
    assert len(lines) == 2, lines
    assert lines[0].endswith(
        "the Telegram Bot API (sending) is not answering (httpx.ConnectError: "
        "All connection attempts failed); retrying with backoff"
    )
    assert lines[1] == (
        f"dealdesk: could not reach the Telegram Bot API at {closed}: "
        "httpx.ConnectError: All connection attempts failed"
    )


async def test_webhook_on_a_busy_port_fails_in_one_line(
    tmp_path: Path, data_dir: Path, api: FakeTelegramAPI
) -> None:
    """A webhook port already in use is named in one line (exit 1), not a traceback."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = dealdesk_env(data_dir, telegram__token=TOKEN, telegram__api_base_url=api.base_url)
        env["DEALDESK_LOG_LEVEL"] = "WARNING"
        args = ("--webhook", "--port", str(port), "--url", f"http://127.0.0.1:{port}/tg")
        async with dealdesk(tmp_path, env, *args) as bot:
            code = await asyncio.wait_for(bot.process.wait(), START_UP_S)
    assert code == 1
    assert bot.output().strip().splitlines() == [
        f"dealdesk: cannot listen on 127.0.0.1:{port}: Address already in use"
    ]


async def test_rejected_token_fails_with_a_clear_error(
    tmp_path: Path, data_dir: Path, api: FakeTelegramAPI
) -> None:
    """A token Telegram refuses (401) ends the process with one clear sentence, token unlogged."""
    wrong = "555000111:AAWrong-token-also-never-logged"
    env = dealdesk_env(data_dir, telegram__token=wrong, telegram__api_base_url=api.base_url)
    async with dealdesk(tmp_path, env) as bot:
        code = await asyncio.wait_for(bot.process.wait(), START_UP_S)
    assert code == 1
    assert "dealdesk: Telegram rejected the token" in bot.output()
    assert wrong not in bot.output() and wrong.split(":")[1] not in bot.output()
    assert [c.status for c in api.calls_to("getMe")] == [401]
