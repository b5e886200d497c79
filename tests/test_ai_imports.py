"""`import anthropic` costs 1.4-2 s (NOTES.md G): only the first Claude call may pay it.
Importing the AI layer, building a Claude bundle, the TUI's first-paint modules and the
offline implementations must not import it (`list`/`show` are checked in test_hygiene.py).
Each probe runs in a fresh interpreter."""

from __future__ import annotations

import pkgutil

import pytest
from test_hygiene import top_level_modules_after

import leadletter_tui.ai.offline

OFFLINE = sorted(m.name for m in pkgutil.walk_packages(leadletter_tui.ai.offline.__path__,
                                                        "leadletter_tui.ai.offline."))
LIGHT = ["leadletter_tui.ai", "leadletter_tui.ai.interfaces", "leadletter_tui.ai.errors",
         "leadletter_tui.ai.prompts", "leadletter_tui.ai.claude_client", "leadletter_tui.ai.claude",
         "leadletter_tui.ai.offline", *OFFLINE]


def test_offline_modules_found():
    assert {"leadletter_tui.ai.offline.adapters", "leadletter_tui.ai.offline.writer",
            "leadletter_tui.ai.offline.classifier"} <= set(OFFLINE)


@pytest.mark.parametrize("module", LIGHT)
def test_ai_modules_do_not_import_the_sdk(module):
    loaded = top_level_modules_after(f"import {module}")
    assert "leadletter_tui" in loaded and "anthropic" not in loaded


def test_building_a_claude_bundle_does_not_import_the_sdk():
    loaded = top_level_modules_after(
        "from leadletter_tui.ai import build_ai\n"
        "ai = build_ai(api_key='sk-test', offline=False)\n"
        "assert ai.mode == 'Claude', ai.mode\n")
    assert "anthropic" not in loaded


def test_the_first_paint_path_does_not_import_the_sdk():
    loaded = top_level_modules_after("import leadletter_tui.launch, leadletter_tui.app")
    assert "textual" in loaded and "anthropic" not in loaded


def test_the_first_claude_call_does_import_it():
    # the positive control: the probes above would see the SDK if it were loaded
    loaded = top_level_modules_after(
        "import asyncio, httpx2\n"
        "from leadletter_tui.ai.claude_client import ClaudeClient\n"
        "client = ClaudeClient(api_key='sk-test', http_client=httpx2.AsyncClient(\n"
        "    transport=httpx2.MockTransport(lambda r: httpx2.Response(500))))\n"
        "asyncio.run(client.ready())\n")
    assert "anthropic" in loaded


def test_settings_default_to_the_ai_layers_models():
    from leadletter_tui.ai import DEFAULT_FAST_MODEL, DEFAULT_WRITE_MODEL
    from leadletter_tui.config import Settings

    assert (Settings().write_model, Settings().fast_model) == (DEFAULT_WRITE_MODEL, DEFAULT_FAST_MODEL)
