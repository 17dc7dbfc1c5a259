"""A fake Telegram Bot API on 127.0.0.1, for driving the real python-telegram-bot client.

It speaks the wire format PTB uses (POST /bot<TOKEN>/<method>, form-encoded bodies whose
non-string values are JSON), queues updates for `getUpdates` long polls, records every call,
and can be told to answer the next call of a method with an error Telegram really sends:
400 "can't parse entities", 429 with `retry_after`, or 502.
"""

import asyncio
import itertools
import json
import re
import socket
import time
from collections import defaultdict, deque
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

# Parameters PTB sends as plain strings; every other value arrives JSON-encoded.
_STRING_PARAMS = frozenset(
    {"text", "parse_mode", "action", "callback_query_id", "url", "secret_token", "ip_address"}
)
_MENTION = re.compile(r"@\w+")


@dataclass
class Call:
    """One request the bot made, with its decoded parameters and the status we answered."""

    method: str
    params: dict[str, Any]
    status: int = 200
    result: Any = None

    def __getitem__(self, key: str) -> Any:
        return self.params[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.params.get(key, default)


@dataclass
class _Failure:
    status: int
    description: str
    parameters: dict[str, Any] = field(default_factory=dict)


def _utf16_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-16-le")) // 2


def entities_for(text: str) -> list[dict[str, Any]]:
    """The entities Telegram attaches: a leading bot command and @mentions (UTF-16 offsets)."""
    entities = []
    if text.startswith("/"):
        command = text.split(maxsplit=1)[0]
        entities.append(
            {"type": "bot_command", "offset": 0, "length": _utf16_offset(command, len(command))}
        )
    for match in _MENTION.finditer(text):
        start = _utf16_offset(text, match.start())
        entities.append(
            {
                "type": "mention",
                "offset": start,
                "length": _utf16_offset(match.group(), len(match.group())),
            }
        )
    return entities


class FakeTelegramAPI:
    """The Bot API methods the bot uses, served on a free loopback port."""

    def __init__(self, token: str, username: str = "dealdesk_test_bot", bot_id: int = 4242) -> None:
        self.token = token
        self.bot_user = {
            "id": bot_id,
            "is_bot": True,
            "first_name": "DealDesk",
            "username": username,
        }
        self.calls: list[Call] = []
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._chats: dict[int, dict[str, Any]] = {}
        self._failures: dict[str, deque[_Failure]] = defaultdict(deque)
        self._changed = asyncio.Event()
        self._closing = False
        self._runner: web.AppRunner | None = None
        self.port = 0

    @property
    def username(self) -> str:
        return str(self.bot_user["username"])

    @property
    def base_url(self) -> str:
        """What `ApplicationBuilder().base_url()` takes; PTB appends the token."""
        return f"http://127.0.0.1:{self.port}/bot"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None and server.sockets
        self.port = server.sockets[0].getsockname()[1]

    def release_polls(self) -> None:
        """Answer pending long polls now, so shutting the bot down does not wait for them."""
        self._closing = True
        self._notify()

    async def stop(self) -> None:
        self.release_polls()
        if self._runner is not None:
            await self._runner.cleanup()

    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    # Failure injection.

    def fail_next(self, method: str, failure: _Failure, times: int = 1) -> None:
        self._failures[method.lower()].extend([failure] * times)

    def refuse_entities_next(self, method: str = "sendMessage") -> None:
        """Answer the next `method` call the way Telegram answers malformed HTML."""
        description = (
            'Bad Request: can\'t parse entities: Unsupported start tag "x" at byte offset 0'
        )
        self.fail_next(method, _Failure(400, description))

    def flood_next(self, method: str = "sendMessage", retry_after: int = 1) -> None:
        """Answer the next `method` call with Telegram's flood control (429)."""
        description = f"Too Many Requests: retry after {retry_after}"
        self.fail_next(method, _Failure(429, description, {"retry_after": retry_after}))

    def bad_gateway_next(self, method: str = "sendMessage", times: int = 1) -> None:
        self.fail_next(method, _Failure(502, "Bad Gateway"), times)

    # Updates, as Telegram would deliver them.

    def push(self, update: dict[str, Any]) -> dict[str, Any]:
        update = {"update_id": next(self._update_ids), **update}
        self._updates.append(update)
        self._notify()
        return update

    def user_message(
        self,
        chat_id: int,
        text: str,
        *,
        chat_type: str = "private",
        user_id: int | None = None,
        reply_to: dict[str, Any] | None = None,
        topic: int | None = None,
    ) -> dict[str, Any]:
        """A message from a user, with the entities Telegram would attach; not yet delivered."""
        user_id = user_id if user_id is not None else chat_id
        chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
        if chat_type == "private":
            chat["first_name"] = f"User{user_id}"
        else:
            chat["title"] = f"Group {chat_id}"
        if topic is not None:
            chat["is_forum"] = True
        self._chats[chat_id] = chat
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"},
            "text": text,
        }
        if entities := entities_for(text):
            message["entities"] = entities
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        if topic is not None:
            message["message_thread_id"] = topic
            message["is_topic_message"] = True
        return message

    def send_text(self, chat_id: int, text: str, **kwargs: Any) -> dict[str, Any]:
        """Deliver a user's message to the bot; returns the message."""
        message = self.user_message(chat_id, text, **kwargs)
        self.push({"message": message})
        return message

    def press_button(self, message: dict[str, Any], data: str, user_id: int | None = None) -> None:
        """Deliver a press of an inline button under one of the bot's messages."""
        user_id = user_id if user_id is not None else message["chat"]["id"]
        query = {
            "id": str(next(self._update_ids) * 1000),
            "from": {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"},
            "chat_instance": f"ci{message['chat']['id']}",
            "data": data,
            "message": message,
        }
        self.push({"callback_query": query})

    # Inspection.

    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def messages_to(self, chat_id: int) -> list[Call]:
        """Messages the bot sent successfully into one chat."""
        return [
            c for c in self.calls_to("sendMessage") if c.status == 200 and c["chat_id"] == chat_id
        ]

    async def wait_for(
        self, predicate: Callable[[list[Call]], bool], within_s: float = 15.0
    ) -> None:
        """Wait until the recorded calls satisfy `predicate`; fail the test on timeout."""
        deadline = time.monotonic() + within_s
        while not predicate(self.calls):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                summary = [(c.method, c.status, c.params) for c in self.calls]
                raise AssertionError(f"timed out waiting for calls; got {summary}")
            changed = self._changed
            try:
                await asyncio.wait_for(changed.wait(), remaining)
            except TimeoutError:
                continue

    async def wait_for_messages(
        self, chat_id: int, count: int = 1, within_s: float = 15.0
    ) -> list[Call]:
        await self.wait_for(lambda _: len(self.messages_to(chat_id)) >= count, within_s)
        return self.messages_to(chat_id)

    # The HTTP side.

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        form = await request.post()
        call = Call(method, {key: _decode(key, str(value)) for key, value in form.items()})
        self.calls.append(call)
        self._notify()
        failure = self._failure_for(call, request.match_info["token"])
        if failure is not None:
            call.status = failure.status
            self._notify()
            return _error(failure.status, failure.description, failure.parameters)
        if method.lower() == "getupdates":
            return _ok(await self._get_updates(call.params))
        call.result = getattr(self, f"_{method.lower()}")(call.params)
        self._notify()
        return _ok(call.result)

    def _failure_for(self, call: Call, token: str) -> _Failure | None:
        """What Telegram would answer instead of success: bad token, unknown method, or a
        failure the test queued."""
        if token != self.token:
            return _Failure(401, "Unauthorized")
        if not hasattr(self, f"_{call.method.lower()}") and call.method.lower() != "getupdates":
            return _Failure(404, "Not Found: method not found")
        queued = self._failures.get(call.method.lower())
        return queued.popleft() if queued else None

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset", 0))
        self._updates = [u for u in self._updates if u["update_id"] >= offset]
        deadline = time.monotonic() + float(params.get("timeout", 0))
        while not self._updates and not self._closing:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            changed = self._changed
            try:
                await asyncio.wait_for(changed.wait(), remaining)
            except TimeoutError:
                break
        return list(self._updates[: int(params.get("limit", 100))])

    def _getme(self, params: dict[str, Any]) -> dict[str, Any]:
        return {**self.bot_user, "can_join_groups": True, "can_read_all_group_messages": False}

    def _bot_message(self, params: dict[str, Any], message_id: int | None = None) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        message: dict[str, Any] = {
            "message_id": message_id if message_id is not None else next(self._message_ids),
            "date": int(time.time()),
            "chat": self._chats.get(chat_id, {"id": chat_id, "type": "private"}),
            "from": self.bot_user,
            "text": params["text"],
        }
        if "reply_markup" in params:
            message["reply_markup"] = params["reply_markup"]
        if "message_thread_id" in params:
            message["message_thread_id"] = params["message_thread_id"]
            message["is_topic_message"] = True
        return message

    def _sendmessage(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._bot_message(params)

    def _editmessagetext(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._bot_message(params, int(params["message_id"]))

    def _sendchataction(self, params: dict[str, Any]) -> bool:
        return True

    def _answercallbackquery(self, params: dict[str, Any]) -> bool:
        return True

    def _setmycommands(self, params: dict[str, Any]) -> bool:
        return True

    def _deletewebhook(self, params: dict[str, Any]) -> bool:
        return True

    def _setwebhook(self, params: dict[str, Any]) -> bool:
        return True


def _decode(key: str, value: str) -> Any:
    if key in _STRING_PARAMS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _ok(result: Any) -> web.Response:
    return web.json_response({"ok": True, "result": result})


def _error(status: int, description: str, parameters: dict[str, Any] | None = None) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return web.json_response(body, status=status)


@asynccontextmanager
async def fake_telegram(token: str) -> AsyncIterator[FakeTelegramAPI]:
    api = FakeTelegramAPI(token)
    await api.start()
    try:
        yield api
    finally:
        await api.stop()


@asynccontextmanager
async def polling(app: Any, api: FakeTelegramAPI) -> AsyncIterator[None]:
    """Run an `Application` as `run_polling` does (post_init included, polling errors to the
    application's error handlers), in the test's loop."""

    def error_callback(exc: Exception) -> None:
        app.create_task(app.process_error(error=exc, update=None))

    async with app:
        if app.post_init:
            await app.post_init(app)
        await app.updater.start_polling(poll_interval=0, error_callback=error_callback)
        await app.start()
        try:
            yield
        finally:
            api.release_polls()
            await app.updater.stop()
            await app.stop()
    if app.post_shutdown:
        await app.post_shutdown(app)


@asynccontextmanager
async def webhook(app: Any, port: int, url_path: str, secret: str) -> AsyncIterator[None]:
    """Run an `Application` as `run_webhook` does, serving http://127.0.0.1:port/url_path."""
    async with app:
        if app.post_init:
            await app.post_init(app)
        await app.updater.start_webhook(
            listen="127.0.0.1",
            port=port,
            url_path=url_path,
            webhook_url=f"http://127.0.0.1:{port}/{url_path}",
            secret_token=secret,
        )
        await app.start()
        try:
            yield
        finally:
            await app.updater.stop()
            await app.stop()
    if app.post_shutdown:
        await app.post_shutdown(app)


def free_port() -> int:
    """A loopback port that was free a moment ago (PTB's webhook server needs a number)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port
