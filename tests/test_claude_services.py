"""Generation and follow-ups through the path a user with an API key takes: settings with a
key → services/ai_choice.choose_ai → build_ai → ClaudeWriter/ClaudeCategoriser on the real
anthropic SDK, over httpx2.MockTransport (no network). Catches what unit tests of each
side miss (e.g. the services handing the Claude writer plain strings where it wants enums)."""

from __future__ import annotations

import dataclasses
import json
import random

import httpx2
import pytest

from leadletter_tui.domain.model import MessageKind
from leadletter_tui.domain.research import PageResearch
from leadletter_tui.services.ai_choice import choose_ai
from leadletter_tui.services.followups import FollowUpService
from leadletter_tui.services.generation import GenerationService

PROFILE = {"sender_name": "Sam Reed", "sender_offer": "I build booking pages for small clinics.",
           "anthropic_api_key": "sk-ant-test-NOT-A-REAL-KEY"}
WORDS = "garden bakery morning window ledger harbour printer pattern ribbon meadow lantern".split()


class StubResearcher:
    async def research(self, domain, url=None):
        return PageResearch(domain, url or f"https://{domain}/", True, title=f"{domain} | Physio",
                            description="Physiotherapy for runners since 2011.",
                            text="We have treated 3,000 runners. Same-week appointments.")


def answer(request: httpx2.Request, rng=random.Random(4)) -> httpx2.Response:
    body = json.loads(request.content)
    tool = body["tools"][0]
    props = tool["input_schema"]["properties"]
    data = {}
    for name, spec in props.items():
        if "enum" in spec:
            data[name] = "saas" if "saas" in spec["enum"] else spec["enum"][0]
        elif name in ("subject", "body"):
            sentences = [" ".join(rng.choice(WORDS) for _ in range(10)).capitalize() + "."
                         for _ in range(6)]
            data[name] = (" ".join(rng.choice(WORDS) for _ in range(3)).capitalize()
                          if name == "subject"
                          else f"Hi {rng.choice(WORDS)},\n\n" + " ".join(sentences) + "\n\nBest,")
    return httpx2.Response(200, json={
        "id": "msg_1", "type": "message", "role": "assistant", "model": body["model"],
        "content": [{"type": "tool_use", "id": "toolu_1", "name": tool["name"], "input": data}],
        "stop_reason": "tool_use", "stop_sequence": None,
        "usage": {"input_tokens": 10, "output_tokens": 10}})


@pytest.fixture
def claude_services(open_test_services, db_path):
    svc = open_test_services(db_path, **PROFILE)
    seen: list[dict] = []

    def handler(request):
        seen.append(json.loads(request.content))
        return answer(request)

    sdk_client = httpx2.AsyncClient(transport=httpx2.MockTransport(handler))
    real = choose_ai(svc.settings)
    assert real.mode == "Claude"  # a key in the settings means Claude

    from leadletter_tui.ai import build_ai

    ai = build_ai(api_key=PROFILE["anthropic_api_key"], offline=False, http_client=sdk_client)
    ai = dataclasses.replace(ai, researcher=StubResearcher())
    gen = GenerationService(svc.store, svc.settings, ai_factory=lambda _o: ai, seed=2)
    return svc, gen, seen


async def test_a_first_message_and_a_follow_up_through_claude(claude_services):
    svc, gen, seen = claude_services
    result = await gen.generate("riverside-physio.example")
    assert result.mode == "Claude" and result.category == "saas"
    assert [b["tool_choice"]["type"] for b in seen] == ["tool", "tool"]  # categorise, write
    svc.contacts.change_status("riverside-physio.example", "sent", "2026-11-20T09:00:00")
    follow = await FollowUpService(gen).write_follow_up("riverside-physio.example")
    assert follow.kind is MessageKind.FOLLOW_UP and follow.angle != result.angle
    kinds = [m.kind for m in svc.contacts.detail("riverside-physio.example").messages]
    assert kinds == [MessageKind.INITIAL, MessageKind.FOLLOW_UP]
    assert "riverside-physio.example" in json.dumps(seen[-1]["messages"])


async def test_bulk_follow_ups_through_claude_all_succeed(claude_services):
    svc, gen, _seen = claude_services
    for name in ("alder", "birch", "cedar"):
        await gen.generate(f"{name}.example")
        svc.contacts.change_status(f"{name}.example", "sent", "2026-11-20T09:00:00")
    result = await FollowUpService(gen).run(concurrency=3)
    assert (len(result.generated), result.failed) == (3, [])


async def test_a_rejected_key_while_classifying_keeps_the_reply_unlabelled(open_test_services,
                                                                          db_path):
    """The issue's case: 401 from the real SDK → the pasted reply is kept, unlabelled, with
    the reason; nothing else changes (status Replied, as recorded)."""
    from leadletter_tui.ai import build_ai
    from leadletter_tui.domain.model import Status

    svc = open_test_services(db_path, **PROFILE)
    await _first_message(svc)
    calls = []

    def handler(request):
        calls.append(request)
        return httpx2.Response(401, json={"type": "error", "error": {
            "type": "authentication_error", "message": "invalid x-api-key"}})

    ai = build_ai(api_key=PROFILE["anthropic_api_key"], offline=False,
                  http_client=httpx2.AsyncClient(transport=httpx2.MockTransport(handler)))
    svc.replies._ai = {False: ai, True: ai}
    reply = svc.replies.record("riverside-physio.example", "Sounds good, call me Tuesday?")
    outcome = await svc.replies.classify(reply.id)
    assert outcome.error and "API key rejected" in outcome.error
    assert len(calls) == 1  # a rejected key is not retried
    stored = svc.replies.latest("riverside-physio.example")
    assert stored.text == "Sounds good, call me Tuesday?" and stored.sentiment is None
    assert "API key rejected" in (stored.reason or "")
    assert svc.contacts.detail("riverside-physio.example").status is Status.REPLIED


async def _first_message(svc):
    from leadletter_tui.ai.offline.adapters import offline_ai

    ai = dataclasses.replace(offline_ai(seed=1), researcher=StubResearcher())
    gen = GenerationService(svc.store, svc.settings, ai_factory=lambda _o: ai, seed=1)
    await gen.generate("riverside-physio.example")
    svc.contacts.change_status("riverside-physio.example", "sent", "2026-11-20T09:00:00")
