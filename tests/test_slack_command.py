"""`dealdesk slack` as a user runs it: a real process, configured by environment variables."""

import asyncio
import json
import os
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

import aiohttp

from tests.conftest import REPO, SAMPLE, make_settings
from tests.fakes.slack_api import BOT_USER_ID, FakeSlackAPI, event_callback, sign
from vectorstore.embeddings import USEEncoder
from vectorstore.indexer import ingest_paths
from vectorstore.store import Store

BOT_TOKEN = "xoxb-7777-8888-botsecretvalue"
SIGNING_SECRET = "signing-secret-for-the-process"
START_S = 120
"""Start-up loads the embedder and the store; generous, as CI machines are slow."""


def dealdesk_env(**variables: str) -> dict[str, str]:
    """The parent's environment without any DEALDESK_ settings, plus `variables`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DEALDESK_")}
    env["PYTHONPATH"] = str(REPO)
    return env | variables


def test_slack_command_without_tokens_names_the_missing_variables(tmp_path: Path) -> None:
    """Without tokens it exits non-zero and says which variables to set."""
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "slack"],
        cwd=tmp_path,
        env=dealdesk_env(DEALDESK_DATA_DIR=str(tmp_path)),
        capture_output=True,
        text=True,
        timeout=START_S,
        check=False,
    )
    assert result.returncode == 2
    assert "DEALDESK_SLACK__BOT_TOKEN" in result.stderr
    assert "DEALDESK_SLACK__SIGNING_SECRET" in result.stderr
    assert "Traceback" not in result.stderr


def test_slack_command_rejects_an_app_token_in_the_bot_token_slot(tmp_path: Path) -> None:
    """A token of the wrong kind is named without being shown."""
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "slack"],
        cwd=tmp_path,
        env=dealdesk_env(
            DEALDESK_DATA_DIR=str(tmp_path),
            DEALDESK_SLACK__BOT_TOKEN="xapp-1-pasted-in-the-wrong-place",
            DEALDESK_SLACK__SIGNING_SECRET=SIGNING_SECRET,
        ),
        capture_output=True,
        text=True,
        timeout=START_S,
        check=False,
    )
    assert result.returncode == 2
    assert "DEALDESK_SLACK__BOT_TOKEN must be a bot token (xoxb-…)" in result.stderr
    assert "pasted-in-the-wrong-place" not in result.stderr


def test_unreachable_slack_fails_start_up_in_two_lines(tmp_path: Path) -> None:
    """With nothing listening at the Web API address, start-up retries with backoff, then says
    so in one line and exits 1; no traceback at the default log level."""
    article = tmp_path / "deal.txt"
    article.write_text("Quillon buys Tunewave\n\nQuillon Media has bought Tunewave.\n")
    ingest = subprocess.run(
        [sys.executable, "-m", "bot.cli", "ingest", str(article)],
        cwd=tmp_path,
        env=dealdesk_env(DEALDESK_DATA_DIR=str(tmp_path)),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert ingest.returncode == 0, ingest.stderr
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}/api/"
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "slack", "--port", "0"],
        cwd=tmp_path,
        env=dealdesk_env(
            DEALDESK_DATA_DIR=str(tmp_path),
            DEALDESK_SLACK__BOT_TOKEN=BOT_TOKEN,
            DEALDESK_SLACK__SIGNING_SECRET=SIGNING_SECRET,
            DEALDESK_SLACK__API_BASE_URL=closed,
        ),
        capture_output=True,
        text=True,
        timeout=START_S,
        check=False,
    )
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert len(lines) == 2, lines
    assert "the Slack Web API is not answering (Cannot connect to host" in lines[0]
    assert lines[1].startswith(f"dealdesk: could not reach Slack at {closed}: ")
    assert BOT_TOKEN not in result.stderr


async def test_slack_command_answers_a_mention_over_http(
    tmp_path: Path, encoder: USEEncoder
) -> None:
    """The real command serves /slack/events, answers a signed mention in its thread with a
    cited source, stops cleanly on SIGTERM, and never prints a token, even at DEBUG."""
    data_dir = tmp_path / "data"
    store = Store.open_writer(make_settings(data_dir), encoder)
    ingest_paths(store, [SAMPLE / "alibaba-amblin.de.txt"], store.settings.ingest)
    store.close()
    log_file = tmp_path / "stderr.log"

    async with FakeSlackAPI(BOT_TOKEN) as fake:
        env = dealdesk_env(
            DEALDESK_DATA_DIR=str(data_dir),
            DEALDESK_LOG_LEVEL="DEBUG",
            DEALDESK_SLACK__BOT_TOKEN=BOT_TOKEN,
            DEALDESK_SLACK__SIGNING_SECRET=SIGNING_SECRET,
            DEALDESK_SLACK__API_BASE_URL=fake.base_url,
            DEALDESK_SLACK__ALLOWED_CHANNELS="CDEALS,COTHER",
        )
        with log_file.open("wb") as stderr:
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot.cli", "slack", "--port", "0",
                cwd=tmp_path, env=env, stdout=asyncio.subprocess.PIPE, stderr=stderr,
            )  # fmt: skip
        try:
            assert process.stdout is not None
            line = await asyncio.wait_for(process.stdout.readline(), START_S)
            found = re.search(r"listening on (http://127\.0\.0\.1:\d+/slack/events)", line.decode())
            assert found, line
            event = {
                "type": "app_mention",
                "user": "UASKER",
                "text": f"<@{BOT_USER_ID}> Why did Alibaba invest in Amblin?",
                "ts": "1700002000.000100",
                "channel": "CDEALS",
            }
            body = json.dumps(event_callback(event)).encode()
            async with aiohttp.ClientSession() as session:
                headers = sign(SIGNING_SECRET, body)
                async with session.post(found[1], data=body, headers=headers) as response:
                    assert response.status == 200
            [reply] = await fake.wait_for("chat.postMessage", thread_ts=event["ts"])
            assert "Alibaba steigt ins Filmgeschäft ein" in json.dumps(
                reply.args["blocks"], ensure_ascii=False
            )
            await fake.wait_for("reactions.remove", timestamp=event["ts"])
        finally:
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
            code = await asyncio.wait_for(process.wait(), START_S)
            rest = await process.stdout.read() if process.stdout else b""
    output = line.decode() + rest.decode() + log_file.read_text(errors="replace")
    assert code == 0, output
    assert fake.calls_to("auth.test")
    assert "DEBUG" in output
    assert BOT_TOKEN not in output
    assert SIGNING_SECRET not in output
