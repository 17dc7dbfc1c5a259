"""The console front end: a REPL on a terminal, one answer per line on a pipe.

Run it with `dealdesk console` (or `make run`, which ingests the sample corpus first). With a
language model configured the answer streams in as it is written. Everything written to the
terminal is stripped of escape sequences: answers quote articles, and articles come from strangers.
"""

import logging
import re
from typing import TextIO

from bot.compose import build_desk
from bot.core.markers import plain
from bot.core.models import final_answer
from bot.core.service import DealDesk
from bot.format_text import render_answer, render_sources, render_stats
from bot.logs import mask_secrets
from bot.replies import NO_SOURCES, RESET_DONE
from config import Settings
from config.errors import DealdeskError
from ingest.sanitize import strip_control_sequences

log = logging.getLogger(__name__)

CONVERSATION = "console"
_HELP = """Ask a question about the corpus, in English or German. Follow-ups keep the context.
Commands: /sources  full sources of the last answer
          /reset    forget the conversation
          /stats    what is in the corpus
          /quit     leave (Ctrl-D works too)"""


class _Terminal:
    """The console's output, stripped of escape sequences on the way."""

    def __init__(self, stdout: TextIO) -> None:
        self.stdout = stdout

    def write(self, text: str) -> None:
        self.stdout.write(strip_control_sequences(text))
        self.stdout.flush()


def handle_line(desk: DealDesk, line: str, stdout: TextIO) -> bool:
    """Reply to one console line on stdout; False means quit."""
    terminal = _Terminal(stdout)
    reply = handle_command(desk, line)
    if reply is None:
        return False
    if reply:
        terminal.write(reply + "\n")
        return True
    try:
        stream_answer(desk, line, terminal)
    except BrokenPipeError:
        raise
    except DealdeskError as exc:
        terminal.write(mask_secrets(f"Sorry: {exc}\n"))
    except Exception as exc:
        log.info("Traceback of the failure to answer %r", line, exc_info=True)
        reason = mask_secrets(f"{type(exc).__name__}: {exc}")
        terminal.write(f"Sorry, answering failed ({reason}); ask again.\n")
    return True


def stream_answer(desk: DealDesk, question: str, terminal: _Terminal) -> None:
    """Write the answer as it arrives, then its sources. The streamed text is a preview; when
    the checks changed it (a sentence its sources do not support), the checked answer follows."""
    shown: list[str] = []

    def show(text: str) -> None:
        shown.append(text)
        terminal.write(text)

    answer = final_answer(desk.ask_stream(question, CONVERSATION), show)
    rendered = render_answer(answer)
    if _words("".join(shown)) == _words(answer.answer):
        terminal.write(rendered[len(answer.answer) :] + "\n")
    else:
        terminal.write(f"\n\nChecked against the sources:\n{rendered}\n")


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
        return RESET_DONE
    if command == "/stats":
        return render_stats(desk.stats())
    if command == "/sources":
        last = desk.last_answer(CONVERSATION)
        return render_sources(last) if last and last.citations else NO_SOURCES
    return ""


def run_console_session(settings: Settings, stdin: TextIO, stdout: TextIO) -> int:
    desk = build_desk(settings)
    interactive = stdin.isatty()
    terminal = _Terminal(stdout)
    try:
        if interactive:
            stats = desk.stats()
            terminal.write(
                f"dealdesk — {stats.documents} documents indexed, answers by "
                f"{desk.answerer.name}. /help for commands.\n"
            )
            desk.warm_up()
        while True:
            if interactive:
                terminal.write("\n? ")
            line = stdin.readline()
            if not line:
                break
            if not line.strip():
                continue
            if not interactive:
                terminal.write(f"? {line.strip()}\n")
            if not handle_line(desk, line.strip(), stdout):
                break
    finally:
        desk.close()
    return 0
