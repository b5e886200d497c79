"""Pilot tests of the layout at small sizes (80×24, 80×23 as tmux leaves it, down to 60×16),
the key bar, help, the palette, and the smaller screen details (issue 9, points 3, 6, 10, 11).

"Visible" below means the widget's whole region is on screen and not clipped by a parent
(the compositor's geometry), so a button cut off by the bottom edge fails.
"""

from __future__ import annotations

import pytest
from sample_data import insert_sample
from textual.geometry import Region
from textual.widgets import Button, Input, Label
from tui_helpers import choose, settle, wait_for

from leadletter_tui.app import MAX_TOASTS, make_app
from leadletter_tui.commands import SYSTEM_PREFIX, LeadLetterCommands
from leadletter_tui.screens.contacts import ContactsScreen
from leadletter_tui.screens.detail import DetailScreen
from leadletter_tui.screens.edit_contact import EditContactModal
from leadletter_tui.screens.filter_modal import FilterModal
from leadletter_tui.screens.help import HelpScreen
from leadletter_tui.screens.modals import ChoiceModal, ConfirmModal, PathModal, TooSmallScreen

SIZES = [(80, 24), (80, 23), (60, 16)]


@pytest.fixture
def sample_services(services):
    insert_sample(services.store.db)
    return services


def fully_visible(app, widget) -> bool:
    screen = app.screen
    geometry = screen.find_widget(widget)
    region = geometry.region
    return (region.area > 0 and region.intersection(geometry.clip) == region
            and Region(0, 0, *app.size).contains_region(region))


def line_text(widget) -> str:
    return "".join(s.text for s in widget.render_lines(Region(0, 0, widget.outer_size.width, 1)))


async def contacts(app, pilot) -> ContactsScreen:
    await settle(app, pilot)
    assert isinstance(app.screen, ContactsScreen), f"not the contacts screen: {app.screen}"
    return app.screen


async def open_modal(pilot, kind, *keys):
    await pilot.press(*keys)
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, kind), what=kind.__name__)
    await settle(pilot.app, pilot)
    return pilot.app.screen


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_every_screen_fits_with_its_buttons_and_error_line(sample_services, size):
    app = make_app(sample_services)
    async with app.run_test(size=size) as pilot:
        screen = await contacts(app, pilot)
        assert fully_visible(app, screen._key_bar) and fully_visible(app, screen.status_line)
        assert fully_visible(app, screen.table)

        edit = await open_modal(pilot, EditContactModal, "e")
        email = edit.query_one("#edit-email", Input)
        email.value = "not-an-email"
        await pilot.press("ctrl+s")
        error = edit.query_one("#edit-error", Label)
        await wait_for(pilot, lambda: "email" in error.content.plain, what="the error line")
        await pilot.pause()
        for wid in ("#save", "#cancel", "#edit-error", "#edit-business_name"):
            assert fully_visible(app, edit.query_one(wid)), f"{wid} hidden at {size}"
        await pilot.press("escape")

        form = await open_modal(pilot, FilterModal, "F")
        for wid in ("#apply", "#reset", "#cancel", "#statuses"):
            assert fully_visible(app, form.query_one(wid, )), f"{wid} hidden at {size}"
        await pilot.press("escape")

        helper = await open_modal(pilot, HelpScreen, "question_mark")
        assert fully_visible(app, helper.search) and fully_visible(app, helper.list)
        await pilot.press("escape")

        views = await open_modal(pilot, ChoiceModal, "v")
        assert fully_visible(app, views.query_one("#choices"))
        await pilot.press("escape")

        await pilot.press("a")  # select all: a status key asks first
        confirm = await open_modal(pilot, ConfirmModal, "w")
        assert fully_visible(app, confirm.query_one("#yes", Button))
        await pilot.press("n")

        export = await open_modal(pilot, PathModal, "E")
        assert fully_visible(app, export.query_one("#path"))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ContactsScreen), what="back")
        await pilot.press("A", "enter")  # narrow: the detail opens full screen
        await wait_for(pilot, lambda: isinstance(app.screen, DetailScreen), what="detail")
        await settle(app, pilot)
        assert fully_visible(app, app.screen.detail)
        assert not any(isinstance(s, TooSmallScreen) for s in app.screen_stack)


async def test_too_small_says_q_quits_and_q_quits(sample_services):
    app = make_app(sample_services)
    async with app.run_test(size=(59, 15)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, TooSmallScreen)
        text = str(app.screen.query_one("#too-small").render())
        assert "press q to quit" in text and "60×16" in text
        await pilot.press("q")
        await wait_for(pilot, lambda: app.return_code is not None, what="the app to quit")
    assert app.return_code == 0


async def test_narrow_table_drops_columns_and_names_keep_room(sample_services):
    app = make_app(sample_services)
    async with app.run_test(size=(80, 24)) as pilot:
        table = (await contacts(app, pilot)).table
        assert "sentiment" in table.visible_columns()
        business_80 = table._widths[1]
        await pilot.resize_terminal(60, 16)
        await settle(app, pilot)
        assert not isinstance(app.screen, TooSmallScreen)
        shown = table.visible_columns()
        assert "sentiment" not in shown and {"business", "domain", "status"} <= set(shown)
        assert table._widths[1] >= 14
        header = line_text(table)
        assert "Sentiment" not in header and len(header.rstrip()) <= 60
        await pilot.resize_terminal(120, 36)
        await settle(app, pilot)
        assert table._widths[1] >= business_80, "Business narrower at 120 than at 80"


async def test_pane_shows_highlighted_row_after_growing_to_wide(sample_services):
    app = make_app(sample_services)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await contacts(app, pilot)
        await pilot.press("j", "j")
        await pilot.resize_terminal(120, 36)
        current = screen.table.current

        def pane_shows_current() -> bool:
            shown = screen.detail.detail
            return shown is not None and shown.row.id == current.id

        await wait_for(pilot, pane_shows_current, what="the pane to follow the highlighted row")


async def test_empty_result_says_no_match_and_x_clears(sample_services):
    app = make_app(sample_services)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await contacts(app, pilot)
        await pilot.press("slash", *"zzzqqq")
        await settle(app, pilot)
        await wait_for(pilot, lambda: screen.empty.display, what="the empty-result message")
        text = screen.empty.content.plain
        assert "No contacts match" in text and "x clears the filter" in text
        await pilot.press("escape", "x")
        await settle(app, pilot)
        assert screen.table.display and not screen.empty.display and screen.table.total > 0


async def test_long_filter_summary_ends_with_an_ellipsis_at_80(sample_services):
    app = make_app(sample_services)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await contacts(app, pilot)
        from leadletter_tui.domain.filters import FilterSpec

        screen.apply_spec(FilterSpec(statuses=("sent", "replied", "won"), sent_from="2026-10-01",
                                     sent_to="2026-11-20", domain="bakery", no_reply=True))
        await settle(app, pilot)
        shown = line_text(screen.bar.summary).rstrip()
        assert shown.endswith("…"), shown
        assert fully_visible(app, screen.bar.hint)


async def test_toasts_never_pile_up(sample_services):
    app = make_app(sample_services)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await contacts(app, pilot)
        for n in range(6):
            app.notify(f"message {n}")
        await pilot.pause()
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert len(messages) <= MAX_TOASTS and messages[-1] == "message 5"


async def test_filter_form_speaks_form_words_and_focuses_the_field(sample_services):
    app = make_app(sample_services)
    async with app.run_test(size=(80, 24)) as pilot:
        await contacts(app, pilot)
        form = await open_modal(pilot, FilterModal, "F")
        from leadletter_tui.screens.filter_modal import CUSTOM

        form.query_one("#sent").value = CUSTOM
        await pilot.pause()
        form.query_one("#sent-from", Input).value = "2026-12-01"
        form.query_one("#sent-to", Input).value = "2026-11-01"
        await pilot.press("ctrl+s")
        error = form.query_one("#filter-error", Label).content.plain
        assert error.startswith("The From date (2026-12-01) is after the To date") and "--" not in error
        assert form.focused is form.query_one("#sent-from")
        form.query_one("#sent-to", Input).value = "next week"
        await pilot.press("ctrl+s")
        error = form.query_one("#filter-error", Label).content.plain
        assert error.startswith("To date: “next week” is not a date")
        assert form.focused is form.query_one("#sent-to")


async def test_key_bar_at_80_shows_the_keys_that_matter(sample_services):
    app = make_app(sample_services)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await contacts(app, pilot)
        await pilot.pause()
        text = line_text(screen._key_bar)
        for part in ("Open", "space Select", "e Edit", "/ Search", "? Help", "q Quit"):
            assert part in text, f"{part!r} missing from {text!r}"
        assert "s/r/w/l Mark" in text


async def test_help_is_grouped_searchable_and_pages_without_skipping(sample_services):
    app = make_app(sample_services)
    async with app.run_test(size=(80, 24)) as pilot:
        await contacts(app, pilot)
        helper = await open_modal(pilot, HelpScreen, "question_mark")
        groups = [e.group for e in helper.entries]
        assert groups.index("Contact table") < groups.index("Everywhere")
        assert {"Contacts", "Contact table", "Everywhere"} <= set(groups)
        assert groups[-1] == "Everywhere"
        assert ("esc", "Back") not in helper.rows  # escape never goes back from the main screen
        by_desc = {e.description: e for e in helper.entries}
        assert by_desc["Won"].group == "Contacts" and by_desc["Page down"].group == "Contact table"
        assert by_desc["Command palette"].group == "Everywhere"

        visible = helper.list.scrollable_content_region.height
        assert helper.list.max_scroll_y > 0, "the test needs more entries than fit"
        await pilot.press("pagedown")
        await pilot.pause()
        assert helper.list.scroll_y == min(visible, helper.list.max_scroll_y)

        await pilot.press(*"won")
        await pilot.pause()
        assert helper.shown and all("won" in (e.key + e.description + e.group).lower()
                                       for e in helper.shown)
        assert "Won" in helper.text.content.plain and "Replied" not in helper.text.content.plain
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ContactsScreen), what="closed")


async def test_palette_shows_keys_and_keeps_system_commands_apart(sample_services):
    app = make_app(sample_services)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await contacts(app, pilot)
        commands = list(LeadLetterCommands(screen)._commands())
        keys = {title: key for title, _help, _cb, key in commands}
        assert keys["contact: mark sent"] == "s" and keys["contact: mark won"] == "w"
        assert keys["contact: edit"] == "e" and keys["filter: edit"] == "F"
        assert keys["app: quit"] == "q"
        titles = [title for title, *_ in commands]
        system = [i for i, t in enumerate(titles) if t.startswith(SYSTEM_PREFIX)]
        assert system and system == list(range(system[0], len(titles)))  # all at the end
        assert f"{SYSTEM_PREFIX}theme" in titles
        assert all(p.__name__ == "LeadLetterCommands" for p in app.COMMANDS)


async def test_sorted_column_is_marked_in_the_header(sample_services):
    app = make_app(sample_services)
    async with app.run_test(size=(80, 24)) as pilot:
        table = (await contacts(app, pilot)).table
        await pilot.press("o")  # last sent, newest first
        await settle(app, pilot)
        assert "Last sent↓" in line_text(table)
        await pilot.press("o")  # business, A→Z
        await settle(app, pilot)
        header = line_text(table)
        assert "Business ↑" in header and "Last sent↓" not in header


async def test_views_menu_still_works_at_80x23(sample_services):
    app = make_app(sample_services)
    async with app.run_test(size=(80, 23)) as pilot:
        screen = await contacts(app, pilot)
        await pilot.press("v")
        await choose(pilot, "Won")
        await settle(app, pilot)
        assert screen.filter.statuses and screen.table.total > 0
