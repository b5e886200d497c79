"""`leadletter backup` / `restore`: both formats, both engines, every row of every table
compared after a round trip; damaged, cut-short and clobbering cases refused whole."""

from __future__ import annotations

import gzip
import json
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from leadletter_tui.services.demo import add_demo_contacts
from leadletter_tui.store import backup as fmt
from leadletter_tui.store.db import LATEST

CSV = ("website,company,contact name,email\n"
       "bücher.de,Bücherstube Köln,Jürgen Groß,jg@bücher.de\n"
       "cafe-nord.example,Café Nord ☕,Zoë Ærø,zoe@cafe-nord.example\n"
       "tokyo-ramen.example,東京ラーメン,山田太郎,\n")


def fill(run_cli, url: str, contacts: int = 60) -> None:
    """Demo data (every status, messages, replies, events, DNC) plus non-ASCII contacts
    imported, a status change and a pasted reply, all through the CLI."""
    assert run_cli("--db", url, "demo", "--contacts", str(contacts), "--seed", "11").code == 0
    assert run_cli("--db", url, "import", "-", input=CSV).code == 0
    assert run_cli("--db", url, "status", "cafe-nord.example", "sent",
                   "--at", "2026-11-20T09:30:00").code == 0
    assert run_cli("--db", url, "status", "bücher.de", "won").code == 0
    result = run_cli("--db", url, "reply", "cafe-nord.example", "--offline",
                     "--text", "Gern, rufen Sie mich an. Überraschend gut!")
    assert result.code == 0, result.err
    result = run_cli("--db", url, "reply", "tokyo-ramen.example", "--offline", "--json",
                     "--text", "Please remove me from your list. Unsubscribe.")
    assert json.loads(result.out)["do_not_contact"] is True


def every_row(store) -> dict[str, list[dict]]:
    """Every row of every model table, keyed by column name, engine-neutral values."""
    db = store.db
    with db.connection_context():
        found = fmt.tables(db)
        return {t: [dict(zip(cols, row)) for row in fmt.iter_rows(db, t, cols)]
                for t, cols in found.items()}


def raw_counters(path: Path) -> tuple[dict, dict]:
    con = sqlite3.connect(path)
    try:
        kept = dict(con.execute("SELECT status, n FROM contact_count WHERE n > 0"))
        real = dict(con.execute("SELECT status, COUNT(*) FROM contact GROUP BY status"))
        return kept, real
    finally:
        con.close()


@pytest.fixture
def source(run_cli, tmp_path) -> Path:
    path = tmp_path / "source.db"
    fill(run_cli, str(path))
    return path


def _check_same(open_test_services, a, b) -> dict:
    rows_a = every_row(open_test_services(a).store)
    rows_b = every_row(open_test_services(b).store)
    assert rows_a == rows_b
    return rows_a


@pytest.mark.parametrize("name", ["copy.db", "copy.jsonl.gz"])
def test_sqlite_round_trip_keeps_every_row(run_cli, open_test_services, source, tmp_path, name):
    backup = tmp_path / name
    result = run_cli("--db", source, "backup", backup, "--json")
    assert result.code == 0, result.err
    summary = json.loads(result.out)
    assert summary["format"] == ("portable" if name.endswith(".jsonl.gz") else "sqlite")
    assert summary["schema_version"] == LATEST and summary["tables"]["contact"] == 63
    assert backup.stat().st_mode & 0o077 == 0  # private, like the database
    target = tmp_path / "restored.db"
    result = run_cli("--db", target, "restore", backup, "--json")
    assert result.code == 0, result.err
    assert json.loads(result.out)["tables"] == summary["tables"]
    rows = _check_same(open_test_services, source, target)
    statuses = {r["status"] for r in rows["contact"]}
    assert statuses == {"ready", "sent", "replied", "won", "lost"}
    assert any(r["do_not_contact"] for r in rows["contact"])
    assert rows["reply"] and rows["event"] and rows["message"]
    kept, real = raw_counters(target)
    assert kept == real
    svc = open_test_services(target)
    cafe = svc.contacts.detail("cafe-nord.example")
    assert cafe.row.business_name == "Café Nord ☕" and cafe.row.status.value == "replied"
    assert "Überraschend" in cafe.replies[0].text
    flt = svc.contacts.make_filter(domain="ramen")  # the domain index was rebuilt
    assert [r.domain for r in svc.contacts.rows(flt, svc.contacts.make_sort(None, flt), 5)] == [
        "tokyo-ramen.example"]


def test_a_sqlite_backup_is_itself_a_database(run_cli, source, tmp_path):
    backup = tmp_path / "copy.db"
    assert run_cli("--db", source, "backup", backup).code == 0
    listed = run_cli("--db", backup, "list", "--json", "--domain", "xn--bcher-kva.de")
    assert listed.code == 0 and json.loads(listed.out)[0]["business_name"] == "Bücherstube Köln"


def test_backup_never_overwrites_without_force(run_cli, source, tmp_path):
    backup = tmp_path / "copy.jsonl.gz"
    backup.write_text("keep me")
    result = run_cli("--db", source, "backup", backup)
    assert result.code == 2 and len(result.err_lines) == 1 and "--force" in result.err
    assert backup.read_text() == "keep me"
    assert run_cli("--db", source, "backup", backup, "--force").code == 0
    assert gzip.open(backup).readline().startswith(b'{"format":"leadletter-backup"')
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_restore_refuses_a_database_with_contacts(run_cli, source, tmp_path, db_dump):
    backup = tmp_path / "copy.jsonl.gz"
    assert run_cli("--db", source, "backup", backup).code == 0
    before = db_dump(source)
    result = run_cli("--db", source, "restore", backup)
    assert result.code == 2 and result.err_lines == [
        "leadletter: error: the database already holds contacts; restore only into an empty one"]
    assert db_dump(source) == before


def _lines(path: Path) -> list[bytes]:
    return gzip.open(path).read().splitlines(keepends=True)


def _write(path: Path, lines: list[bytes]) -> None:
    with gzip.open(path, "wb") as fh:
        fh.writelines(lines)


@pytest.mark.parametrize("damage", ["cut", "no_end", "row_gone", "header_count", "garbage"])
def test_a_damaged_portable_backup_is_refused_whole(run_cli, open_test_services, source,
                                                    tmp_path, damage):
    good = tmp_path / "good.jsonl.gz"
    assert run_cli("--db", source, "backup", good).code == 0
    bad = tmp_path / "bad.jsonl.gz"
    lines = _lines(good)
    if damage == "cut":  # the file itself cut short mid-stream
        data = good.read_bytes()
        bad.write_bytes(data[: len(data) * 2 // 3])
    elif damage == "no_end":
        _write(bad, lines[:-1])
    elif damage == "row_gone":
        _write(bad, lines[:5] + lines[6:])
    elif damage == "header_count":
        header = json.loads(lines[0])
        header["tables"]["contact"]["rows"] += 1
        _write(bad, [json.dumps(header).encode() + b"\n", *lines[1:]])
    else:
        data = bytearray(good.read_bytes())
        data[len(data) // 2: len(data) // 2 + 64] = bytes(range(64))
        bad.write_bytes(bytes(data))
    target = tmp_path / "target.db"
    result = run_cli("--db", target, "restore", bad)
    assert result.code == 2 and len(result.err_lines) == 1, result.err
    assert "bad.jsonl.gz" in result.err and "Traceback" not in result.err
    svc = open_test_services(target)
    assert svc.contacts.total() == 0 and every_row(svc.store)["message"] == []


def test_a_damaged_sqlite_backup_is_refused(run_cli, source, tmp_path):
    backup = tmp_path / "copy.db"
    assert run_cli("--db", source, "backup", backup).code == 0
    data = bytearray(backup.read_bytes())
    page = 16384
    data[page * 3: page * 3 + 4096] = b"\xa5" * 4096  # random bytes over a page
    backup.write_bytes(bytes(data))
    result = run_cli("--db", tmp_path / "t.db", "restore", backup)
    assert result.code == 2 and len(result.err_lines) == 1
    assert "damaged" in result.err or "not a usable" in result.err


def test_restore_of_a_file_that_is_not_a_backup(run_cli, tmp_path):
    other = tmp_path / "notes.txt"
    other.write_text("hello\n")
    result = run_cli("--db", tmp_path / "t.db", "restore", other)
    assert result.code == 2 and "not a LeadLetter backup" in result.err
    missing = run_cli("--db", tmp_path / "t.db", "restore", tmp_path / "nope.db")
    assert missing.code == 2 and "no backup file" in missing.err
    assert not (tmp_path / "t.db").exists()


def test_progress_for_big_databases_goes_to_stderr(run_cli, tmp_path):
    big = tmp_path / "big.db"
    assert run_cli("--db", big, "demo", "--contacts", "6000", "--seed", "2").code == 0
    result = run_cli("--db", big, "backup", tmp_path / "big.jsonl.gz", "--json")
    assert result.code == 0
    assert json.loads(result.out)["tables"]["contact"] == 6000  # stdout: the document alone
    assert "backed up" in result.err and "rows" in result.err


# --- PostgreSQL ------------------------------------------------------------------------------
def test_sqlite_to_postgresql_and_back(run_cli, open_test_services, source, pg_url, tmp_path):
    """The way a user moves to team mode, and back out of it."""
    dump = tmp_path / "move.jsonl.gz"
    assert run_cli("--db", source, "backup", dump).code == 0
    result = run_cli("--db", pg_url, "restore", dump)
    assert result.code == 0, result.err
    rows = _check_same(open_test_services, source, pg_url)
    assert len(rows["contact"]) == 63
    svc = open_test_services(pg_url)  # the per-status counters followed the restored rows
    for status in ("ready", "sent", "replied", "won", "lost"):
        real = sum(1 for r in rows["contact"] if r["status"] == status)
        assert svc.contacts.count(svc.contacts.make_filter(statuses=[status])) == real
    assert svc.contacts.total() == 63
    top = max(r["id"] for r in rows["contact"])
    # a contact added after the restore gets the next id (the sequence was moved past)
    assert run_cli("--db", pg_url, "import", "-", input="website\nnew-one.example\n").code == 0
    assert max(r["id"] for r in every_row(open_test_services(pg_url).store)["contact"]) == top + 1
    back = tmp_path / "back.jsonl.gz"
    result = run_cli("--db", pg_url, "backup", back, "--json")
    assert result.code == 0 and json.loads(result.out)["format"] == "portable"
    home = tmp_path / "home.db"
    assert run_cli("--db", home, "restore", back).code == 0, "restore into SQLite"
    _check_same(open_test_services, pg_url, home)
    kept, real = raw_counters(home)
    assert kept == real


def test_postgresql_round_trip(run_cli, open_test_services, pg_url, pg_server, tmp_path):
    fill(run_cli, pg_url, contacts=40)
    dump = tmp_path / "pg.db"  # any name: PostgreSQL always writes the portable format
    assert run_cli("--db", pg_url, "backup", dump).code == 0
    other = pg_server.create_database()
    try:
        url = pg_server.url(other)
        result = run_cli("--db", url, "restore", dump, "--json")
        assert result.code == 0, result.err
        _check_same(open_test_services, pg_url, url)
        svc = open_test_services(url)
        assert svc.contacts.detail("bücher.de").row.contact_name == "Jürgen Groß"
        svc.close()
    finally:
        pg_server.drop_database(other)


def test_postgresql_restores_straight_from_the_sqlite_database(run_cli, open_test_services,
                                                                source, pg_url):
    """`leadletter --db postgresql://... restore ~/.local/share/leadletter/leadletter.db`."""
    result = run_cli("--db", pg_url, "restore", source, "--json")
    assert result.code == 0, result.err
    assert json.loads(result.out)["format"] == "sqlite"
    _check_same(open_test_services, source, pg_url)


# --- older schemas -----------------------------------------------------------------------------
SCHEMAS = sorted((Path(__file__).parent / "data" / "schemas").glob("v*.db"))


@pytest.mark.parametrize("fixture", SCHEMAS, ids=lambda p: p.stem)
def test_an_older_schema_backup_is_migrated_on_restore(run_cli, open_test_services, fixture,
                                                       tmp_path):
    """Both kinds: the old SQLite file itself, and the portable dump of it (written as the
    app writes one before migrating: the old columns only)."""
    import shutil

    from leadletter_tui.store.backup_io import _open_sqlite

    version = int(fixture.stem[1:])
    if version > LATEST:
        pytest.skip("newer than this code")
    old = tmp_path / "old.db"
    shutil.copyfile(fixture, old)
    portable = tmp_path / "old.jsonl.gz"
    with _open_sqlite(old) as db, open(portable, "wb") as out:
        header = fmt.write_portable(db, out, app_version="old", created_at=datetime(2026, 1, 1))
    assert header["schema_version"] == version
    for kind, backup in (("sqlite", old), ("portable", portable)):
        target = tmp_path / f"from-{kind}.db"
        result = run_cli("--db", target, "restore", backup, "--json")
        assert result.code == 0, result.err
        summary = json.loads(result.out)
        assert summary["migrated_from"] == (version if version < LATEST else None)
        assert summary["tables"]["contact"] == header["tables"]["contact"]["rows"]
    migrated = tmp_path / "migrated.db"
    shutil.copyfile(fixture, migrated)
    reference = every_row(open_test_services(migrated).store)
    for kind in ("sqlite", "portable"):
        rows = every_row(open_test_services(tmp_path / f"from-{kind}.db").store)
        for table in reference:
            if table == "schema_version":  # the restore stamps the missing steps at its own time
                assert [r["version"] for r in rows[table]][-1] == LATEST
                continue
            assert rows[table] == reference[table], (kind, table)
