"""The CLI through its real entry point (`leadletter_tui.cli.main`), against the contract in
DESIGN.md: output shapes, filters, writes, exports, and every error path (exit 2, one line
on stderr, no traceback, nothing changed). A few checks run the process end to end."""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import stat
import subprocess
import sys
from datetime import datetime

import pytest
from conftest import FROZEN_NOW
from sample_data import ALL, SPECS, insert_sample

import leadletter_tui
from leadletter_tui.store.bulk import insert_batches

CONTRACT_KEYS = {"domain", "business_name", "contact_name", "email", "phone", "status",
                 "last_sent_at", "follow_ups", "sentiment", "do_not_contact"}
LIST_KEYS = CONTRACT_KEYS | {"created_at", "domain_unicode"}
EXPORT_KEYS = LIST_KEYS | {"notes", "category", "extra", "last_reply_at", "updated_at"}
LAST_WEEK_SENT = {"elmtreeyoga.com", "foxhound.de", "granite.io", "harbor.net"}
ISO = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d"


@pytest.fixture
def cli_db(open_test_services, tmp_path):
    """A database file holding sample_data's contacts, plus a reply for ironwood.com."""
    path = tmp_path / "cli.db"
    svc = open_test_services(path)
    ids = insert_sample(svc.store.db)
    iron = ids["ironwood.com"]
    insert_batches(svc.store.db, [(
        [], [],
        [(iron, "Sounds good, call me Thursday", "positive", "2026-11-12 09:30:00")],
        [(iron, "status", "ready", "sent", "", "2026-11-10 10:00:00"),
         (iron, "status", "sent", "replied", "", "2026-11-12 09:30:00")],
    )])
    svc.close()
    return path


@pytest.fixture
def cli(run_cli, cli_db):
    """run_cli bound to the sample database: cli("list", "--json")."""
    return lambda *args, **kw: run_cli("--db", cli_db, *args, **kw)


def json_domains(result) -> list[str]:
    assert result.code == 0, result.err
    return [item["domain"] for item in json.loads(result.out)]


def assert_failed_cleanly(result, *fragments: str, code: int = 2) -> None:
    """Exit `code`, nothing on stdout, exactly one error line on stderr, no traceback."""
    assert result.code == code, result
    assert result.out == ""
    assert len(result.err_lines) == 1, result.err
    line = result.err_lines[0]
    assert line.startswith("leadletter: error: ")
    assert "Traceback" not in result.err
    for fragment in fragments:
        assert fragment in line, (fragment, line)


# --- list -----------------------------------------------------------------------------------
def test_list_json_shape(cli):
    result = cli("list", "--json")
    assert result.code == 0 and result.err == ""
    items = json.loads(result.out)  # one JSON document and nothing else
    assert isinstance(items, list) and len(items) == len(SPECS)
    for item in items:
        assert set(item) == LIST_KEYS
        assert isinstance(item["follow_ups"], int) and isinstance(item["do_not_contact"], bool)
        assert item["status"] in {"ready", "sent", "replied", "won", "lost"}
    by_domain = {i["domain"]: i for i in items}
    assert by_domain["ironwood.com"] == {
        "domain": "ironwood.com", "business_name": "Ironwood Law", "contact_name": "Isla Wilson",
        "email": "isla@ironwood.com", "phone": "", "status": "replied",
        "last_sent_at": "2026-11-10T10:00:00", "follow_ups": 0, "sentiment": "positive",
        "do_not_contact": False, "created_at": "2026-10-10T09:00:00",
        "domain_unicode": "ironwood.com",
    }
    assert by_domain["acme.com"]["last_sent_at"] is None
    assert by_domain["acme.com"]["sentiment"] is None
    assert by_domain["harbor.net"]["do_not_contact"] is True
    assert [i["domain"] for i in items][:2] == ["shop.acme.com", "oakember.com"]  # newest first


def test_list_json_empty(cli):
    result = cli("list", "--status", "won", "--domain", "nothing-here", "--json")
    assert (result.code, result.out, result.err) == (0, "[]\n", "")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--status", "sent", "--sent", "last-week"], LAST_WEEK_SENT),
        (["--status", "replied", "--status", "won"], {"ironwood.com", "juniperlaw.com"}),
        (["--sent-from", "2026-11-16", "--sent-to", "2026-11-22"], LAST_WEEK_SENT),
        (["--sent", "today"], {"boltelectric.co.uk"}),
        (["--domain", "*.de"], {"foxhound.de"}),
        (["--domain", "acme"], {"acme.com", "shop.acme.com"}),
        (["--search", "ANNA"], {"acme.com"}),
        (["--no-reply", "--status", "replied"], set()),
        (["--due"], {"foxhound.de", "larkspur.ca"}),
        (["--due", "--search", "florist"], {"larkspur.ca"}),
    ],
)
def test_list_filters(cli, args, expected):
    assert set(json_domains(cli("list", *args, "--json"))) == expected


def test_list_sort_and_limit(cli):
    assert json_domains(cli("list", "--status", "sent", "--sort", "-last_sent", "--limit", "3",
                            "--json")) == ["boltelectric.co.uk", "cedardental.com", "deltaxco.com"]
    assert json_domains(cli("list", "--sort", "domain", "--limit", "2", "--json")) == [
        "acme.com", "boltelectric.co.uk"]
    assert json_domains(cli("list", "--sort", "-domain", "--limit", "1", "--json")) == [
        "shop.acme.com"]
    # --sent sorts by last sent, newest first, by default
    assert json_domains(cli("list", "--sent", "last-week", "--json")) == [
        "elmtreeyoga.com", "harbor.net", "granite.io", "foxhound.de"]
    assert len(json_domains(cli("list", "--limit", "0", "--json"))) == len(SPECS)


def test_list_human(cli):
    result = cli("list", "--status", "sent", "--sent", "last-week")
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[0].split() == ["DOMAIN", "BUSINESS", "STATUS", "LAST", "SENT", "FU", "SENTIMENT"]
    assert [line.split()[0] for line in lines[1:]] == [
        "elmtreeyoga.com", "harbor.net", "granite.io", "foxhound.de"]
    assert "DNC" in next(line for line in lines if line.startswith("harbor.net"))
    assert "2d ago" in lines[1]  # 11-22 23:59:59 seen from 11-25 10:00
    assert result.err == f"4 of {len(SPECS)} contacts match · sent · sent last-week\n"  # off stdout


def test_list_human_limit(cli):
    result = cli("list", "--limit", "3")
    assert len(result.out.splitlines()) == 4
    assert result.err.strip() == f"3 of {len(SPECS)} contacts · all contacts · --limit 0 shows all"
    result = cli("list", "--limit", "0")
    assert len(result.out.splitlines()) == len(SPECS) + 1


def test_list_human_neutralises_terminal_escapes(cli, cli_db, open_test_services):
    svc = open_test_services(cli_db)
    svc.store.contacts.update_fields("acme.com", {"business_name": "Evil\x1b]52;c;ZXZpbA==\x07Corp"})
    svc.close()
    result = cli("list", "--domain", "acme.com", "--sort", "domain")
    assert result.code == 0 and "\x1b" not in result.out and "Evil" in result.out
    shown = cli("list", "--search", "evil", "--json")
    assert "\x1b" not in shown.out and json.loads(shown.out)[0]["business_name"].startswith("Evil")


# --- show -----------------------------------------------------------------------------------
def test_show_json(cli):
    result = cli("show", "https://www.IronWood.com/contact", "--json")
    assert result.code == 0 and result.err == ""
    d = json.loads(result.out)
    assert CONTRACT_KEYS <= set(d)
    assert d["domain"] == "ironwood.com" and d["status"] == "replied"
    assert [set(m) >= {"kind", "subject", "body", "angle", "created_at", "sent_at"}
            for m in d["messages"]] == [True]
    assert d["messages"][0]["sent_at"] == "2026-11-10T10:00:00"
    assert d["replies"] == [{"text": "Sounds good, call me Thursday", "sentiment": "positive",
                             "received_at": "2026-11-12T09:30:00"}]
    assert [(e["from_status"], e["to_status"], e["at"]) for e in d["events"]] == [
        ("ready", "sent", "2026-11-10T10:00:00"), ("sent", "replied", "2026-11-12T09:30:00")]


def test_show_human(cli):
    result = cli("show", "ironwood.com")
    assert result.code == 0
    out = result.out
    assert out.splitlines()[0] == "Ironwood Law  (ironwood.com)"
    for text in ("Status      Replied · last sent 2026-11-10T10:00:00", "Messages (1)",
                 "Replies (1)", "Sounds good, call me Thursday", "Activity (2)",
                 "sent → replied"):
        assert text in out, text


# --- status ---------------------------------------------------------------------------------
def test_status_sent_now(cli):
    result = cli("status", "https://www.Acme.com/x", "sent")
    assert (result.code, result.err) == (0, "")
    assert result.out == "acme.com: ready → sent (last sent 2026-11-25T10:00:00)\n"
    item = next(i for i in json.loads(cli("list", "--json").out) if i["domain"] == "acme.com")
    assert (item["status"], item["last_sent_at"]) == ("sent", FROZEN_NOW)
    shown = json.loads(cli("show", "acme.com", "--json").out)
    assert shown["messages"][0]["sent_at"] == FROZEN_NOW
    assert [(e["from_status"], e["to_status"]) for e in shown["events"]] == [("ready", "sent")]


def test_status_sent_at(cli):
    result = cli("status", "acme.com", "SENT", "--at", "2026-11-17T08:30:00")
    assert result.out == "acme.com: ready → sent (last sent 2026-11-17T08:30:00)\n"
    assert "acme.com" in json_domains(cli("list", "--sent", "last-week", "--json"))


def test_frozen_now_with_an_offset_is_local_time(cli, cli_db, monkeypatch):
    monkeypatch.setenv("LEADLETTER_NOW", "2026-11-25T10:00:00+02:00")
    local = datetime.fromisoformat("2026-11-25T10:00:00+02:00").astimezone().replace(tzinfo=None)
    result = cli("status", "acme.com", "sent", "--at", "2026-11-20T09:00:00")
    assert (result.code, result.err) == (0, "")
    result = cli("status", "shop.acme.com", "sent")
    assert result.out == f"shop.acme.com: ready → sent (last sent {local.isoformat()})\n"
    con = sqlite3.connect(cli_db)
    stored = con.execute("SELECT last_sent_at FROM contact WHERE domain = 'shop.acme.com'")
    assert stored.fetchone()[0] == local.isoformat(" ")  # naive, like every stored time
    con.close()


def test_status_other_and_noop(cli):
    assert cli("status", "ironwood.com", "won").out == "ironwood.com: replied → won\n"
    assert cli("status", "ironwood.com", "won").out == "ironwood.com is already won\n"
    shown = json.loads(cli("show", "ironwood.com", "--json").out)
    assert [e["to_status"] for e in shown["events"]] == ["sent", "replied", "won"]


# --- export ---------------------------------------------------------------------------------
def read_csv(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_export_csv_stdout(cli):
    result = cli("export", "--status", "sent", "--sent", "last-week")
    assert result.code == 0 and result.err == ""
    assert result.out.startswith("domain,business_name,contact_name,email,phone,status,")
    rows = read_csv(result.out)
    assert [r["domain"] for r in rows] == ["elmtreeyoga.com", "harbor.net", "granite.io",
                                           "foxhound.de"]
    assert rows[1]["do_not_contact"] == "True" and rows[0]["last_sent_at"] == "2026-11-22T23:59:59"


def test_export_json_stdout(cli):
    result = cli("export", "--format", "json", "--status", "won")
    assert result.code == 0 and result.err == ""
    items = json.loads(result.out)
    assert [i["domain"] for i in items] == ["juniperlaw.com"] and set(items[0]) == EXPORT_KEYS


@pytest.mark.parametrize(("name", "fmt"), [("out.csv", "csv"), ("out.json", "json"),
                                           ("out.txt", "csv")])
def test_export_to_file_is_atomic_and_tidy(cli, tmp_path, name, fmt):
    out_dir = tmp_path / "exports"
    out_dir.mkdir()
    target = out_dir / name
    target.write_text("old content")
    refused = cli("export", "-o", target)  # an existing file is replaced only with --force
    assert_failed_cleanly(refused, "already exists", "--force")
    assert target.read_text() == "old content"
    result = cli("export", "-o", target, "--force")
    assert result.code == 0 and result.out == ""
    assert result.err == f"exported {len(SPECS)} contacts to {target}\n"
    assert os.listdir(out_dir) == [name]  # no temp file left behind
    text = target.read_text(encoding="utf-8")
    domains = ({i["domain"] for i in json.loads(text)} if fmt == "json"
               else {r["domain"] for r in read_csv(text)})
    assert domains == ALL


def test_failed_export_keeps_the_old_file(cli, tmp_path, monkeypatch):
    import peewee

    target = tmp_path / "out.csv"
    target.write_text("old content")
    from leadletter_tui.store.store import Store

    real_records = Store.export_records

    def records_then_fail(self, flt, sort, ids=None):
        it = real_records(self, flt, sort, ids)
        yield next(it)
        yield next(it)
        raise peewee.OperationalError("database is locked")

    monkeypatch.setattr(Store, "export_records", records_then_fail)
    result = cli("export", "-o", target, "--force")
    assert_failed_cleanly(result, "locked")
    assert target.read_text() == "old content"
    assert [p for p in os.listdir(tmp_path) if p.startswith(".")] == []  # temp file removed


def test_export_neutralises_spreadsheet_formulas(cli, cli_db, open_test_services):
    svc = open_test_services(cli_db)
    svc.store.contacts.update_fields("acme.com", {"business_name": '=HYPERLINK("http://x","y")',
                                        "contact_name": "@SUM(A1)", "phone": "-1+SUM(A1)"})
    svc.store.contacts.update_fields("cedardental.com", {"business_name": "+cmd|' /C calc'!A0",
                                               "contact_name": "\tTabbed"})
    svc.close()
    rows = {r["domain"]: r for r in read_csv(cli("export").out)}
    assert rows["acme.com"]["business_name"] == '\'=HYPERLINK("http://x","y")'
    assert rows["acme.com"]["contact_name"] == "'@SUM(A1)"
    assert rows["acme.com"]["phone"] == "'-1+SUM(A1)"
    assert rows["cedardental.com"]["business_name"].startswith("'+cmd")
    assert rows["cedardental.com"]["contact_name"] == "'\tTabbed"
    # a phone number stays as is (digits and separators only: nothing a sheet could run)
    assert rows["larkspur.ca"]["phone"] == "+1 555 010 0100"
    # JSON is data, not a spreadsheet: values unchanged
    items = {i["domain"]: i for i in json.loads(cli("export", "--format", "json").out)}
    assert items["acme.com"]["business_name"] == '=HYPERLINK("http://x","y")'


# --- demo, locate, --db, --version ----------------------------------------------------------
def test_demo_into_a_new_file(run_cli, tmp_path):
    db = tmp_path / "fresh.db"
    result = run_cli("--db", db, "demo", "--contacts", "250", "--seed", "3")
    assert result.code == 0 and result.err == ""
    assert result.out.startswith(f"added 250 demo contacts to {db} in ")
    items = json.loads(run_cli("--db", db, "list", "--json").out)
    assert len(items) == 250 and {i["status"] for i in items} == {
        "ready", "sent", "replied", "won", "lost"}
    assert stat.S_IMODE(os.stat(db).st_mode) == 0o600


def test_demo_goes_to_a_database_of_its_own(run_cli, isolated_env):
    demo_db = isolated_env.data_dir / "demo.db"
    result = run_cli("demo", "--contacts", "20")
    assert result.code == 0
    assert result.out.startswith(f"added 20 demo contacts to {demo_db} in ")
    assert result.out.splitlines()[-1] == f"open it with: leadletter --db {demo_db}"
    assert stat.S_IMODE(os.stat(isolated_env.data_dir).st_mode) == 0o700
    assert len(json.loads(run_cli("--db", demo_db, "list", "--json").out)) == 20
    assert json.loads(run_cli("list", "--json").out) == []  # the real database: untouched


def test_demo_refuses_a_database_with_contacts_without_force(run_cli, cli_db, db_dump):
    before = db_dump(cli_db)
    assert_failed_cleanly(run_cli("--db", cli_db, "demo", "--contacts", "5"),
                          f"already holds {len(SPECS)} contacts", "--force")
    assert db_dump(cli_db) == before
    assert run_cli("--db", cli_db, "demo", "--contacts", "5", "--force").code == 0
    assert len(json.loads(run_cli("--db", cli_db, "list", "--json").out)) == len(SPECS) + 5


def test_demo_domains_and_emails_are_reserved_names(run_cli, tmp_path):
    db = tmp_path / "d.db"
    assert run_cli("--db", db, "demo", "--contacts", "400", "--seed", "2").code == 0
    items = json.loads(run_cli("--db", db, "list", "--json").out)
    assert len(items) == 400
    assert all(i["domain"].endswith(".example") for i in items)
    assert all(i["email"].endswith(".example") for i in items if i["email"])


def test_demo_rejects_a_bad_count(run_cli, tmp_path):
    assert_failed_cleanly(run_cli("--db", tmp_path / "x.db", "demo", "--contacts", "0"),
                          "--contacts")
    assert not (tmp_path / "x.db").exists()


def test_locate(run_cli, isolated_env):
    result = run_cli("locate")
    assert result.code == 0
    lines = {line[:12].rstrip(): line[13:] for line in result.out.splitlines()}
    assert lines == {
        "config file": str(isolated_env.config_file),
        "data dir": str(isolated_env.data_dir),
        "log dir": str(isolated_env.log_dir),
        "log file": str(isolated_env.log_dir / "leadletter.log"),
        "database": str(isolated_env.default_db),
    }
    assert not isolated_env.data_dir.exists()  # locating creates nothing


def test_locate_json_follows_db_option_and_env(run_cli, isolated_env, tmp_path, monkeypatch):
    as_json = json.loads(run_cli("locate", "--json").out)
    assert as_json == {"config_file": str(isolated_env.config_file),
                       "data_dir": str(isolated_env.data_dir),
                       "log_dir": str(isolated_env.log_dir),
                       "log_file": str(isolated_env.log_dir / "leadletter.log"),
                       "database": str(isolated_env.default_db)}
    assert json.loads(run_cli("--db", f"sqlite:///{tmp_path}/team.db", "locate", "--json").out)[
        "database"] == f"{tmp_path}/team.db"
    monkeypatch.setenv("LEADLETTER_DATABASE_URL", "postgresql://ann:secret@db.example/crm")
    shown = json.loads(run_cli("locate", "--json").out)["database"]
    assert shown == "postgresql://ann@db.example/crm"  # the password is never printed


def test_db_as_url_path_and_env(run_cli, cli_db, monkeypatch):
    by_url = json_domains(run_cli("--db", f"sqlite:///{cli_db}", "list", "--json"))
    assert set(by_url) == ALL
    monkeypatch.chdir(cli_db.parent)
    assert json_domains(run_cli("--db", cli_db.name, "list", "--json")) == by_url
    monkeypatch.setenv("LEADLETTER_DATABASE_URL", f"sqlite:///{cli_db}")
    assert json_domains(run_cli("list", "--json")) == by_url


def test_config_file_and_env_settings(run_cli, cli_db, isolated_env, monkeypatch):
    isolated_env.write_config("follow_up_days = 1\n")
    due_1 = {"deltaxco.com", "elmtreeyoga.com", "foxhound.de", "larkspur.ca"}
    assert set(json_domains(run_cli("--db", cli_db, "list", "--due", "--json"))) == due_1
    monkeypatch.setenv("LEADLETTER_FOLLOW_UP_DAYS", "3")  # env beats the file
    assert set(json_domains(run_cli("--db", cli_db, "list", "--due", "--json"))) == {
        "foxhound.de", "larkspur.ca"}


def test_version(run_cli):
    result = run_cli("--version")
    assert (result.code, result.out) == (0, f"leadletter, version {leadletter_tui.__version__}\n")


# --- error paths ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["show", "unknown.com"], ["no contact with domain 'unknown.com'"]),
        (["status", "unknown.com", "won"], ["no contact with domain 'unknown.com'"]),
        (["show", "localhost"], ["localhost"]),
        (["status", "http://10.0.0.1/", "won"], ["10.0.0.1"]),
        (["status", "ftp://acme.com", "won"], ["ftp"]),
        (["status", "acme.com", "shipped"], ["unknown status 'shipped'"]),
        (["status", "acme.com", "sent", "--at", "last tuesday"], ["--at", "not a date"]),
        (["status", "acme.com", "sent", "--at", "2026-11-25T10:00:01"], ["in the future"]),
        (["list", "--sent-from", "2026-13-01"], ["not a date: '2026-13-01'"]),
        (["list", "--sent-to", "soon"], ["not a date"]),
        (["list", "--sent-from", "2026-11-20", "--sent-to", "2026-11-01"], ["after"]),
        (["list", "--sent", "lastweek"], ["unknown date preset 'lastweek'"]),
        (["export", "--sent", "fortnight"], ["unknown date preset"]),
        (["list", "--sent", "today", "--sent-from", "2026-11-01"], ["not both"]),
        (["list", "--status", "maybe"], ["unknown status"]),
        (["list", "--sort", "colour"], ["unknown sort 'colour'"]),
        (["list", "--bogus"], ["No such option", "--bogus"]),
        (["list", "--limit", "-1"], ["--limit"]),
        (["frobnicate"], ["No such command", "frobnicate"]),
        (["show"], ["Missing argument"]),
        (["status", "acme.com"], ["Missing argument"]),
        (["export", "--format", "xml"], ["--format"]),
        (["export", "-o", "/nonexistent-dir/out.csv"], ["/nonexistent-dir"]),
    ],
)
def test_bad_input_fails_cleanly(cli, cli_db, db_dump, args, fragments):
    before = db_dump(cli_db)
    assert_failed_cleanly(cli(*args), *fragments)
    assert db_dump(cli_db) == before


def test_hostile_input_is_not_echoed_raw(cli):
    result = cli("status", "acme.com", "won\x1b]52;c;ZXZpbA==\x07")
    assert_failed_cleanly(result, "unknown status")
    assert "\x1b" not in result.err and "\x07" not in result.err


@pytest.mark.parametrize("url", ["ftp://host/x.db", "mysql://root@localhost/crm", "sqlite://",
                                 "postgresql://host/"])
def test_bad_db_url(run_cli, url):
    assert_failed_cleanly(run_cli("--db", url, "list"))


@pytest.mark.parametrize("command", [["list"], ["show", "acme.com"], ["export"],
                                     ["status", "acme.com", "won"]])
def test_db_missing_file_is_not_created(run_cli, tmp_path, command):
    missing = tmp_path / "typo.db"
    assert_failed_cleanly(run_cli("--db", missing, *command), "no database at", str(missing))
    assert not missing.exists()
    assert_failed_cleanly(run_cli("--db", f"sqlite:///{missing}", *command), "no database at")
    assert not missing.exists()


def test_db_is_a_directory(run_cli, tmp_path):
    assert_failed_cleanly(run_cli("--db", tmp_path, "list"), "is a directory")
    assert_failed_cleanly(run_cli("--db", tmp_path, "demo", "--contacts", "1"), "is a directory")


@pytest.mark.parametrize("header", [b"", b"SQLite format 3\x00"], ids=["random", "bad-header"])
@pytest.mark.parametrize("command", [["list", "--json"], ["status", "acme.com", "won"],
                                     ["demo", "--contacts", "3"]])
def test_db_corrupt_file(run_cli, tmp_path, header, command):
    corrupt = tmp_path / "corrupt.db"
    corrupt.write_bytes(header + os.urandom(8192))
    before = corrupt.read_bytes()
    assert_failed_cleanly(run_cli("--db", corrupt, *command), "not a usable LeadLetter database")
    assert corrupt.read_bytes() == before


def test_db_holding_other_tables(run_cli, tmp_path, db_dump):
    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE notes (body TEXT)")
    con.commit()
    con.close()
    before = db_dump(other)
    assert_failed_cleanly(run_cli("--db", other, "demo", "--contacts", "2"), "other tables")
    assert db_dump(other) == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read a chmod 000 file")
def test_db_unreadable_file(cli, cli_db):
    os.chmod(cli_db, 0)
    try:
        assert_failed_cleanly(cli("list"), "permission denied")
    finally:
        os.chmod(cli_db, 0o600)


@pytest.fixture
def locked(cli_db, monkeypatch):
    """Another connection holds cli_db's write lock for the whole test; 200 ms busy timeout."""
    monkeypatch.setenv("LEADLETTER_BUSY_TIMEOUT_MS", "200")
    con = sqlite3.connect(cli_db, isolation_level=None)
    con.execute("BEGIN EXCLUSIVE")
    yield
    con.execute("ROLLBACK")
    con.close()


@pytest.mark.parametrize("command", [["status", "acme.com", "won"],
                                     ["demo", "--contacts", "5", "--force"]])
def test_db_locked_write_fails_cleanly(cli, cli_db, db_dump, locked, command):
    assert_failed_cleanly(cli(*command), "locked")
    assert not any(p.name == "crash.log" for p in cli_db.parent.rglob("*"))


def test_db_locked_read_still_works(cli, locked):
    assert set(json_domains(cli("list", "--json"))) == ALL  # WAL: readers are not blocked


def test_db_locked_leaves_data_unchanged(cli, cli_db, db_dump, monkeypatch):
    before = db_dump(cli_db)
    monkeypatch.setenv("LEADLETTER_BUSY_TIMEOUT_MS", "100")
    con = sqlite3.connect(cli_db, isolation_level=None)
    con.execute("BEGIN EXCLUSIVE")
    try:
        assert cli("status", "acme.com", "won").code == 2
    finally:
        con.execute("ROLLBACK")
        con.close()
    assert db_dump(cli_db) == before


@pytest.mark.parametrize(
    ("config", "fragments"),
    [
        ("follow_up_days = \n", ["config file", "config.toml"]),
        ("[section\n", ["config file"]),
        ("colour = 'blue'\n", ["unknown setting 'colour'"]),
        ("follow_up_days = 0\n", ["follow_up_days"]),
        ("follow_up_days = 'three'\n", ["follow_up_days"]),
        ("now = 'soon'\n", ["now must be an ISO date-time"]),
        ("database_url = 5\n", ["database_url must be a string"]),
    ],
)
@pytest.mark.parametrize("command", [["list"], ["locate"], ["status", "acme.com", "won"]])
def test_bad_config_file(cli, cli_db, db_dump, isolated_env, config, fragments, command):
    isolated_env.write_config(config)
    before = db_dump(cli_db)
    assert_failed_cleanly(cli(*command), *fragments)
    assert db_dump(cli_db) == before


@pytest.mark.parametrize(("name", "value"), [("LEADLETTER_FOLLOW_UP_DAYS", "abc"),
                                             ("LEADLETTER_BUSY_TIMEOUT_MS", "-1"),
                                             ("LEADLETTER_NOW", "tomorrow")])
def test_bad_env_setting(cli, monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    assert_failed_cleanly(cli("list"), name)


# --- end to end, in a real process ----------------------------------------------------------
def test_e2e_demo_list_show_status(run_cli_subprocess, isolated_env):
    result = run_cli_subprocess("demo", "--contacts", "300", "--seed", "9")
    assert result.code == 0, result.err
    db = str(isolated_env.data_dir / "demo.db")  # demo data has a database of its own
    listed = run_cli_subprocess("--db", db, "list", "--status", "ready", "--limit", "1", "--json")
    assert listed.code == 0 and listed.err == ""
    (item,) = json.loads(listed.out)
    domain = item["domain"]
    changed = run_cli_subprocess("--db", db, "status", domain, "sent", "--at", "2026-11-24T09:15:00")
    assert changed.out == f"{domain}: ready → sent (last sent 2026-11-24T09:15:00)\n"
    yesterday = run_cli_subprocess("--db", db, "list", "--sent", "yesterday", "--json")
    assert domain in {i["domain"] for i in json.loads(yesterday.out)}
    shown = json.loads(run_cli_subprocess("--db", db, "show", domain, "--json").out)
    assert shown["events"][-1]["to_status"] == "sent"
    assert stat.S_IMODE(os.stat(db).st_mode) == 0o600


def test_e2e_errors(run_cli_subprocess, tmp_path):
    corrupt = tmp_path / "junk.db"
    corrupt.write_bytes(os.urandom(4096))
    assert_failed_cleanly(run_cli_subprocess("--db", corrupt, "list", "--json"),
                          "not a usable LeadLetter database")
    assert_failed_cleanly(run_cli_subprocess("list", "--nope"), "No such option")
    assert_failed_cleanly(run_cli_subprocess("--db", tmp_path / "none.db", "show", "a.com"),
                          "no database at")


def test_e2e_locked(run_cli_subprocess, cli_db):
    con = sqlite3.connect(cli_db, isolation_level=None)
    con.execute("BEGIN EXCLUSIVE")
    try:
        result = run_cli_subprocess("--db", cli_db, "status", "acme.com", "lost",
                                    env={"LEADLETTER_BUSY_TIMEOUT_MS": "200"})
    finally:
        con.execute("ROLLBACK")
        con.close()
    assert_failed_cleanly(result, "locked")


def test_e2e_version(run_cli_subprocess):
    result = run_cli_subprocess("--version")
    assert (result.code, result.out.strip()) == (0, f"leadletter, version {leadletter_tui.__version__}")


def test_e2e_closed_pipe_is_quiet(run_cli_subprocess, tmp_path, isolated_env):
    db = tmp_path / "big.db"
    assert run_cli_subprocess("--db", db, "demo", "--contacts", "3000", "--seed", "1").code == 0
    proc = subprocess.Popen(
        [sys.executable, "-m", "leadletter_tui", "--db", str(db), "list", "--json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=isolated_env.root)
    assert proc.stdout.readline() == b"[\n"  # like `| head -1`: read a little, then hang up
    proc.stdout.close()
    err = proc.stderr.read()
    proc.stderr.close()
    assert proc.wait(timeout=60) == 0
    assert err == b""


def test_show_says_who_made_each_change(cli, monkeypatch):
    monkeypatch.setenv("LEADLETTER_USER_NAME", "ana\x1b[31m")  # shown literally, no escape
    assert cli("status", "acme.com", "won").code == 0
    lines = cli("show", "acme.com").out.splitlines()
    assert lines[-1].endswith("ready → won · by ana\ufffd[31m"), lines[-1]
    assert "\x1b" not in "\n".join(lines)
