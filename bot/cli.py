"""The `dealdesk` command: argument parsing and dispatch only; the work happens in the core."""

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from config import Settings
from config.errors import DealdeskError
from vectorstore.catalog import model_in_use

_COMMAND_MODULES = (
    "bot.commands.core",
    "bot.commands.slack",
    "bot.commands.telegram",
    "bot.commands.eval",
    "bot.commands.feeds",
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
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress at INFO level")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in _COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = Settings()
    except ValueError as exc:
        print(f"dealdesk: invalid configuration: {exc}", file=sys.stderr)
        return 2
    # Retrieval defaults are tuned per embedder, and a store keeps the model it was built with.
    settings = settings.tuned_for(model_in_use(settings))
    logging.basicConfig(
        level=logging.INFO if args.verbose else settings.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)
    try:
        code: int = args.handler(settings, args)
    except DealdeskError as exc:
        print(f"dealdesk: {exc}", file=sys.stderr)
        logging.getLogger(__name__).debug("details", exc_info=True)
        return 1
    except KeyboardInterrupt:
        print("dealdesk: interrupted", file=sys.stderr)
        return 130
    return code


if __name__ == "__main__":
    sys.exit(main())
