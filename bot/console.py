"""The console front end: a REPL on a terminal, one answer per line on a pipe.

Run it with `dealdesk console` (or `make run`, which ingests the sample corpus first). With a
language model configured the answer streams in as it is written.
"""

import re
from typing import TextIO

from bot.compose import build_desk
from bot.core.markers import plain
from bot.core.models import Answer
from bot.core.service import DealDesk
from bot.format_text import render_answer
from config import Settings

CONVERSATION = "console"
_HELP = """Ask a question about the corpus, in English or German. Follow-ups keep the context.
Commands: /sources  full sources of the last answer
          /reset    forget the conversation
          /stats    what is in the corpus
          /quit     leave (Ctrl-D works too)"""


def handle_line(desk: DealDesk, line: str, stdout: TextIO) -> bool:
    """Reply to one console line on stdout; False means quit."""
    reply = handle_command(desk, line)
    if reply is None:
        return False
    if reply:
        stdout.write(reply + "\n")
    else:
        stream_answer(desk, line, stdout)
    stdout.flush()
    return True


def stream_answer(desk: DealDesk, question: str, stdout: TextIO) -> None:
    """Write the answer as it arrives, then its sources. The streamed text is a preview; when
    the checks changed it (a sentence its sources do not support), the checked answer follows."""
    shown = ""
    answer: Answer | None = None
    for item in desk.ask_stream(question, CONVERSATION):
        if isinstance(item, Answer):
            answer = item
        else:
            shown += item
            stdout.write(item)
            stdout.flush()
    assert answer is not None
    rendered = render_answer(answer)
    if _words(shown) == _words(answer.answer):
        stdout.write(rendered[len(answer.answer) :] + "\n")
    else:
        stdout.write(f"\n\nChecked against the sources:\n{rendered}\n")


def _words(text: str) -> list[str]:
    """What a reader compares: the words, not where a marker or a space went."""
    return re.findall(r"\w+", plain(text))


def handle_command(desk: DealDesk, line: str) -> str | None:
    """The reply to a console command; None means quit, "" means the line is a question."""
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
    return ""


def run_console_session(settings: Settings, stdin: TextIO, stdout: TextIO) -> int:
    desk = build_desk(settings)
    interactive = stdin.isatty()
    try:
        if interactive:
            stats = desk.stats()
            stdout.write(
                f"dealdesk — {stats.documents} documents indexed, answers by "
                f"{desk.answerer.name}. /help for commands.\n"
            )
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
            if not handle_line(desk, line.strip(), stdout):
                break
    finally:
        desk.close()
    return 0
