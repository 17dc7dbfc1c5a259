"""The Telegram adapter's small pure pieces: /ask parsing, webhook paths, waits, log masking."""

import logging
from datetime import date, timedelta

import pytest

from bot.core.models import SearchFilters
from bot.telegram import AskSyntaxError, hide_in_logs, parse_ask, retry_seconds, webhook_path


@pytest.mark.parametrize(
    ("words", "question", "filters"),
    [
        ("Who bought Sky?".split(), "Who bought Sky?", None),
        (
            "--since 2016-01-01 --lang DE Wer kaufte Sky?".split(),
            "Wer kaufte Sky?",
            SearchFilters(since=date(2016, 1, 1), language="de"),
        ),
        (
            "--until=2017-12-31 --since=2016-01-01 deals".split(),
            "deals",
            SearchFilters(since=date(2016, 1, 1), until=date(2017, 12, 31)),
        ),
        ("What is --lang about?".split(), "What is --lang about?", None),
    ],
)
def test_ask_parses_leading_filters_and_keeps_the_question(
    words: list[str], question: str, filters: SearchFilters | None
) -> None:
    """Options come first; everything after them is the question, verbatim."""
    assert parse_ask(words) == (question, filters)


@pytest.mark.parametrize(
    ("words", "error"),
    [
        ([], "The question is missing."),
        (["--lang", "de"], "The question is missing."),
        (["--since"], "--since needs a value."),
        (["--since", "yesterday", "q"], "--since takes a date like 2016-01-01, not 'yesterday'."),
        (["--from", "2016-01-01", "q"], "Unknown option --from: use --since, --until or --lang."),
    ],
)
def test_malformed_ask_explains_what_is_wrong(words: list[str], error: str) -> None:
    """A bad /ask gets one sentence the user can act on."""
    with pytest.raises(AskSyntaxError) as raised:
        parse_ask(words)
    assert str(raised.value) == error


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("https://bot.example.org/telegram", "telegram"),
        ("https://bot.example.org/dealdesk/hook/", "dealdesk/hook"),
        ("https://bot.example.org", ""),
        ("https://bot.example.org:8443/tg?x=1", "tg"),
    ],
)
def test_webhook_listens_on_the_public_urls_path(url: str, path: str) -> None:
    """A reverse proxy can forward requests unchanged to the same path."""
    assert webhook_path(url) == path


@pytest.mark.parametrize(("value", "seconds"), [(3, 3.0), (timedelta(seconds=1.5), 1.5)])
def test_retry_after_is_read_as_int_or_timedelta(value: int | timedelta, seconds: float) -> None:
    """PTB 22 gives an int, or a timedelta once PTB_TIMEDELTA is set; both mean seconds."""
    assert retry_seconds(value) == seconds


def test_hidden_secret_is_masked_in_any_logger_message_and_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A secret is masked wherever it shows up: message, arguments, or exception text."""
    secret = "777:hidden-in-any-logger"
    hide_in_logs(secret)
    caplog.set_level(logging.DEBUG)
    some_library = logging.getLogger("some.library")
    some_library.debug("URL is https://host/bot%s/getMe", secret)
    try:
        raise RuntimeError(f"token {secret} rejected")
    except RuntimeError:
        some_library.exception("failed")
    assert secret not in caplog.text
    assert "https://host/bot[secret]/getMe" in caplog.text
    assert "RuntimeError: token [secret] rejected" in caplog.text
