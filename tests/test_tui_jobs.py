"""Long jobs in the TUI: bulk status changes and exports show progress, report failures
through the app's one handler, and quitting during one asks whether to cancel it."""

from __future__ import annotations

import csv
import json
import sqlite3
import threading

import pytest
from sample_data import SPECS, insert_sample
from tui_helpers import confirm, settle, wait_for

from leadletter_tui.app import make_app
from leadletter_tui.screens.contacts import ContactsScreen
from leadletter_tui.screens.export_modal import ExportPathModal
from leadletter_tui.screens.modals import ConfirmModal
from leadletter_tui.widgets.job_progress import JobProgress


@pytest.fixture
def sample_services(services):
    insert_sample(services.store.db)
    return services


def errors_shown(app) -> list[str]:
    return [str(n.message) for n in app._notifications if n.severity == "error"]


def messages_shown(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def open_screen(app, pilot) -> ContactsScreen:
    await settle(app, pilot)
    assert isinstance(app.screen, ContactsScreen)
    return app.screen


async def test_bulk_change_on_a_locked_database_is_reported(open_test_services, db_path):
    svc = open_test_services(db_path, busy_timeout_ms=100)
    insert_sample(svc.store.db)
    app = make_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_screen(app, pilot)
        other = sqlite3.connect(db_path)
        other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
        try:
            await pilot.press("a", "w")
            await confirm(pilot, "y")
            await wait_for(pilot, lambda: errors_shown(app), what="the failure to be shown")
        finally:
            other.rollback()
            other.close()
        assert "locked" in errors_shown(app)[0] or "busy" in errors_shown(app)[0]
        await wait_for(pilot, lambda: not screen.query(JobProgress), what="job line gone")
    con = sqlite3.connect(db_path)
    assert con.execute("SELECT COUNT(*) FROM contact WHERE status = 'won'").fetchone()[0] == \
        sum(1 for s in SPECS if s.status == "won")


async def test_bulk_change_shows_progress_then_the_result(sample_services, monkeypatch):
    import leadletter_tui.store.bulk_status as bs

    monkeypatch.setattr(bs, "CHUNK", 3)
    app = make_app(sample_services)
    seen: list[tuple[int, int]] = []
    real = JobProgress.advance_to
    monkeypatch.setattr(JobProgress, "advance_to",
                        lambda self, d, t: (seen.append((d, t)), real(self, d, t)))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(app, pilot)
        await pilot.press("a", "l")
        await confirm(pilot, "y")
        await settle(app, pilot)
        assert any("contacts marked Lost" in m for m in messages_shown(app))
    total = len(SPECS)
    assert seen[0] == (0, total) and seen[-1] == (total, total) and len(seen) >= 3


async def test_quit_during_a_job_asks_and_cancel_changes_nothing(sample_services, db_path,
                                                                 db_dump, monkeypatch):
    """A job that runs until cancelled: q asks (n keeps it running), then q + y cancels
    it and quits; the database is as it was."""
    started, stopped = threading.Event(), threading.Event()
    real = sample_services.contacts.change_status_checked

    def slow(ids, status, *, progress=None, cancelled=None, **seen):
        def hold():
            started.set()
            while not cancelled():
                stopped.wait(0.01)
            stopped.set()
            return True
        return real(ids, status, progress=progress, cancelled=hold, **seen)

    monkeypatch.setattr(sample_services.contacts, "change_status_checked", slow)
    before = db_dump(db_path)
    app = make_app(sample_services)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_screen(app, pilot)
        await pilot.press("a", "w")
        await confirm(pilot, "y")
        await wait_for(pilot, started.is_set, what="the job to start")
        await pilot.press("q")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal), what="quit question")
        assert "Still running: Marking" in app.screen.question
        await confirm(pilot, "n")
        await wait_for(pilot, lambda: app.screen is screen, what="back to the table")
        assert screen.running_job() and not stopped.is_set()
        await pilot.press("q")
        await confirm(pilot, "y")
        await wait_for(pilot, stopped.is_set, what="the job to be cancelled")
    assert db_dump(db_path) == before


async def export_via_dialog(app, pilot, typed: str):
    await pilot.press("E")
    await wait_for(pilot, lambda: isinstance(app.screen, ExportPathModal), what="export path")
    app.screen.query_one("#path").value = typed
    await pilot.press("enter")


async def test_export_bad_path_keeps_the_dialog_with_the_typed_path(sample_services, tmp_path):
    typed = str(tmp_path / "no-such-folder" / "out.csv")
    app = make_app(sample_services)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(app, pilot)
        await export_via_dialog(app, pilot, typed)
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, ExportPathModal)
        assert modal.query_one("#path").value == typed
        assert "does not exist" in str(modal.error.render()) and modal.error.display
        await export_via_dialog_retype(pilot, modal, str(tmp_path))  # a folder, not a file
        assert isinstance(app.screen, ExportPathModal) and "folder" in str(modal.error.render())


async def export_via_dialog_retype(pilot, modal, typed: str) -> None:
    modal.query_one("#path").value = typed
    await pilot.press("enter")
    await pilot.pause()


async def test_export_asks_before_replacing_a_file(sample_services, tmp_path):
    target = tmp_path / "old.json"
    target.write_text("keep me")
    app = make_app(sample_services)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(app, pilot)
        await export_via_dialog(app, pilot, str(target))
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal), what="replace?")
        assert "already exists" in app.screen.question
        await confirm(pilot, "n")  # no: back in the dialog, nothing written
        await wait_for(pilot, lambda: isinstance(app.screen, ExportPathModal), what="dialog")
        assert target.read_text() == "keep me"
        await pilot.press("enter")
        await confirm(pilot, "y")
        await settle(app, pilot)
        assert isinstance(app.screen, ContactsScreen)
    items = json.loads(target.read_text())
    assert len(items) == len(SPECS)
    assert {"notes", "category", "extra", "do_not_contact", "created_at", "updated_at"} <= set(items[0])


async def test_export_writes_every_field_to_csv(sample_services, tmp_path):
    target = tmp_path / "all.csv"
    app = make_app(sample_services)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(app, pilot)
        await export_via_dialog(app, pilot, str(target))
        await settle(app, pilot)
        assert any("Exported" in m for m in messages_shown(app))
    with target.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(SPECS)
    assert {"notes", "category", "do_not_contact", "created_at", "updated_at"} <= set(rows[0])


async def test_export_to_a_named_pipe_writes_into_it_without_asking(sample_services, tmp_path):
    """A FIFO (or /dev/null) exists but is not a file to replace: no "Replace?", the rows
    go into it, and it stays a pipe."""
    import os
    import stat
    import threading

    pipe = tmp_path / "out.csv"
    os.mkfifo(pipe)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(pipe.read_bytes()), daemon=True)
    reader.start()
    app = make_app(sample_services)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(app, pilot)
        await export_via_dialog(app, pilot, str(pipe))
        await wait_for(pilot, lambda: not reader.is_alive(), timeout=10, what="the pipe read")
        assert not isinstance(app.screen, ConfirmModal)
    assert stat.S_ISFIFO(os.stat(pipe).st_mode)
    lines = got[0].decode().splitlines()
    assert len(lines) == len(SPECS) + 1 and lines[0].startswith("domain")
