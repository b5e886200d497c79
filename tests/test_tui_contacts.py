"""Pilot tests of the contacts screen: navigation, filters, selection, bulk, detail, safety.

Each test runs the real app (make_app) on its own SQLite file with the clock frozen at
2026-11-25 10:00 and asserts on widget state and on the database.
"""

from __future__ import annotations

import pytest
from sample_data import SPECS, by_status, insert_sample
from tui_helpers import choose, confirm, settle, wait_for

from leadletter_tui.app import make_app
from leadletter_tui.domain.filters import FilterSpec
from leadletter_tui.domain.model import Status
from leadletter_tui.screens.contacts import ContactsScreen
from leadletter_tui.screens.detail import DetailScreen
from leadletter_tui.screens.edit_contact import EditContactModal
from leadletter_tui.screens.filter_modal import FilterModal
from leadletter_tui.screens.help import HelpScreen
from leadletter_tui.screens.modals import ConfirmModal, TooSmallScreen

NEWEST_FIRST = [s.domain for s in reversed(SPECS)]


@pytest.fixture
def sample_services(services):
    insert_sample(services.store.db)
    return services


def screen_of(app) -> ContactsScreen:
    screen = app.screen
    assert isinstance(screen, ContactsScreen)
    return screen


def visible_domains(screen: ContactsScreen) -> list[str]:
    table = screen.table
    return [table.row_at(i).domain for i in range(table.total)]


def table_text(screen: ContactsScreen) -> str:
    table = screen.table
    return "\n".join(table.render_line(y).text for y in range(table.size.height))


def pane_text(screen: ContactsScreen) -> str:
    return "\n".join(str(w.render()) for w in screen.detail.children)


async def pane_follows_cursor(pilot, screen: ContactsScreen) -> None:
    """The side pane shows the highlighted contact (it follows after a short debounce)."""
    def shown() -> bool:
        current, detail = screen.table.current, screen.detail.detail
        return current is not None and detail is not None and detail.row.id == current.id
    await wait_for(pilot, shown, what="the detail pane to show the highlighted contact")


async def test_table_lists_contacts_newest_first_and_navigates(sample_services):
    app = make_app(sample_services)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = screen_of(app)
        table = screen.table
        assert app.focused is table
        assert table.total == len(SPECS)
        assert visible_domains(screen) == NEWEST_FIRST
        assert table.current.domain == NEWEST_FIRST[0]
        await pilot.press("j", "j")
        assert table.current.domain == NEWEST_FIRST[2]
        await pilot.press("k")
        assert table.current.domain == NEWEST_FIRST[1]
        await pilot.press("G")
        await settle(app, pilot)
        assert table.current.domain == NEWEST_FIRST[-1]
        await pilot.press("g")
        assert table.cursor == 0
        status = screen.status_line.render()
        assert f"{len(SPECS)} contacts" in str(status)
        text = table_text(screen)
        assert "Business" in text and "Status" in text
        assert "Müller & Söhne" in text  # non-ASCII shown as typed


async def test_views_reach_sent_last_week_no_reply_in_a_few_keys(sample_services):
    app = make_app(sample_services)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = screen_of(app)
        await pilot.press("v")
        await choose(pilot, "Sent last week, no reply")
        await settle(app, pilot)
        # last week = [11-16, 11-23): sent, no reply
        expected = {
            s.domain for s in SPECS
            if s.status == "sent" and s.sent and "2026-11-16" <= s.sent < "2026-11-23"
            and not s.reply
        }
        assert set(visible_domains(screen)) == expected
        assert "sent last-week" in str(screen.bar.summary.render())
        assert "no reply" in str(screen.bar.summary.render())
        assert f"{len(expected)} of {len(SPECS)}" in str(screen.status_line.render())


@pytest.mark.parametrize(
    "spec, expected",
    [
        (FilterSpec(statuses=("won", "lost")), by_status("won", "lost")),
        (FilterSpec(statuses=("ready",)), by_status("ready")),
        (FilterSpec(sent="today"), {"boltelectric.co.uk"}),
        (FilterSpec(sent="yesterday"), {"cedardental.com"}),
        (FilterSpec(sent_from="2026-11-22", sent_to="2026-11-23"),
         {"deltaxco.com", "elmtreeyoga.com"}),
        (FilterSpec(domain="acme"), {"acme.com", "shop.acme.com"}),
        (FilterSpec(domain="*.co.uk"), {"boltelectric.co.uk"}),
        (FilterSpec(search="rossi"), {"deltaxco.com"}),
        (FilterSpec(due=True), {"foxhound.de", "larkspur.ca"}),
    ],
)
async def test_each_filter_selects_exactly_the_matching_rows(sample_services, spec, expected):
    app = make_app(sample_services)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = screen_of(app)
        assert screen.apply_spec(spec)
        await settle(app, pilot)
        assert set(visible_domains(screen)) == expected


async def test_filter_form_applies_statuses_and_refuses_bad_dates(sample_services):
    app = make_app(sample_services)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        screen = screen_of(app)
        await pilot.press("F")
        await wait_for(pilot, lambda: isinstance(app.screen, FilterModal), what="filter form")
        modal = app.screen
        modal.query_one("#statuses").select("won")
        modal.query_one("#sent").value = "custom"
        modal.query_one("#sent-from").value = "2026-13-40"
        await pilot.press("ctrl+s")
        error = modal.query_one("#filter-error")
        await wait_for(pilot, lambda: "not a date" in str(error.render()), what="date error")
        assert app.screen is modal  # refused, still open
        modal.query_one("#sent-from").value = ""
        modal.query_one("#sent").clear()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen
        assert set(visible_domains(screen)) == by_status("won")


async def test_search_box_filters_as_you_type_and_escape_returns(sample_services):
    app = make_app(sample_services)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = screen_of(app)
        await pilot.press("slash")
        assert app.focused is screen.bar.search
        await pilot.press(*"ember")
        await settle(app, pilot)
        assert visible_domains(screen) == ["oakember.com"]
        await pilot.press("enter")
        assert app.focused is screen.table
        await pilot.press("x")  # clear all filters
        await settle(app, pilot)
        assert screen.table.total == len(SPECS)
        assert screen.bar.search.value == ""


async def test_status_keys_change_the_current_contact(sample_services, db_path):
    app = make_app(sample_services)
    repo = sample_services.store.contacts
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = screen_of(app)
        first = screen.table.current.domain
        assert repo.detail(first).status is Status.READY
        await pilot.press("s")
        await settle(app, pilot)
        detail = repo.detail(first)
        assert detail.status is Status.SENT
        assert detail.row.last_sent_at.isoformat() == "2026-11-25T10:00:00"
        assert detail.events[-1].to_status is Status.SENT
        await pilot.press("w")
        await settle(app, pilot)
        assert repo.detail(first).status is Status.WON
        assert screen.table.current.status is Status.WON  # table refreshed in place


async def test_select_and_bulk_change_with_confirmation(sample_services):
    app = make_app(sample_services)
    repo = sample_services.store.contacts
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = screen_of(app)
        await pilot.press("space", "space")  # toggles and moves down
        assert screen.table.selection.count(screen.table.total) == 2
        assert "2 selected" in str(screen.status_line.render())
        await pilot.press("l")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal), what="confirmation")
        assert "2 selected contacts" in app.screen.question
        await pilot.press("n")  # cancel: nothing changes
        await settle(app, pilot)
        assert repo.detail(NEWEST_FIRST[0]).status is not Status.LOST
        await pilot.press("l")
        await confirm(pilot)
        await settle(app, pilot)
        assert {repo.detail(d).status for d in NEWEST_FIRST[:2]} == {Status.LOST}
        assert screen.table.selection.count(screen.table.total) == 0


async def test_select_all_of_filter_then_bulk(sample_services):
    app = make_app(sample_services)
    repo = sample_services.store.contacts
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = screen_of(app)
        screen.apply_spec(FilterSpec(statuses=("ready",)))
        await settle(app, pilot)
        await pilot.press("a")
        assert screen.table.selection.count(screen.table.total) == len(by_status("ready"))
        await pilot.press("space")  # exclude the first one
        await pilot.press("A")
        assert screen.table.selection.count(screen.table.total) == 0
        await pilot.press("a", "w")
        await confirm(pilot)
        await settle(app, pilot)
        assert all(repo.detail(d).status is Status.WON for d in by_status("ready"))
        assert screen.table.total == 0  # none left in "ready"


async def test_narrow_enter_pushes_detail_screen_with_keys(sample_services):
    app = make_app(sample_services)
    repo = sample_services.store.contacts
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = screen_of(app)
        assert not screen.detail.display  # no room for the side pane at 80 columns
        target = screen.table.current.domain
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, DetailScreen)
        assert app.screen.detail.detail.domain == target
        await pilot.press("r")
        await settle(app, pilot)
        assert repo.detail(target).status is Status.REPLIED
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is screen


async def test_wide_layout_shows_detail_beside_table_and_edits(sample_services):
    app = make_app(sample_services)
    repo = sample_services.store.contacts
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        screen = screen_of(app)
        assert screen.detail.display
        await pilot.press("j")
        await pane_follows_cursor(pilot, screen)
        current = screen.table.current.domain
        assert current == NEWEST_FIRST[1]
        assert screen.detail.detail.domain == current
        await pilot.press("e")
        await settle(app, pilot)
        editor = app.screen
        assert isinstance(editor, EditContactModal)
        editor.query_one("#edit-business_name").value = "Renamed [b]Ltd[/b]"
        editor.query_one("#edit-phone").value = "+44 20 7946 0000"
        editor.query_one("#edit-notes").text = "Met at the fair.\nCall in spring."
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        saved = repo.detail(current)
        assert saved.row.business_name == "Renamed [b]Ltd[/b]"
        assert saved.row.phone == "+44 20 7946 0000"
        assert saved.notes == "Met at the fair.\nCall in spring."
        assert saved.events[-1].detail.startswith("edited ")
        assert "Renamed [b]" in table_text(screen)  # literal (cut to the column width)
        await wait_for(pilot, lambda: screen.detail.detail.notes == saved.notes,
                       what="the pane to show the saved contact")
        pane = pane_text(screen)
        assert "Renamed [b]Ltd[/b]" in pane and "Call in spring." in pane


async def test_edit_refuses_bad_email_and_keeps_data(sample_services):
    app = make_app(sample_services)
    repo = sample_services.store.contacts
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = screen_of(app)
        current = screen.table.current.domain
        before = repo.detail(current).row.email
        await pilot.press("e")
        await settle(app, pilot)
        editor = app.screen
        editor.query_one("#edit-email").value = "not an email"
        await pilot.press("ctrl+s")
        error = editor.query_one("#edit-error")
        await wait_for(pilot, lambda: "not an email address" in str(error.render()),
                       what="email error")
        assert app.screen is editor
        await pilot.press("escape")
        await settle(app, pilot)
        assert repo.detail(current).row.email == before


async def test_follow_up_suggestion_visible_when_due(sample_services):
    app = make_app(sample_services)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        screen = screen_of(app)
        screen.apply_spec(FilterSpec(search="fox & hound"))
        await settle(app, pilot)
        await pane_follows_cursor(pilot, screen)
        assert screen.detail.detail.domain == "foxhound.de"
        assert "Follow-up due" in pane_text(screen)


async def test_help_lists_keys_and_palette_offers_contact_commands(sample_services):
    app = make_app(sample_services)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), what="help")
        descriptions = {desc for _key, desc in app.screen.rows}
        assert {"Sent", "Replied", "Won", "Lost", "Filters", "Views"} <= descriptions
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ContactsScreen), what="contacts")
        titles = [title for title, _help, _cb in screen_of(app).palette_commands()]
        assert "contact: mark sent" in titles
        assert "filter: sent last week, no reply" in titles


async def test_too_small_terminal_shows_notice_until_resized(sample_services):
    app = make_app(sample_services)
    async with app.run_test(size=(50, 14)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, TooSmallScreen)
        assert "50×14" in str(app.screen.query_one("#too-small").render())
        await pilot.resize_terminal(80, 24)
        await settle(app, pilot)
        assert isinstance(app.screen, ContactsScreen)


async def test_first_run_empty_state_explains_how_to_start(services):
    app = make_app(services)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = screen_of(app)
        assert screen.empty.display
        text = str(screen.empty.render())
        assert "No contacts yet" in text and "import" in text and "leadletter demo" in text


HOSTILE = [
    "[/]",
    "[@click=app.quit]x[/]",
    "Smith & Sons [UK] Ltd",
    "Evil\x1b]52;c;ZXZpbA==\x1b\\ Co",
    "Bold [b]x[/b] [$accent]y",
]


async def test_hostile_names_render_literally_and_run_nothing(services, monkeypatch):
    from leadletter_tui.store.bulk import CONTACT_COLUMNS, insert_batches

    rows = []
    for i, name in enumerate(HOSTILE, start=1):
        values = dict.fromkeys(CONTACT_COLUMNS, "")
        values.update(id=i, domain=f"hostile{i}.com", business_name=name, contact_name=name,
                      status="ready", last_sent_at=None, last_reply_at=None, follow_ups=0,
                      sentiment=None, draft_pending=False, do_not_contact=False,
                      notes=name, created_at=f"2026-11-0{i} 09:00:00",
                      updated_at=f"2026-11-0{i} 09:00:00")
        rows.append(tuple(values[c] for c in CONTACT_COLUMNS))
    insert_batches(services.store.db, [(rows, [], [], [])])
    app = make_app(services)
    ran = []
    monkeypatch.setattr(type(app), "action_quit", lambda self: ran.append("quit"), raising=False)
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(app, pilot)
        screen = screen_of(app)
        text = table_text(screen)
        assert "[/]" in text
        assert "[@click=app.qu" in text  # cut to the column width, but literal
        assert "Smith & Sons [" in text
        assert "\x1b" not in text
        assert "Evil\ufffd]52;c;ZXZ" in text  # ESC shown as U+FFFD
        shown = []
        for _ in HOSTILE:
            await pane_follows_cursor(pilot, screen)
            pane = pane_text(screen)
            assert "\x1b" not in pane
            shown.append(pane)
            await pilot.press("j")
        everything = "\n".join(shown)
        for name in HOSTILE:
            assert name.replace("\x1b", "\ufffd") in everything
        await pilot.click("#contacts-table", offset=(10, 2))
        await settle(app, pilot)
        assert ran == []
        assert app.is_running


async def test_import_key_imports_a_file_and_the_table_refreshes(services, tmp_path):
    from leadletter_tui.screens.import_screen import ImportScreen

    source = tmp_path / "leads.csv"
    source.write_text("Company;Website;Email\nAcme Bakery;https://www.acme.com/;\n"
                      "Bolt;bolt.io;ben@bolt.io\n", encoding="utf-8")
    app = make_app(services)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = screen_of(app)
        assert screen.table.total == 0 and screen.empty.display
        await pilot.press("i")
        await settle(app, pilot)
        importing = app.screen
        assert isinstance(importing, ImportScreen)
        importing.path_input.value = str(source)
        importing.path_input.focus()
        await pilot.press("enter")  # preview
        await settle(app, pilot)
        await pilot.press("ctrl+g")  # import
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is screen
        assert sorted(visible_domains(screen)) == ["acme.com", "bolt.io"]
        assert not screen.empty.display


async def test_works_in_monochrome_without_mouse_setting(sample_services, monkeypatch):
    from leadletter_tui.config import Paths, load_settings

    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("LEADLETTER_MOUSE", "off")
    assert load_settings(Paths.from_platform()).mouse is False
    app = make_app(sample_services)
    assert app.no_color
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = screen_of(app)
        await pilot.press("v")
        await choose(pilot, "Sent last week, no reply")  # arrow keys and enter only
        await settle(app, pilot)
        assert screen.spec.no_reply and screen.spec.sent == "last-week"
        assert "Filter: " in str(screen.bar.summary.render())


async def test_fast_typing_in_search_box_keeps_the_last_text(sample_services):
    """Keystrokes that arrive together must not echo older text over newer (a regression:
    the box was written back from each Changed event and the filter ping-ponged)."""
    app = make_app(sample_services)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = screen_of(app)
        box = screen.bar.open_search()
        await wait_for(pilot, lambda: box.is_mounted and box.has_focus, what="the search box")
        for text in ("e", "em", "emb", "embe", "ember"):  # all before any message is handled
            box.value = text
        await settle(app, pilot)
        assert box.value == "ember"
        assert screen.spec.search == "ember"
        assert visible_domains(screen) == ["oakember.com"]


async def test_bulk_export_writes_the_selection(sample_services, tmp_path):
    import csv

    from leadletter_tui.screens.modals import PathModal

    target = tmp_path / "picked.csv"
    app = make_app(sample_services)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = screen_of(app)
        await pilot.press("space", "space", "space")  # the three newest contacts
        await pilot.press("E")
        await wait_for(pilot, lambda: isinstance(app.screen, PathModal), what="export path")
        modal = app.screen
        assert "3 contacts" in modal.title_text
        modal.query_one("#path").value = str(target)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is screen
    with target.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["domain"] for r in rows] == NEWEST_FIRST[:3]
    assert not list(tmp_path.glob(".leadletter-export-*"))  # no temporary file left
