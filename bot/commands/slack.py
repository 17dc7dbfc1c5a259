"""`dealdesk slack`: run the Slack bot, in Socket Mode or as an Events API endpoint."""

import argparse
import asyncio
import signal
import sys

from pydantic import SecretStr

from config import Settings, SlackSettings

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 3000


def register(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    slack = subparsers.add_parser(
        "slack",
        help="run the Slack bot (Socket Mode, or HTTP at /slack/events)",
        description="Answer @-mentions in their thread and direct messages in the DM. Needs "
        "DEALDESK_SLACK__BOT_TOKEN (xoxb-…) and either DEALDESK_SLACK__APP_TOKEN (xapp-…, Socket "
        "Mode: no public URL needed) or DEALDESK_SLACK__SIGNING_SECRET (HTTP mode: Slack posts "
        "events to http://HOST:PORT/slack/events, usually behind a reverse proxy). "
        "DEALDESK_SLACK__ALLOWED_CHANNELS limits the channels it answers in. See docs/slack.md.",
    )
    slack.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"HTTP mode: address to listen on (default {DEFAULT_HOST}, for a reverse proxy or "
        "tunnel on this machine; 0.0.0.0 to listen on every interface)",
    )
    slack.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help=f"HTTP mode: port to listen on (default {DEFAULT_PORT}; 0 picks a free one)",
    )
    slack.set_defaults(handler=run_slack)


def _is_set(value: SecretStr | None) -> bool:
    return bool(value and value.get_secret_value().strip())


def missing_variables(slack: SlackSettings) -> list[str]:
    """The variables the chosen mode still needs: the app token picks Socket Mode, which needs
    no signing secret; without it, HTTP mode does."""
    missing = [] if _is_set(slack.bot_token) else ["DEALDESK_SLACK__BOT_TOKEN"]
    if not _is_set(slack.app_token) and not _is_set(slack.signing_secret):
        missing.append("DEALDESK_SLACK__SIGNING_SECRET")
    return missing


def wrong_kind_of_token(slack: SlackSettings) -> list[str]:
    """Pasting the app token where the bot token belongs is the classic set-up slip."""
    problems = []
    if slack.bot_token and not slack.bot_token.get_secret_value().startswith("xoxb-"):
        problems.append("DEALDESK_SLACK__BOT_TOKEN must be a bot token (xoxb-…)")
    if slack.app_token and not slack.app_token.get_secret_value().startswith("xapp-"):
        problems.append("DEALDESK_SLACK__APP_TOKEN must be an app-level token (xapp-…)")
    return problems


def run_slack(settings: Settings, args: argparse.Namespace) -> int:
    missing = missing_variables(settings.slack)
    if missing:
        them = "them" if len(missing) > 1 else "it"
        print(
            f"dealdesk slack: missing {' and '.join(missing)}. Set {them} in the environment or "
            ".env "
            "(Socket Mode needs DEALDESK_SLACK__BOT_TOKEN and DEALDESK_SLACK__APP_TOKEN; HTTP "
            "mode needs DEALDESK_SLACK__BOT_TOKEN and DEALDESK_SLACK__SIGNING_SECRET). "
            "See docs/slack.md.",
            file=sys.stderr,
        )
        return 2
    problems = wrong_kind_of_token(settings.slack)
    if problems:
        print(f"dealdesk slack: {'; '.join(problems)}.", file=sys.stderr)
        return 2

    from bot.compose import build_desk
    from bot.slack import serve

    def ready(where: str) -> None:
        print(f"dealdesk slack: {where} (Ctrl-C to stop)", flush=True)

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await serve(settings, desk, args.host, args.port, ready, stop)

    desk = build_desk(settings)
    try:
        desk.warm_up()
        asyncio.run(main())
    finally:
        desk.close()
    return 0
