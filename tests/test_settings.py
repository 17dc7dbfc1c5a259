"""Configuration: environment parsing and secrets that never show."""

from pathlib import Path

import pytest

from config import Settings


def test_nested_settings_and_comma_lists_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """DEALDESK_TELEGRAM__ALLOWED_CHATS=1,-100 becomes a list of ints."""
    monkeypatch.setenv("DEALDESK_TELEGRAM__ALLOWED_CHATS", "1, -100")
    monkeypatch.setenv("DEALDESK_SLACK__ALLOWED_CHANNELS", "C1,C2")
    monkeypatch.setenv("DEALDESK_RETRIEVAL__K", "7")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.telegram.allowed_chats == [1, -100]
    assert settings.slack.allowed_channels == ["C1", "C2"]
    assert settings.retrieval.k == 7


def test_secrets_from_a_dotenv_file_never_appear_in_repr_or_dump(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tokens are SecretStr: printing or dumping the settings shows stars, not the token."""
    env = tmp_path / ".env"
    env.write_text(
        "DEALDESK_TELEGRAM__TOKEN=123:telegram-secret\nDEALDESK_LLM__API_KEY=sk-llm-secret\n"
        "DEALDESK_SLACK__BOT_TOKEN=xoxb-slack-secret\n",
        encoding="utf-8",
    )
    settings = Settings(_env_file=env)  # type: ignore[call-arg]
    shown = repr(settings) + str(settings.model_dump()) + settings.model_dump_json()
    for secret in ("telegram-secret", "sk-llm-secret", "xoxb-slack-secret"):
        assert secret not in shown
    assert settings.telegram.token is not None
    assert settings.telegram.token.get_secret_value() == "123:telegram-secret"


def test_invalid_setting_is_reported_by_the_cli_in_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bad value gives exit code 2 and names the setting."""
    from bot.cli import main

    monkeypatch.setenv("DEALDESK_RETRIEVAL__K", "many")
    assert main(["stats"]) == 2
    assert "retrieval.k" in capsys.readouterr().err
