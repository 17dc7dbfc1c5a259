"""Which files an ingest of some paths reads: folders are walked, symlinks are judged.

A path given on the command line is the user's explicit choice and is followed wherever it
leads. Inside a folder, a symlink that leads outside that folder is skipped with a reason
(`--follow-symlinks` allows it): a shared or downloaded folder must not be able to pull in
`/etc/hostname` or a home directory. Symlink loops end the walk of that branch, never hang it.
"""

import os
from dataclasses import dataclass
from pathlib import Path

SUPPORTED_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".html", ".htm", ".json", ".jsonl"})


@dataclass(frozen=True)
class FileProblem:
    """A path that was skipped or failed, with the reason a user can act on."""

    path: str
    reason: str
    failed: bool


def _resolve(path: Path) -> Path | None:
    """Where a symlink finally leads; None for a loop or a link to nowhere."""
    try:
        return path.resolve(strict=True)
    except (OSError, RuntimeError):
        return None


class _Walk:
    """One folder given on the command line, walked depth-first in name order."""

    def __init__(self, root: Path, shown: str, follow_symlinks: bool) -> None:
        self.root = root.resolve()
        self.shown = shown
        self.follow_symlinks = follow_symlinks
        self.files: list[Path] = []
        self.problems: list[FileProblem] = []
        self._visited: set[Path] = set()

    def folder(self, folder: Path, real: Path) -> None:
        if real in self._visited:
            return
        self._visited.add(real)
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError as exc:
            self.problems.append(
                FileProblem(str(folder), f"cannot read folder: {exc.strerror}", True)
            )
            return
        for entry in entries:
            if not entry.name.startswith("."):
                self.entry(Path(entry.path), entry.is_symlink())

    def entry(self, path: Path, is_link: bool) -> None:
        real = _resolve(path) if is_link else path.resolve()
        if real is None:
            self.problems.append(FileProblem(str(path), "broken symlink or symlink loop", False))
            return
        if is_link:
            if not real.is_relative_to(self.root) and not self.follow_symlinks:
                reason = (
                    f"symlink to {real} leads outside {self.shown}; "
                    "use --follow-symlinks to ingest it"
                )
                self.problems.append(FileProblem(str(path), reason, False))
                return
            if real.is_dir() and real.is_relative_to(self.root):
                return  # its files are found under their own path
        if real.is_dir():
            self.folder(path, real)
        elif not real.is_file():
            self.problems.append(FileProblem(str(path), "not a regular file", False))
        elif path.suffix.lower() in SUPPORTED_SUFFIXES:
            self.files.append(path)
        else:
            self.problems.append(FileProblem(str(path), "unsupported file type", False))


def discover_files(
    paths: list[Path], follow_symlinks: bool = False
) -> tuple[list[Path], list[FileProblem]]:
    """Expand folders recursively; unsupported files and symlinks out of a folder are skipped,
    missing paths fail."""
    files: list[Path] = []
    problems: list[FileProblem] = []
    for path in paths:
        if path.is_dir():
            walk = _Walk(path, f"{path.as_posix().rstrip('/')}/", follow_symlinks)
            walk.folder(path, walk.root)
            files += walk.files
            problems += walk.problems
        elif path.is_file():
            if path.suffix.lower() in SUPPORTED_SUFFIXES:
                files.append(path)
            else:
                supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
                reason = f"unsupported file type {path.suffix or '(none)'}; use one of {supported}"
                problems.append(FileProblem(str(path), reason, True))
        elif path.exists():
            problems.append(FileProblem(str(path), "not a regular file or folder", True))
        else:
            problems.append(FileProblem(str(path), "no such file or folder", True))
    return files, problems
