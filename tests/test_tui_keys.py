"""Pilot tests of start-up and of the less visible ways in: the rows read ahead while the app
starts, the command palette (ctrl+p), and the D, o, O and c keys of the contacts screen.

Like test_tui_contacts.py: the real app on its own SQLite file, clock frozen, assertions on
widget state, the database and the clipboard.
"""

from __future__ import annotations

from sample_data import ALL, SPECS, insert_sample
from textual.command import CommandList, CommandPalette
from tui_helpers import settle, wait_for

from leadletter_tui.app import make_app
from leadletter_tui.domain.filters import Sort, SortKey
from leadletter_tui.domain.model import Status
from leadletter_tui.screens.contacts import ContactsScreen
from leadletter_tui.widgets.contact_table import ContactTable

NEWEST_FIRST = [s.domain for s in reversed(SPECS)]


def visible_domains(screen: ContactsScreen) -> list[str]:
    table = screen.table
    return [table.row_at(i).domain for i in range(table.total)]


def status_text(screen: ContactsScreen) -> str:
    return str(screen.status_line.render())


def started(services, size=(100, 30), **kwargs):
    """(app, run_test context) with sample data in the database."""
    insert_sample(services.store.db)
    app = make_app(services, **kwargs)
    return app, app.run_test(size=size, notifications=True)


# --- start-up -----------------------------------------------------------------------------
async def test_prefetched_first_page_is_shown_without_a_load_query(services, monkeypatch):
    insert_sample(services.store.db)
    first_page = services.contacts.prefetch_first_page()
    page = first_page.result(timeout=10)  # the read-ahead finished while the UI "loaded"
    assert [r.domain for r in page.rows] == NEWEST_FIRST and page.total == len(SPECS)

    load_jobs, window_queries = [], []
    real_load = ContactTable._load_worker

    def spy_load(self, *args, **kwargs):
        load_jobs.append(args)
        return real_load(self, *args, **kwargs)

    real_window = services.contacts.window

    def counting_window(*args, **kwargs):
        window_queries.append(args)
        return real_window(*args, **kwargs)

    monkeypatch.setattr(ContactTable, "_load_worker", spy_load)
    monkeypatch.setattr(services.contacts, "window", counting_window)
    app = make_app(services, first_page=first_page)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ContactsScreen)
        table = screen.table
        assert table.total == len(SPECS) and not table.busy and not table.counting
        assert visible_domains(screen) == NEWEST_FIRST
        assert f"{len(SPECS)} contacts" in status_text(screen)
        assert load_jobs == [] and window_queries == []  # shown straight from the read-ahead
        await pilot.press("O")  # any other order is a real query: the spies do see those
        await settle(app, pilot)
        assert len(load_jobs) == 1 and len(window_queries) == 1
        assert visible_domains(screen) == NEWEST_FIRST[::-1]


async def test_without_a_prefetch_the_table_queries(services, monkeypatch):
    insert_sample(services.store.db)
    load_jobs = []
    real_load = ContactTable._load_worker

    def spy_load(self, *args, **kwargs):
        load_jobs.append(args)
        return real_load(self, *args, **kwargs)

    monkeypatch.setattr(ContactTable, "_load_worker", spy_load)
    app = make_app(services)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert len(load_jobs) == 1
        assert visible_domains(app.screen) == NEWEST_FIRST


# --- command palette ------------------------------------------------------------------------
async def test_palette_runs_a_typed_command_on_the_highlighted_contact(services):
    app, running = started(services)
    repo = services.store.contacts
    async with running as pilot:
        await settle(app, pilot)
        screen = app.screen
        target = screen.table.current.domain
        assert target == NEWEST_FIRST[0] and repo.detail(target).status is Status.READY
        before = {d: repo.detail(d).status for d in ALL}
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette), what="palette")
        palette = app.screen
        await pilot.press(*"contact: mark sent")
        hits = palette.query_one(CommandList)

        def top_hit() -> str | None:
            return str(hits.get_option_at_index(0).hit.text) if hits.option_count else None

        await wait_for(pilot, lambda: top_hit() == "contact: mark sent", what="the hit")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is screen, what="the palette to close")
        await settle(app, pilot)
        detail = repo.detail(target)
        assert detail.status is Status.SENT
        assert detail.events[-1].to_status is Status.SENT
        assert screen.table.current.status is Status.SENT
        after = {d: repo.detail(d).status for d in ALL}
        assert after == {**before, target: Status.SENT}  # only the highlighted contact


# --- D: do not contact ------------------------------------------------------------------
async def test_D_toggles_do_not_contact_on_the_highlighted_contact(services):
    app, running = started(services)
    repo = services.store.contacts
    async with running as pilot:
        await settle(app, pilot)
        screen = app.screen
        target = screen.table.current.domain
        assert not repo.detail(target).row.do_not_contact
        await pilot.press("D")
        await settle(app, pilot)
        assert repo.detail(target).row.do_not_contact
        assert screen.table.current.domain == target and screen.table.current.do_not_contact
        assert any(f"{target}: do not contact" in str(n.message) for n in app._notifications)
        await pilot.press("D")  # and back
        await settle(app, pilot)
        assert not repo.detail(target).row.do_not_contact
        assert not screen.table.current.do_not_contact
        other = NEWEST_FIRST[1]
        assert not repo.detail(other).row.do_not_contact  # the neighbour was never touched


# --- o / O: sort -----------------------------------------------------------------------------
async def test_o_cycles_the_sort_column_and_O_reverses_it(services):
    app, running = started(services)
    position = {s.domain: i for i, s in enumerate(SPECS)}  # ids grow in this order
    async with running as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert screen.effective_sort == Sort(SortKey.CREATED, True)
        assert "sorted by created ↓" in status_text(screen)

        await pilot.press("O")
        await settle(app, pilot)
        assert screen.effective_sort == Sort(SortKey.CREATED, False)
        assert visible_domains(screen) == [s.domain for s in SPECS]  # oldest first
        assert "sorted by created ↑" in status_text(screen)

        await pilot.press("o")  # last sent, most recent first; never sent last
        await settle(app, pilot)
        assert screen.effective_sort == Sort(SortKey.LAST_SENT, True)
        by_sent = sorted(SPECS, key=lambda s: (s.sent or "", position[s.domain]), reverse=True)
        assert visible_domains(screen) == [s.domain for s in by_sent]
        assert "sorted by last sent ↓" in status_text(screen)

        await pilot.press("o", "o")  # business, then domain (both A→Z)
        await settle(app, pilot)
        assert screen.effective_sort == Sort(SortKey.DOMAIN, False)
        assert visible_domains(screen) == sorted(ALL)
        assert "sorted by domain ↑" in status_text(screen)

        await pilot.press("O")
        await settle(app, pilot)
        assert visible_domains(screen) == sorted(ALL, reverse=True)
        assert "sorted by domain ↓" in status_text(screen)

        await pilot.press("o", "o", "o")  # status, follow-ups, and round to "added" again
        await settle(app, pilot)
        assert screen.effective_sort == Sort(SortKey.CREATED, True)
        assert visible_domains(screen) == NEWEST_FIRST


# --- c: copy -------------------------------------------------------------------------------
async def test_c_copies_the_email_or_else_the_domain(services, db_path, db_dump):
    app, running = started(services)
    no_email = next(s for s in SPECS if not s.email)
    async with running as pilot:
        await settle(app, pilot)
        screen = app.screen
        before = db_dump(db_path)
        first = screen.table.current
        assert first.email
        await pilot.press("c")
        await wait_for(pilot, lambda: app.clipboard == first.email, what="the copied email")
        message = next(str(n.message) for n in app._notifications if first.email in str(n.message))
        assert "Copied" not in message and "Paste to check" in message

        index = visible_domains(screen).index(no_email.domain)
        await pilot.press(*["j"] * index)
        assert screen.table.current.domain == no_email.domain
        await pilot.press("c")
        await wait_for(pilot, lambda: app.clipboard == no_email.domain, what="the domain")
        assert db_dump(db_path) == before  # copying writes nothing
