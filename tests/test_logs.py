"""Logging as the CLI sets it up: secrets masked in every record, whichever library wrote it;
one line per failure at the default level; no escape sequences; state restored afterwards."""

import io
import logging
import warnings

import pytest
from pydantic import SecretStr

from bot.commands.output import print_error
from bot.logs import SecretMask, cli_logging, hide_secret, secret_values
from config import LLMSettings, Settings, SlackSettings, TelegramSettings

SECRET = "777:hidden-in-any-logger"


def _fail(logger: logging.Logger, message: str) -> None:
    try:
        raise RuntimeError(f"token {SECRET} rejected")
    except RuntimeError:
        logger.exception(message)


def test_secret_is_masked_in_any_loggers_message_arguments_and_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Installed on a handler, the mask catches the secret in a message, its arguments and
    an exception's text, from any logger; in URL-quoted form too."""
    caplog.handler.addFilter(SecretMask([SECRET]))
    caplog.set_level(logging.DEBUG)
    some_library = logging.getLogger("some.library")
    some_library.debug("URL is https://host/bot%s/getMe", SECRET)
    some_library.debug("quoted: %s", "777%3Ahidden-in-any-logger")
    _fail(some_library, "failed")
    assert SECRET not in caplog.text and "777%3A" not in caplog.text
    assert "https://host/bot[secret]/getMe" in caplog.text
    assert "quoted: [secret]" in caplog.text
    assert "RuntimeError: token [secret] rejected" in caplog.text


def test_short_values_are_not_treated_as_secrets() -> None:
    """A local server's `api_key=x` would otherwise mask every x in every line."""
    assert SecretMask(["x"]).mask("example text") == "example text"


def test_every_secret_setting_is_found() -> None:
    """Tokens, signing secrets and API keys anywhere in the settings are masked."""
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        telegram=TelegramSettings(token=SecretStr("123:telegram-token-value")),
        slack=SlackSettings(signing_secret=SecretStr("slack-signing-value")),
        llm=LLMSettings(api_key=SecretStr("sk-llm-key-value")),
    )
    assert set(secret_values(settings)) == {
        "123:telegram-token-value",
        "slack-signing-value",
        "sk-llm-key-value",
    }


def test_default_level_gives_one_line_per_failure_without_escapes() -> None:
    """A failure is one line with its reason; tracebacks and escape sequences never print."""
    stream = io.StringIO()
    with cli_logging(logging.WARNING, False, [SECRET], stream):
        _fail(logging.getLogger("bot.example"), "answering \x1b[2Jfailed")
        logging.getLogger("bot.example").info("progress is not shown")
    [line] = stream.getvalue().splitlines()
    assert line.endswith(
        "ERROR bot.example: answering failed (RuntimeError: token [secret] rejected)"
    )


def test_verbose_level_shows_tracebacks_and_settings_are_restored() -> None:
    """With -v the traceback follows; afterwards the root logger is as it was."""
    root = logging.getLogger()
    before = (root.level, list(root.handlers), logging.getLogger("httpx").level)
    stream = io.StringIO()
    with cli_logging(logging.INFO, True, [SECRET], stream):
        hide_secret("generated-webhook-secret")
        _fail(logging.getLogger("bot.example"), "failed")
        logging.getLogger("bot.example").info("using generated-webhook-secret")
    assert "Traceback (most recent call last)" in stream.getvalue()
    assert "using [secret]" in stream.getvalue() and SECRET not in stream.getvalue()
    assert (root.level, list(root.handlers), logging.getLogger("httpx").level) == before


def test_errors_we_print_and_library_warnings_are_masked_too(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Our own one-line errors (which quote library messages) and Python warnings, which do
    not pass through a logger, are masked as well."""
    stream = io.StringIO()
    with cli_logging(logging.WARNING, False, [SECRET], stream), warnings.catch_warnings():
        warnings.simplefilter("always")
        print_error(f"dealdesk: The token `{SECRET}` was rejected by the server.")
        warnings.warn(f"calling https://host/bot{SECRET}/getMe", UserWarning, stacklevel=1)
    assert capsys.readouterr().err == (
        "dealdesk: The token `[secret]` was rejected by the server.\n"
    )
    assert "https://host/bot[secret]/getMe" in stream.getvalue()
    assert SECRET not in stream.getvalue()
