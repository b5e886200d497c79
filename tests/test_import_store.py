"""Importing into the store: exact counts, merged values, atomicity, dry runs, both write paths.

Every test has its own SQLite file (`services` from conftest, clock frozen at NOW). The
`write_path` fixture runs a test twice: the SQLite fast path (raw executemany, bulk index
suspension) and the portable Peewee path the PostgreSQL store uses.
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import NOW
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leadletter_tui.domain.model import EventKind, Status
from leadletter_tui.services import UserError
from leadletter_tui.services import imports as importer
from leadletter_tui.services.imports import (
    ImportCancelled,
    ImportReport,
    run_import,
    save_invalid_rows,
)
from leadletter_tui.store import imports

DATA = Path(__file__).parent / "data"


def counts(r: ImportReport) -> tuple[int, int, int, int, int]:
    return (r.rows, r.created, r.updated, r.duplicates, r.invalid)


@pytest.fixture(params=["sqlite", "portable"])
def write_path(request, monkeypatch):
    if request.param == "portable":
        monkeypatch.setattr(imports, "SqliteDatabase", type("NotSqlite", (), {}))
    return request.param


@pytest.fixture
def small_chunks(monkeypatch):
    """Chunks of 2 rows and the bulk path from 2 inserts: every boundary gets exercised."""
    monkeypatch.setattr(importer, "CHUNK_ROWS", 2)
    monkeypatch.setattr(imports, "_BULK_AT", 2)


def table(db_path: Path, sql: str) -> list[tuple]:
    con = sqlite3.connect(db_path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


# --- every corpus file, exact counts ----------------------------------------------------------
CORPUS = [
    ("utf8_bom_crlf.csv", "csv", (3, 3, 0, 0, 0)),
    ("utf16_tab.txt", "csv", (3, 3, 0, 0, 0)),
    ("cp1252_sep_semicolon.csv", "csv", (3, 3, 0, 0, 0)),
    ("latin1_semicolon.csv", "csv", (3, 3, 0, 0, 0)),
    ("cp1251_cyrillic.csv", "csv", (3, 3, 0, 0, 0)),
    ("pipe.csv", "csv", (2, 2, 0, 0, 0)),
    ("tab.tsv", "csv", (2, 2, 0, 0, 0)),
    ("quoted.csv", "csv", (4, 3, 0, 0, 1)),
    ("mac_cr.csv", "csv", (2, 2, 0, 0, 0)),
    ("header_variants.csv", "csv", (3, 3, 0, 0, 0)),
    ("email_only.csv", "csv", (7, 4, 0, 0, 3)),
    ("duplicates.csv", "csv", (6, 2, 2, 2, 0)),
    ("invalid_urls.csv", "csv", (10, 1, 0, 0, 9)),
    ("overlong.csv", "csv", (7, 1, 0, 0, 6)),
    ("control_chars.csv", "csv", (3, 3, 0, 0, 0)),
    ("headerless.csv", "csv", (2, 2, 0, 0, 0)),
    ("extras_placeholders.csv", "csv", (3, 3, 0, 0, 0)),
    ("urls.txt", "urls", (7, 4, 0, 1, 2)),
    ("title_lines.csv", "csv", (3, 2, 0, 0, 1)),
]


@pytest.mark.parametrize(("name", "fmt", "expected"), CORPUS, ids=[c[0] for c in CORPUS])
def test_corpus_counts(services, write_path, name, fmt, expected):
    report = run_import(services, DATA / name, format=fmt)
    assert counts(report) == expected
    assert services.contacts.count() == expected[1]
    again = run_import(services, DATA / name, format=fmt)  # a re-import changes nothing
    assert counts(again) == (expected[0], 0, 0, expected[0] - expected[4], expected[4])
    assert services.contacts.count() == expected[1]


@pytest.mark.parametrize(("name", "fmt", "expected"), CORPUS, ids=[c[0] for c in CORPUS])
def test_corpus_counts_across_chunk_boundaries(services, small_chunks, name, fmt, expected):
    assert counts(run_import(services, DATA / name, format=fmt)) == expected


def test_stored_values_are_literal(services, write_path):
    run_import(services, DATA / "utf8_bom_crlf.csv")
    run_import(services, DATA / "utf16_tab.txt")
    run_import(services, DATA / "control_chars.csv")
    d = services.contacts.detail("cafe-lumiere.fr")
    assert (d.row.business_name, d.row.contact_name, d.row.email, d.row.phone, d.notes) == (
        "Café Lumière", "Amélie Poulain", "amelie@cafe-lumiere.fr", "+33 1 23 45 67 89",
        "Terrace seating",
    )
    assert d.row.status is Status.READY
    assert d.row.created_at == NOW and d.updated_at == NOW
    assert d.events == []  # the creation record is created_at
    assert services.contacts.detail("sushi-tokyo.jp").row.business_name == "東京 Sushi"
    evil = services.contacts.detail("evil-corp.com")
    assert evil.row.business_name == "Evil\ufffd]52;c;ZXZpbA==\ufffd Corp"
    assert evil.notes == "line1\ufffd[31mred\ufffd[0m\nline2"


def test_extra_fields_are_stored_and_shown(services, write_path):
    run_import(services, DATA / "extras_placeholders.csv")
    assert services.contacts.detail("harbor-law.com").extra == {"Lead Source": "Expo 2024",
                                                       "Industry": "Legal"}
    assert services.contacts.detail("cedar-physio.com").extra == {"Industry": "Health",
                                                         "column 6": "surplus cell"}
    assert services.contacts.detail("harbor-law.com").row.phone == ""


def test_duplicates_merge_first_value_wins(services, write_path):
    run_import(services, DATA / "duplicates.csv")
    oak = services.contacts.detail("oak-and-ember.com")
    assert (oak.row.business_name, oak.row.contact_name, oak.row.email) == (
        "Oak & Ember", "Liam Brown", "liam@oak-and-ember.com",
    )
    assert oak.extra == {"City": "Austin"}
    assert services.contacts.detail("silverline-auto.com").row.phone == "555-0199"


def test_merge_into_stored_contact_fills_only_empty_fields(services, open_test_services,
                                                          db_path, write_path):
    run_import(services, io.BytesIO(b"website,company,email,City\nacme.com,Acme Ltd,,Leeds\n"))
    services.contacts.change_status("acme.com", "sent")
    later = NOW + timedelta(days=2)
    services.close()
    second = open_test_services(db_path, now=later)
    report = run_import(second, b"website,company,email,phone,city,industry\n"
                                b"www.acme.com,Other Name,bob@acme.com,,York,Law\n"
                                b"acme.com,,,,,\n")
    assert counts(report) == (2, 0, 1, 1, 0)
    d = second.contacts.detail("acme.com")
    assert d.row.business_name == "Acme Ltd"  # never overwritten
    assert d.row.email == "bob@acme.com"  # was empty: filled
    assert d.extra == {"City": "Leeds", "industry": "Law"}  # "city" is the stored "City"
    assert d.row.status is Status.SENT  # status never changes
    assert d.updated_at == later and d.row.created_at == NOW
    assert d.events[-1].kind is EventKind.EDIT
    assert d.events[-1].detail == "import filled email, industry"


def test_a_row_filling_nothing_is_a_duplicate_even_with_different_values(services, write_path):
    run_import(services, b"website,company\nacme.com,Acme\n")
    report = run_import(services, b"website,company\nacme.com,Something Else\n")
    assert counts(report) == (1, 0, 0, 1, 0)
    assert services.contacts.detail("acme.com").row.business_name == "Acme"


def test_duplicates_across_many_chunks(services, write_path, monkeypatch):
    monkeypatch.setattr(importer, "CHUNK_ROWS", 7)
    rows = ["website,company,email"]
    for i in range(60):  # 20 domains, each three times: created, then business, then email
        business = "Biz" if i >= 20 else ""
        email = f"x@site{i % 20}.com" if i >= 40 else ""
        rows.append(f"site{i % 20}.com,{business},{email}")
    report = run_import(services, "\n".join(rows).encode())
    assert counts(report) == (60, 20, 40, 0, 0)
    assert services.contacts.detail("site3.com").row.business_name == "Biz"
    assert services.contacts.detail("site3.com").row.email == "x@site3.com"


# --- dry run, atomicity, cancel ------------------------------------------------------------------
def test_dry_run_reports_the_same_counts_and_writes_nothing(services, db_path, db_dump,
                                                           write_path, small_chunks):
    run_import(services, DATA / "utf8_bom_crlf.csv")
    before = db_dump(db_path)
    dry = run_import(services, DATA / "duplicates.csv", dry_run=True)
    assert dry.dry_run and counts(dry) == (6, 2, 2, 2, 0)
    assert db_dump(db_path) == before
    real = run_import(services, DATA / "duplicates.csv")
    assert counts(real) == counts(dry)


def test_a_failure_midway_leaves_the_database_as_it_was(services, db_path, db_dump,
                                                       small_chunks, monkeypatch, write_path):
    run_import(services, DATA / "pipe.csv")
    before = db_dump(db_path)
    calls = []

    def progress(rows, done, total):
        calls.append(rows)
        if len(calls) == 3:
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        run_import(services, DATA / "email_only.csv", progress=progress)
    assert db_dump(db_path) == before


def test_cancel_rolls_back(services, db_path, db_dump, small_chunks):
    before = db_dump(db_path)
    seen = []
    with pytest.raises(ImportCancelled):
        run_import(services, DATA / "duplicates.csv", progress=lambda *a: seen.append(a),
                   cancel=lambda: len(seen) >= 2)
    assert db_dump(db_path) == before
    assert services.contacts.count() == 0


def test_undecodable_bytes_late_in_the_file_import_nothing(services, db_path, db_dump):
    before = db_dump(db_path)
    rows = "".join(f"acme{i}.com,Name {i}\n" for i in range(9000))
    data = b"\xef\xbb\xbf" + f"website,name\n{rows}".encode() + b"bad.com,\xff\n"
    with pytest.raises(UserError, match="not valid UTF-8"):
        run_import(services, data)
    assert db_dump(db_path) == before


@pytest.mark.parametrize("name", ["empty.csv", "bom_only.csv", "binary_garbage.bin",
                                  "spreadsheet.xlsx", "no_usable_column.csv", "header_only.csv"])
def test_unusable_files_import_nothing(services, db_path, db_dump, name):
    before = db_dump(db_path)
    with pytest.raises(UserError):
        run_import(services, DATA / name)
    assert db_dump(db_path) == before


@pytest.mark.parametrize(("path", "message"), [("missing.csv", "no such file"),
                                               (".", "it is a directory")])
def test_unreadable_paths(services, tmp_path, path, message):
    with pytest.raises(UserError, match=message):
        run_import(services, tmp_path / path)


def test_bulk_path_restores_indexes_trigger_and_counters(services, db_path, small_chunks):
    schema = table(db_path, "SELECT type, name, sql FROM sqlite_master ORDER BY name")
    run_import(services, DATA / "header_variants.csv")
    services.contacts.change_status("bluebird-bakery.com", "sent")
    run_import(services, DATA / "utf8_bom_crlf.csv")
    assert table(db_path, "SELECT type, name, sql FROM sqlite_master ORDER BY name") == schema
    stored = dict(table(db_path, "SELECT status, COUNT(*) FROM contact GROUP BY status"))
    assert dict(table(db_path, "SELECT status, n FROM contact_count WHERE n > 0")) == stored
    assert stored == {"ready": 5, "sent": 1}
    assert table(db_path, "PRAGMA integrity_check") == [("ok",)]


# --- reports -----------------------------------------------------------------------------------
def test_report_json_contract(services):
    report = run_import(services, DATA / "email_only.csv")
    assert report.to_json() == {
        "rows": 7, "created": 4, "updated": 0, "duplicates": 0, "invalid": 3,
        "errors": [
            {"line": 3, "reason": "free-mail address, no business domain: 'bob@gmail.com'"},
            {"line": 4, "reason": "free-mail address, no business domain: 'jane.doe@yahoo.co.uk'"},
            {"line": 7, "reason": "not an email address: 'not-an-email'"},
        ],
    }
    assert (report.encoding, report.delimiter) == ("UTF-8", "comma")
    assert report.mapping == {"Email": "email", "Name": "contact_name"}


def test_kept_errors_are_capped(services, monkeypatch):
    monkeypatch.setattr(importer, "MAX_ERRORS_KEPT", 4)
    report = run_import(services, DATA / "invalid_urls.csv")
    assert report.invalid == 9 and len(report.errors) == 4 and report.errors_omitted == 5
    assert len(report.rejected) == 4


def test_progress_reaches_the_end(services, small_chunks):
    seen = []
    size = (DATA / "duplicates.csv").stat().st_size
    run_import(services, DATA / "duplicates.csv", progress=lambda *a: seen.append(a))
    assert [s[0] for s in seen] == sorted(s[0] for s in seen)
    assert seen[-1] == (6, size, size)


def test_save_invalid_rows_as_csv(services, tmp_path):
    report = run_import(services, DATA / "invalid_urls.csv")
    out = tmp_path / "invalid.csv"
    assert save_invalid_rows(report, out) == 9
    rows = list(csv.reader(out.open(encoding="utf-8", newline="")))
    assert rows[0] == ["line", "reason", "Website", "Company"]
    assert rows[1] == ["2", "not a web address: 'not a url'", "not a url", "No URL Co"]
    assert len(rows) == 10


def test_stdin_source(services, monkeypatch):
    fake = io.TextIOWrapper(io.BytesIO((DATA / "urls.txt").read_bytes()))
    monkeypatch.setattr(sys, "stdin", fake)
    assert counts(run_import(services, "-", format="urls")) == (7, 4, 0, 1, 2)


def test_preview_and_mapping_override(services):
    p = importer.preview(DATA / "tab.tsv")
    assert (p.encoding, p.delimiter) == ("UTF-8", "tab")
    assert p.header == ("Website", "Company", "Name", "Email", "Industry")
    assert p.rows[0][0] == 2 and p.rows[0][1][1] == "Greenleaf Dental"
    mapping = ["domain", "skip", "contact_name", "email", "notes"]
    report = run_import(services, DATA / "tab.tsv", mapping=mapping)
    d = services.contacts.detail("greenleaf-dental.com")
    assert (d.row.business_name, d.notes, d.extra) == ("", "Health", {})
    assert report.mapping["Company"] == "skip"


# --- property: arbitrary bytes ----------------------------------------------------------------
@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.one_of(
    st.binary(max_size=800),
    st.lists(st.sampled_from([b"website", b"email", b"acme.com", b"ACME.com", b"x@beta.io",
                              b"bob@gmail.com", b",", b";", b"\t", b"|", b"\n", b"\r\n",
                              b'"', b"sep=;\n", b"\xef\xbb\xbf", b"\xff\xfe", b"\xe9", b"\x00",
                              b"\x1b[31m", b"N/A", b" "]), max_size=60).map(b"".join),
), fmt=st.sampled_from(["csv", "urls"]), dry_run=st.booleans())
def test_arbitrary_bytes_never_crash_and_counts_add_up(services, data, fmt, dry_run):
    try:
        report = run_import(services, data, format=fmt, dry_run=dry_run)
    except UserError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert report.created + report.updated + report.duplicates + report.invalid == report.rows
    assert report.invalid == len(report.errors) + report.errors_omitted


# --- a real process killed or interrupted midway ---------------------------------------------
WRAPPER = """
import sys
from leadletter_tui.services import imports as importer
from leadletter_tui.store import db as store_db
store_db.SQLITE_PRAGMAS["cache_size"] = 20   # tiny cache: uncommitted pages spill to the WAL
real = importer.ImportJob.run
def run(self, *args, progress=None, **kwargs):
    state = {"told": False}
    def hook(rows, done, total):
        if rows >= 8000 and not state["told"]:
            state["told"] = True
            print("READY", self.batches._pid, flush=True)  # mid-transaction; wait to be killed
            sys.stdin.readline()
    return real(self, *args, progress=hook, **kwargs)
importer.ImportJob.run = run
from leadletter_tui.cli import main
main(sys.argv[1:])
"""


@pytest.fixture
def big_csv(tmp_path: Path) -> Path:
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("website,company,email\n")
        for i in range(20_000):
            fh.write(f"https://www.company{i}.com/,Company {i},info@company{i}.com\n")
    return path


def _start_midway(db: Path, csv_path: Path, tmp_path: Path,
                  parallel: bool = False) -> tuple[subprocess.Popen, int]:
    """The import process, stopped mid-transaction; and its parser process's pid (or 0)."""
    script = tmp_path / "wrapper.py"
    script.write_text(WRAPPER, encoding="utf-8")
    env = {**os.environ, "LEADLETTER_IMPORT_PARALLEL": "1" if parallel else "0"}
    proc = subprocess.Popen(
        [sys.executable, str(script), "--db", str(db), "import", str(csv_path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
    )
    word, pid = proc.stdout.readline().split()
    assert word == b"READY", proc.stderr.read()
    return proc, int(pid)


def _gone(pid: int, timeout: float = 10.0) -> bool:
    """The process has exited (a zombie counts: it runs nothing)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            return True
        if state in ("Z", "X"):
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize(("how", "start", "parallel"), [
    ("kill -9", "empty", False), ("kill -9", "with contacts", False),
    ("ctrl+c", "empty", False), ("ctrl+c", "with contacts", False),
    ("kill -9", "empty", True), ("ctrl+c", "with contacts", True),
])
def test_interrupted_import_leaves_no_trace(run_cli, open_test_services, tmp_path, db_dump,
                                            big_csv, how, start, parallel):
    db = tmp_path / "kill.db"
    if start == "empty":  # the bulk path's biggest case: a first import
        open_test_services(db).close()
    else:
        assert run_cli("--db", db, "import", DATA / "pipe.csv").code == 0
    before = db_dump(db)
    proc, parser = _start_midway(db, big_csv, tmp_path, parallel)
    assert bool(parser) == parallel
    wal = Path(f"{db}-wal")
    assert wal.exists() and wal.stat().st_size > 0  # the transaction has written pages
    if how == "kill -9":
        proc.kill()
        assert proc.wait(timeout=30) == -signal.SIGKILL
    else:
        proc.send_signal(signal.SIGINT)
        proc.stdin.close()
        assert proc.wait(timeout=30) == 130
        assert proc.stderr.read().strip().endswith((b"aborted", b"interrupted"))
    for stream in (proc.stdin, proc.stdout, proc.stderr):
        if not stream.closed:
            stream.close()
    if parser:
        assert _gone(parser)  # the parser process does not outlive the import
    assert db_dump(db) == before
    assert table(db, "PRAGMA integrity_check") == [("ok",)]
    assert run_cli("--db", db, "import", big_csv, "--json").code == 0  # still usable
    listed = json.loads(run_cli("--db", db, "list", "--limit", "0", "--json").out)
    assert len(listed) == 20_000 + (2 if start != "empty" else 0)
