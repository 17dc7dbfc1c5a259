"""A fake Slack Web API (and Socket Mode websocket) on 127.0.0.1, for the real Bolt app to talk to.

It records every call, checks the bearer token of each, and answers the few methods dealdesk
uses the way Slack does (`ok`, `error`). For Socket Mode, `apps.connections.open` hands out a
ws://127.0.0.1 URL; the test pushes event envelopes down that socket and sees the acks.
Point a client at it with `AsyncWebClient(token=..., base_url=fake.base_url)`.
"""

import asyncio
import itertools
import json
import time
from dataclasses import dataclass
from typing import Any

from aiohttp import WSMsgType, web
from slack_sdk.signature import SignatureVerifier

BOT_USER_ID = "UDEALBOT"
BOT_ID = "BDEALBOT"
TEAM_ID = "T0DEAL"

_APP_TOKEN_METHODS = frozenset({"apps.connections.open"})
WAIT_S = 60.0
"""How long a test waits for an expected call before failing; generous for slow machines."""


@dataclass
class SlackCall:
    """One Web API call as the fake received it; `args` merges query, form and JSON fields."""

    method: str
    args: dict[str, Any]
    token: str | None


def sign(signing_secret: str, body: bytes, timestamp: int | None = None) -> dict[str, str]:
    """Headers for an Events API POST, signed the way Slack signs them (v0 HMAC-SHA256)."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(signing_secret).generate_signature(timestamp=stamp, body=body)
    assert signature is not None
    return {
        "Content-Type": "application/json",
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": signature,
    }


class FakeSlackAPI:
    """Slack's Web API as far as dealdesk uses it, recording calls for assertions."""

    def __init__(self, bot_token: str, app_token: str | None = None) -> None:
        self.bot_token = bot_token
        self.app_token = app_token
        self.calls: list[SlackCall] = []
        self.failures: dict[str, str] = {}
        """Method -> Slack error code to answer with instead of success."""
        self.statuses: dict[str, list[int]] = {}
        """Method -> HTTP error statuses (a 500 from an outage) for its next calls, in order."""
        self.acks: list[dict[str, Any]] = []
        self._changed = asyncio.Condition()
        self._socket: web.WebSocketResponse | None = None
        self._ts = itertools.count(1)
        self._event_ids: dict[tuple[str, str], str] = {}
        self._runner: web.AppRunner | None = None
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    async def start(self) -> None:
        app = web.Application()
        app.add_routes([web.post("/api/{method}", self._api), web.get("/link", self._websocket)])
        self._runner = web.AppRunner(app, handle_signals=False, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        if self._socket is not None:
            await self._socket.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def __aenter__(self) -> "FakeSlackAPI":
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    def calls_to(self, method: str, **matching: Any) -> list[SlackCall]:
        """Calls of `method` whose args contain all of `matching`."""
        return [
            call
            for call in self.calls
            if call.method == method
            and all(call.args.get(key) == value for key, value in matching.items())
        ]

    async def wait_for(self, method: str, count: int = 1, **matching: Any) -> list[SlackCall]:
        """Block until `count` matching calls have arrived; fail loudly after `WAIT_S`."""

        def enough() -> bool:
            return len(self.calls_to(method, **matching)) >= count

        async with self._changed:
            try:
                await asyncio.wait_for(self._changed.wait_for(enough), WAIT_S)
            except TimeoutError:
                raise AssertionError(
                    f"expected {count} {method} call(s) matching {matching}; got "
                    f"{[c.args for c in self.calls_to(method)]}"
                ) from None
        return self.calls_to(method, **matching)

    async def _record(self, call: SlackCall) -> None:
        async with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            args |= await request.json()
        elif request.can_read_body:
            args |= dict(await request.post())
        header = request.headers.get("Authorization", "")
        token = header.removeprefix("Bearer ") if header.startswith("Bearer ") else None
        await self._record(SlackCall(method, args, token))
        expected = self.app_token if method in _APP_TOKEN_METHODS else self.bot_token
        if token != expected:
            return web.json_response({"ok": False, "error": "invalid_auth"})
        if self.statuses.get(method):
            status = self.statuses[method].pop(0)
            return web.json_response({"ok": False, "error": "internal_error"}, status=status)
        if method in self.failures:
            return web.json_response({"ok": False, "error": self.failures[method]})
        return web.json_response(self._result(method, args, request))

    def _result(self, method: str, args: dict[str, Any], request: web.Request) -> dict[str, Any]:
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://dealdesk-test.slack.com/",
                "team": "Deal Desk Test",
                "team_id": TEAM_ID,
                "user": "dealdesk",
                "user_id": BOT_USER_ID,
                "bot_id": BOT_ID,
                "is_enterprise_install": False,
            }
        if method == "chat.postMessage":
            ts = f"{2_000_000_000 + next(self._ts)}.000100"
            message = {"type": "message", "user": BOT_USER_ID, "bot_id": BOT_ID, "ts": ts}
            message |= {k: args[k] for k in ("text", "blocks", "thread_ts") if k in args}
            return {"ok": True, "channel": args.get("channel"), "ts": ts, "message": message}
        if method == "apps.connections.open":
            return {"ok": True, "url": f"ws://127.0.0.1:{request.url.port}/link?ticket=fake"}
        if method in {"reactions.add", "reactions.remove"}:
            return {"ok": True}
        return {"ok": False, "error": "unknown_method"}

    # Socket Mode

    async def _websocket(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse(autoping=True)
        await socket.prepare(request)
        await socket.send_json(
            {"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A0DEAL"}}
        )
        async with self._changed:
            self._socket = socket
            self._changed.notify_all()
        async for message in socket:
            if message.type == WSMsgType.TEXT:
                async with self._changed:
                    self.acks.append(json.loads(message.data))
                    self._changed.notify_all()
        return socket

    async def push_event(self, event: dict[str, Any], retry_attempt: int = 0) -> str:
        """Send an Events API envelope over the socket, as Slack does; returns its envelope id.
        A redelivery of the same event (channel and ts) carries the same event_id, as Slack's."""
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(lambda: self._socket is not None), WAIT_S)
        assert self._socket is not None
        envelope_id = f"env-{next(self._ts)}"
        key = (str(event.get("channel")), str(event.get("ts")))
        await self._socket.send_json(
            {
                "envelope_id": envelope_id,
                "type": "events_api",
                "accepts_response_payload": False,
                "retry_attempt": retry_attempt,
                "retry_reason": "timeout" if retry_attempt else "",
                "payload": event_callback(event, self._event_ids.setdefault(key, new_event_id())),
            }
        )
        return envelope_id

    async def wait_for_ack(self, envelope_id: str) -> dict[str, Any]:
        def acked() -> bool:
            return any(ack.get("envelope_id") == envelope_id for ack in self.acks)

        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(acked), WAIT_S)
        return next(ack for ack in self.acks if ack.get("envelope_id") == envelope_id)


_event_ids = itertools.count(1)


def new_event_id() -> str:
    return f"Ev{next(_event_ids):08d}"


def event_callback(event: dict[str, Any], event_id: str | None = None) -> dict[str, Any]:
    """Wrap an event the way the Events API delivers it; redeliveries pass the first one's id."""
    return {
        "token": "legacy-verification-token",
        "team_id": TEAM_ID,
        "api_app_id": "A0DEAL",
        "event": event,
        "type": "event_callback",
        "event_id": event_id or new_event_id(),
        "event_time": int(time.time()),
        "authorizations": [
            {
                "team_id": TEAM_ID,
                "user_id": BOT_USER_ID,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
    }
