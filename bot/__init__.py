"""The answer core and its front ends (console, Telegram, Slack)."""
