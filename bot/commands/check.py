"""`dealdesk check [--repair]`: compare the catalog with the vectors, say what each finding
means, and fix it on request. The work is in `vectorstore/consistency.py`."""

import argparse
import json
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, TypeVar

from config import Settings

if TYPE_CHECKING:
    from vectorstore.consistency import CheckReport, RepairReport

T = TypeVar("T")
_SHOWN = 5


def register(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    check = subparsers.add_parser(
        "check",
        help="compare the catalog with the vectors (after a crash or any incident)",
        description="Find passages without a vector, vectors of no passage (orphans), journal "
        "entries left by a writer that died, and documents or keyword index entries that do "
        "not add up. Exits 1 when the store is inconsistent. --repair takes the writer lock, "
        "re-embeds missing vectors from the stored text, deletes orphans and the stale journal, "
        "and rebuilds the keyword index if needed.",
    )
    check.add_argument("--repair", action="store_true", help="fix what is found")
    check.add_argument(
        "--no-wait",
        action="store_true",
        help="with --repair: exit 1 instead of waiting while another writer holds the store",
    )
    check.add_argument("--json", action="store_true", help="print the findings as JSON")
    check.set_defaults(handler=run_check)


def _progress(items: Iterable[T], total: int, desc: str) -> Iterable[T]:
    from tqdm import tqdm

    bar: Iterable[T] = tqdm(items, total=total, desc=desc, file=sys.stderr, disable=None)
    return bar


def _stderr(line: str) -> None:
    print(f"dealdesk: {line}", file=sys.stderr, flush=True)


def run_check(settings: Settings, args: argparse.Namespace) -> int:
    """A plain check holds the writer lock when it is free, so no writer starts halfway through
    it; when a writer is running it checks anyway and counts that writer's journal as work in
    flight. --repair waits for the lock (or, with --no-wait, gives up)."""
    from vectorstore.consistency import check_store, repair_store
    from vectorstore.lock import LockHolder, WriterLock
    from vectorstore.store import Store, require_store

    require_store(settings)
    if args.repair:
        lock = WriterLock.acquire(
            settings.data_dir, "check --repair", wait=not args.no_wait, on_wait=_stderr
        )
        with Store(settings, writer=lock) as store:
            found = check_store(store, progress=_progress)
            repaired = repair_store(store, found, _progress) if not found.consistent else None
            after = check_store(store, progress=_progress) if repaired else found
        _print(args.json, found, repaired, after)
        return 0 if after.consistent else 1
    probed = WriterLock.probe(settings.data_dir, "check")
    live = probed if isinstance(probed, LockHolder) else None
    try:
        with Store(settings) as store:
            found = check_store(store, live, _progress)
    finally:
        if isinstance(probed, WriterLock):
            probed.release()
    _print(args.json, found, None, found)
    return 0 if found.consistent else 1


def _print(
    as_json: bool, found: "CheckReport", repaired: "RepairReport | None", after: "CheckReport"
) -> None:
    if as_json:
        data = found.model_dump(mode="json") | {"consistent": found.consistent}
        if repaired is not None:
            data["repaired"] = repaired.model_dump(mode="json")
            data["after"] = after.model_dump(mode="json") | {"consistent": after.consistent}
        print(json.dumps(data, ensure_ascii=False), flush=True)
        return
    print(render_check(found))
    if repaired is not None:
        print(render_repair(repaired))
        print(
            "After repair: consistent."
            if after.consistent
            else "After repair the store is still inconsistent:\n" + render_findings(after)
        )


def render_check(report: "CheckReport") -> str:
    lines = [
        f"Store:     {report.location} ({report.chroma_mode})",
        f"Catalog:   {report.documents} documents, {report.chunks} passages",
        f"Vectors:   {report.vectors}",
    ]
    if report.writer:
        lines.append(
            f"Writer:    {report.writer}; its {report.in_flight} journal entries are work in "
            "flight, not damage. Check again when it has finished."
        )
    findings = render_findings(report)
    if report.consistent:
        lines.append(
            "OK: every passage has its vector, no orphan vectors, no stale journal, "
            "and documents and keyword index add up."
        )
    else:
        lines += [findings, "Inconsistent: run `dealdesk check --repair`."]
    return "\n".join(lines)


def render_findings(report: "CheckReport") -> str:
    """One paragraph per problem: how many, what it means for answers, what repair does."""
    lines: list[str] = []
    if report.missing_vectors:
        lines.append(
            f"PROBLEM  {_n(report.missing_vectors, 'passage')} without a vector: committed, but "
            "dense search cannot find them (keyword search still can). --repair re-embeds them "
            f"from the stored text. In: {_some(report.missing_sources)}"
        )
    if report.orphan_vectors:
        lines.append(
            f"PROBLEM  {_n(report.orphan_vectors, 'vector')} of no stored passage (orphans): "
            "search ignores them, they only take space. --repair deletes them. Ids: "
            f"{_some(report.orphan_vectors)}"
        )
    if report.stale_journal:
        lines.append(
            f"PROBLEM  {_n(report.stale_journal, 'journal entry', 'journal entries')} left by a "
            "writer that died before committing (stale journal): vectors it wrote that were "
            "never part of the corpus. --repair, or the next ingest, deletes them."
        )
    if report.count_mismatches:
        sources = [f"{m.source} ({m.stored} of {m.recorded})" for m in report.count_mismatches]
        lines.append(
            f"PROBLEM  {_n(sources, 'document')} with fewer or more passages than recorded: "
            "part of their text is not searchable. --repair marks them so that the next "
            f"`dealdesk ingest` of their source reads them again. {_some(sources)}"
        )
    if report.keyword_missing or report.keyword_extra:
        lines.append(
            f"PROBLEM  the keyword index lacks {report.keyword_missing} passages and holds "
            f"{report.keyword_extra} entries of no passage: keyword search misses names and "
            "numbers there. --repair rebuilds the keyword index."
        )
    return "\n".join(lines)


def render_repair(done: "RepairReport") -> str:
    parts = [
        f"re-embedded {done.reembedded} passages",
        f"deleted {done.orphans_deleted} orphan vectors",
        f"cleared {done.journal_cleared} stale journal entries",
    ]
    if done.keyword_index_rebuilt:
        parts.append("rebuilt the keyword index")
    text = "Repaired: " + ", ".join(parts) + "."
    if done.marked_for_reingest:
        text += (
            f"\nRun `dealdesk ingest` on {_some(done.marked_for_reingest)} to restore the "
            "passages they lack; they are marked to be read again."
        )
    return text


def _n(items: list[str], one: str, many: str | None = None) -> str:
    return f"{len(items)} {one if len(items) == 1 else many or one + 's'}"


def _some(items: list[str]) -> str:
    shown = ", ".join(items[:_SHOWN])
    more = len(items) - _SHOWN
    return f"{shown}, and {more} more (--json lists all)" if more > 0 else shown
