"""The `dealdesk` command: argument parsing and dispatch only; the work happens in the core."""

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence
from contextlib import suppress

from bot.commands.output import print_error, tolerate_undecodable_input
from bot.logs import cli_logging, secret_values
from config import Settings
from config.errors import DealdeskError
from vectorstore.catalog import model_in_use

log = logging.getLogger(__name__)

_COMMAND_MODULES = (
    "bot.commands.core",
    "bot.commands.slack",
    "bot.commands.telegram",
    "bot.commands.eval",
    "bot.commands.feeds",
    "bot.commands.check",
)

_DESCRIPTION = """\
dealdesk answers questions about tech and entertainment deals from your own corpus of news
articles, quoting the passages it relies on with [n] citations. German and English articles
and questions mix freely.

Start with:
  dealdesk ingest data/sample          # add articles (files or folders)
  dealdesk ask "Why did Alibaba invest in Amblin?"
  dealdesk console                      # ask interactively

Configuration comes from DEALDESK_* environment variables or a .env file (see README)."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dealdesk",
        description=_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="log progress at INFO level, with tracebacks"
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in _COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command. A failure is one line on stderr and a non-zero exit; the traceback is
    logged only with -v (or at DEBUG)."""
    args = build_parser().parse_args(argv)
    tolerate_undecodable_input()
    try:
        settings = Settings()
    except ValueError as exc:
        print_error(f"dealdesk: invalid configuration: {exc}")
        return 2
    # Retrieval defaults are tuned per embedder, and a store keeps the model it was built with.
    settings = settings.tuned_for(model_in_use(settings))
    level = logging.getLevelNamesMapping().get(settings.log_level.upper())
    if level is None:
        print_error(f"dealdesk: invalid configuration: unknown log level {settings.log_level!r}")
        return 2
    level = min(level, logging.INFO) if args.verbose else level
    with cli_logging(level, level <= logging.INFO, secret_values(settings)):
        return _run(args, settings)


def _run(args: argparse.Namespace, settings: Settings) -> int:
    """The command, with every failure turned into one masked line on stderr."""
    try:
        code: int = args.handler(settings, args)
    except DealdeskError as exc:
        print_error(f"dealdesk: {exc}")
        log.info("Traceback of the failure above", exc_info=True)
        return 1
    except KeyboardInterrupt:
        print_error("dealdesk: interrupted")
        return 130
    except BrokenPipeError:
        _discard_stdout()
        return 141
    except Exception as exc:
        reason = f"{type(exc).__name__}: {exc}"
        print_error(f"dealdesk: unexpected {reason} (run with -v for the traceback)")
        log.info("Traceback of the failure above", exc_info=True)
        return 1
    return code


def _discard_stdout() -> None:
    """The reader went away (`dealdesk search ... | head -1`): end quietly, as `cat` does, and
    keep Python from failing again when it flushes stdout at exit."""
    with suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


if __name__ == "__main__":
    sys.exit(main())
