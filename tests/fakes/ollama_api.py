"""A fake Ollama server on 127.0.0.1 for the real `ChatOllama`.

`ChatOllama` always streams, even for `invoke`: `POST /api/chat` is answered with NDJSON, one
`{"message": {"content": piece}, "done": false}` line per piece and a last line with
`"done": true` and the eval counts. What the model says is scripted per test (`ChatScript`).
"""

import json
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from tests.fakes.chat_script import ChatScript, pieces
from tests.fakes.loopback import LoopbackServer


class FakeOllama(ChatScript):
    """Use as a context manager; `base_url` goes into `DEALDESK_LLM__BASE_URL`."""

    def __init__(self) -> None:
        super().__init__()
        app = web.Application()
        app.router.add_post("/api/chat", self._chat)
        self._server = LoopbackServer(app)

    def __enter__(self) -> "FakeOllama":
        self._server.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.__exit__(None, None, None)

    @property
    def base_url(self) -> str:
        return self._server.url

    async def _chat(self, request: web.Request) -> web.StreamResponse:
        body = await request.json()
        try:
            text = self.next_text(body)
        except AssertionError as exc:
            return web.json_response({"error": str(exc)}, status=500)
        response = web.StreamResponse(headers={"Content-Type": "application/x-ndjson"})
        await response.prepare(request)

        async def send(line: dict[str, Any]) -> None:
            stamp = datetime.now(UTC).isoformat()
            await response.write(
                (json.dumps({"model": body["model"], "created_at": stamp} | line) + "\n").encode()
            )

        for piece in pieces(text):
            await send({"message": {"role": "assistant", "content": piece}, "done": False})
        await send(
            {
                "message": {"role": "assistant", "content": ""},
                "done": True,
                "done_reason": "stop",
                "total_duration": 1_000_000,
                "prompt_eval_count": sum(len(m["content"].split()) for m in body["messages"]),
                "eval_count": len(text.split()),
            }
        )
        await response.write_eof()
        return response
