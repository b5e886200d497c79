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


async def _open_queue(app, pilot, total: int):
    """`2`: the follow-up queue, once it shows `total` due contacts."""
    await pilot.press("2")
    await wait_for(pilot, lambda: isinstance(app.screen, FollowUpsScreen))
    screen = app.screen
    await wait_for(pilot, lambda: screen.table.total == total and not screen.table.busy)
    return screen


async def _due_contacts(svc, names):
    for name in names:
        await svc.generation.generate(f"{name}.example")
        svc.contacts.change_status(f"{name}.example", "sent", "2026-11-20T09:00:00")


async def test_follow_up_queue_lists_due_contacts_and_writes_one(svc):
    await _due_contacts(svc, ["alder", "birch", "cedar"])
    app = make_app(svc)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open_queue(app, pilot, 3)
        first = screen.table.current.domain
        await pilot.press("f")
        await wait_for(pilot, lambda: screen.table.total == 2, what="the written one leaves the queue")
        kinds = [m.kind for m in svc.contacts.detail(first).messages]
        assert kinds == [MessageKind.INITIAL, MessageKind.FOLLOW_UP]


async def test_bulk_follow_ups_with_confirmation_and_progress(svc):
    await _due_contacts(svc, ["alder", "birch", "cedar", "dogwood"])
    app = make_app(svc)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open_queue(app, pilot, 4)
        await pilot.press("b")
        await confirm(pilot)
        await wait_for(pilot, lambda: not screen.running and "written" in str(
            screen.progress_text.render()), what="the bulk run to finish")
        assert "4 written" in str(screen.progress_text.render())
        region = screen.progress_row.region  # the result line is on screen, above the status
        assert region.height == 1 and region.bottom <= screen.status_line.region.y
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


async def test_d_opens_the_draft_to_edit_and_mark_sent(svc):
    from leadletter_tui.screens.draft import DraftModal

    await svc.generation.generate("alder.example")
    app = make_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.screen.table.total == 1 and not app.screen.table.busy)
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, DraftModal), what="the draft")
        modal = app.screen
        assert modal.subject.value == svc.contacts.detail("alder.example").messages[0].subject
        modal.body.text = modal.body.text + "\n\nPS: I can call on Tuesday."
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: svc.contacts.detail("alder.example").status is Status.SENT,
                       what="marked sent")
        message = svc.contacts.detail("alder.example").messages[0]
        assert "Tuesday" in message.body and message.sent_at is not None
        await pilot.press("d")
        await wait_for(pilot, lambda: any("no unsent message" in str(n.message)
                                          for n in app._notifications), what="nothing to open")


async def test_bulk_follow_ups_can_be_cancelled_and_keep_what_was_written(svc):
    await _due_contacts(svc, [f"c{i}" for i in range(12)])
    inner = svc.follow_ups.generation.ai().writer

    class Slow:
        async def write_initial(self, **kw):
            return await inner.write_initial(**kw)

        async def write_follow_up(self, **kw):
            import asyncio

            await asyncio.sleep(0.2)
            return await inner.write_follow_up(**kw)

    gen = svc.follow_ups.generation
    bundle = dataclasses.replace(gen.ai(), writer=Slow())
    gen._ais = {False: bundle, True: bundle}
    app = make_app(svc)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open_queue(app, pilot, 12)
        await pilot.press("b")
        await confirm(pilot)
        await wait_for(pilot, lambda: screen.running and screen.progress.progress >= 1,
                       what="some written")
        await pilot.press("escape")
        await wait_for(pilot, lambda: not screen.running and "cancelled" in str(
            screen.progress_text.render()), what="cancelled")
    written = sum(1 for n in range(12) if svc.contacts.detail(f"c{n}.example").messages[-1].kind
                  is MessageKind.FOLLOW_UP)
    assert 1 <= written < 12


@pytest.mark.parametrize("size", [(80, 24), (80, 23)])
async def test_new_screens_fit_small_terminals(svc, size):
    """Generate, settings, reply, draft, follow-ups and analytics at 80×24 and 80×23: the
    screen opens (no "too small"), and every button and the key bar are fully on screen."""
    from textual.widgets import Button

    from leadletter_tui.screens.draft import DraftModal
    from leadletter_tui.screens.reply import ReplyModal
    from leadletter_tui.widgets.key_bar import KeyBar

    await svc.generation.generate("alder.example")
    app = make_app(svc)
    width, height = size

    def on_screen(widget) -> bool:
        r = widget.region
        return r.width > 0 and r.x >= 0 and r.y >= 0 and r.right <= width and r.bottom <= height

    async def check(key, kind, back="escape"):
        await pilot.press(key)
        await wait_for(pilot, lambda: isinstance(app.screen, kind), what=kind.__name__)
        await pilot.pause()
        for widget in [*app.screen.query(Button), *app.screen.query(KeyBar)]:
            if widget.display:
                assert on_screen(widget), (kind.__name__, widget, widget.region)
        if back:
            await pilot.press(back)
            await wait_for(pilot, lambda: not isinstance(app.screen, kind))

    async with app.run_test(size=size) as pilot:
        await wait_for(pilot, lambda: app.screen.table.total == 1 and not app.screen.table.busy)
        await check("S", SettingsModal)
        await check("d", DraftModal)
        await check("p", ReplyModal)
        await check("n", GenerateScreen)
        await check("2", FollowUpsScreen, back="1")
        from leadletter_tui.screens.analytics import AnalyticsScreen

        await check("3", AnalyticsScreen, back="1")


async def test_follow_ups_without_a_profile_ask_for_it_first(open_test_services, db_path):
    """`b` (and `f`) in the queue with no sender profile: the settings form, then the run
    it was asked for, instead of an error toast."""
    await _due_contacts(wire(open_test_services(db_path, **PROFILE)), ["alder", "birch"])
    svc = wire(open_test_services(db_path))  # the same contacts, nobody set up yet
    app = make_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_queue(app, pilot, 2)
        await pilot.press("b")
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsModal), what="the form")
        modal = app.screen
        modal.query_one("#set-sender_name").value = "Ana Diaz"
        modal.query_one("#set-sender_offer").value = "I write websites for bakeries."
        await pilot.press("ctrl+s")
        await confirm(pilot)  # then the run it was asked for: "Write follow-ups for 2…?"
        await wait_for(pilot, lambda: not screen.running and "2 written" in str(
            screen.progress_text.render()), what="the bulk run")


async def test_details_filled_from_the_highlighted_contact_follow_its_domain(svc):
    """`n` on a contact fills in its details; typing another domain clears them (a message
    to that domain must not greet this contact), and typing the domain back restores them.
    A detail the user typed stays."""
    await svc.generation.generate("alder.example", name="Rosa Sato", business="Alder Ltd",
                                  email="rosa@alder.example")
    app = make_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.screen.table.total == 1 and not app.screen.table.busy)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, GenerateScreen))
        screen = app.screen
        assert (screen.business.value, screen.person.value) == ("Alder Ltd", "Rosa Sato")
        await pilot.press("ctrl+u", *"birch.example")
        assert screen.domain.value == "birch.example"
        assert (screen.business.value, screen.person.value, screen.email.value) == ("", "", "")
        screen.phone.value = "+1 555 0100"  # typed by the user for birch
        await pilot.press("ctrl+g")
        await wait_for(pilot, lambda: screen.result is not None, what="a message")
        birch = svc.contacts.detail("birch.example")
        assert birch.row.contact_name == "" and "Rosa" not in screen.body.text
        screen.domain.value = "alder.example"  # back to the highlighted contact's domain
        await pilot.pause()
        assert (screen.business.value, screen.person.value) == ("Alder Ltd", "Rosa Sato")
        assert screen.phone.value == "+1 555 0100"
