"""The app's log file: private (0600, rotated files too), bounded, scrubbed of keys and
passwords, no reply text at info level, crash reports in it, `locate` names it, and no
cost for `list` or the TUI's first paint."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from sample_data import insert_sample
from tui_helpers import settle, wait_for

from leadletter_tui import logs
from leadletter_tui.app import make_app
from leadletter_tui.config import Paths

KEY = "sk-ant-api03-Zx9_secretKEYvalue-0123456789"


@pytest.fixture(autouse=True)
def fresh_logging():
    logs.shutdown()
    yield
    logs.shutdown()


def _log(isolated_env) -> str:
    path = isolated_env.log_dir / logs.LOG_NAME
    return path.read_text(encoding="utf-8") if path.exists() else ""


def _mode(path) -> int:
    return path.stat().st_mode & 0o777


def test_the_log_is_private_from_creation_and_after_every_rotation(isolated_env, monkeypatch):
    monkeypatch.setattr(logs, "MAX_BYTES", 2_000)
    old_umask = os.umask(0)  # a careless umask: the mode must come from os.open itself
    try:
        path = logs.configure(isolated_env.log_dir)
        logs.info("first line")
        assert _mode(path) == 0o600 and _mode(isolated_env.log_dir) == 0o700
        for i in range(400):
            logs.info("line %d %s", i, "x" * 60)
    finally:
        os.umask(old_umask)
    files = sorted(isolated_env.log_dir.iterdir())
    assert [f.name for f in files] == [
        "leadletter.log", "leadletter.log.1", "leadletter.log.2", "leadletter.log.3"]
    for f in files:  # bounded: BACKUPS + 1 files, none much over MAX_BYTES
        assert _mode(f) == 0o600, f
        assert f.stat().st_size <= 2_000 + 200
    assert "line 399" in path.read_text()


def test_keys_and_passwords_never_reach_the_file(isolated_env):
    logs.configure(isolated_env.log_dir, secrets=("plain-secret-key-42",))
    logs.info("key %s in an argument", KEY)
    logs.info("inline " + KEY + " and plain-secret-key-42")
    logs.warning("cannot use postgresql://ll:s3cret@127.0.0.1:5432/crm or "
                 "postgresql://ll:s3cr/et@/crm or host=db password=hunter22 user=x")
    try:
        raise RuntimeError(f"boom with {KEY} at https://bob:pa55word@example.com/x")
    except RuntimeError as exc:
        logs.error("failed", exc=exc)
    text = _log(isolated_env)
    for secret in ("api03-Zx9", "plain-secret-key-42", "s3cret", "s3cr/et", "hunter22",
                   "pa55word"):
        assert secret not in text
    assert text.count("sk-ant-***") == 3 and "postgresql://ll:***@127.0.0.1:5432/crm" in text
    assert "https://bob:***@example.com/x" in text and "Traceback" in text
    assert "password=***" in text


def test_nothing_is_written_before_configure(isolated_env):
    logs.info("where would this go?")
    assert not isolated_env.log_dir.exists()


def test_reply_text_is_logged_at_debug_only(run_cli, open_test_services, db_path,
                                            isolated_env, monkeypatch):
    svc = open_test_services(db_path)
    insert_sample(svc.store.db)
    svc.close()
    text = "Zanzibar pricing question: what would the rebuild cost?"
    assert run_cli("--db", db_path, "reply", "foxhound.de", "--text", text, "--offline").code == 0
    logged = _log(isolated_env)
    assert "reply recorded for foxhound.de" in logged and "Zanzibar" not in logged
    logs.shutdown()
    monkeypatch.setenv("LEADLETTER_LOG_LEVEL", "debug")  # the same call, debug on: it shows
    assert run_cli("--db", db_path, "reply", "foxhound.de", "--text", text, "--offline").code == 0
    assert "Zanzibar" in _log(isolated_env)


def test_imports_exports_migrations_and_bulk_actions_are_logged(run_cli, tmp_path,
                                                                isolated_env):
    db = tmp_path / "ops.db"
    csv = tmp_path / "in.csv"
    csv.write_text("website,company\nacme.com,Acme\nbeta.com,Beta\nbad host,X\n")
    assert run_cli("--db", db, "import", csv).code in (0, 1)
    assert run_cli("--db", db, "export", "-o", tmp_path / "out.json").code == 0
    text = _log(isolated_env)
    assert f"database {db}: schema v" in text  # created
    assert f"into {db}: 3 rows, 2 created, 0 updated, 0 duplicates, 1 invalid" in text
    assert f"export: 2 contacts from {db} to {tmp_path / 'out.json'} (json)" in text


def test_a_crash_goes_to_the_private_log_and_the_hint_names_it(run_cli, isolated_env,
                                                               monkeypatch):
    from leadletter_tui.cli import misc

    def broken(*_a, **_k):
        raise RuntimeError(f"bug while holding {KEY}")

    monkeypatch.setattr(misc, "database_url", broken)
    result = run_cli("locate")
    path = isolated_env.log_dir / logs.LOG_NAME
    assert result.code == 1 and result.err.rstrip().endswith(f"(details in {path})")
    text = path.read_text()
    assert "Traceback" in text and "RuntimeError" in text and "api03" not in text
    assert _mode(path) == 0o600 and not (isolated_env.log_dir / "crash.log").exists()


def test_locate_names_the_log_file(run_cli, isolated_env):
    expected = str(isolated_env.log_dir / "leadletter.log")
    assert json.loads(run_cli("locate", "--json").out)["log_file"] == expected
    assert f"log file     {expected}" in run_cli("locate").out.splitlines()


async def test_the_app_logs_its_start_after_the_first_paint(services, isolated_env):
    insert_sample(services.store.db)
    logs.configure(isolated_env.log_dir)
    app = make_app(services, Paths(isolated_env.config_dir, isolated_env.data_dir,
                                   isolated_env.log_dir))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await wait_for(pilot, lambda: "app start" in _log(isolated_env), what="the start line")
    from leadletter_tui import __version__

    assert f"app start: leadletter {__version__}, database {services.db_display}" in _log(
        isolated_env)


PROBE = """
import sys
import leadletter_tui.app as app
from leadletter_tui import launch
def run_tui(services, paths, first_page):
    first_page.result(timeout=10)
    print("tui", "logging.handlers" in sys.modules)
app.run_tui = run_tui
try:
    launch.main(sys.argv[1:])
except SystemExit:
    pass
"""

LIST_PROBE = """
import sys
from leadletter_tui.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print("list", "logging.handlers" in sys.modules, file=sys.stderr)
"""


def test_first_paint_and_list_never_load_the_log_handler(services, db_path):
    insert_sample(services.store.db)
    services.close()
    tui = subprocess.run([sys.executable, "-c", PROBE, "--db", str(db_path)],
                         capture_output=True, text=True, env=os.environ, timeout=60)
    assert tui.stdout.split() == ["tui", "False"], tui.stderr
    listed = subprocess.run([sys.executable, "-c", LIST_PROBE, "--db", str(db_path), "list",
                             "--json"], capture_output=True, text=True, env=os.environ,
                            timeout=60)
    assert listed.stderr.split() == ["list", "False"] and json.loads(listed.stdout)


def test_generation_failures_and_bulk_changes_are_logged_with_reason_and_count(
        services, isolated_env):
    from leadletter_tui.domain.model import Status
    from leadletter_tui.services.generation import GenerationError, GenerationService

    insert_sample(services.store.db)
    logs.configure(isolated_env.log_dir)
    with pytest.raises(GenerationError):
        GenerationService.check(object())
    flt = services.contacts.make_filter()
    rows = services.contacts.rows(flt, services.contacts.make_sort(None, flt), 3)
    ids = [row.id for row in rows]
    assert services.contacts.change_status_many(ids, Status.LOST) == 3
    text = _log(isolated_env)
    assert "WARNING [" in text and "generation failed: the writer returned no draft" in text
    assert f"bulk status change on {services.db_display}: 3 of 3 contacts marked lost" in text
