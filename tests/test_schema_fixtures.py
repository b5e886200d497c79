"""Databases written by every earlier schema version open, migrate and lose nothing; the
app backs a database up before migrating it.

The fixtures in tests/data/schemas/ were written by the code of their time (build.py says
which commit and how): every vN.db found there is checked, so a new version's fixture needs
no change here.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from leadletter_tui.store import premigrate
from leadletter_tui.store.db import LATEST

SCHEMAS = Path(__file__).parent / "data" / "schemas"
FIXTURES = sorted(SCHEMAS.glob("v*.db"), key=lambda p: int(p.stem[1:]))
MODEL_TABLES = ("contact", "message", "reply", "event", "schema_version")
LIST_KEYS = ("domain", "business_name", "contact_name", "email", "phone", "status",
             "last_sent_at", "follow_ups", "sentiment", "do_not_contact")


def raw_rows(path: Path) -> dict[str, dict[int, dict]]:
    """Every row of the model tables as stored, by id."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    con.row_factory = sqlite3.Row
    try:
        return {t: {r["id"]: dict(r) for r in con.execute(f'SELECT * FROM "{t}"')}
                for t in MODEL_TABLES}
    finally:
        con.close()


def test_there_is_a_fixture_for_every_older_version():
    versions = {int(p.stem[1:]) for p in FIXTURES}
    assert set(range(1, min(LATEST, max(versions)) + 1)) <= versions


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_an_old_database_migrates_without_loss(fixture, tmp_path, open_test_services, run_cli):
    version = int(fixture.stem[1:])
    if version > LATEST:
        pytest.skip(f"{fixture.name} is newer than this code (v{LATEST})")
    summary = json.loads(fixture.with_suffix(".json").read_text(encoding="utf-8"))
    path = tmp_path / "old.db"
    shutil.copyfile(fixture, path)
    before = raw_rows(path)
    assert max(before["schema_version"][i]["version"] for i in before["schema_version"]) == version

    svc = open_test_services(path)
    after = raw_rows(path)

    # every row survives with every value it had; new columns hold their defaults
    for table in MODEL_TABLES:
        if table == "schema_version":
            continue
        assert after[table].keys() == before[table].keys(), table
        for id_, old in before[table].items():
            new = after[table][id_]
            assert {k: new[k] for k in old} == old, (table, id_)
    versions = sorted(r["version"] for r in after["schema_version"].values())
    assert versions[-1] == LATEST and set(range(version, LATEST + 1)) <= set(versions)

    # counters agree with the rows; statuses and values as the old code listed them
    con = sqlite3.connect(path)
    kept = dict(con.execute("SELECT status, n FROM contact_count WHERE n > 0"))
    real = dict(con.execute("SELECT status, COUNT(*) FROM contact GROUP BY status"))
    con.close()
    assert kept == real and sum(real.values()) == summary["counts"]["contact"]
    assert svc.contacts.total() == summary["counts"]["contact"]
    for table in MODEL_TABLES:
        assert len(after[table]) >= summary["counts"][table] if table == "schema_version" \
            else len(after[table]) == summary["counts"][table]
    svc.close()
    listed = json.loads(run_cli("--db", path, "list", "--json", "--limit", "1000").out)
    today = {c["domain"]: {k: c[k] for k in LIST_KEYS} for c in listed}
    then = {c["domain"]: {k: c[k] for k in LIST_KEYS} for c in summary["contacts"]}
    assert today == then
    assert {c["status"] for c in listed} >= {"ready", "sent", "won", "lost"}
    assert any(ord(ch) > 127 for c in listed for ch in c["business_name"])
    if "import" in summary["steps"]:
        bucher = today["xn--bcher-kva.de"]
        assert (bucher["contact_name"], bucher["status"]) == ("Jürgen Groß", "won")
        assert today["cafe-nord.example"]["last_sent_at"] == "2026-11-20T09:30:00"
    if any(step.startswith("reply") for step in summary["steps"]):
        assert today["tokyo-ramen.example"]["do_not_contact"] is True

    # the backup taken before migrating holds the data as it was
    backup = tmp_path / f"old.db.pre-v{LATEST}.bak"
    if version == LATEST:
        assert not backup.exists()
        return
    assert backup.exists()
    assert raw_rows(backup) == before


def test_a_current_database_pays_nothing_for_backups(tmp_path, open_test_services, monkeypatch):
    path = tmp_path / "now.db"
    open_test_services(path).close()

    def boom(*args, **kwargs):
        raise AssertionError("backup taken of a current database")

    monkeypatch.setattr(premigrate, "take", boom)
    svc = open_test_services(path)
    assert svc.contacts.total() == 0
    assert not list(tmp_path.glob("*.bak"))


@pytest.mark.skipif(not FIXTURES, reason="no schema fixtures")
def test_only_the_latest_three_backups_are_kept(tmp_path, capsys):
    from leadletter_tui.store.db import parse_url

    path = tmp_path / "db.db"
    shutil.copyfile(FIXTURES[0], path)
    target = parse_url(str(path))
    for n, latest in enumerate((20, 21, 22, 23)):
        written = premigrate.take(None, target, 1, latest)
        assert written.name == f"db.db.pre-v{latest}.bak"
        os.utime(written, (1_000_000 + n, 1_000_000 + n))
    kept = sorted(p.name for p in tmp_path.glob("db.db.pre-v*.bak"))
    assert kept == ["db.db.pre-v21.bak", "db.db.pre-v22.bak", "db.db.pre-v23.bak"]
    assert "from schema v1 to v23; backup written to" in capsys.readouterr().err


def test_postgresql_is_dumped_before_migrating(pg_url, open_test_services, isolated_env):
    """A v5-shaped PostgreSQL database (what v6 and later add taken away) migrates after
    its portable dump is written to the data dir, holding the rows as they were."""
    import psycopg

    from leadletter_tui.services.demo import add_demo_contacts
    from leadletter_tui.store.backup import PortableReader

    svc = open_test_services(pg_url)
    add_demo_contacts(svc, 30, seed=4)
    svc.close()
    with psycopg.connect(pg_url) as conn:
        conn.execute("UPDATE schema_version SET version = 5")
        conn.execute("ALTER TABLE contact DROP COLUMN snoozed_until")
        for column in ("reason", "labelled_by", "signal"):
            conn.execute(f"ALTER TABLE reply DROP COLUMN {column}")
        conn.execute("ALTER TABLE contact DROP COLUMN version")  # v7
        conn.execute("ALTER TABLE event DROP COLUMN actor")
        conn.execute("DROP TABLE setting")  # v8
    open_test_services(pg_url).close()
    dumps = list(isolated_env.data_dir.glob("*.pre-v*.jsonl.gz"))
    assert [p.name.split(".pre-")[1] for p in dumps] == [f"v{LATEST}.jsonl.gz"]
    reader = PortableReader(dumps[0])
    try:
        header = reader.header
        assert header["schema_version"] == 5
        assert "snoozed_until" not in header["tables"]["contact"]["columns"]
        rows = list(reader.rows())
    finally:
        reader.close()
    assert sum(1 for t, _ in rows if t == "contact") == 30
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] == LATEST


@pytest.mark.skipif(not FIXTURES, reason="no schema fixtures")
def test_the_backup_goes_to_the_data_dir_when_the_folder_is_read_only(
        tmp_path, isolated_env, open_test_services, monkeypatch):
    path = tmp_path / "old.db"
    shutil.copyfile(FIXTURES[0], path)
    real_writable = premigrate.writable
    monkeypatch.setattr(premigrate, "writable",  # root can write anywhere: pretend not
                        lambda p: False if Path(p) == tmp_path else real_writable(p))
    open_test_services(path).close()
    assert not list(tmp_path.glob("*.bak"))
    moved = isolated_env.data_dir / f"old.db.pre-v{LATEST}.bak"
    assert raw_rows(moved)["contact"] == raw_rows(FIXTURES[0])["contact"]
    assert moved.stat().st_mode & 0o077 == 0
