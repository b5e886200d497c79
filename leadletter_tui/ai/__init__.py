"""The AI layer: interfaces (interfaces.py), offline implementations (offline/), Claude
implementations (claude.py over claude_client.py) and :func:`build_ai`, which picks one.

Importing this package, or building a Claude bundle, never imports the anthropic SDK (1.4-2 s):
the first Claude call does, in a thread (see claude_client.ClaudeClient.ready).
"""

from __future__ import annotations

from typing import Any

from .claude_client import (
    DEFAULT_FAST_MODEL,
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    DEFAULT_WRITE_MODEL,
)

__all__ = ["DEFAULT_FAST_MODEL", "DEFAULT_MAX_RETRIES", "DEFAULT_TIMEOUT", "DEFAULT_WRITE_MODEL",
           "build_ai"]


def build_ai(*, api_key: str | None, offline: bool, base_url: str | None = None,
             write_model: str = DEFAULT_WRITE_MODEL, fast_model: str = DEFAULT_FAST_MODEL,
             timeout: float = DEFAULT_TIMEOUT, max_retries: int = DEFAULT_MAX_RETRIES,
             http_client: Any = None, research_client: Any = None, seed: int | None = None,
             research_limits: Any = None, retry: Any = None):
    """The AI bundle to use.

    Offline (``mode == "offline"``) when ``offline`` is set or there is no key; otherwise
    Claude writes, categorises and classifies (``mode == "Claude"``). Homepage research is
    plain HTTP either way.

    ``api_key`` comes from the caller (settings: ``ANTHROPIC_API_KEY`` or the config file);
    ``base_url`` None lets the SDK read ``ANTHROPIC_BASE_URL`` (else its default).
    ``http_client`` is the SDK's ``httpx2.AsyncClient`` (tests: a MockTransport);
    ``research_client`` the one homepage research uses. ``retry`` is a
    :class:`~leadletter_tui.ai.claude_client.RetryPolicy` (default: ``max_retries`` retries,
    0.5 s doubling backoff up to 8 s, retry-after honoured up to 20 s).
    """
    from .offline.adapters import offline_ai

    if offline or not (api_key or "").strip():
        return offline_ai(seed=seed, http_client=research_client, limits=research_limits)

    from .claude import ClaudeCategoriser, ClaudeClassifier, ClaudeWriter
    from .claude_client import ClaudeClient
    from .interfaces import AI
    from .offline.adapters import OfflineResearcher

    client = ClaudeClient(api_key=api_key.strip(), base_url=base_url or None, timeout=timeout,
                          max_retries=max_retries, http_client=http_client, retry=retry)
    return AI("Claude", OfflineResearcher(research_client, research_limits),
              ClaudeCategoriser(client, fast_model), ClaudeWriter(client, write_model),
              ClaudeClassifier(client, fast_model), model=write_model)
