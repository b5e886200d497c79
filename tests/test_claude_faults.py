"""Fault paths of the Claude client with the real SDK: retries are bounded and timed, a
server cannot make us wait for hours, and every failure is one line without the key."""

from __future__ import annotations

import asyncio
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx2
import pytest
from claude_fake import FAST, KEY, FakeClaude, error_reply, tool_reply

from leadletter_tui.ai.claude import ClaudeCategoriser
from leadletter_tui.ai.claude_client import ClaudeClient, RetryPolicy, parse_retry_after
from leadletter_tui.ai.errors import KEY_REJECTED, AIAuthError, AIError
from leadletter_tui.domain.categories import Category
from leadletter_tui.domain.research import PageResearch

PAGE = PageResearch(domain="acme.test", url="https://acme.test/", ok=True,
                    title="Acme Plumbing", text="Emergency plumbers in Leeds since 1987.")
OK = tool_reply("record_category", {"category": "home_services"})


async def ask(client: ClaudeClient):
    return await ClaudeCategoriser(client, "claude-haiku-5-5").categorise(PAGE, PAGE.domain)


def one_line_without_key(exc: BaseException) -> str:
    text = str(exc)
    assert "\n" not in text and KEY not in text and "Traceback" not in text
    return text


async def test_529_twice_then_success_with_the_default_backoff():
    fake = FakeClaude(error_reply(529, "Overloaded", kind="overloaded_error"),
                      error_reply(529, "Overloaded", kind="overloaded_error"), OK)
    client = fake.client()  # default policy: 2 retries, 0.5 s then 1 s (x 0.75-1 jitter)
    await client.ready()  # the SDK import (1-2 s) is not part of the retry timing
    start = time.perf_counter()
    guess = await ask(client)
    elapsed = time.perf_counter() - start
    assert guess.category is Category.HOME_SERVICES
    assert len(fake.requests) == 3 and client.usage.requests == 3
    assert 1.1 <= elapsed < 2.5, elapsed  # 0.375-0.5 s + 0.75-1 s of backoff


async def test_401_is_one_line_and_not_retried():
    fake = FakeClaude(error_reply(401, "invalid x-api-key", kind="authentication_error"))
    with pytest.raises(AIAuthError) as info:
        await ask(fake.client())
    assert one_line_without_key(info.value) == KEY_REJECTED
    assert info.value.retryable is False
    assert len(fake.requests) == 1


async def test_persistent_500_is_bounded():
    fake = FakeClaude(error_reply(500, "Internal server error"))
    client = fake.client()
    await client.ready()
    start = time.perf_counter()
    with pytest.raises(AIError) as info:
        await ask(client)
    elapsed = time.perf_counter() - start
    assert one_line_without_key(info.value) == "Claude is unavailable (HTTP 500) after 3 tries"
    assert info.value.retryable and info.value.attempts == 3
    assert len(fake.requests) == 3
    assert 1.1 <= elapsed < 2.5, elapsed


async def test_backoff_doubles_with_jitter_and_is_capped():
    delays: list[float] = []

    async def record(seconds: float) -> None:
        delays.append(seconds)

    fake = FakeClaude(error_reply(503, "unavailable"))
    client = fake.client(retry=RetryPolicy(max_retries=6, base_delay=0.5, max_delay=8.0),
                         sleep=record)
    with pytest.raises(AIError, match=r"HTTP 503\) after 7 tries"):
        await ask(client)
    ideal = [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]
    assert len(delays) == 6
    assert all(0.75 * want <= got <= want for got, want in zip(delays, ideal)), delays


async def test_a_long_retry_after_ends_the_call_instead_of_waiting():
    fake = FakeClaude(error_reply(429, "rate limited", {"retry-after": "86400"}), OK)
    start = time.perf_counter()
    with pytest.raises(AIError) as info:
        await ask(fake.client())
    assert time.perf_counter() - start < 1.0
    assert one_line_without_key(info.value) == (
        "Claude asked to wait 24 h before trying again (HTTP 429); try later")
    assert info.value.retryable and len(fake.requests) == 1


async def test_a_short_retry_after_is_honoured():
    delays: list[float] = []

    async def record(seconds: float) -> None:
        delays.append(seconds)

    fake = FakeClaude(error_reply(429, "slow down", {"retry-after-ms": "50"}),
                      error_reply(529, "busy", {"retry-after": "2"}), OK)
    guess = await ask(fake.client(sleep=record))
    assert guess.category is Category.HOME_SERVICES
    assert delays == [0.05, 2.0]


def test_retry_after_parsing():
    h = httpx2.Headers
    assert parse_retry_after(h({"retry-after-ms": "1500"})) == 1.5
    assert parse_retry_after(h({"retry-after": "7"})) == 7.0
    assert parse_retry_after(h({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"})) == 0.0
    assert parse_retry_after(h({"retry-after": "soon"})) is None
    assert parse_retry_after(h({})) is None


async def test_the_server_can_forbid_a_retry():
    fake = FakeClaude(error_reply(500, "do not retry", {"x-should-retry": "false"}), OK)
    with pytest.raises(AIError, match=r"HTTP 500\) after 1 try$"):
        await ask(fake.client())
    assert len(fake.requests) == 1


async def test_a_bad_request_shows_the_api_message_once():
    fake = FakeClaude(error_reply(400, "max_tokens: too large\nsecond line",
                                  kind="invalid_request_error"))
    with pytest.raises(AIError) as info:
        await ask(fake.client())
    assert one_line_without_key(info.value) == (
        "Claude rejected the request (HTTP 400): max_tokens: too large second line")
    assert len(fake.requests) == 1 and not info.value.retryable


async def test_an_unknown_model_names_the_setting():
    fake = FakeClaude(error_reply(404, "model: nope", kind="not_found_error"))
    with pytest.raises(AIError, match="does not offer the model 'claude-haiku-5-5'"):
        await ask(fake.client())


async def test_connection_errors_are_retried_then_reported():
    fake = FakeClaude(httpx2.ConnectError("connection refused"))
    with pytest.raises(AIError) as info:
        await ask(fake.client(retry=FAST))
    assert one_line_without_key(info.value) == (
        "Cannot reach Claude at api.anthropic.com (connection failed, 3 tries)")
    assert len(fake.requests) == 3


async def test_a_transport_timeout_then_success():
    fake = FakeClaude(httpx2.ReadTimeout("slow"), OK)
    guess = await ask(fake.client(retry=FAST))
    assert guess.category is Category.HOME_SERVICES and len(fake.requests) == 2


async def test_cancelling_during_backoff_stops_at_once():
    fake = FakeClaude(error_reply(529, "busy", {"retry-after": "15"}))
    task = asyncio.create_task(ask(fake.client()))
    while not fake.requests:
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.05)
    start = time.perf_counter()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert time.perf_counter() - start < 0.5 and len(fake.requests) == 1


# ----------------------------------------------------------------------------- a real socket

class _Slow(BaseHTTPRequestHandler):
    hits = 0

    def do_POST(self):  # noqa: N802 (the stdlib's name)
        type(self).hits += 1
        self.rfile.read(int(self.headers.get("content-length", 0)))
        time.sleep(1.5)  # longer than the client's timeout
        try:
            self.send_response(500)
            self.end_headers()
        except OSError:
            pass

    def log_message(self, *args):
        pass


@pytest.fixture
def slow_server():
    _Slow.hits = 0
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Slow)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


async def test_timeout_against_a_real_server_via_anthropic_base_url(slow_server, monkeypatch):
    monkeypatch.setenv("ANTHROPIC_BASE_URL", slow_server)  # base_url None: the SDK reads it
    client = ClaudeClient(api_key=KEY, timeout=0.3,
                          retry=RetryPolicy(max_retries=1, base_delay=0.01))
    await client.ready()
    start = time.perf_counter()
    with pytest.raises(AIError) as info:
        await ask(client)
    elapsed = time.perf_counter() - start
    await client.aclose()
    assert one_line_without_key(info.value) == "Claude did not answer (timed out after 0.3 s, 2 tries)"
    assert _Slow.hits == 2 and client.host == "127.0.0.1"
    assert 0.6 <= elapsed < 1.5, elapsed  # two 0.3 s timeouts, not the server's 1.5 s each
