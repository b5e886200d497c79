"""A scripted stand-in for the Anthropic Messages API, for the real SDK over
`httpx2.MockTransport` (no network). Import with `from claude_fake import ...`.

Each request takes the next reply of the script; the last reply repeats. A reply is an
`httpx2.Response`, an exception to raise (e.g. `httpx2.ReadTimeout`), or a callable taking
the request and returning either.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import httpx2

from leadletter_tui.ai.claude_client import ClaudeClient, RetryPolicy

KEY = "sk-ant-test-NOT-A-REAL-KEY-123"


@dataclass
class Seen:
    headers: dict[str, str]
    body: dict[str, Any]

    @property
    def system_text(self) -> str:
        return "\n".join(b["text"] for b in self.body.get("system", []))

    @property
    def user_text(self) -> str:
        content = self.body["messages"][0]["content"]
        return content if isinstance(content, str) else json.dumps(content)


class FakeClaude:
    def __init__(self, *script: Any) -> None:
        self.script = list(script)
        self.requests: list[Seen] = []

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(Seen(dict(request.headers), json.loads(request.content)))
        reply = self.script.pop(0) if len(self.script) > 1 else self.script[0]
        if callable(reply) and not isinstance(reply, httpx2.Response):
            reply = reply(request)
        if isinstance(reply, BaseException):
            raise reply
        return reply

    def http_client(self) -> httpx2.AsyncClient:
        return httpx2.AsyncClient(transport=httpx2.MockTransport(self))

    def client(self, **kwargs: Any) -> ClaudeClient:
        kwargs.setdefault("api_key", KEY)
        return ClaudeClient(http_client=self.http_client(), **kwargs)


def tool_reply(name: str, data: dict[str, Any], *, stop: str = "tool_use",
               tool_id: str = "toolu_01") -> httpx2.Response:
    return httpx2.Response(200, json={
        "id": "msg_01", "type": "message", "role": "assistant", "model": "claude-test",
        "content": [{"type": "tool_use", "id": tool_id, "name": name, "input": data}],
        "stop_reason": stop, "stop_sequence": None,
        "usage": {"input_tokens": 1200, "output_tokens": 90,
                  "cache_creation_input_tokens": 0, "cache_read_input_tokens": 1100}})


def text_reply(text: str) -> httpx2.Response:
    return httpx2.Response(200, json={
        "id": "msg_02", "type": "message", "role": "assistant", "model": "claude-test",
        "content": [{"type": "text", "text": text}], "stop_reason": "end_turn",
        "stop_sequence": None, "usage": {"input_tokens": 10, "output_tokens": 10}})


def error_reply(status: int, message: str = "boom", headers: dict | None = None,
                kind: str = "api_error") -> httpx2.Response:
    return httpx2.Response(status, headers=headers or {}, json={
        "type": "error", "error": {"type": kind, "message": message}})


FAST = RetryPolicy(max_retries=2, base_delay=0.01, max_delay=0.05)
