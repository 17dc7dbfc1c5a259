"""What the CLI and the console print, and how they fail: no escape sequence from article text
or titles reaches a terminal, JSON escapes every control character, `/sources` comes from the
answer itself, questions in any bytes are answered, and a failure is one line (the traceback
only with -v)."""

import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest

from bot.cli import main
from bot.console import handle_line, run_console_session
from bot.core.models import AnswerRequest
from bot.core.service import DealDesk
from ingest.feeds import FeedList
from ingest.models import Document
from tests.conftest import SAMPLE, make_settings
from tests.test_telegram import ScriptedAnswerer, fresh_desk
from vectorstore.embeddings import USEEncoder
from vectorstore.indexer import index_documents
from vectorstore.store import Store

HOSTILE_TITLE = "Nordwind \x1b]0;pwned\x07buys \x9b2JPolarkino"
HOSTILE_TEXT = (
    "Nordwind Media agreed to buy the cinema chain Polarkino for 3 billion euros.\x1b[2J "
    "The deal \x1b[31mclosed\x1b[0m in May 2024 after the regulators approved it. "
    "Polarkino runs 40 cinemas in Norway and Sweden, and Nordwind wants its screens for "
    "streaming premieres.\x1b]8;;https://evil.example\x1b\\ Analysts called the price high."
)
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""What a terminal could act on: C0 controls but newline and tab, DEL, C1 controls."""
QUESTION = "Who bought Polarkino?"

DEALDESK = str(Path(sys.executable).with_name("dealdesk"))

Run = Callable[..., tuple[int, str, str]]


def dealdesk_env(data_dir: Path) -> dict[str, str]:
    """The environment of a real `dealdesk` process: this checkout, this data dir, no .env."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DEALDESK_")}
    return env | {"DEALDESK_DATA_DIR": str(data_dir), "PYTHONPATH": str(SAMPLE.parents[1])}


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory: pytest.TempPathFactory, encoder: USEEncoder) -> Path:
    """A store whose article carries escape sequences in title and text, as a store written
    before ingest stripped them would (ingest is not what is tested here)."""
    path = tmp_path_factory.mktemp("hostile")
    settings = make_settings(path)
    store = Store.open_writer(settings, encoder)
    document = Document(
        source="https://news.example/polarkino",
        url="https://news.example/polarkino",
        title=HOSTILE_TITLE,
        text=HOSTILE_TEXT,
        language="en",
        published=date(2024, 5, 2),
    )
    try:
        index_documents(store, [document], settings.ingest)
    finally:
        store.close()
    feeds = FeedList(path / "feeds.sqlite3")
    feeds.add("https://news.example/feed.rss", "Evil \x1b[2J\x9b31mfeed")
    feeds.close()
    return path


@pytest.fixture
def cli(
    hostile_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsysbinary: pytest.CaptureFixture[bytes],
) -> Iterator[Run]:
    """`dealdesk ARGS` in this process, on the hostile store; returns (code, stdout, stderr)."""
    monkeypatch.chdir(tmp_path)
    for name in [n for n in os.environ if n.startswith("DEALDESK_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("DEALDESK_DATA_DIR", str(hostile_dir))

    def run(*argv: str, stdin: bytes = b"") -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
        code = main(list(argv))
        out, err = capsysbinary.readouterr()
        return code, out.decode("utf-8"), err.decode("utf-8")

    yield run


def test_ask_prints_no_escape_sequence_from_article_text_or_title(cli: Run) -> None:
    """The answer quotes the article and names it, without any of its escape sequences."""
    code, out, _ = cli("ask", QUESTION)
    assert code == 0
    assert "Nordwind Media agreed to buy the cinema chain Polarkino" in out
    assert "Nordwind ]0;pwned" not in out and "Nordwind buys Polarkino" in out
    assert not UNSAFE.search(out), repr(out)


@pytest.mark.parametrize(
    ("argv", "shown"),
    [
        (("search", QUESTION), "Nordwind buys Polarkino"),
        (("recent",), "Nordwind buys Polarkino"),
        (("feeds", "list"), "Evil feed"),
    ],
)
def test_listings_print_no_escape_sequences(cli: Run, argv: tuple[str, ...], shown: str) -> None:
    """search, recent and the feed list show titles from strangers without their escapes."""
    code, out, _ = cli(*argv)
    assert code == 0
    assert shown in out
    assert not UNSAFE.search(out), repr(out)


def test_json_output_escapes_every_control_character(cli: Run) -> None:
    """`--json` carries the title exactly, with C1 controls escaped as well as C0 ones."""
    code, out, _ = cli("ask", "--json", QUESTION)
    assert code == 0
    assert not UNSAFE.search(out.rstrip("\n")), repr(out)
    assert "\\u009b" in out and "\\u001b" in out
    assert json.loads(out)["citations"][0]["title"] == HOSTILE_TITLE


def test_console_prints_no_escape_sequences(hostile_dir: Path, encoder: USEEncoder) -> None:
    """The console's answers, sources and prompts reach the terminal without escapes."""
    out = io.StringIO()
    code = run_console_session(
        make_settings(hostile_dir), io.StringIO(f"{QUESTION}\n/sources\n/stats\n"), out
    )
    assert code == 0
    assert out.getvalue().count("Nordwind buys Polarkino") >= 2
    assert not UNSAFE.search(out.getvalue()), repr(out.getvalue())


def test_console_sources_come_from_the_answer_not_its_rendered_text(
    sample_desk: DealDesk,
) -> None:
    """An answer whose own text contains "Sources:" does not confuse /sources, which lists the
    citations, their quotes and nothing else (no answer text, no notes)."""

    def text(request: AnswerRequest) -> str:
        return "AT&T buys Time Warner [1].\n\nSources:\nmade up by the model"

    desk = fresh_desk(sample_desk, ScriptedAnswerer(text))
    shown = io.StringIO()
    handle_line(desk, "Why did Alibaba invest in Amblin?", shown)
    sources = io.StringIO()
    handle_line(desk, "/sources", sources)
    assert "made up by the model" in shown.getvalue()
    assert sources.getvalue() == (
        "[1] AT&T <buys> Time Warner — https://example.com/deal?a=1&b=2 (2016-10-22, en)\n"
        "    > AT&T agreed to buy Time Warner for $85.4 billion <quoted>.\n"
    )


# Questions in any bytes, and empty ones.


def test_undecodable_bytes_in_a_question_argument_are_replaced_and_answered(
    hostile_dir: Path,
) -> None:
    """`ask --json $'… \\xff'` answers the question with U+FFFD for the bad byte."""
    result = subprocess.run(
        [DEALDESK, "ask", "--json", QUESTION.encode() + b" \xff"],
        capture_output=True,
        env=dealdesk_env(hostile_dir),
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["question"] == f"{QUESTION} \ufffd"
    assert answer["grounded"] is True


def test_stdin_batch_with_an_undecodable_line_answers_every_line(cli: Run) -> None:
    """A line of bad bytes is answered like any other, and the lines after it are too."""
    stdin = f"{QUESTION}\n".encode() + b"\xff\xfe broken\n\n" + f"{QUESTION} again\n".encode()
    code, out, _ = cli("ask", "--json", stdin=stdin)
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 0
    assert [line["question"] for line in lines] == [
        QUESTION,
        "\ufffd\ufffd broken",
        f"{QUESTION} again",
    ]


def test_empty_question_is_refused_in_one_line(cli: Run) -> None:
    """An empty question is not searched: one line says why, and the exit code is 1."""
    code, out, err = cli("ask", "   ")
    assert (code, out) == (1, "")
    assert err == "dealdesk: the question is empty: ask something about the corpus\n"


def test_failing_question_in_json_mode_gets_one_error_line(cli: Run) -> None:
    """With --json a failed question is still one JSON line, naming the question and why."""
    code, out, _ = cli("ask", "--json", "")
    assert code == 1
    assert json.loads(out) == {
        "question": "",
        "error": "the question is empty: ask something about the corpus",
    }


# Failures: one line at the default level, the traceback only with -v.


@pytest.mark.parametrize(
    "argv",
    [
        ("ask", QUESTION),
        ("search", QUESTION),
        ("stats",),
        ("recent",),
        ("reindex",),
        ("ingest", str(SAMPLE)),
        ("console",),
        ("feeds", "list"),
        ("feeds", "add", "https://news.example/feed.rss"),
        ("watch", "--once"),
    ],
    ids=lambda argv: " ".join(argv[:2]),
)
def test_every_command_fails_in_one_line_on_an_unusable_data_dir(
    cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, argv: tuple[str, ...]
) -> None:
    """A data dir that is a file ends each command with exit 1 and one line, no traceback."""
    not_a_dir = tmp_path / "data"
    not_a_dir.write_text("not a folder\n", encoding="utf-8")
    monkeypatch.setenv("DEALDESK_DATA_DIR", str(not_a_dir))
    code, _, err = cli(*argv)
    assert code == 1
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith("dealdesk: ")


def test_verbose_failure_shows_the_traceback(
    cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`-v` adds the traceback after the one-line reason."""
    not_a_dir = tmp_path / "data"
    not_a_dir.write_text("not a folder\n", encoding="utf-8")
    monkeypatch.setenv("DEALDESK_DATA_DIR", str(not_a_dir))
    code, _, err = cli("-v", "stats")
    assert code == 1
    assert err.startswith("dealdesk: ")
    assert "Traceback (most recent call last)" in err


def test_broken_pipe_ends_quietly(hostile_dir: Path) -> None:
    """`dealdesk search … | head -1`: when the reader goes away the command ends without a
    traceback, with 141 as a process killed by SIGPIPE would."""
    queries = "\n".join([QUESTION] * 400) + "\n"
    with subprocess.Popen(
        [DEALDESK, "search", "-k", "5"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=dealdesk_env(hostile_dir),
    ) as process:
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write(queries.encode())
        process.stdin.close()
        assert process.stdout.readline()
        process.stdout.close()
        assert process.stderr is not None
        stderr = process.stderr.read().decode()
        code = process.wait(timeout=300)
    assert code in (0, 141)
    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr, stderr
    assert stderr == ""
