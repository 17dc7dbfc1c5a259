"""The Telegram front end: a thin adapter from updates to `DealDesk` answers.

Run it with `dealdesk telegram` (long polling), or behind HTTPS with
`dealdesk telegram --webhook --listen 0.0.0.0 --port 8443 --url https://bot.example.org/telegram`.
Configuration comes from DEALDESK_TELEGRAM__* (token, api_base_url, allowed_chats, webhook_secret,
rate_limit_per_minute).

- `app`: builds the `Application` and runs it (polling or webhook).
- `handlers`: one short function per command; they call the core and `bot.format_telegram`.
- `sending`: HTML with a plain-text fallback, long texts in parts, "typing…".
- `transport`: PTB's `AIORateLimiter` for 429s, backoff for network errors, outage reports.
- `chats`: which conversation a message belongs to; answers behind "Show sources".
"""

from bot.telegram.app import ALLOWED_UPDATES, build_application, serve, webhook_path
from bot.telegram.handlers import COMMANDS
from bot.telegram.options import BotOptions, WebhookOptions

__all__ = [
    "ALLOWED_UPDATES",
    "COMMANDS",
    "BotOptions",
    "WebhookOptions",
    "build_application",
    "serve",
    "webhook_path",
]
