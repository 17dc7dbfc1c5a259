"""The one parser for ask filters: the CLI's flags and the words of a Telegram /ask or a Slack
mention accept the same values and refuse bad ones with the same sentence."""

import argparse
from datetime import date

import pytest

from bot.core.models import SearchFilters
from bot.filters import add_filter_arguments, filters_from_args, split_filters
from config.errors import QuestionError


@pytest.mark.parametrize(
    ("text", "question", "filters"),
    [
        ("Who bought Sky?", "Who bought Sky?", None),
        (
            "--since 2016-01-01 --lang DE Wer kaufte Sky?",
            "Wer kaufte Sky?",
            SearchFilters(since=date(2016, 1, 1), language="de"),
        ),
        (
            "--until=2017-12-31 --since=2016-01-01 deals",
            "deals",
            SearchFilters(since=date(2016, 1, 1), until=date(2017, 12, 31)),
        ),
        ("What is --lang about?", "What is --lang about?", None),
        (
            "—since 2016-01-01 Wer kaufte Sky?",
            "Wer kaufte Sky?",
            SearchFilters(since=date(2016, 1, 1)),
        ),
        ("--Lang en Who bought Sky?", "Who bought Sky?", SearchFilters(language="en")),
        ("— a dash is not an option", "— a dash is not an option", None),
    ],
)
def test_leading_filters_are_split_from_the_question(
    text: str, question: str, filters: SearchFilters | None
) -> None:
    """Options come first (a phone's em dash for "--" counts); the rest is the question."""
    assert split_filters(text.split()) == (question, filters)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("", "The question is missing."),
        ("--lang de", "The question is missing."),
        ("--since", "--since needs a value."),
        ("--since yesterday q", "--since takes a date like 2016-01-01, not 'yesterday'."),
        ("--lang deutsch q", "--lang takes a language code like de or en, not 'deutsch'."),
        ("--from 2016-01-01 q", "Unknown option --from: use --since, --until or --lang."),
        (
            "--since 2017-01-01 --until 2016-01-01 q",
            "--since 2017-01-01 is after --until 2016-01-01: nothing could match.",
        ),
    ],
)
def test_malformed_filters_explain_what_is_wrong(text: str, error: str) -> None:
    """A bad filter gets one sentence the user can act on."""
    with pytest.raises(QuestionError) as raised:
        split_filters(text.split())
    assert str(raised.value) == error


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dealdesk ask", exit_on_error=False)
    add_filter_arguments(parser)
    return parser


def test_command_line_flags_give_the_same_filters_as_chat_words() -> None:
    """`--since`, `--until` and `--lang` as flags mean what they mean in a chat."""
    words = "--since 2016-01-01 --until 2017-12-31 --lang DE".split()
    flags = filters_from_args(_parser().parse_args(words))
    assert flags == split_filters([*words, "question"])[1]
    assert filters_from_args(_parser().parse_args([])) is None


def test_command_line_flag_refuses_a_bad_date_with_the_shared_reason() -> None:
    """argparse reports the same reason a chat user reads."""
    with pytest.raises(argparse.ArgumentError, match="takes a date like 2016-01-01, not 'May'"):
        _parser().parse_args(["--since", "May"])


def test_command_line_window_that_ends_before_it_starts_is_refused() -> None:
    """An empty date window is an error, not a silent empty result."""
    args = _parser().parse_args(["--since", "2017-01-01", "--until", "2016-01-01"])
    with pytest.raises(QuestionError, match="nothing could match"):
        filters_from_args(args)
