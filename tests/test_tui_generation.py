"""Pilot tests of generation in the TUI: the generate screen (n), the follow-up queue (2) with
one-key and bulk follow-ups, and the first-use settings form. Offline writer, research from
a stub (no network)."""

from __future__ import annotations

import dataclasses

import pytest
from tui_helpers import confirm, wait_for

from leadletter_tui.ai.offline.adapters import offline_ai
from leadletter_tui.app import make_app
from leadletter_tui.domain.model import MessageKind, Status
from leadletter_tui.domain.research import PageResearch
from leadletter_tui.screens.followups import FollowUpsScreen
from leadletter_tui.screens.generate import GenerateScreen
from leadletter_tui.screens.settings import SettingsModal
from leadletter_tui.services.followups import FollowUpService
from leadletter_tui.services.generation import GenerationService

PROFILE = {"sender_name": "Sam Reed", "sender_offer": "I build booking pages for small clinics."}


class StubResearcher:
    async def research(self, domain, url=None):
        return PageResearch(domain, url or f"https://{domain}/", True, title=f"{domain} | Physio",
                            description="Physiotherapy for runners since 2011.",
                            text="We have treated 3,000 runners. Same-week appointments.")


def wire(svc, seed: int = 3):
    """Offline bundle with stub research, put where the app looks for it."""
    ai = dataclasses.replace(offline_ai(seed=seed), researcher=StubResearcher())
    gen = GenerationService(svc.store, svc.settings, ai_factory=lambda _o: ai, seed=seed)
    svc.__dict__["generation"] = gen
    svc.__dict__["follow_ups"] = FollowUpService(gen)
    return svc


@pytest.fixture
def svc(open_test_services, db_path):
    return wire(open_test_services(db_path, **PROFILE))


async def test_generate_screen_writes_a_message_and_creates_the_contact(svc):
    app = make_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, GenerateScreen))
        screen = app.screen
        await pilot.press(*"not a domain")
        assert "not a domain" in str(screen.problem.render()) or str(screen.problem.render())
        screen.domain.value = "riverside-physio.example"
        await pilot.press("ctrl+g")
        await wait_for(pilot, lambda: screen.result is not None, what="a message")
        assert screen.subject.value and len(screen.body.text.split()) >= 40
        assert "offline" in str(screen.mode.render())
        detail = svc.contacts.detail("riverside-physio.example")
        assert detail.status is Status.READY
        assert [m.kind for m in detail.messages] == [MessageKind.INITIAL]
        # edit kept, then marked sent
        screen.body.text = screen.body.text + "\n\nPS: happy to send examples."
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "examples" in svc.contacts.detail(
            "riverside-physio.example").messages[-1].body, what="the edit stored")
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: svc.contacts.detail(
            "riverside-physio.example").status is Status.SENT, what="marked sent")
        assert svc.contacts.detail("riverside-physio.example").messages[-1].sent_at is not None


async def test_a_bad_domain_is_explained_and_nothing_runs(svc):
    app = make_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, GenerateScreen))
        screen = app.screen
        screen.domain.value = "localhost"
        await pilot.press("ctrl+g")
        await wait_for(pilot, lambda: str(screen.problem.render()).strip() != "")
        assert screen.result is None and not screen.running
        assert svc.contacts.count() == 0


async def _due_contacts(svc, names):
    for name in names:
        await svc.generation.generate(f"{name}.example")
        svc.contacts.change_status(f"{name}.example", "sent", "2026-11-20T09:00:00")


async def test_follow_up_queue_lists_due_contacts_and_writes_one(svc):
    await _due_contacts(svc, ["alder", "birch", "cedar"])
    app = make_app(svc)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("2")
        await wait_for(pilot, lambda: isinstance(app.screen, FollowUpsScreen))
        screen = app.screen
        await wait_for(pilot, lambda: screen.table.total == 3 and not screen.table.busy)
        first = screen.table.current.domain
        await pilot.press("f")
        await wait_for(pilot, lambda: screen.table.total == 2, what="the written one leaves the queue")
        kinds = [m.kind for m in svc.contacts.detail(first).messages]
        assert kinds == [MessageKind.INITIAL, MessageKind.FOLLOW_UP]


async def test_bulk_follow_ups_with_confirmation_and_progress(svc):
    await _due_contacts(svc, ["alder", "birch", "cedar", "dogwood"])
    app = make_app(svc)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("2")
        await wait_for(pilot, lambda: isinstance(app.screen, FollowUpsScreen))
        screen = app.screen
        await wait_for(pilot, lambda: screen.table.total == 4 and not screen.table.busy)
        await pilot.press("b")
        await confirm(pilot)
        await wait_for(pilot, lambda: not screen.running and "written" in str(
            screen.progress_text.render()), what="the bulk run to finish")
        assert "4 written" in str(screen.progress_text.render())
        await wait_for(pilot, lambda: screen.table.total == 0)
        for name in ["alder", "birch", "cedar", "dogwood"]:
            assert svc.contacts.detail(f"{name}.example").messages[-1].kind is MessageKind.FOLLOW_UP


async def test_first_use_asks_for_the_sender_profile(open_test_services, db_path, isolated_env):
    svc = wire(open_test_services(db_path))
    app = make_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsModal))
        modal = app.screen
        modal.query_one("#set-sender_name").value = "Ana Diaz"
        modal.query_one("#set-sender_offer").value = "I write websites for bakeries."
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, GenerateScreen), what="generate opens")
        assert svc.profile().name == "Ana Diaz"
        assert 'sender_name = "Ana Diaz"' in isolated_env.config_file.read_text()


async def test_an_empty_queue_says_why_and_how_contacts_get_there(svc):
    app = make_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await wait_for(pilot, lambda: isinstance(app.screen, FollowUpsScreen))
        screen = app.screen
        await wait_for(pilot, lambda: screen.empty.display, what="the empty state")
        text = str(screen.empty.render())
        assert "No follow-ups due" in text and "3+ days ago" in text
