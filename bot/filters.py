"""The ask filters (`--since`, `--until`, `--lang`), defined once for every front end: the CLI's
flags and the leading words of a Telegram `/ask` or a Slack mention are read from one table, so
they accept the same values and refuse bad ones with the same sentence."""

import argparse
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.core.models import SearchFilters
from config.errors import QuestionError

_LANGUAGE = re.compile(r"[a-z]{2,3}")
_OPTION = re.compile(r"--[a-z]", re.IGNORECASE)
_DASHED = re.compile(r"[—–](since|until|lang)\b", re.IGNORECASE)
"""Phones turn "--" into an em or en dash as you type; a dash before a known flag means it."""


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"takes a date like 2016-01-01, not {value!r}") from None


def _language(value: str) -> str:
    code = value.strip().lower()
    if not _LANGUAGE.fullmatch(code):
        raise ValueError(f"takes a language code like de or en, not {value!r}")
    return code


@dataclass(frozen=True)
class _Filter:
    flag: str
    field: str
    metavar: str
    help: str
    parse: Callable[[str], Any]


FILTERS = (
    _Filter("--since", "since", "YYYY-MM-DD", "only articles published on or after", _date),
    _Filter("--until", "until", "YYYY-MM-DD", "only articles published on or before", _date),
    _Filter("--lang", "language", "CODE", "only articles in this language (de, en)", _language),
)
_BY_FLAG = {f.flag: f for f in FILTERS}
USAGE = "[--since YYYY-MM-DD] [--until YYYY-MM-DD] [--lang de|en] question"


def _search_filters(values: dict[str, Any]) -> SearchFilters | None:
    """The filters, or None for none; a window that ends before it starts is refused."""
    if not values:
        return None
    since, until = values.get("since"), values.get("until")
    if since and until and since > until:
        raise QuestionError(f"--since {since} is after --until {until}: nothing could match.")
    return SearchFilters(**values)


def split_filters(words: Sequence[str]) -> tuple[str, SearchFilters | None]:
    """`--since D --lang de question words` -> the question and its filters. Options come
    first; everything after them is the question, verbatim (so "What is --lang?" stays)."""
    rest = list(words)
    values: dict[str, Any] = {}
    while rest and (_OPTION.match(rest[0]) or _DASHED.match(rest[0])):
        word = rest.pop(0)
        flag, _, value = ("--" + word.lstrip("-—–")).partition("=")
        flag = flag.lower()
        spec = _BY_FLAG.get(flag)
        if spec is None:
            names = ", ".join(f.flag for f in FILTERS[:-1]) + f" or {FILTERS[-1].flag}"
            raise QuestionError(f"Unknown option {flag}: use {names}.")
        if not value:
            if not rest:
                raise QuestionError(f"{flag} needs a value.")
            value = rest.pop(0)
        try:
            values[spec.field] = spec.parse(value)
        except ValueError as exc:
            raise QuestionError(f"{flag} {exc}.") from None
    question = " ".join(rest).strip()
    if not question:
        raise QuestionError("The question is missing.")
    return question, _search_filters(values)


def _argparse_type(spec: _Filter) -> Callable[[str], Any]:
    def convert(value: str) -> Any:
        try:
            return spec.parse(value)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return convert


def add_filter_arguments(parser: argparse.ArgumentParser) -> None:
    """The same filters as command-line flags."""
    for spec in FILTERS:
        parser.add_argument(
            spec.flag, dest=spec.field, type=_argparse_type(spec), metavar=spec.metavar,
            help=spec.help,
        )  # fmt: skip


def filters_from_args(args: argparse.Namespace) -> SearchFilters | None:
    """The filters the flags of `add_filter_arguments` asked for, or None."""
    values = {f.field: getattr(args, f.field) for f in FILTERS if getattr(args, f.field, None)}
    return _search_filters(values)
