"""Start-up: the short `leadletter [--db URL]` path (launch.py) and the first screen.

The short path opens the TUI without click; everything else goes to the click CLI. The
first screen is the app's default screen and shows the read-ahead rows and their count
as it mounts (benchmarks/bench_table.py times this through a real pseudo-terminal).
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys

import pytest
from sample_data import SPECS, insert_sample

from leadletter_tui import launch
from leadletter_tui.app import make_app
from leadletter_tui.screens.contacts import ContactsScreen


@pytest.mark.parametrize(
    ("args", "db"),
    [
        ([], None),
        (["--db", "x.db"], "x.db"),
        (["--db=sqlite:///a b.db"], "sqlite:///a b.db"),
        (["--db", "postgresql://u@h/d"], "postgresql://u@h/d"),
    ],
)
def test_arguments_that_only_open_the_tui(args, db):
    assert launch.tui_database(args) == db


@pytest.mark.parametrize(
    "args",
    [
        ["list"],
        ["--help"],
        ["-h"],
        ["--version"],
        ["--db"],
        ["--db="],
        ["--db", "x.db", "list"],
        ["--db", "--help"],
        ["list", "--db", "x.db"],
    ],
)
def test_anything_else_goes_to_the_cli(args):
    assert launch.tui_database(args) is launch.NOT_THE_TUI


def test_the_entry_point_runs_commands_through_the_cli(services, db_path, capsys):
    insert_sample(services.store.db)
    services.close()
    with pytest.raises(SystemExit) as exit_:
        launch.main(["--db", str(db_path), "list", "--json", "--limit", "2"])
    assert exit_.value.code == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["domain"] for r in rows] == [s.domain for s in reversed(SPECS)][:2]


def test_a_failure_on_the_short_path_is_reported_like_the_cli(tmp_path, capsys):
    missing = tmp_path / "no-such-dir" / "x.db"
    with pytest.raises(SystemExit) as exit_:
        launch.main(["--db", str(missing)])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("leadletter: error: ") and "does not exist" in err


def test_the_short_path_loads_no_click_and_collects_no_garbage_until_the_app(services, db_path):
    """In a fresh process (what is already imported here would not count): the app is
    reached without click, with a read-ahead first page, while collection is off."""
    insert_sample(services.store.db)
    services.close()
    probe = (
        "import gc, sys\n"
        "import leadletter_tui.app as app\n"
        "from leadletter_tui import launch\n"
        "def run_tui(services, paths, first_page):\n"
        "    page = first_page.result(timeout=10)\n"
        "    print('click' in sys.modules, gc.isenabled(), len(page.rows), page.total)\n"
        "app.run_tui = run_tui\n"
        f"launch.main(['--db', {str(db_path)!r}])\n"
    )
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          env=os.environ, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["False", "False", str(len(SPECS)), str(len(SPECS))]


async def test_the_first_screen_shows_read_ahead_rows_and_count_as_it_mounts(services):
    insert_sample(services.store.db)
    ahead = services.contacts.prefetch_first_page()
    ahead.result(timeout=10)
    app = make_app(services, None, ahead)
    was_enabled = gc.isenabled()
    gc.disable()  # as `leadletter` starts it
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            screen = app.screen
            assert isinstance(screen, ContactsScreen) and app.current_mode == "contacts"
            # No worker was needed: the rows and the exact count came with the screen.
            assert not screen.table.busy and not screen.table.counting
            assert screen.status_line.content.plain.startswith(f"{len(SPECS)} contacts")
            await pilot.pause()
            assert gc.isenabled()  # back on once the first screen was painted
            await app.switch_mode("contacts")  # its own mode: nothing changes
            assert app.screen is screen
    finally:
        if was_enabled:
            gc.enable()
