"""Run the real `dealdesk` command with its first catalog commit held back, so a test can act
while a writer sits between writing vectors and committing them. Only timing changes.

    python -m tests.paused_writer CONTROL_DIR ingest PATH...

Before the first commit the process writes CONTROL_DIR/paused (its pid) and waits until
CONTROL_DIR/resume exists; later commits go straight through.
"""

import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from bot import cli
from ingest.models import Chunk, Document
from vectorstore.catalog import Catalog


def hold_first_commit(control: Path) -> None:
    commit = Catalog.commit_documents

    def paused_commit(
        self: Catalog, items: Sequence[tuple[Document, Sequence[Chunk]]]
    ) -> list[str]:
        resume = control / "resume"
        if not resume.exists():
            (control / "paused").write_text(str(os.getpid()), encoding="utf-8")
            while not resume.exists():
                time.sleep(0.02)
        return commit(self, items)

    Catalog.commit_documents = paused_commit  # type: ignore[method-assign]


if __name__ == "__main__":
    hold_first_commit(Path(sys.argv[1]))
    sys.exit(cli.main(sys.argv[2:]))
