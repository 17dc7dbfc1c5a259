"""`dealdesk telegram`: run the Telegram bot, by long polling or as a webhook server."""

import argparse
import sys

from config import Settings

NO_TOKEN = """\
dealdesk telegram: no bot token configured.

To get one:
  1. In Telegram, open a chat with @BotFather and send /newbot.
  2. Choose a name and a username ending in "bot"; BotFather replies with a token
     like 123456789:AA...
  3. Put it in the environment or in .env:
       DEALDESK_TELEGRAM__TOKEN=123456789:AA...
Then run `dealdesk telegram` again."""


def register(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = subparsers.add_parser(
        "telegram",
        help="run the Telegram bot (long polling, or --webhook)",
        description="Answer questions in Telegram. Long polling by default; with --webhook, "
        "listen for updates that Telegram posts to --url (put HTTPS in front, e.g. a reverse "
        "proxy). Needs DEALDESK_TELEGRAM__TOKEN; see README.",
    )
    parser.add_argument(
        "--webhook", action="store_true", help="receive updates by webhook instead of polling"
    )
    parser.add_argument(
        "--listen",
        default="127.0.0.1",
        help="address the webhook server binds (default 127.0.0.1; 0.0.0.0 for all)",
    )
    parser.add_argument(
        "--port", type=int, default=8443, help="port of the webhook server (default 8443)"
    )
    parser.add_argument(
        "--url", help="public HTTPS URL Telegram posts updates to (required with --webhook)"
    )
    parser.set_defaults(handler=run_telegram)


def run_telegram(settings: Settings, args: argparse.Namespace) -> int:
    token = settings.telegram.token
    if token is None or not token.get_secret_value().strip():
        print(NO_TOKEN, file=sys.stderr)
        return 2
    if args.webhook and not args.url:
        print(
            "dealdesk telegram: --webhook needs --url, the public HTTPS address Telegram "
            "posts updates to (e.g. https://bot.example.org/telegram)",
            file=sys.stderr,
        )
        return 2

    from bot.compose import build_desk
    from bot.telegram import WebhookOptions, serve

    webhook = WebhookOptions(args.url, args.listen, args.port) if args.webhook else None
    desk = build_desk(settings)
    try:
        serve(desk, settings.telegram, webhook)
    finally:
        desk.close()
    return 0
