"""Pilot tests of the reply dialog: paste, the label appears, a manual override, the cap."""

from __future__ import annotations

from sample_data import insert_sample
from textual import events
from tui_helpers import choose, settle, wait_for

from leadletter_tui.app import make_app
from leadletter_tui.domain.model import EventKind, Sentiment, Status
from leadletter_tui.domain.reply_text import MAX_REPLY_CHARS
from leadletter_tui.screens.modals import ConfirmModal
from leadletter_tui.screens.reply import ReplyModal


async def open_on(pilot, app, domain: str) -> ReplyModal:
    screen = app.screen
    index = next(i for i in range(screen.table.total) if screen.table.row_at(i).domain == domain)
    screen.table.cursor = index
    await wait_for(pilot, lambda: screen.current_row() and screen.current_row().domain == domain,
                   what=f"cursor on {domain}")
    await pilot.press("p")
    await wait_for(pilot, lambda: isinstance(app.screen, ReplyModal), what="the reply dialog")
    return app.screen


def pane_text(app) -> str:
    return "\n".join(str(w.render()) for w in app.screen.detail.children)


async def test_paste_saves_classifies_and_the_label_can_be_overridden(services):
    insert_sample(services.store.db)
    app = make_app(services)
    async with app.run_test(size=(130, 30), notifications=True) as pilot:
        await settle(app, pilot)
        modal = await open_on(pilot, app, "boltelectric.co.uk")
        assert "No reply recorded yet" in str(modal.query_one("#reply-latest").render())
        app.post_message(events.Paste(  # as the terminal delivers it
            "Sounds good, can we do a call on Thursday?\n\n> quoted: our original pitch"))
        await wait_for(pilot, lambda: "Thursday" in modal.text_area.text, what="the paste")
        assert modal.text_area.text.count("Thursday") == 1
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, ReplyModal)
        [reply] = services.store.contacts.detail("boltelectric.co.uk").replies
        assert reply.sentiment is Sentiment.POSITIVE and reply.labelled_by == "offline"
        assert services.store.contacts.detail("boltelectric.co.uk").status is Status.REPLIED
        assert any("reply positive" in str(n.message) for n in app._notifications)
        await wait_for(pilot, lambda: "positive" in pane_text(app) and "Replied" in pane_text(app),
                       what="the detail pane to show the label")

        modal = await open_on(pilot, app, "boltelectric.co.uk")
        assert "Latest reply: positive (by offline)" in str(modal.query_one("#reply-latest").render())
        await pilot.press("ctrl+l")
        await choose(pilot, "asked for info")
        await settle(app, pilot)
        [reply] = services.store.contacts.detail("boltelectric.co.uk").replies
        assert reply.sentiment is Sentiment.ASKED_FOR_INFO and reply.corrected
        events_ = services.store.contacts.detail("boltelectric.co.uk").events
        assert events_[-1].kind is EventKind.CORRECTION
        await wait_for(pilot, lambda: "set by hand" in pane_text(app), what="the corrected label")

        # re-classifying keeps the correction
        modal = await open_on(pilot, app, "boltelectric.co.uk")
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        [reply] = services.store.contacts.detail("boltelectric.co.uk").replies
        assert reply.sentiment is Sentiment.ASKED_FOR_INFO
        assert any("kept: set by hand" in str(n.message) for n in app._notifications)


async def test_too_long_or_empty_text_stays_in_the_dialog_with_a_message(services):
    insert_sample(services.store.db)
    app = make_app(services)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(app, pilot)
        modal = await open_on(pilot, app, "boltelectric.co.uk")
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, ReplyModal)
        assert "empty" in str(modal.error.render())
        app.post_message(events.Paste("y" * (MAX_REPLY_CHARS + 5)))  # as a terminal sends it
        await wait_for(pilot, lambda: "Too long" in str(modal.error.render()), what="the cap")
        assert "20,005 characters, at most 20,000" in str(modal.error.render())
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, ReplyModal)
        await pilot.press("escape")
        await settle(app, pilot)
        assert services.store.contacts.detail("boltelectric.co.uk").replies == []


async def test_a_referral_offers_to_add_the_contact_and_defaults_to_no(services):
    insert_sample(services.store.db)
    app = make_app(services)
    async with app.run_test(size=(130, 30), notifications=True) as pilot:
        await settle(app, pilot)
        modal = await open_on(pilot, app, "boltelectric.co.uk")
        app.post_message(events.Paste(  # as the terminal delivers it
            "I'm not the right person, please talk to Sam Lee at sam@lee-marketing.com."))
        await wait_for(pilot, lambda: "Sam" in modal.text_area.text, what="the paste")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal), what="the offer")
        assert "sam@lee-marketing.com" in app.screen.question
        await pilot.press("escape")
        await settle(app, pilot)
        assert services.contacts.contact("lee-marketing.com") is None
