"""The `dealdesk` command as users and scripts run it: a real subprocess each time."""

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from config.settings import DEFAULT_EMBEDDING_MODEL
from tests.conftest import REPO, SAMPLE

DEALDESK = str(Path(sys.executable).with_name("dealdesk"))


def _run(data_dir: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DEALDESK_")}
    env["DEALDESK_DATA_DIR"] = str(data_dir)
    return subprocess.run(
        [DEALDESK, *args], input=stdin, capture_output=True, text=True, env=env, timeout=300
    )


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A data dir with the sample corpus ingested through the CLI with the default embedder, as
    `make run` does."""
    path = tmp_path_factory.mktemp("cli")
    result = _run(path, "ingest", str(SAMPLE))
    assert result.returncode == 0, result.stderr
    assert "5 added" in result.stdout
    yield path


def test_second_ingest_reports_everything_unchanged(data_dir: Path) -> None:
    """Ingest is idempotent from the command line, with a summary."""
    result = _run(data_dir, "ingest", str(SAMPLE))
    assert result.returncode == 0
    assert "0 added, 0 updated, 5 unchanged" in result.stdout
    assert "0 chunks written" in result.stdout


def test_ingest_exits_non_zero_and_names_the_bad_path(data_dir: Path, tmp_path: Path) -> None:
    """A missing path fails that item and the run, with the reason."""
    result = _run(data_dir, "ingest", "--json", str(tmp_path / "nope.txt"))
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["failed"] == 1
    assert report["items"][0]["reason"] == "no such file or folder"


def test_ask_json_has_the_documented_fields(data_dir: Path) -> None:
    """`ask --json` prints one object with answer, grounding and full citations."""
    result = _run(data_dir, "ask", "--json", "Why did Alibaba invest in Amblin?")
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    for key in ("question", "answer", "language", "grounded", "citations", "provider", "timings"):
        assert key in answer
    assert answer["grounded"] is True
    citation = answer["citations"][0]
    assert set(citation) >= {"n", "title", "source", "published", "quote", "chunk_id", "score"}
    assert citation["source"].endswith("alibaba-amblin.de.txt")


def test_ask_reads_one_question_per_stdin_line(data_dir: Path) -> None:
    """With no question argument, each stdin line gets its own JSON line."""
    questions = "Why did Alibaba invest in Amblin?\n\nWho won the 2022 FIFA World Cup final?\n"
    result = _run(data_dir, "ask", "--json", stdin=questions)
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [a["grounded"] for a in lines] == [True, False]
    assert lines[1]["citations"] == []


def test_search_json_lists_ranked_chunks(data_dir: Path) -> None:
    """`search --json -k 3` returns three ranked passages with ids, sources and text."""
    result = _run(data_dir, "search", "--json", "-k", "3", "Amblin Spielberg")
    hits = json.loads(result.stdout)["hits"]
    assert len(hits) == 3
    assert {"chunk_id", "source", "title", "score", "text"} <= set(hits[0])
    assert hits[0]["score"] >= hits[1]["score"] >= hits[2]["score"]


def test_stats_names_model_store_and_languages(data_dir: Path) -> None:
    """`stats --json` reports the corpus, the default embedder it was built with, and where it
    lives."""
    stats = json.loads(_run(data_dir, "stats", "--json").stdout)
    assert stats["documents"] == 5
    assert stats["languages"] == {"de": 3, "en": 2}
    assert stats["embedding_model"] == DEFAULT_EMBEDDING_MODEL
    assert stats["location"].startswith(str(data_dir))


def test_console_answers_each_piped_line_with_follow_ups(data_dir: Path) -> None:
    """Piped into the console, questions are answered in turn and /sources shows the quotes."""
    result = _run(
        data_dir,
        "console",
        stdin="Why did Alibaba invest in Amblin?\n"
        "And what does Spielberg get out of it?\n/sources\n",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("Sources:") == 2
    assert "Spielberg" in result.stdout.split("? And what does Spielberg")[1]
    assert "[1] Alibaba steigt ins Filmgeschäft ein" in result.stdout.split("? /sources")[1]


def test_bad_date_filter_gets_a_clear_usage_error(data_dir: Path) -> None:
    """Input is validated before any work is done."""
    result = _run(data_dir, "ask", "--since", "last week", "question")
    assert result.returncode == 2
    assert "argument --since: takes a date like 2016-01-01, not 'last week'" in result.stderr


def test_help_explains_every_command() -> None:
    """`dealdesk --help` lists the commands with a one-line purpose each."""
    result = subprocess.run([DEALDESK, "--help"], capture_output=True, text=True, cwd=REPO)
    for command in ("ingest", "ask", "search", "stats", "console", "reindex", "recent"):
        assert command in result.stdout
