"""Who may open the store how: readers need an existing store and never write, every writing
command takes the writer lock, and content already stored under another path is stored once."""

import io
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import main
from config.errors import StoreBusyError, StoreError
from ingest.feeds import FeedList
from tests.conftest import SAMPLE, make_settings
from tests.store_processes import DEALDESK
from vectorstore.embeddings import USEEncoder
from vectorstore.indexer import IngestReport, ingest_paths
from vectorstore.lock import LOCK_FILE, WriterLock
from vectorstore.store import Store

READERS = [
    ["stats"],
    ["recent"],
    ["ask", "Why did Alibaba invest in Amblin?"],
    ["search", "Amblin"],
    ["console"],
    ["check"],
    ["telegram"],
]


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """The CLI run in-process, with nothing of the developer's own DEALDESK_* settings."""
    for key in list(os.environ):
        if key.startswith("DEALDESK_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("DEALDESK_TELEGRAM__TOKEN", "123:fake")
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    yield monkeypatch


@pytest.mark.parametrize("command", READERS, ids=lambda c: c[0])
def test_read_commands_on_a_data_dir_without_a_store_say_so_and_create_nothing(
    command: list[str],
    environment: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """No store means exit 1 with one line saying to ingest first, not an answer from an empty
    store that the command made up on the way."""
    data_dir = tmp_path / "empty"
    environment.setenv("DEALDESK_DATA_DIR", str(data_dir))
    assert main(command) == 1
    err = capsys.readouterr().err
    assert err == f"dealdesk: no dealdesk store in {data_dir}: run `dealdesk ingest` first\n"
    assert not data_dir.exists()


def test_a_data_dir_that_is_a_file_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    """Readers and writers alike, as real processes: one clear sentence and exit 1."""
    not_a_dir = tmp_path / "data"
    not_a_dir.write_text("oops", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DEALDESK_")}
    env["DEALDESK_DATA_DIR"] = str(not_a_dir)
    for args in (["stats"], ["ingest", str(SAMPLE)]):
        result = subprocess.run(
            [DEALDESK, *args], capture_output=True, text=True, env=env, timeout=120
        )
        assert result.returncode == 1
        assert result.stderr == (
            f"dealdesk: the data dir {not_a_dir} is not a folder (set DEALDESK_DATA_DIR)\n"
        )


@pytest.fixture(scope="module")
def sample_dir(tmp_path_factory: pytest.TempPathFactory, encoder: USEEncoder) -> Path:
    data_dir = tmp_path_factory.mktemp("locked")
    with Store.open_writer(make_settings(data_dir), encoder) as store:
        ingest_paths(store, [SAMPLE / "alibaba-amblin.de.txt"], store.settings.ingest)
    feeds = FeedList(data_dir / "feeds.sqlite3")
    feeds.add("http://127.0.0.1:9/feed.xml", "a feed")
    feeds.close()
    return data_dir


@pytest.mark.parametrize(
    "command",
    [
        ["ingest", str(SAMPLE)],
        ["reindex"],
        ["watch", "--once"],
        ["check", "--repair"],
    ],
    ids=lambda c: "-".join(c[:2]).strip("-").split("/")[0],
)
def test_every_writing_command_takes_the_writer_lock(
    command: list[str],
    sample_dir: Path,
    environment: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """While another writer holds the store, each writing command with --no-wait stops at once
    with exit 1, naming the holder, and writes nothing."""
    environment.setenv("DEALDESK_DATA_DIR", str(sample_dir))
    with WriterLock.acquire(sample_dir, "ingest"):
        assert main([*command, "--no-wait"]) == 1
    err = capsys.readouterr().err
    assert f"another ingest is running (pid {os.getpid()})" in err
    assert err.count("\n") == 1


def test_a_reader_store_refuses_to_write_and_leaves_the_journal_alone(
    sample_dir: Path, encoder: USEEncoder
) -> None:
    """A store opened without the writer lock cannot write, remove or recover."""
    with Store(make_settings(sample_dir), encoder) as store:
        assert store.read_only
        for attempt in (store.recover, lambda: store.remove(["x"])):
            with pytest.raises(StoreError, match="read-only"):
                attempt()


def _write(path: Path, title: str, body: str) -> None:
    path.write_text(f"{title}\n\n{body}\n", encoding="utf-8")


BODY = "Lumenfall Pictures bought Kestrel Studios for 80 million dollars in a deal closed today."
OTHER = "Lumenfall Pictures sold its stake in Kestrel Studios again, for 95 million dollars."


def _statuses(report: IngestReport) -> dict[str, tuple[str, str | None]]:
    return {Path(i.item).name: (i.status, i.reason) for i in report.items}


def test_identical_content_under_a_second_path_is_stored_once(store: Store, tmp_path: Path) -> None:
    """A copy is skipped as a duplicate of the first source, in one run and in a later one; it
    is stored as soon as the original changes or its file is gone; a stored file rewritten into
    a copy loses its old version."""
    folder = tmp_path / "articles"
    folder.mkdir()
    original, copy, later = folder / "a.txt", folder / "b.txt", folder / "c.txt"
    _write(original, "Deal", BODY)
    _write(copy, "Deal", BODY)
    settings = store.settings.ingest

    first = _statuses(ingest_paths(store, [folder], settings))
    duplicate = ("skipped", f"duplicate of {original.resolve()}")
    assert first == {"a.txt": ("added", None), "b.txt": duplicate}
    _write(later, "Deal", BODY)
    assert _statuses(ingest_paths(store, [later], settings)) == {"c.txt": duplicate}
    assert store.stats().documents == 1

    _write(original, "Deal", OTHER)
    changed = _statuses(ingest_paths(store, [folder], settings))
    assert changed == {
        "a.txt": ("updated", None),
        "b.txt": ("added", None),
        "c.txt": ("skipped", f"duplicate of {copy.resolve()}"),
    }
    copy.unlink()
    gone = _statuses(ingest_paths(store, [folder], settings, prune=True))
    assert gone["c.txt"] == ("added", None)
    assert gone["b.txt"] == ("removed", "file is gone (--prune)")
    assert store.stats().documents == 2

    _write(later, "Deal", OTHER)
    became_copy = _statuses(ingest_paths(store, [later], settings))
    reason = f"duplicate of {original.resolve()} (its earlier, different version was removed)"
    assert became_copy == {"c.txt": ("skipped", reason)}
    assert store.stats().documents == 1


def test_the_lock_names_its_holder_and_is_free_again_once_released(tmp_path: Path) -> None:
    """In one process too, a second writer is refused with the holder's pid and command, and
    the lock file is emptied on release so no stale pid is shown later."""
    with WriterLock.acquire(tmp_path, "reindex"):
        assert (tmp_path / LOCK_FILE).read_text() == f"{os.getpid()} reindex\n"
        with pytest.raises(
            StoreBusyError, match=rf"another reindex is running \(pid {os.getpid()}\)"
        ):
            WriterLock.acquire(tmp_path, "ingest", wait=False)
    assert (tmp_path / LOCK_FILE).read_text() == ""
    with WriterLock.acquire(tmp_path, "ingest", wait=False) as lock:
        assert lock.held
