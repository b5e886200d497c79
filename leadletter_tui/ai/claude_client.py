"""The one place that talks to the Anthropic API: a lazily built `AsyncAnthropic`, bounded
retries, and every SDK failure mapped to one line (:mod:`leadletter_tui.ai.errors`).

`import anthropic` costs 1.4-2 s (NOTES.md G), so nothing here imports it at module load:
:meth:`ClaudeClient.ready` imports it in a thread the first time an AI job needs it, and
builds the client once.

The SDK runs on its own event loop, in one background thread for the process (`sdk_loop`):
every request is handed to that loop and awaited from the caller's loop through a future.
Turning an answer into the SDK's objects costs about 2 ms of Python per response, and a
bulk run gets answers in waves (eight at once at concurrency 8); on the UI's loop that was
16-22 ms with no frame drawn (benchmarks/bench_followups.py). On its own thread, the
interpreter hands the UI thread a turn every few milliseconds. Cancelling the awaiting task
cancels the request on the SDK's loop.

Retries are ours, not the SDK's (it gets ``max_retries=0``): the SDK honours any
``retry-after`` a server sends, up to 49 days. Here a retryable failure (408, 409, 429,
5xx, timeouts, connection errors; the server's ``x-should-retry`` header wins) is retried
at most ``max_retries`` times, waiting ``retry-after`` when the server gives one and it is
at most :attr:`RetryPolicy.retry_after_cap` seconds; a longer request ends the call at once
with a clear message instead of a silent wait of hours. Without a header: exponential
backoff, ``base_delay * 2**n`` capped at ``max_delay``, times a jitter in [0.75, 1].
"""

from __future__ import annotations

import asyncio
import email.utils
import random
import threading
import time
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from ..domain.text import truncate_line
from .errors import AIAuthError, AIError

# Current model names, from anthropic/types/model.py (SDK 2.16.0). Both are settings.
DEFAULT_WRITE_MODEL = "claude-sonnet-5-5"
"""Writing messages: the stronger model (quality of the prose matters most)."""
DEFAULT_FAST_MODEL = "claude-haiku-5-5"
"""Categorising pages and classifying replies: a fast, cheap model (one enum out)."""
DEFAULT_TIMEOUT = 60.0  # seconds per attempt
DEFAULT_MAX_RETRIES = 2  # so at most 3 tries


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    max_retries: int = DEFAULT_MAX_RETRIES
    base_delay: float = 0.5
    max_delay: float = 8.0
    retry_after_cap: float = 20.0  # a server asking for longer ends the call instead

    def backoff(self, retry: int, rng: random.Random) -> float:
        """Seconds before retry number ``retry`` (1 = the first retry)."""
        return min(self.base_delay * 2 ** (retry - 1), self.max_delay) * (1 - 0.25 * rng.random())


@dataclass(frozen=True, slots=True)
class ToolAnswer:
    """What came back from a forced tool call. ``input`` is None when the answer held no
    call of the tool (``problem`` says why)."""

    input: dict[str, Any] | None
    tool_use_id: str
    stop_reason: str
    problem: str = ""


@dataclass(slots=True)
class Usage:
    """Tokens used by this client so far (the cache figures show prompt caching at work)."""

    requests: int = 0  # HTTP attempts, retries included
    input_tokens: int = 0
    output_tokens: int = 0
    cache_creation_input_tokens: int = 0
    cache_read_input_tokens: int = 0

    def add(self, usage: Any) -> None:
        for name in ("input_tokens", "output_tokens", "cache_creation_input_tokens",
                     "cache_read_input_tokens"):
            value = getattr(usage, name, None)
            if isinstance(value, int):
                setattr(self, name, getattr(self, name) + value)


def parse_retry_after(headers: Any) -> float | None:
    """Seconds the server asks us to wait (``retry-after-ms``, then ``retry-after`` as
    seconds or an HTTP date), or None."""
    if headers is None:
        return None
    for name, scale in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
        raw = headers.get(name)
        if raw is None:
            continue
        try:
            return max(0.0, float(raw) / scale)
        except ValueError:
            if name == "retry-after":
                parsed = email.utils.parsedate_tz(raw)
                if parsed is not None:
                    return max(0.0, email.utils.mktime_tz(parsed) - time.time())
    return None


def _should_retry(status: int, headers: Any) -> bool:
    override = headers.get("x-should-retry") if headers is not None else None
    if override in ("true", "false"):
        return override == "true"
    return status in (408, 409, 429) or status >= 500


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:g} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.0f} h"


def _tries(n: int) -> str:
    return "1 try" if n == 1 else f"{n} tries"


def _server_message(body: Any) -> str:
    """The API's own error message, if it sent one (sanitised, one short line)."""
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and isinstance(inner.get("message"), str):
            return truncate_line(inner["message"], 160)
    return ""


def status_error(status: int, body: Any, attempts: int, model: str) -> AIError:
    """One line for an HTTP error status from the API."""
    detail = _server_message(body)
    if status == 401:
        return AIAuthError(status=401)
    if status == 403:
        msg = "Claude refused the request (HTTP 403): the API key lacks permission"
        return AIError(f"{msg}{': ' + detail if detail else ''}", status=403)
    if status == 404:
        return AIError(f"Claude does not offer the model {model!r} (HTTP 404): check the model "
                       "settings", status=404)
    if status == 429:
        return AIError(f"Claude is rate limiting requests (HTTP 429) after {_tries(attempts)}; "
                       "try again later", retryable=True, status=429, attempts=attempts)
    if status >= 500:
        return AIError(f"Claude is unavailable (HTTP {status}) after {_tries(attempts)}",
                       retryable=True, status=status, attempts=attempts)
    if status in (408, 409):
        return AIError(f"Claude did not complete the request (HTTP {status}) after "
                       f"{_tries(attempts)}", retryable=True, status=status, attempts=attempts)
    return AIError(f"Claude rejected the request (HTTP {status}){': ' + detail if detail else ''}",
                   status=status, attempts=attempts)


_sdk_loop: asyncio.AbstractEventLoop | None = None
_sdk_loop_lock = threading.Lock()


def sdk_loop() -> asyncio.AbstractEventLoop:
    """The event loop the SDK runs on: started on first use, in a daemon thread."""
    global _sdk_loop
    with _sdk_loop_lock:
        if _sdk_loop is None:
            loop = asyncio.new_event_loop()
            threading.Thread(target=loop.run_forever, name="leadletter-claude",
                             daemon=True).start()
            _sdk_loop = loop
        return _sdk_loop


async def on_sdk_loop(coro: Coroutine[Any, Any, Any]) -> Any:
    """Run `coro` on the SDK's loop and wait for it here (a cancel here cancels it there);
    already on that loop, just await it."""
    loop = sdk_loop()
    if asyncio.get_running_loop() is loop:
        return await coro
    return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(coro, loop))


@dataclass
class ClaudeClient:
    """One `AsyncAnthropic` for the whole process, built on first use from explicit values
    (the key is never read from the environment here; ``base_url`` None lets the SDK use
    ``ANTHROPIC_BASE_URL`` or its default)."""

    api_key: str
    base_url: str | None = None
    timeout: float = DEFAULT_TIMEOUT
    max_retries: int = DEFAULT_MAX_RETRIES
    http_client: Any = None  # an httpx2.AsyncClient (tests: a MockTransport)
    retry: RetryPolicy | None = None
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    usage: Usage = field(default_factory=Usage)

    def __post_init__(self) -> None:
        if self.retry is None:
            self.retry = RetryPolicy(max_retries=self.max_retries)
        self._client: Any = None
        self._sdk: Any = None
        self._lock = asyncio.Lock()
        self._rng = random.Random()

    def __repr__(self) -> str:  # never show the key
        return f"ClaudeClient(base_url={self.base_url!r}, timeout={self.timeout})"

    @property
    def host(self) -> str:
        if self._client is not None:
            return str(self._client.base_url.host)
        if self.base_url:
            return urlsplit(self.base_url).hostname or self.base_url
        return "api.anthropic.com"

    async def ready(self) -> None:
        """Import the SDK (in a thread: it takes seconds) and build the client, once."""
        if self._client is None:
            await on_sdk_loop(self._ready())

    async def _ready(self) -> None:  # on the SDK's loop, which then owns the connections
        async with self._lock:
            if self._client is None:
                self._sdk = await asyncio.to_thread(_import_sdk)
                self._client = self._sdk.AsyncAnthropic(
                    api_key=self.api_key, base_url=self.base_url, timeout=self.timeout,
                    max_retries=0, http_client=self.http_client)

    async def aclose(self) -> None:
        if self._client is not None:
            await on_sdk_loop(self._client.close())

    async def call_tool(self, *, model: str, system: list[dict], messages: list[dict],
                        tool: dict, max_tokens: int) -> ToolAnswer:
        """One forced call of ``tool``; raises :class:`AIError` when Claude cannot be asked."""
        response = await self._create(
            model=model, max_tokens=max_tokens, system=system, messages=messages,
            tools=[tool], tool_choice={"type": "tool", "name": tool["name"]})
        self.usage.add(getattr(response, "usage", None))
        stop = str(getattr(response, "stop_reason", "") or "")
        for block in getattr(response, "content", None) or []:
            if getattr(block, "type", "") == "tool_use" and block.name == tool["name"]:
                if stop == "max_tokens":
                    return ToolAnswer(None, block.id, stop, "the answer was cut off")
                data = block.input if isinstance(block.input, dict) else None
                return ToolAnswer(data, block.id, stop, "" if data is not None else "no fields")
        return ToolAnswer(None, "", stop, f"no {tool['name']} call in the answer ({stop or '?'})")

    async def _create(self, **kwargs: Any) -> Any:
        await self.ready()
        sdk, policy = self._sdk, self.retry
        assert policy is not None
        attempt = 0
        while True:
            attempt += 1
            self.usage.requests += 1
            try:
                return await on_sdk_loop(self._client.messages.create(**kwargs))
            except sdk.APIStatusError as exc:
                status, headers = exc.status_code, exc.response.headers
                if not _should_retry(status, headers) or attempt > policy.max_retries:
                    raise status_error(status, exc.body, attempt, kwargs["model"]) from exc
                wait = parse_retry_after(headers)
                if wait is not None and wait > policy.retry_after_cap:
                    raise AIError(
                        f"Claude asked to wait {_duration(wait)} before trying again "
                        f"(HTTP {status}); try later", retryable=True, status=status,
                        attempts=attempt) from exc
                delay = wait if wait is not None else policy.backoff(attempt, self._rng)
            except sdk.APITimeoutError as exc:
                if attempt > policy.max_retries:
                    raise AIError(f"Claude did not answer (timed out after {self.timeout:g} s, "
                                  f"{_tries(attempt)})", retryable=True, attempts=attempt
                                  ) from exc
                delay = policy.backoff(attempt, self._rng)
            except sdk.APIConnectionError as exc:
                if attempt > policy.max_retries:
                    raise AIError(f"Cannot reach Claude at {self.host} (connection failed, "
                                  f"{_tries(attempt)})", retryable=True, attempts=attempt
                                  ) from exc
                delay = policy.backoff(attempt, self._rng)
            await self.sleep(delay)


def _import_sdk() -> Any:
    import anthropic

    return anthropic
