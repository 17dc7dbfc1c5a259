"""Plain-terminal rendering of answers, sources, hits, the corpus and ingest reports. The CLI
strips escape sequences when it prints (`bot.commands.output`); nothing here adds any."""

import textwrap
from collections.abc import Collection

from bot.core.models import Answer, Citation, SearchHit
from bot.replies import corpus_rows
from vectorstore.indexer import IngestReport
from vectorstore.models import StoreStats


def _citation_line(citation: Citation) -> str:
    when = citation.published.isoformat() if citation.published else "date unknown"
    where = citation.url or citation.source
    return f"[{citation.n}] {citation.title} — {where} ({when}, {citation.language})"


def render_sources(answer: Answer, width: int = 100) -> str:
    """Each source of an answer with its quoted passage (empty when nothing was cited)."""
    lines = []
    for citation in answer.citations:
        lines.append(_citation_line(citation))
        quote = textwrap.fill(
            citation.quote, width=width, initial_indent="    > ", subsequent_indent="    > "
        )
        lines.append(quote)
    return "\n".join(lines)


def render_answer(answer: Answer, width: int = 100) -> str:
    """The answer, then each source with its quoted passage, then any notes."""
    lines = [answer.answer]
    if answer.citations:
        lines += ["", "Sources:", render_sources(answer, width)]
    lines += [f"Note: {note}" for note in answer.notes]
    return "\n".join(lines)


def render_hits(hits: list[SearchHit], width: int = 100) -> str:
    lines = []
    for rank, hit in enumerate(hits, start=1):
        when = hit.published.isoformat() if hit.published else "-"
        lines.append(
            f"{rank:>2}. {hit.title} — {hit.url or hit.source} ({when}, {hit.language})"
            f"  score={hit.score:.4f} cos={hit.similarity:.3f}"
        )
        snippet = textwrap.shorten(hit.text.replace("\n", " "), width=width * 2)
        lines.append(
            textwrap.fill(snippet, width=width, initial_indent="    ", subsequent_indent="    ")
        )
    return "\n".join(lines) if lines else "No passages found."


def render_stats(stats: StoreStats) -> str:
    rows = corpus_rows(stats)
    width = max(len(label) for label, _ in rows) + 2
    return "\n".join(f"{label + ':':<{width}}{value}" for label, value in rows)


def render_report(report: IngestReport, hide_failed: Collection[str] = ()) -> str:
    """Failed, skipped and removed items with their reasons, then the counts. `hide_failed`
    names items whose failure was already announced (a feed in a reported outage)."""
    lines = [
        f"{item.status.upper():>9}  {item.item}: {item.reason}"
        for item in report.items
        if item.status in {"failed", "skipped", "removed"}
        and not (item.status == "failed" and item.item in hide_failed)
    ]
    summary = report.summary()
    lines.append(
        "Documents: {added} added, {updated} updated, {unchanged} unchanged, {skipped} skipped, "
        "{failed} failed, {removed} removed; {chunks_written} chunks written.".format(**summary)
    )
    return "\n".join(lines)
