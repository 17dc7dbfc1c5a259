"""Logging as the CLI sets it up: one line per failure at the default level (tracebacks only with
`-v` or DEBUG), no terminal escape sequences, and no secret in any line.

Secrets are masked by a filter on the handlers the CLI installs, so every record that reaches the
terminal is masked, whichever library wrote it: PTB logs its API URL, token included, at DEBUG,
httpx logs it at INFO, and `InvalidToken` carries the token in its message.
"""

import logging
import sys
import traceback
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TextIO
from urllib.parse import quote

from pydantic import BaseModel, SecretStr

from ingest.sanitize import strip_control_sequences

MASK = "[secret]"
MIN_SECRET_LENGTH = 8
"""Shorter values (a local LLM server's `api_key=x`) guard nothing and would mask every letter."""
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
QUIET_LOGGERS = ("httpx", "httpcore")
"""They log every request URL at INFO and DEBUG, bot tokens included; PTB's examples quiet them."""


class SecretMask(logging.Filter):
    """Replaces each secret with [secret] in a record's message, arguments and traceback text."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self._secrets: list[str] = []
        for secret in secrets:
            self.add(secret)

    def add(self, secret: str) -> None:
        if len(secret) < MIN_SECRET_LENGTH:
            return
        for form in (secret, quote(secret, safe="")):
            if form not in self._secrets:
                self._secrets.append(form)
        self._secrets.sort(key=len, reverse=True)

    def mask(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, MASK)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        """Mask the record in place (every later handler sees it masked); never drops it."""
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True  # a malformed call; logging reports it when the record is formatted
        masked = self.mask(message)
        if masked != message:
            record.msg, record.args = masked, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.mask(record.exc_text)
        if record.stack_info:
            record.stack_info = self.mask(record.stack_info)
        return True


def _installed_masks() -> list[SecretMask]:
    return [
        found
        for handler in logging.getLogger().handlers
        for found in handler.filters
        if isinstance(found, SecretMask)
    ]


def hide_secret(secret: str) -> None:
    """Mask a secret learnt at run time (a generated webhook secret) in every handler that
    `cli_logging` installed."""
    for mask in _installed_masks():
        mask.add(secret)


def mask_secrets(text: str) -> str:
    """`text` with the secrets `cli_logging` knows masked: for error messages we print
    ourselves, which do not pass through logging."""
    for mask in _installed_masks():
        text = mask.mask(text)
    return text


def secret_values(model: BaseModel) -> list[str]:
    """Every `SecretStr` value in a settings tree (tokens, signing secrets, API keys)."""
    found = []
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, SecretStr):
            found.append(value.get_secret_value())
        elif isinstance(value, BaseModel):
            found += secret_values(value)
    return found


class CliFormatter(logging.Formatter):
    """The usual line, without escape sequences; a traceback only when asked for, else the
    exception's last line appended to the message."""

    def __init__(self, tracebacks: bool) -> None:
        super().__init__(FORMAT)
        self.tracebacks = tracebacks

    def format(self, record: logging.LogRecord) -> str:
        if record.exc_info and not self.tracebacks:
            text = record.exc_text or "".join(traceback.format_exception(*record.exc_info))
            reason = " ".join(text.strip().splitlines()[-1:])
            line = logging.makeLogRecord(record.__dict__)
            line.msg, line.args = f"{record.getMessage()} ({reason})", ()
            line.exc_info = line.exc_text = line.stack_info = None
            record = line
        return strip_control_sequences(super().format(record))


@contextmanager
def cli_logging(
    level: str | int, tracebacks: bool, secrets: Iterable[str], stream: TextIO | None = None
) -> Iterator[SecretMask]:
    """Log to stderr for the length of one command, then put logging back as it was."""
    mask = SecretMask(secrets)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(CliFormatter(tracebacks))
    handler.addFilter(mask)
    root = logging.getLogger()
    quiet = [logging.getLogger(name) for name in QUIET_LOGGERS]
    saved = (root.level, [logger.level for logger in quiet])
    root.addHandler(handler)
    root.setLevel(level)
    for logger in quiet:
        logger.setLevel(logging.WARNING)
    logging.captureWarnings(True)  # library warnings pass the mask and the formatter too
    try:
        yield mask
    finally:
        logging.captureWarnings(False)
        root.removeHandler(handler)
        root.setLevel(saved[0])
        for logger, old in zip(quiet, saved[1], strict=True):
            logger.setLevel(old)
