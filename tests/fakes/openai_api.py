"""A fake OpenAI-compatible chat.completions endpoint on 127.0.0.1 for the real `ChatOpenAI`.

It speaks what vLLM, a llama.cpp server and OpenAI itself speak: `POST /v1/chat/completions`
answered with one `chat.completion` JSON, or with `stream: true` as SSE `data: {chunk}` lines,
a last chunk with `choices: []` and the usage when `stream_options.include_usage` asks for it,
then `data: [DONE]`. What the model says is scripted per test (see `ChatScript`).
"""

import json
import time
from typing import Any

from aiohttp import web

from tests.fakes.chat_script import ChatScript, pieces
from tests.fakes.loopback import LoopbackServer


class FakeOpenAI(ChatScript):
    """Use as a context manager; `base_url` goes into `DEALDESK_LLM__BASE_URL`."""

    def __init__(self) -> None:
        super().__init__()
        self.headers: list[dict[str, str]] = []
        app = web.Application()
        app.router.add_post("/v1/chat/completions", self._completions)
        self._server = LoopbackServer(app)

    def __enter__(self) -> "FakeOpenAI":
        self._server.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.__exit__(None, None, None)

    @property
    def base_url(self) -> str:
        return f"{self._server.url}/v1"

    async def _completions(self, request: web.Request) -> web.StreamResponse:
        body = await request.json()
        self.headers.append(dict(request.headers))
        try:
            text = self.next_text(body)
        except AssertionError as exc:
            return web.json_response(
                {"error": {"message": str(exc), "type": "server_error"}}, status=500
            )
        usage = {
            "prompt_tokens": sum(len(str(m["content"]).split()) for m in body["messages"]),
            "completion_tokens": len(text.split()),
        }
        usage["total_tokens"] = usage["prompt_tokens"] + usage["completion_tokens"]
        base = {"id": "chatcmpl-fake", "created": int(time.time()), "model": body["model"]}
        if not body.get("stream"):
            return web.json_response(
                base
                | {
                    "object": "chat.completion",
                    "choices": [
                        {
                            "index": 0,
                            "message": {"role": "assistant", "content": text},
                            "finish_reason": "stop",
                        }
                    ],
                    "usage": usage,
                }
            )
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await response.prepare(request)

        async def send(data: dict[str, Any] | str) -> None:
            payload = data if isinstance(data, str) else json.dumps(data)
            await response.write(f"data: {payload}\n\n".encode())

        def chunk(delta: dict[str, str], finish: str | None = None) -> dict[str, Any]:
            choice = {"index": 0, "delta": delta, "finish_reason": finish}
            return base | {"object": "chat.completion.chunk", "choices": [choice]}

        await send(chunk({"role": "assistant", "content": ""}))
        for piece in pieces(text):
            await send(chunk({"content": piece}))
        await send(chunk({}, "stop"))
        if body.get("stream_options", {}).get("include_usage"):
            await send(base | {"object": "chat.completion.chunk", "choices": [], "usage": usage})
        await send("[DONE]")
        await response.write_eof()
        return response
