"""Pilot tests of the safety rules (issue 9): type-ahead that arrives in one read never turns
into commands or confirmations, `u` undoes this session's changes, do-not-contact is
marked and asked about, and `s` on a contact already Sent changes nothing.

The real app on its own SQLite file, clock frozen; assertions on widget state and the
database (a dump of every table when "nothing changed" is the claim).
"""

from __future__ import annotations

import pytest
from sample_data import SPECS, insert_sample
from tui_helpers import burst, confirm, settle, wait_for

from leadletter_tui.app import make_app
from leadletter_tui.domain.model import EventKind, Status
from leadletter_tui.screens.contacts import ContactsScreen
from leadletter_tui.screens.modals import ConfirmModal, PathModal

NEWEST_FIRST = [s.domain for s in reversed(SPECS)]  # the table's default order


@pytest.fixture
def sample_services(services):
    insert_sample(services.store.db)
    return services


def screen_of(app) -> ContactsScreen:
    assert isinstance(app.screen, ContactsScreen), app.screen
    return app.screen


async def drained(app, pilot) -> None:
    """Every key of a burst has been handled (and anything it started has finished)."""
    for _ in range(3):
        await pilot.pause()
        await settle(app, pilot)


def statuses(services) -> dict[str, Status]:
    return {d: services.contacts.detail(d).status for d in NEWEST_FIRST}


# --- 1. type-ahead ------------------------------------------------------------------------
async def test_search_typed_in_one_read_only_searches(sample_services, db_path, db_dump):
    """The issue's repro: '/sally' in one write marked Sent, selected all, bulk-Lost, confirmed."""
    before = db_dump(db_path)
    app = make_app(sample_services)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        burst(app, "/sally")
        await drained(app, pilot)
        screen = screen_of(app)  # no confirmation on top
        assert screen.bar.search_text == "sally"
        assert screen.bar.search.has_focus
        assert screen.table.selection.count(screen.table.total) == 0
    assert db_dump(db_path) == before


async def test_editing_keys_in_a_burst_keep_their_order(sample_services):
    app = make_app(sample_services)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        burst(app, ["/", "a", "b", "x", "backspace", "c"])
        await drained(app, pilot)
        search = screen_of(app).bar.search
        assert search.value == "abc"
        burst(app, ["ctrl+u", "a", "c", "m", "e"])  # C-u plus text in one write, box focused
        await drained(app, pilot)
        assert search.value == "acme"
        assert screen_of(app).spec.search == "acme"


async def test_keys_typed_after_a_dialog_opens_go_into_it(sample_services, db_path, db_dump):
    before = db_dump(db_path)
    app = make_app(sample_services)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        keys = ["E", "end", "backspace", "backspace", "backspace", "j", "s", "o", "n"]  # csv → json
        await pilot.press(*keys)  # one key at a time: what the user meant
        await drained(app, pilot)
        assert isinstance(app.screen, PathModal)
        slowly = app.screen.query_one("#path").value
        assert slowly.endswith(".json") and "leadletter-export-" in slowly
        await pilot.press("escape")
        await drained(app, pilot)
        burst(app, keys)  # the same keys in one read
        await drained(app, pilot)
        assert isinstance(app.screen, PathModal)
        assert app.screen.query_one("#path").value == slowly
    assert db_dump(db_path) == before  # s (Sent) and n ran as nothing


async def test_a_dialog_key_after_moves_in_one_read_acts_on_the_row_moved_to(sample_services):
    """"jjp" in one read: the two moves happen first, then the reply form opens for the
    row they reached (the form used to open for the first row, with the cursor on the third)."""
    from leadletter_tui.screens.reply import ReplyModal

    app = make_app(sample_services)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        table = app.screen.table
        third = table.row_at(2).domain
        burst(app, ["j", "j", "p"])
        await wait_for(pilot, lambda: isinstance(app.screen, ReplyModal), what="the reply form")
        assert app.screen.domain == third and table.cursor == 2


async def test_keys_right_after_a_search_are_commands(sample_services):
    """"/", "a", enter, then j and p (typed at once, not as one read): the search is
    applied, then the cursor moves and the reply form opens for the second match. Keys
    pressed soon after an opener must not be held once its field is there."""
    from leadletter_tui.domain.filters import default_sort
    from leadletter_tui.screens.reply import ReplyModal

    flt = sample_services.contacts.make_filter(search="a")
    matches = [r.domain for r in sample_services.contacts.rows(flt, default_sort(flt))]
    assert len(matches) >= 2
    app = make_app(sample_services)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("/", "a", "enter")
        await settle(app, pilot)
        await pilot.press("j", "p")
        await wait_for(pilot, lambda: isinstance(app.screen, ReplyModal), what="the reply form")
        assert app.screen.domain == matches[1]


async def test_an_opener_key_inside_a_burst_search_is_text(sample_services, db_path, db_dump):
    """'/legal' in one read: the e (edit) and the l (Lost) are letters of the search."""
    before = db_dump(db_path)
    app = make_app(sample_services)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        burst(app, "/legal")
        await drained(app, pilot)
        screen = screen_of(app)
        assert screen.bar.search_text == "legal" and app.screen is screen
    assert db_dump(db_path) == before


async def test_app_keys_that_open_a_form_keep_the_keys_after_them(open_test_services, db_path,
                                                                    db_dump):
    """"nacme.example" in one read: the generate screen gets the domain; its e, a, c and m
    never run as edit, select all, copy… on the contacts behind it."""
    from leadletter_tui.screens.generate import GenerateScreen

    services = open_test_services(db_path, sender_name="Ana", sender_offer="websites")
    insert_sample(services.store.db)
    before = db_dump(db_path)
    app = make_app(services)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        burst(app, "nacme.example")
        await wait_for(pilot, lambda: isinstance(app.screen, GenerateScreen) and
                       app.screen.domain.value == "acme.example", what="the domain typed")
    assert db_dump(db_path) == before


async def test_confirmation_ignores_keys_typed_ahead_and_defaults_to_no(
        sample_services, db_path, db_dump):
    before = db_dump(db_path)
    app = make_app(sample_services)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("a")  # select all 14
        burst(app, "ly")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal), what="confirmation")
        modal = app.screen
        assert "14 selected contacts" in modal.question
        burst(app, "y")  # while it is still guarding
        await drained(app, pilot)
        assert app.screen is modal  # still asking: y typed before it was ready never counts
        await wait_for(pilot, lambda: modal.ready, what="the dialog to say it is ready")
        assert "Ready" in str(modal.query_one("#confirm-hint").render())
        await pilot.press("enter")  # default: No
        await drained(app, pilot)
        assert isinstance(app.screen, ContactsScreen)
    assert db_dump(db_path) == before


# --- 2. undo ------------------------------------------------------------------------------
async def test_undo_walks_back_status_bulk_and_dnc_changes(sample_services):
    svc = sample_services
    first = NEWEST_FIRST[0]  # shop.acme.com, Ready
    original = statuses(svc)
    app = make_app(svc)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(app, pilot)
        await pilot.press("s")  # one contact: Ready → Sent (stamps last sent)
        await settle(app, pilot)
        assert svc.contacts.detail(first).row.last_sent_at is not None
        await pilot.press("a", "w")
        await confirm(pilot)  # bulk: all 14 → Won
        await settle(app, pilot)
        assert set(statuses(svc).values()) == {Status.WON}
        await pilot.press("D")  # do not contact on the highlighted row
        await settle(app, pilot)
        assert svc.contacts.detail(first).row.do_not_contact

        await pilot.press("u")
        await settle(app, pilot)
        assert not svc.contacts.detail(first).row.do_not_contact
        assert "Undid" in _last_toast(app) and "contactable again" not in _last_toast(app)
        await pilot.press("u")  # the bulk change is one step
        await settle(app, pilot)
        after_bulk = statuses(svc)
        assert after_bulk == {**original, first: Status.SENT}
        assert "13 contacts marked Won" in _last_toast(app)  # juniperlaw.com was Won already
        await pilot.press("u")
        await settle(app, pilot)
        row = svc.contacts.detail(first)
        assert row.status is Status.READY and row.row.last_sent_at is None
        assert statuses(svc) == original
        assert row.events[-1].detail == "undo" and row.events[-1].to_status is Status.READY
        await pilot.press("u")
        await settle(app, pilot)
        assert "Nothing to undo" in _last_toast(app)


async def test_undo_restores_an_edit_and_skips_a_contact_changed_since(sample_services):
    svc = sample_services
    app = make_app(svc)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(app, pilot)
        svc.contacts.edit_contact("acme.com", {"business_name": "Acme Bakery & Cafe"})
        await pilot.press("u")
        await settle(app, pilot)
        assert svc.contacts.detail("acme.com").row.business_name == "Acme Bakery"
        assert "edit of business name" in _last_toast(app)

        await pilot.press("l")  # shop.acme.com → Lost …
        await settle(app, pilot)
        svc.store.contacts.change_status("shop.acme.com", Status.WON)  # … then someone else
        await pilot.press("u")
        await settle(app, pilot)
        assert svc.contacts.detail("shop.acme.com").status is Status.WON  # not overwritten
        assert "changed since" in _last_toast(app)


def _last_toast(app) -> str:
    notes = list(app._notifications)
    return str(notes[-1].message) if notes else ""


# --- 9. do not contact ----------------------------------------------------------------------
async def test_do_not_contact_has_its_own_mark_and_asks_before_sent(sample_services):
    svc = sample_services
    first = NEWEST_FIRST[0]
    svc.contacts.set_do_not_contact(first, True)
    app = make_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        table = screen_of(app).table
        line = table.render_line(1).text  # the first row at 80 columns
        assert line.startswith(" ⊘")
        harbor = next(i for i, d in enumerate(NEWEST_FIRST) if d == "harbor.net")
        assert "DNC" not in table.render_line(harbor + 1).text  # not in the Sentiment column
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal), what="a warning")
        assert "DO NOT CONTACT" in app.screen.question
        await wait_for(pilot, lambda: app.screen.ready, what="ready")
        await pilot.press("enter")  # No
        await settle(app, pilot)
        assert svc.contacts.detail(first).status is Status.READY
        await pilot.press("s")
        await confirm(pilot)
        await settle(app, pilot)
        assert svc.contacts.detail(first).status is Status.SENT


# --- 10. s on a row already Sent ------------------------------------------------------------
async def test_sent_on_a_sent_row_logs_nothing_and_keeps_last_sent(
        sample_services, db_path, db_dump):
    sent_row = NEWEST_FIRST.index("larkspur.ca")  # Sent, no draft waiting
    app = make_app(sample_services)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(app, pilot)
        screen_of(app).table.cursor = sent_row
        await settle(app, pilot)
        before = db_dump(db_path)
        await pilot.press("s")
        await settle(app, pilot)
        assert db_dump(db_path) == before
        assert "already Sent" in _last_toast(app)
    events = sample_services.contacts.detail("larkspur.ca").events
    assert not [e for e in events if e.kind is EventKind.STATUS]
