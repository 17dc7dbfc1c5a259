"""The console front end: a REPL on a terminal, one answer per line on a pipe.

Run it with `dealdesk console` (or `make run`, which ingests the sample corpus first).
"""

from typing import TextIO

from bot.core.service import DealDesk
from bot.format_text import render_answer
from config import Settings

CONVERSATION = "console"
_HELP = """Ask a question about the corpus, in English or German. Follow-ups keep the context.
Commands: /sources  full sources of the last answer
          /reset    forget the conversation
          /stats    what is in the corpus
          /quit     leave (Ctrl-D works too)"""


def handle_line(desk: DealDesk, line: str) -> str | None:
    """The reply to one console line; None means quit."""
    command = line.strip().lower()
    if command in {"/quit", "/exit", "quit", "exit"}:
        return None
    if command == "/help":
        return _HELP
    if command == "/reset":
        desk.reset(CONVERSATION)
        return "Conversation forgotten."
    if command == "/stats":
        stats = desk.stats()
        return (
            f"{stats.documents} documents, {stats.chunks} chunks, languages {stats.languages}, "
            f"model {stats.embedding_model}, store {stats.location}"
        )
    if command == "/sources":
        last = desk.last_answer(CONVERSATION)
        if last is None or not last.citations:
            return "No sources yet: ask a question first."
        return render_answer(last).split("\n\nSources:\n", 1)[-1]
    return render_answer(desk.ask(line, CONVERSATION))


def run_console_session(settings: Settings, stdin: TextIO, stdout: TextIO) -> int:
    desk = DealDesk(settings)
    interactive = stdin.isatty()
    try:
        if interactive:
            stats = desk.stats()
            stdout.write(f"dealdesk — {stats.documents} documents indexed. /help for commands.\n")
            desk.warm_up()
        while True:
            if interactive:
                stdout.write("\n? ")
                stdout.flush()
            line = stdin.readline()
            if not line:
                break
            if not line.strip():
                continue
            if not interactive:
                stdout.write(f"? {line.strip()}\n")
            reply = handle_line(desk, line.strip())
            if reply is None:
                break
            stdout.write(reply + "\n")
            stdout.flush()
    finally:
        desk.close()
    return 0
