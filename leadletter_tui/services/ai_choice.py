"""Which AI bundle runs: Claude when there is a key (and not `offline`), else the offline one.

`choose_ai` hands everything to `ai.build_ai` when that exists; until it does (the Claude
client arrives separately), the offline bundle is used. Loaded only when a job starts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..ai.interfaces import AI
    from ..config import Settings


def choose_ai(settings: Settings, *, offline: bool = False, http_client=None,
              seed: int | None = None, research_limits=None) -> AI:
    """The bundle for these settings. `http_client` (an httpx2.AsyncClient) is used for
    homepage research; `seed` makes the offline writer repeatable."""
    try:
        from ..ai import build_ai
    except ImportError:
        build_ai = None
    if build_ai is None:
        from ..ai.offline.adapters import offline_ai

        return offline_ai(seed=seed, http_client=http_client, limits=research_limits)
    return build_ai(
        api_key=settings.anthropic_api_key or None,
        offline=offline,
        base_url=settings.anthropic_base_url or None,
        write_model=settings.write_model,
        fast_model=settings.fast_model,
        research_client=http_client,
        seed=seed,
        research_limits=research_limits,
    )
