"""The one worker pattern (leadletter_tui/workers.py): results come back on the node's own
queue, every node that starts workers reports failures through the app's one handler, and a
stale job is cancelled. The failure test is the one that was silent before: a bulk change on
a locked database."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import sqlite3
from pathlib import Path

from sample_data import insert_sample
from tui_helpers import wait_for
from textual.dom import DOMNode

import leadletter_tui
from leadletter_tui.app import make_app
from leadletter_tui.domain.model import Status
from leadletter_tui.workers import CancelToken, ReportsWorkerErrors

PACKAGE = Path(leadletter_tui.__file__).parent


def _sources():
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path, path.read_text(encoding="utf-8")


def test_no_worker_blocks_on_the_ui():
    offenders = [str(p.relative_to(PACKAGE)) for p, text in _sources()
                 if p.name != "workers.py" and "call_from_thread" in text]
    assert offenders == []


def _classes_with_workers() -> set[str]:
    names = set()
    for _path, text in _sources():
        for node in ast.walk(ast.parse(text)):
            if not isinstance(node, ast.ClassDef):
                continue
            for item in node.body:
                decorators = getattr(item, "decorator_list", [])
                for d in decorators:
                    target = d.func if isinstance(d, ast.Call) else d
                    if getattr(target, "id", getattr(target, "attr", "")) == "work":
                        names.add(node.name)
            if "run_worker" in ast.unparse(node):
                names.add(node.name)
    return names


def test_every_node_that_starts_workers_reports_their_failures():
    with_workers = _classes_with_workers()
    assert {"ContactTable", "ContactActions", "ImportScreen"} <= with_workers
    checked = 0
    for info in pkgutil.walk_packages(leadletter_tui.__path__, "leadletter_tui."):
        module = importlib.import_module(info.name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module.__name__ or not issubclass(cls, DOMNode):
                continue
            if any(base.__name__ in with_workers for base in cls.__mro__):
                checked += 1
                assert issubclass(cls, ReportsWorkerErrors), cls
    assert checked >= 4


def test_cancel_token_runs_each_hook_once_and_late_hooks_at_once():
    token, calls = CancelToken(), []
    token.on_cancel(lambda: calls.append("a"))
    token.cancel()
    token.cancel()
    token.on_cancel(lambda: calls.append("late"))
    assert calls == ["a", "late"] and token.cancelled


async def test_a_failed_bulk_change_is_reported_and_changes_nothing(open_test_services, db_path):
    services = open_test_services(db_path, busy_timeout_ms=50)
    insert_sample(services.store.db)
    app = make_app(services)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await wait_for(pilot, lambda: app.screen.table.total > 0 and not app.screen.table.counting)
        screen = app.screen
        before = {r.domain: r.status for r in services.contacts.rows(
            services.contacts.make_filter(), screen.effective_sort)}
        locker = sqlite3.connect(db_path, isolation_level=None)
        locker.execute("BEGIN IMMEDIATE")  # another program holds the write lock
        try:
            screen.table.select_all()
            screen.bulk_status(Status.WON)
            await wait_for(pilot, lambda: any(n.severity == "error" for n in app._notifications))
        finally:
            locker.execute("ROLLBACK")
            locker.close()
        errors = [n.message for n in app._notifications if n.severity == "error"]
        assert len(errors) == 1 and "locked" in str(errors[0])
        after = {r.domain: r.status for r in services.contacts.rows(
            services.contacts.make_filter(), screen.effective_sort)}
        assert after == before


async def test_a_new_filter_cancels_the_stale_count(services):
    insert_sample(services.store.db)
    app = make_app(services)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.screen.table.total > 0)
        table = app.screen.table
        contacts = services.contacts
        first_token = table._count_token
        table.load(contacts.make_filter(search="a"), app.screen.effective_sort)
        second_token = table._count_token
        table.load(contacts.make_filter(statuses=["sent"]), app.screen.effective_sort)
        assert first_token.cancelled and second_token.cancelled
        assert not table._count_token.cancelled
        await wait_for(pilot, lambda: not table.busy and not table.counting)
        assert table.total == contacts.count(contacts.make_filter(statuses=["sent"]))
        assert {table.row_at(i).status for i in range(table.total)} == {Status.SENT}
