"""What the CLI reads and writes. Text for people goes out without escape sequences (article
text and titles come from strangers, and `ESC[2J` clears a screen); JSON for scripts has every
control character escaped; questions are read whatever bytes they hold."""

import io
import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from typing import TYPE_CHECKING, Any, TextIO

from bot.logs import mask_secrets
from ingest.sanitize import strip_control_sequences

if TYPE_CHECKING:
    from vectorstore.indexer import IngestReport

_RAW_IN_JSON = re.compile("[\x7f-\x9f\ud800-\udfff]")
"""`ensure_ascii=False` escapes only C0 controls; DEL, C1 controls and lone surrogates would
reach the terminal (or fail to encode) as they are."""


def print_text(text: str = "", *, end: str = "\n", file: TextIO | None = None) -> None:
    print(strip_control_sequences(text), end=end, file=file or sys.stdout, flush=True)


def print_error(line: str) -> None:
    """A line on stderr; errors can quote a library's message, so secrets are masked."""
    print_text(mask_secrets(line), file=sys.stderr)


def to_json(data: Any) -> str:
    """One line of JSON that is safe to print: no raw control character or lone surrogate."""
    text = json.dumps(data, ensure_ascii=False, default=str)
    return _RAW_IN_JSON.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def print_json(data: Any) -> None:
    print(to_json(data), flush=True)


def report_dict(report: "IngestReport") -> dict[str, Any]:
    """An ingest report as `--json` prints it: the counts, then every item."""
    return report.summary() | {"items": [asdict(item) for item in report.items]}


def from_argument(text: str) -> str:
    """A command-line argument as text: bytes that are not UTF-8 reach Python as surrogates
    (PEP 383) and become U+FFFD here, instead of failing when the text is encoded later."""
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        raw = text.encode("utf-8", "replace")
    return raw.decode("utf-8", "replace")


def questions(words: list[str], stdin: Iterable[str]) -> Iterator[str]:
    """The question given as arguments, or one per non-blank line of stdin."""
    if words:
        yield from_argument(" ".join(words))
        return
    for line in stdin:
        if line.strip():
            yield from_argument(line.strip())


def tolerate_undecodable_input() -> None:
    """Decode stdin with replacement, so one bad line cannot stop a batch, and never fail to
    print a character the terminal's encoding lacks."""
    for stream in (sys.stdin, sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="replace")
