"""Errors from the AI layer, each one line for the user (no key, no traceback).

Light to import: no anthropic, no httpx2 (the SDK exceptions are mapped in
:mod:`leadletter_tui.ai.claude_client`, which imports the SDK on first use).
"""

from __future__ import annotations

from ..errors import UserError

KEY_REJECTED = "API key rejected: check ANTHROPIC_API_KEY (or anthropic_api_key in the config file)"


class AIError(UserError):
    """A Claude call failed. ``retryable``: trying the same item later may work (timeouts,
    overload, rate limits); False for a rejected key or a bad request."""

    def __init__(self, message: str, *, retryable: bool = False, status: int | None = None,
                 attempts: int = 1) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.status = status
        self.attempts = attempts


class AIAuthError(AIError):
    """The key was rejected (HTTP 401): nothing will work until the user fixes it."""

    def __init__(self, *, status: int = 401) -> None:
        super().__init__(KEY_REJECTED, retryable=False, status=status)


class AIAnswerError(AIError):
    """Claude answered, but not in the shape asked for (twice)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, retryable=True)
