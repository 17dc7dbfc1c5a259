"""One writer at a time; readers never wait and never change anything; only a writer cleans up,
and only after a dead writer. Real `dealdesk` processes, embedded and on a Chroma server."""

import signal
from pathlib import Path

import pytest

from tests.store_processes import Deployment, wait_until, write_articles

pytestmark = pytest.mark.slow


def test_readers_during_a_paused_ingest_answer_at_once_and_change_nothing(
    deployment: Deployment, tmp_path: Path
) -> None:
    """`stats`, `search`, `ask` and `check` run while an ingest sits between writing vectors and
    committing them: they answer from what is committed, in bounded time, leave the store as
    it was (check counts the writer's journal as in flight), and afterwards every article of
    that ingest is searchable and `check` is clean."""
    base = write_articles(tmp_path / "base", 0, 4)
    new = write_articles(tmp_path / "new", 4, 12)
    deployment.run_ok("ingest", str(tmp_path / "base"))
    control = tmp_path / "control"
    writer = deployment.start_paused(control, "ingest", str(tmp_path / "new"))
    try:
        before = deployment.state()
        assert before["journal"], "the paused writer has journaled its first batch"
        assert set(before["journal"]) <= set(before["vectors"]), "and written its vectors"

        stats = deployment.run_ok("stats", "--json")
        assert '"documents": 4' in stats.stdout
        deployment.assert_searchable(base)
        name = next(iter(base))
        deployment.run_ok("ask", "--json", f"What did {name} Media buy?")
        code, live = deployment.check()
        assert (code, live["writer"]) == (0, f"ingest is running (pid {writer.pid})"), live
        assert (live["in_flight"], live["stale_journal"]) == (len(before["journal"]), [])

        assert deployment.state() == before
    finally:
        (control / "resume").touch()
        writer.wait(timeout=120)
    assert writer.returncode == 0, (control / "stderr").read_text()
    code, report = deployment.check()
    assert (code, report["consistent"]) == (0, True), report
    assert report["chunks"] == report["vectors"] == 16
    deployment.assert_searchable(base | new)


def test_a_second_ingest_waits_for_the_first_then_completes(
    deployment: Deployment, tmp_path: Path
) -> None:
    """While one ingest writes, a second says who holds the store and waits (or, with
    --no-wait, exits 1 saying so); once the first finishes it completes, and nothing is lost."""
    first = write_articles(tmp_path / "first", 0, 8)
    second = write_articles(tmp_path / "second", 8, 8)
    control = tmp_path / "control"
    writer = deployment.start_paused(control, "ingest", str(tmp_path / "first"))
    busy = f"another ingest is running (pid {writer.pid})"
    try:
        refused = deployment.run("ingest", "--no-wait", str(tmp_path / "second"))
        assert refused.returncode == 1
        assert busy in refused.stderr
        assert len(refused.stderr.strip().splitlines()) == 1

        log = tmp_path / "second.stderr"
        waiting = deployment.start("ingest", str(tmp_path / "second"), stderr=log)
        wait_until(lambda: f"{busy}; waiting" in log.read_text(), waiting, "the wait message")
        assert waiting.poll() is None
    finally:
        (control / "resume").touch()
        writer.wait(timeout=120)
    assert waiting.wait(timeout=120) == 0, log.read_text()
    assert writer.returncode == 0
    code, report = deployment.check()
    assert (code, report["documents"], report["vectors"]) == (0, 16, 16), report
    deployment.assert_searchable(first | second)


def test_a_killed_writer_is_cleaned_up_by_the_next_writer_and_never_by_a_reader(
    deployment: Deployment, tmp_path: Path
) -> None:
    """SIGKILL mid-batch leaves journaled, uncommitted vectors; readers leave them alone,
    `check` calls them a stale journal, and the next ingest (not kept waiting: the kernel
    dropped the lock) removes them and completes; then `check` is clean."""
    articles = write_articles(tmp_path / "corpus", 0, 10)
    control = tmp_path / "control"
    writer = deployment.start_paused(control, "ingest", str(tmp_path / "corpus"))
    writer.send_signal(signal.SIGKILL)
    writer.wait(timeout=30)
    left = deployment.state()
    assert left["journal"] and set(left["journal"]) <= set(left["vectors"])

    deployment.run_ok("stats")
    deployment.run_ok("search", "--json", "film studio")
    assert deployment.state() == left

    code, report = deployment.check()
    assert code == 1
    assert report["stale_journal"] == left["journal"]
    assert report["writer"] is None

    rerun = deployment.run_ok("ingest", str(tmp_path / "corpus"))
    assert "waiting" not in rerun.stderr
    code, report = deployment.check()
    assert (code, report["vectors"], report["stale_journal"]) == (0, 10, []), report
    deployment.assert_searchable(articles)
