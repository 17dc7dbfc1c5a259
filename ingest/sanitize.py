"""Terminal-safe text: article text, titles and metadata come from strangers, and an escape
sequence in them (`ESC[2J` clears the screen, an OSC sequence retitles the window or writes a
hyperlink) must never reach a reader's terminal. Applied at ingest and again before printing."""

import re

_ESCAPE_SEQUENCE = re.compile(
    r"""
      \x1b\[ [0-?]* [ -/]* [@-~]                # CSI: colours, cursor moves, screen clears
    | \x9b   [0-?]* [ -/]* [@-~]                # the same with the 8-bit introducer
    | (?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])    # OSC, DCS, SOS, PM, APC ...
      [^\n]*? (?:\x07|\x1b\\|\x9c|(?=\n)|$)    # ... up to BEL or ST (or the line's end)
    | \x1b [ -/]* [0-~]                         # the other two- and three-byte escapes
    """,
    re.VERBOSE,
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def strip_control_sequences(text: str) -> str:
    """The text without ANSI/OSC escape sequences and C0/C1 control characters; newline and
    tab stay, a carriage return becomes a newline. A string sequence left unterminated ends at
    its line: once its introducer is gone nothing can start it again, and the rest of an
    article is worth keeping."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", _ESCAPE_SEQUENCE.sub("", text))
