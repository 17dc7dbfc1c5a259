"""One writer per store: an advisory `flock` on `writer.lock` in the data dir.

The kernel drops a flock when the process that holds it exits, however it exits (SIGKILL
included), so a crashed writer never leaves the store locked and whoever takes the lock next
knows that any journal entries it finds are a dead writer's leftovers. The file holds the
holder's pid and command, for the message a second writer shows. Readers never touch it.
The lock is as good as `flock` on the data dir's filesystem: local disks, not NFS.
"""

import contextlib
import fcntl
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from config.errors import StoreBusyError, StoreError

LOCK_FILE = "writer.lock"


@dataclass(frozen=True)
class LockHolder:
    pid: int | None
    command: str

    def describe(self) -> str:
        """`another ingest is running (pid 123)`: the words a waiting writer shows."""
        pid = f"pid {self.pid}" if self.pid is not None else "pid unknown"
        return f"another {self.command} is running ({pid})"


def ensure_data_dir(data_dir: Path, create: bool) -> None:
    """A data dir that is a file or cannot be read gets one clear sentence, not a traceback."""
    if data_dir.exists() and not data_dir.is_dir():
        raise StoreError(f"the data dir {data_dir} is not a folder (set DEALDESK_DATA_DIR)")
    if create:
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the data dir {data_dir}: {exc.strerror}") from exc
    if data_dir.is_dir() and not os.access(data_dir, os.R_OK | os.X_OK):
        raise StoreError(f"cannot read the data dir {data_dir}: permission denied")


def read_holder(path: Path) -> LockHolder:
    """Who holds the lock, from its file. A holder writes its line right after it takes the
    lock, so an empty file is read again for a moment before giving up on the pid."""
    text = ""
    for _ in range(20):
        try:
            text = path.read_text(encoding="utf-8").strip()
        except OSError:
            text = ""
        if text:
            break
        time.sleep(0.025)
    pid_text, _, command = text.partition(" ")
    pid = int(pid_text) if pid_text.isdigit() else None
    return LockHolder(pid, command.strip() or "writer")


class WriterLock:
    """Held while a process may write vectors or catalog rows; released on `release()`, on
    leaving its `with` block, or by the kernel when the process dies."""

    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self._fd: int | None = fd

    @classmethod
    def acquire(
        cls,
        data_dir: Path,
        command: str = "ingest",
        wait: bool = True,
        on_wait: Callable[[str], None] | None = None,
    ) -> "WriterLock":
        """Take the lock. If another process has it: with `wait`, call `on_wait` with
        "another ingest is running (pid N); waiting" and block until it is free; without,
        raise `StoreBusyError` with that sentence."""
        ensure_data_dir(data_dir, create=True)
        path = data_dir / LOCK_FILE
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise StoreError(f"cannot open the writer lock {path}: {exc.strerror}") from exc
        try:
            if not _try_lock(fd):
                busy = read_holder(path).describe()
                if not wait:
                    raise StoreBusyError(f"{busy}; not waiting (--no-wait)")
                if on_wait is not None:
                    on_wait(f"{busy}; waiting")
                fcntl.flock(fd, fcntl.LOCK_EX)
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()} {command}\n".encode(), 0)
        except BaseException:
            os.close(fd)
            raise
        return cls(path, fd)

    @classmethod
    def probe(cls, data_dir: Path, command: str) -> "WriterLock | LockHolder":
        """The lock if it is free (taken), else who holds it; never waits."""
        try:
            return cls.acquire(data_dir, command, wait=False)
        except StoreBusyError:
            return read_holder(data_dir / LOCK_FILE)

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        """Empty the file (no stale pid for the next reader of it) and drop the lock."""
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
        os.close(fd)

    def __enter__(self) -> "WriterLock":
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.release()


def _try_lock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True
