"""A data dir driven by real `dealdesk` processes, embedded or against a Chroma server, with
what a test needs to see inside it without going through dealdesk's own code."""

import hashlib
import json
import os
import random
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DEALDESK = str(Path(sys.executable).with_name("dealdesk"))
TIMEOUT = 120
"""Every dealdesk process must finish within this; a reader stuck behind a writer fails here."""

_LIST_VECTOR_IDS = """
import sys, chromadb
from urllib.parse import urlparse
from chromadb.config import Settings
url, path = sys.argv[1], sys.argv[2]
settings = Settings(anonymized_telemetry=False)
if url:
    parsed = urlparse(url)
    client = chromadb.HttpClient(host=parsed.hostname, port=parsed.port, settings=settings)
else:
    client = chromadb.PersistentClient(path=path, settings=settings)
print("\\n".join(sorted(client.get_collection("dealdesk").get(include=[])["ids"])))
"""


def article_name(i: int) -> str:
    """A made-up company name per article: search for it finds that article and no other."""
    rng = random.Random(i)
    return "".join(rng.choice("bdfgklmnprstvz") + rng.choice("aeiou") for _ in range(4)).title()


def write_articles(folder: Path, start: int, count: int) -> dict[str, str]:
    """`count` short deal articles as .txt files; returns {company name: source path}."""
    folder.mkdir(parents=True)
    written: dict[str, str] = {}
    for i in range(start, start + count):
        name = article_name(i)
        path = folder / f"{name.lower()}.txt"
        path.write_text(
            f"{name} Media buys a stake in a film studio\n\n"
            f"{name} Media agreed to buy {10 + i} percent of a film studio for {100 + i} million "
            f"dollars. The chief executive of {name} Media said the deal gives {name} access to "
            f"new audiences. Analysts expect {name} to close the deal within {i % 9 + 2} months.\n",
            encoding="utf-8",
        )
        written[name] = str(path.resolve())
    return written


@dataclass
class Deployment:
    """One data dir and the environment every dealdesk process of a test gets."""

    data_dir: Path
    chroma_url: str | None

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("DEALDESK_")}
        env |= {
            "DEALDESK_DATA_DIR": str(self.data_dir),
            "DEALDESK_INGEST__BATCH_CHUNKS": "4",
            "PYTHONPATH": str(REPO),
        }
        if self.chroma_url:
            env["DEALDESK_CHROMA__URL"] = self.chroma_url
        return env

    def run(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [DEALDESK, *args],
            input=stdin,
            capture_output=True,
            text=True,
            env=self.env,
            timeout=TIMEOUT,
        )

    def run_ok(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        result = self.run(*args, stdin=stdin)
        assert result.returncode == 0, f"dealdesk {' '.join(args)}: {result.stderr}"
        return result

    def start(self, *args: str, stderr: Path) -> "subprocess.Popen[bytes]":
        with stderr.open("wb") as log:
            return subprocess.Popen(
                [DEALDESK, *args], env=self.env, stdout=subprocess.DEVNULL, stderr=log
            )

    def start_paused(self, control: Path, *args: str) -> "subprocess.Popen[bytes]":
        """A real dealdesk process that stops before its first catalog commit (its vectors are
        written by then) until `control/resume` exists; returns once it is paused."""
        control.mkdir(exist_ok=True)
        with (control / "stderr").open("wb") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "tests.paused_writer", str(control), *args],
                cwd=REPO,
                env=self.env,
                stdout=subprocess.DEVNULL,
                stderr=log,
            )
        wait_until(lambda: (control / "paused").exists(), process, "the writer to pause")
        return process

    def vector_ids(self) -> list[str]:
        """The collection's ids, read by a plain Chroma client in its own process."""
        result = subprocess.run(
            [sys.executable, "-c", _LIST_VECTOR_IDS, self.chroma_url or "", self.chroma_path],
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=True,
        )
        return result.stdout.split()

    @property
    def chroma_path(self) -> str:
        return str(self.data_dir / "chroma")

    def state(self) -> dict[str, Any]:
        """Everything a reader must leave alone: catalog rows, journal, meta, the catalog's
        bytes on disk, and the vector ids."""
        catalog = self.data_dir / "catalog.sqlite3"
        with closing(sqlite3.connect(f"file:{catalog}?mode=ro", uri=True, timeout=5)) as db:
            rows: dict[str, Any] = {
                table: sorted(map(tuple, db.execute(f"SELECT * FROM {table}")))
                for table in ("meta", "documents", "chunks")
            }
            rows["journal"] = sorted(row[0] for row in db.execute("SELECT chunk_id FROM journal"))
        files = {
            path.name: hashlib.sha256(path.read_bytes()).hexdigest()
            for path in (catalog, catalog.with_name(catalog.name + "-wal"))
            if path.exists()
        }
        return rows | {"files": files, "vectors": self.vector_ids()}

    def check(self) -> tuple[int, dict[str, Any]]:
        result = self.run("check", "--json")
        return result.returncode, json.loads(result.stdout)

    def assert_searchable(self, articles: dict[str, str]) -> None:
        """Each company name, searched for, finds its article."""
        names = list(articles)
        result = self.run_ok("search", "--json", "-k", "5", stdin="\n".join(names) + "\n")
        answers = [json.loads(line) for line in result.stdout.splitlines()]
        assert [a["query"] for a in answers] == names
        lost = [
            articles[a["query"]]
            for a in answers
            if articles[a["query"]] not in {hit["source"] for hit in a["hits"]}
        ]
        assert not lost, f"not found by search: {lost}"


def wait_until(done: Any, process: "subprocess.Popen[bytes]", what: str) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not done():
        if process.poll() is not None:
            raise AssertionError(f"process exited ({process.returncode}) before {what}")
        if time.monotonic() > deadline:
            process.kill()
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)
