"""Live updates in the app: another session (a second Store, or the CLI) writes to the same
database while the app runs; the app shows it without a key press, keeps the cursor on
the same contact and the selection, and refuses to act on a row that changed since it was
shown ("changed by someone else, reloaded"). SQLite and PostgreSQL."""

from __future__ import annotations

import time

import pytest
from sample_data import SPECS, Spec, insert_sample, sample_sessions
from tui_helpers import confirm, settle, wait_for

from leadletter_tui.app import make_app
from leadletter_tui.domain.model import Status
from leadletter_tui.screens.contacts import ContactsScreen

NEWEST_FIRST = [s.domain for s in reversed(SPECS)]  # the table's default order
STATUS_OF = {s.domain: Status(s.status) for s in SPECS}
LIVE_TIMEOUT = 10.0  # generous: the promise is 2 s; a loaded test machine may be slower


@pytest.fixture
def sessions(open_test_services, shared_url):
    """(the app's services, another session's services) on one database."""
    return sample_sessions(open_test_services, shared_url, "me", "them")


def _screen(app) -> ContactsScreen:
    assert isinstance(app.screen, ContactsScreen), app.screen
    return app.screen


def _toasts(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def _ready(app, pilot) -> ContactsScreen:
    await settle(app, pilot)
    await wait_for(pilot, lambda: app._watch is not None, what="the watcher")
    return _screen(app)


async def test_another_sessions_change_shows_without_a_key(sessions):
    mine, other = sessions
    app = make_app(mine)
    async with app.run_test(size=(140, 30)) as pilot:
        screen = await _ready(app, pilot)
        await pilot.press("j", "j", "space")  # the third row selected, the cursor on the fourth
        await settle(app, pilot)
        table = screen.table
        target = table.current
        assert target is not None and target.domain == NEWEST_FIRST[3]
        selected = table.selection.count(table.total)
        new = Status.WON if target.status is not Status.WON else Status.LOST
        started = time.monotonic()
        other.contacts.change_status(target.domain, new.value)
        await wait_for(pilot, lambda: table.current is not None and table.current.status is new,
                       timeout=LIVE_TIMEOUT, what="the other session's change in the table")
        took = time.monotonic() - started
        assert took < LIVE_TIMEOUT
        assert table.current.id == target.id and table.selection.count(table.total) == selected
        await wait_for(pilot, lambda: screen.detail.detail is not None
                       and screen.detail.detail.row.status is new
                       and screen.detail.detail.events[-1].actor == "them",
                       timeout=LIVE_TIMEOUT, what="the detail pane reloaded with who did it")


async def test_the_cursor_follows_its_contact_when_rows_arrive_above(sessions):
    """A contact added elsewhere lands at the top (newest first): the cursor stays on the
    contact it was on, one row further down, not on whatever took its position."""
    mine, other = sessions
    app = make_app(mine)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _ready(app, pilot)
        await pilot.press("j", "j")
        await settle(app, pilot)
        table = screen.table
        before = table.current
        insert_sample(other.store.db, [Spec("newcomer.example", "Newcomer", "", "", "ready")],
                      first_id=len(SPECS) + 5)
        await wait_for(pilot, lambda: table.total == len(SPECS) + 1, timeout=LIVE_TIMEOUT,
                       what="the new contact")
        await wait_for(pilot, lambda: table.current is not None and table.current.id == before.id,
                       timeout=LIVE_TIMEOUT, what="the cursor on the same contact")
        assert table.cursor == 3


async def test_a_key_on_a_stale_row_is_refused_and_reloads(sessions):
    """The failing scenario of issue 12: marked Won elsewhere, `s` on the row as it was
    shown must not move it won → sent. The watcher is held so the row is still stale."""
    mine, other = sessions
    app = make_app(mine)
    async with app.run_test(size=(140, 30), notifications=True) as pilot:
        screen = await _ready(app, pilot)
        app._watch.close()
        app._watch = None  # as if the change landed between two polls
        table = screen.table
        ready = next(d for d in NEWEST_FIRST if STATUS_OF[d] is Status.READY)
        while table.current.domain != ready:
            await pilot.press("j")
            await settle(app, pilot)
        other.contacts.change_status(ready, "won")
        assert table.current.status is Status.READY  # stale on screen
        await pilot.press("s")
        await settle(app, pilot)
        assert any("1 changed by someone else, reloaded" in t for t in _toasts(app))
        assert mine.contacts.detail(ready).row.status is Status.WON
        await wait_for(pilot, lambda: table.current.status is Status.WON, what="the reload")
        await pilot.press("s")  # now it is what the user sees: it goes through
        await settle(app, pilot)
        assert mine.contacts.detail(ready).row.status is Status.SENT


async def test_a_bulk_change_skips_rows_changed_since_they_were_picked(sessions):
    mine, other = sessions
    app = make_app(mine)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        screen = await _ready(app, pilot)
        app._watch.close()
        app._watch = None
        await pilot.press("space", "space", "space")
        await settle(app, pilot)
        assert screen.table.selection.count(screen.table.total) == 3
        picked = NEWEST_FIRST[:3]
        changed = next(d for d in picked if STATUS_OF[d] is not Status.WON)
        other.contacts.change_status(changed, "won")
        await pilot.press("l")
        await confirm(pilot, "y")
        await settle(app, pilot)
        lost_before = sum(STATUS_OF[d] is Status.LOST for d in picked if d != changed)
        expect = f"{2 - lost_before} contacts marked Lost; 1 changed by someone else, reloaded"
        assert any(expect in t for t in _toasts(app)), _toasts(app)
        assert mine.contacts.detail(changed).row.status is Status.WON
        assert all(mine.contacts.detail(d).row.status is Status.LOST
                   for d in picked if d != changed)


async def test_the_cli_changes_show_in_the_open_app(run_cli, open_test_services, tmp_path):
    path = tmp_path / "cli.db"
    mine = open_test_services(path)
    insert_sample(mine.store.db)
    app = make_app(mine)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _ready(app, pilot)
        first = screen.table.current
        assert run_cli("--db", path, "status", first.domain, "lost").code == 0
        await wait_for(pilot, lambda: screen.table.current.status is Status.LOST,
                       timeout=LIVE_TIMEOUT, what="the CLI's change")


async def test_the_refresh_key_reloads_and_own_writes_keep_the_cursor(open_test_services,
                                                                      tmp_path):
    path = tmp_path / "own.db"
    mine = open_test_services(path)
    insert_sample(mine.store.db)
    other = open_test_services(path)
    app = make_app(mine)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _ready(app, pilot)
        app._watch.close()
        app._watch = None  # only the key may bring the change in
        table = screen.table
        await pilot.press("j")
        await settle(app, pilot)
        row = table.current
        new = Status.LOST if row.status is not Status.LOST else Status.WON
        other.contacts.change_status(row.domain, new.value)
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        assert table.current.id == row.id and table.current.status is new
        await pilot.press("w", "j")  # own write, then move on: nothing jumps back
        await settle(app, pilot)
        assert mine.contacts.detail(row.domain).row.status is Status.WON
        assert table.cursor == 2
