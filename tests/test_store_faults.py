"""Database files that used to go wrong (issue 12, defects 4, 9, 10, 20): a damaged, foreign,
full or read-only SQLite file gets one clear line, and nothing changes what is not ours."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import peewee
import pytest

from leadletter_tui.store import db as store_db
from leadletter_tui.store.db import DatabaseTarget, StoreError, describe_error, open_database


def _files(path: Path) -> dict[str, bytes]:
    """The database file and any -wal/-shm beside it, byte for byte."""
    return {p.name: p.read_bytes() for p in path.parent.glob(path.name + "*")}


@pytest.fixture
def demo_db(run_cli, tmp_path) -> Path:
    path = tmp_path / "demo.db"
    assert run_cli("--db", path, "demo", "--contacts", "300").code == 0
    return path


def _root_page(path: Path, table: str) -> int:
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    finally:
        con.close()


# --- 9. another program's SQLite file --------------------------------------------------------
def test_a_foreign_sqlite_file_is_refused_before_anything_changes_it(run_cli, tmp_path):
    path = tmp_path / "other.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    con.execute("INSERT INTO invoices (total) VALUES (12.5)")
    con.commit()
    con.close()
    before = _files(path)
    for args in (("list",), ("import", "-")):
        result = run_cli("--db", path, *args, input="website\nacme.com\n")
        assert result.code == 2
        assert result.err_lines == [f"leadletter: error: {path} holds other tables; it is not a "
                                    "LeadLetter database (nothing in it was changed)"]
    assert _files(path) == before  # same bytes; no -wal or -shm appeared
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    con.close()


def test_an_empty_file_becomes_a_leadletter_database(run_cli, tmp_path):
    path = tmp_path / "empty.db"
    path.touch()
    assert run_cli("--db", path, "list").code == 0
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert con.execute("PRAGMA page_size").fetchone() == (16384,)
    con.close()


# --- 4. a damaged file -------------------------------------------------------------------
def test_a_file_cut_short_is_refused_on_open_and_not_written(run_cli, demo_db):
    size = demo_db.stat().st_size
    os.truncate(demo_db, size - 16384)  # the last page cut off
    before = _files(demo_db)
    result = run_cli("--db", demo_db, "status", "x.example", "won")
    assert result.code == 2
    assert result.err_lines == [
        f"leadletter: error: {demo_db} is not a usable LeadLetter database: the file is damaged "
        f"(cut short: {size - 16384:,} bytes, its header says {size:,}); it was not changed. "
        "Restore a backup"]
    assert _files(demo_db) == before


def test_random_bytes_in_a_page_are_reported_as_damage_and_nothing_is_written(run_cli, demo_db,
                                                                            tmp_path):
    page = _root_page(demo_db, "contact")
    with demo_db.open("r+b") as fh:
        fh.seek((page - 1) * 16384)
        fh.write(os.urandom(16384))
    before = _files(demo_db)
    csv = tmp_path / "n.csv"
    csv.write_text("website\nnew-one.com\n", encoding="utf-8")
    for args in (("import", csv), ("list",)):
        result = run_cli("--db", demo_db, *args)
        assert result.code == 2
        assert len(result.err_lines) == 1
        assert result.err.startswith(f"leadletter: error: {demo_db} is not a usable LeadLetter "
                                     "database: the file is damaged (")
    assert _files(demo_db)[demo_db.name] == before[demo_db.name]


def test_quick_check_names_the_damage_and_passes_a_healthy_file(demo_db):
    assert store_db._quick_check(demo_db) is None
    page = _root_page(demo_db, "event")
    with demo_db.open("r+b") as fh:
        fh.seek((page - 1) * 16384 + 8)
        fh.write(os.urandom(4000))
    assert store_db._quick_check(demo_db)


# --- 10. disk full -----------------------------------------------------------------------------
def test_a_failed_commit_reports_its_cause_not_the_rollback():
    target = DatabaseTarget("sqlite:///x.db", "sqlite", Path("/data/x.db"))
    try:
        try:
            raise peewee.OperationalError("database or disk is full")
        except peewee.OperationalError:
            raise peewee.OperationalError("cannot rollback - no transaction is active")  # noqa: B904
    except peewee.OperationalError as exc:
        message = describe_error(exc, target)
    assert message == ("disk full: cannot write to /data/x.db (database or disk is full); "
                       "nothing of this change was saved")


@contextmanager
def _mounted(where: Path, options: str) -> Iterator[None]:
    """A small tmpfs at ``where`` (root only; skips where mounting is not allowed)."""
    where.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small filesystem needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)],
                          capture_output=True, check=False)
    if done.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def test_disk_full_during_an_import_says_disk_full(run_cli, tmp_path):
    big = tmp_path / "big.csv"
    with big.open("w", encoding="utf-8") as fh:
        fh.write("website,company,notes\n")
        fh.writelines(f"c{i}.com,Company {i},{'x' * 200}\n" for i in range(30_000))
    mnt = tmp_path / "small"
    with _mounted(mnt, "size=3m"):
        db = mnt / "full.db"
        assert run_cli("--db", db, "import", "-", input="website\nfirst.com\n").code == 0
        result = run_cli("--db", db, "import", big)
        assert result.code == 2
        assert result.err_lines == [f"leadletter: error: disk full: cannot write to {db} "
                                    "(database or disk is full); nothing of this change was saved"]
        listed = json.loads(run_cli("--db", db, "list", "--json").out)
        assert [c["domain"] for c in listed] == ["first.com"]


# --- 20. a read-only file or directory ----------------------------------------------------------
def test_a_read_only_database_can_be_read(run_cli, demo_db, tmp_path):
    """A real read-only filesystem (a tmpfs remounted read-only): as root, chmod alone would
    not stop a write, so it could not show the problem."""
    mnt = tmp_path / "ro"
    with _mounted(mnt, "size=20m"):
        db = mnt / "shared.db"
        db.write_bytes(demo_db.read_bytes())
        done = subprocess.run(["mount", "-o", "remount,ro", str(mnt)], capture_output=True,
                              check=False)
        if done.returncode:
            pytest.skip(f"cannot remount read-only: {done.stderr.decode().strip()}")
        before = _files(db)
        listed = run_cli("--db", db, "list", "--json", "--limit", "0")
        assert listed.code == 0, listed.err
        assert len(json.loads(listed.out)) == 300
        shown = json.loads(run_cli("--db", db, "list", "--json", "--limit", "1").out)[0]
        assert run_cli("--db", db, "show", shown["domain"], "--json").code == 0
        change = run_cli("--db", db, "status", shown["domain"], "won")
        assert change.code == 2
        assert change.err_lines == [f"leadletter: error: database {db} is read-only"]
        assert _files(db) == before


def test_open_database_chooses_read_only_for_an_unwritable_file(demo_db, monkeypatch):
    """Where the platform cannot make a read-only mount: the open mode follows access()."""
    monkeypatch.setattr(store_db.os, "access",
                        lambda p, mode: not (mode & os.W_OK) if Path(p) == demo_db else True)
    db = open_database(str(demo_db))
    try:
        assert db.execute_sql("SELECT COUNT(*) FROM contact").fetchone() == (300,)
        with pytest.raises(peewee.OperationalError, match="readonly"):
            db.execute_sql("DELETE FROM contact")
    finally:
        db.close()


def test_a_damaged_file_is_refused_with_one_line_on_open(tmp_path):
    path = tmp_path / "junk.db"
    path.write_bytes(b"SQLite format 3\x00" + os.urandom(5000))
    with pytest.raises(StoreError) as err:
        open_database(str(path))
    assert "\n" not in str(err.value) and str(path) in str(err.value)
