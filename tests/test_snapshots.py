"""SVG snapshots of the main views (pytest-textual-snapshot), clock frozen by the fixtures.

Update after an intended visual change with `pytest tests/test_snapshots.py --snapshot-update`.
These tests are plain `def` (snap_compare runs its own event loop).
"""

from __future__ import annotations

import pytest
from sample_data import insert_sample
from tui_helpers import choose, settle, wait_for

from leadletter_tui.app import make_app


@pytest.fixture
def app(services):
    insert_sample(services.store.db)
    app = make_app(services)
    app.sub_title = "store.db"  # the real path differs per test run
    return app


async def _settled(pilot) -> None:
    await settle(pilot.app, pilot)


def test_contacts_80x24(app, snap_compare):
    assert snap_compare(app, terminal_size=(80, 24), run_before=_settled)


def test_contacts_wide_with_detail_pane(app, snap_compare):
    async def run_before(pilot):
        await _settled(pilot)
        await pilot.press("j", "j")
        screen = pilot.app.screen

        def pane_shows_cursor() -> bool:
            detail = screen.detail.detail
            return detail is not None and detail.row.id == screen.table.current.id

        await wait_for(pilot, pane_shows_cursor, what="the detail pane")
        await _settled(pilot)

    assert snap_compare(app, terminal_size=(140, 36), run_before=run_before)


def test_filter_form_80x24(app, snap_compare):
    async def run_before(pilot):
        await _settled(pilot)
        await pilot.press("F")
        await _settled(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_sent_last_week_no_reply_view(app, snap_compare):
    async def run_before(pilot):
        await _settled(pilot)
        await pilot.press("v")
        await choose(pilot, "Sent last week, no reply")
        await _settled(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_filter_form_focused_field_shows_typed_text(app, snap_compare):
    """The focused one-line field shows what is typed (no tall focus border hiding it)."""
    async def run_before(pilot):
        await _settled(pilot)
        await pilot.press("F")
        await _settled(pilot)
        pilot.app.screen.query_one("#domain").focus()
        await pilot.press(*"bakery")
        await _settled(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_edit_form_with_error_80x23(app, snap_compare):
    async def run_before(pilot):
        await _settled(pilot)
        await pilot.press("e")
        await wait_for(pilot, lambda: pilot.app.screen.query("#edit-email"), what="the edit form")
        pilot.app.screen.query_one("#edit-email").value = "not-an-email"
        await pilot.press("ctrl+s")
        await _settled(pilot)

    assert snap_compare(app, terminal_size=(80, 23), run_before=run_before)


def test_contacts_compact_60x16(app, snap_compare):
    assert snap_compare(app, terminal_size=(60, 16), run_before=_settled)


def test_help_80x23(app, snap_compare):
    async def run_before(pilot):
        await _settled(pilot)
        await pilot.press("question_mark")
        await _settled(pilot)

    assert snap_compare(app, terminal_size=(80, 23), run_before=run_before)


def test_too_small_says_how_to_quit(app, snap_compare):
    assert snap_compare(app, terminal_size=(58, 14), run_before=_settled)
