"""The TUI's first screen read without the store (store/quick.py, services.open_for_tui):
the same rows and count the store gives, only where the store would open the file as it
is, and the store opened later off the UI thread."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from tui_helpers import settle, wait_for

from leadletter_tui.app import make_app
from leadletter_tui.config import Paths, Settings
from leadletter_tui.domain.filters import ContactFilter, default_sort
from leadletter_tui.services import open_for_tui
from leadletter_tui.services.demo import add_demo_contacts
from leadletter_tui.store import quick
from leadletter_tui.store.db import LATEST, StoreError, parse_url

NOW = "2026-11-25T10:00:00"
FIXTURES = Path(__file__).parent / "data" / "schemas"


def _tui(isolated_env, path):
    paths = Paths(isolated_env.config_dir, isolated_env.data_dir, isolated_env.log_dir)
    return open_for_tui(Settings(now=NOW), paths, str(path))


@pytest.fixture
def demo_db(open_test_services, db_path):
    svc = open_test_services(db_path)
    add_demo_contacts(svc, 250, seed=7)
    # Ties and gaps the order must get right: some contacts deleted, some changed.
    svc.store.db.execute_sql("DELETE FROM contact WHERE id % 17 = 0")
    svc.store.db.execute_sql("UPDATE contact SET status = 'won' WHERE id % 5 = 0")
    svc.close()
    return db_path


def test_the_schema_version_read_is_the_one_the_store_writes():
    assert quick.SCHEMA_VERSION == LATEST


@pytest.mark.parametrize("url", [
    "~/crm.db", "relative/dir/crm.db", "/abs/crm.db", "sqlite:///abs/crm.db",
    "sqlite://rel/crm.db", "SQLITE:////abs/crm.db", "  /padded.db  ",
])
def test_a_file_url_names_the_file_the_store_opens(url):
    assert quick.sqlite_path(url) == parse_url(url).path


@pytest.mark.parametrize("url", ["", "   ", "sqlite://", "sqlite:///", "postgresql://u@h/db",
                                 "mysql://h/db"])
def test_anything_but_a_file_is_left_to_the_store(url):
    assert quick.sqlite_path(url) is None
    try:
        target = parse_url(url)
    except StoreError:
        return
    assert target.path is None


def test_the_first_page_and_count_are_the_stores(open_test_services, demo_db):
    got = quick.first_page(str(demo_db), 100)
    assert got is not None
    svc = open_test_services(demo_db)
    flt = ContactFilter()
    window = svc.store.window(flt, default_sort(flt))
    assert got == (window.rows(0, 100), svc.store.contacts.total())
    assert got[1] == 250 - 250 // 17  # the deleted ones are not counted
    small = quick.first_page(str(demo_db), 7)
    assert small == (window.rows(0, 7), got[1])


def test_a_short_table_gives_every_row(open_test_services, db_path):
    svc = open_test_services(db_path)
    add_demo_contacts(svc, 12, seed=1)
    svc.close()
    rows, total = quick.first_page(str(db_path), 100)
    assert total == 12 and len(rows) == 12 and rows[0].id > rows[-1].id


def test_files_the_store_must_see_first_are_not_read(tmp_path, open_test_services, demo_db):
    assert quick.first_page(str(tmp_path / "missing.db"), 100) is None  # to be created
    assert quick.first_page(str(tmp_path), 100) is None  # a directory
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    assert quick.first_page(str(empty), 100) is None
    foreign = tmp_path / "foreign.db"
    import sqlite3

    with sqlite3.connect(foreign) as conn:
        conn.execute("PRAGMA journal_mode = wal")
        conn.execute("CREATE TABLE contact (id INTEGER PRIMARY KEY)")
    assert quick.first_page(str(foreign), 100) is None
    if (FIXTURES / "v6.db").exists():  # an older schema: migrated first, by the store
        old = tmp_path / "old.db"
        shutil.copyfile(FIXTURES / "v6.db", old)
        assert quick.first_page(str(old), 100) is None
    cut = tmp_path / "cut.db"
    shutil.copyfile(demo_db, cut)
    with open(cut, "r+b") as fh:
        fh.truncate(os.path.getsize(cut) - 4096)
    assert quick.first_page(str(cut), 100) is None


def test_counters_that_disagree_with_the_table_leave_it_to_the_store(demo_db):
    import sqlite3

    with sqlite3.connect(demo_db) as conn:
        conn.execute("DROP TRIGGER IF EXISTS contact_count_delete")  # as if damaged
        triggers = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'contact'")]
        for name in triggers:
            conn.execute(f'DROP TRIGGER "{name}"')
        conn.execute("DELETE FROM contact")
    assert quick.first_page(str(demo_db), 100) is None


def test_open_for_tui_reads_first_and_opens_the_store_on_first_use(isolated_env, demo_db):
    services = _tui(isolated_env, demo_db)
    try:
        assert not services.store_opened
        assert services.db_display == str(demo_db)
        page = services.prefetch_first_page().result(timeout=5)
        assert not services.store_opened and page.total == page.all_total == 236
        deeper = page.window.rows(100, 50)  # the next page: the store opens for it
        assert services.store_opened
        flt = ContactFilter()
        assert deeper == services.store.window(flt, default_sort(flt)).rows(100, 50)
        assert services.db_display == str(demo_db)
    finally:
        services.close()


def test_open_for_tui_opens_an_older_database_at_once(isolated_env, tmp_path):
    if not (FIXTURES / "v6.db").exists():
        pytest.skip("no v6 fixture")
    old = tmp_path / "old.db"
    shutil.copyfile(FIXTURES / "v6.db", old)
    services = _tui(isolated_env, old)
    try:
        assert services.store_opened  # migrated before anything was shown
        page = services.prefetch_first_page().result(timeout=5)
        assert page.rows and page.total == services.store.contacts.total()
    finally:
        services.close()


async def test_the_app_shows_the_quick_page_and_opens_the_store_off_the_ui_thread(
        isolated_env, demo_db):
    services = _tui(isolated_env, demo_db)
    opened_on = []
    real = services._opener

    def opener():
        opened_on.append(threading.current_thread() is threading.main_thread())
        return real()

    services._opener = opener
    app = make_app(services, None, services.prefetch_first_page())
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            table = app.screen.table
            assert table.total == 236 and not table.busy
            await wait_for(pilot, lambda: services.store_opened, what="the store")
            await settle(app, pilot)
            assert opened_on == [False]
            await pilot.press("G")  # the last row: read through the real window
            await wait_for(pilot, lambda: table.row_at(table.total - 1) is not None,
                           what="the last page")
            last = table.row_at(table.total - 1)
            assert last.id == min(r.id for r in services.store.contacts.iter_rows(
                ContactFilter(), default_sort(ContactFilter())))
    finally:
        services.close()


def test_the_tui_start_up_loads_no_peewee_before_the_app_runs(open_test_services, db_path):
    """In a fresh process: on a current SQLite file, the app is reached with its first page
    and without Peewee (or the store's modules) loaded."""
    svc = open_test_services(db_path)
    add_demo_contacts(svc, 40, seed=2)
    svc.close()
    probe = (
        "import sys\n"
        "import leadletter_tui.app as app\n"
        "from leadletter_tui import launch\n"
        "def run_tui(services, paths, first_page):\n"
        "    page = first_page.result(timeout=10)\n"
        "    loaded = sorted(m for m in sys.modules if m == 'peewee' or m.startswith("
        "'leadletter_tui.store.') and m not in ('leadletter_tui.store.quick', "
        "'leadletter_tui.store.rows', 'leadletter_tui.store.errors', 'leadletter_tui.store.target', "
        "'leadletter_tui.store.sqlite', 'leadletter_tui.store.sqlite.header'))\n"
        "    print(len(page.rows), page.total, loaded)\n"
        "app.run_tui = run_tui\n"
        f"launch.main(['--db', {str(db_path)!r}])\n"
    )
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          env=os.environ, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["40", "40", "[]"]
