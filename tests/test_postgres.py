"""The store, the services, imports and the CLI on a real PostgreSQL server.

Every test gets a fresh database on a server started for the test run (tests/pg_server.py).
The strongest checks run the same work on SQLite and on PostgreSQL and compare what a user
sees: counts, rows in order, windows by position, stored values.
"""

from __future__ import annotations

import json
from pathlib import Path

import psycopg
import pytest

from leadletter_tui.domain.model import EventKind, Status
from leadletter_tui.services import UserError
from leadletter_tui.services.demo import add_demo_contacts
from leadletter_tui.services.imports import run_import
from leadletter_tui.store.db import LATEST

DATA = Path(__file__).parent / "data"

FILTERS = {
    "all": {},
    "sent": {"statuses": ["sent"]},
    "sent last week": {"sent": "last-week"},
    "sent last week, no reply": {"statuses": ["sent"], "sent": "last-week", "no_reply": True},
    "replied or won": {"statuses": ["replied", "won"]},
    "custom range": {"sent_from": "2026-11-01", "sent_to": "2026-11-20"},
    "domain pattern": {"domain": "*bak*"},
    "domain part": {"domain": "harbor"},
    "search": {"search": "smith"},
    "follow-up due": {"due": True},
}
SORTS = [None, "business", "-business", "domain", "-last_sent", "last_sent", "status",
         "-follow_ups", "created"]


def _fetch(url: str, sql: str) -> list[tuple]:
    with psycopg.connect(url) as conn:
        return conn.execute(sql).fetchall()


def _views(svc) -> dict:
    """What the list and the table show for every filter and sort."""
    seen = {}
    for name, options in FILTERS.items():
        flt = svc.contacts.make_filter(**options)
        seen[name, "count"] = svc.contacts.count(flt)
        for sort_text in SORTS:
            sort = svc.contacts.make_sort(sort_text, flt)
            seen[name, sort_text] = [r.domain for r in svc.contacts.rows(flt, sort, 25)]
        window = svc.contacts.window(flt, svc.contacts.make_sort(None, flt))
        total = window.total
        seen[name, "window"] = total, [
            [r.domain for r in window.rows(start, 7)] for start in (0, total // 2, max(0, total - 7))
        ]
    return seen


def test_a_new_database_gets_the_schema_once(pg_url, open_test_services):
    svc = open_test_services(pg_url)
    assert svc.contacts.count() == 0
    svc.close()
    open_test_services(pg_url).close()  # reopening applies nothing
    assert _fetch(pg_url, "SELECT version FROM schema_version") == [(LATEST,)]
    tables = {t for (t,) in _fetch(pg_url, "SELECT tablename FROM pg_tables "
                                           "WHERE schemaname = 'public'")}
    assert {"contact", "message", "reply", "event", "schema_version"} <= tables


def test_filters_sorts_and_windows_match_sqlite(pg_url, open_test_services, tmp_path):
    seen = {}
    for backend, target in (("sqlite", tmp_path / "same.db"), ("postgresql", pg_url)):
        svc = open_test_services(target)
        assert add_demo_contacts(svc, 1_500, seed=11) == 1_500
        seen[backend] = _views(svc)
        svc.close()
    assert seen["postgresql"] == seen["sqlite"]
    counts = {k[0]: v for k, v in seen["sqlite"].items() if k[1] == "count"}
    assert counts["all"] == 1_500 and 0 < counts["sent last week, no reply"] < counts["sent"]
    assert counts["domain pattern"] > 0 and counts["search"] > 0 and counts["follow-up due"] > 0


def test_pipeline_and_edits(pg_url, open_test_services):
    svc = open_test_services(pg_url)
    report = run_import(svc, DATA / "duplicates.csv")
    assert (report.created, report.updated, report.duplicates) == (2, 2, 2)
    domain = svc.contacts.rows(svc.contacts.make_filter(), svc.contacts.make_sort("domain", svc.contacts.make_filter()), 1)
    domain = next(iter(domain)).domain
    change = svc.contacts.change_status(domain, "sent")
    assert change.to_status is Status.SENT and change.stamps_sent
    assert svc.contacts.count(svc.contacts.make_filter(statuses=["sent"], sent="this-week")) == 1
    svc.contacts.change_status(domain, "replied")
    svc.contacts.edit_contact(domain, {"notes": "Asked for a quote", "phone": "+1 555 0100"})
    svc.contacts.set_do_not_contact(domain, True)
    detail = svc.contacts.detail(domain)
    assert detail.row.status is Status.REPLIED
    assert detail.notes == "Asked for a quote" and detail.row.phone == "+1 555 0100"
    kinds = [e.kind for e in detail.events]
    assert kinds.count(EventKind.STATUS) == 2 and EventKind.EDIT in kinds
    with pytest.raises(UserError):
        svc.contacts.change_status(domain, "maybe")  # not a status
    with pytest.raises(UserError):
        svc.contacts.change_status("no-such-contact.com", "won")
    ids = [r.id for r in svc.contacts.rows(svc.contacts.make_filter(statuses=["ready"]), svc.contacts.make_sort(None, svc.contacts.make_filter()))]
    assert svc.contacts.change_status_many(ids, Status.SENT) == len(ids)
    assert svc.contacts.count(svc.contacts.make_filter(statuses=["ready"])) == 0


CORPUS = ["utf8_bom_crlf.csv", "cp1252_sep_semicolon.csv", "utf16_tab.txt", "quoted.csv",
          "email_only.csv", "duplicates.csv", "invalid_urls.csv", "overlong.csv",
          "control_chars.csv", "extras_placeholders.csv", "header_variants.csv"]
STORED = ("SELECT domain, business_name, contact_name, email, phone, notes, extra, status "
          "FROM contact ORDER BY domain")


def _stored_sqlite(path: Path) -> list[tuple]:
    import sqlite3

    con = sqlite3.connect(path)
    try:
        return con.execute(STORED).fetchall()
    finally:
        con.close()


def test_imports_match_sqlite(pg_url, open_test_services, tmp_path):
    reports = {}
    for backend, target in (("sqlite", tmp_path / "same.db"), ("postgresql", pg_url)):
        svc = open_test_services(target)
        reports[backend] = [
            (r.rows, r.created, r.updated, r.duplicates, r.invalid, r.errors)
            for r in (run_import(svc, DATA / name) for name in CORPUS)
        ]
        again = run_import(svc, DATA / "duplicates.csv")  # a re-import changes nothing
        assert (again.created, again.updated) == (0, 0)
        svc.close()
    assert reports["postgresql"] == reports["sqlite"]
    assert _fetch(pg_url, STORED) == _stored_sqlite(tmp_path / "same.db")
    assert any("Café Lumière" in row for row in _fetch(pg_url, STORED))


def test_a_big_import_lands_whole(pg_url, open_test_services):
    rows = ["website,company,email"] + [
        f"https://www.site{i % 4_000}.com/,Company {i},{'x@site%d.com' % (i % 4_000) if i >= 4_000 else ''}"
        for i in range(9_000)
    ]
    svc = open_test_services(pg_url)
    report = run_import(svc, "\n".join(rows).encode())
    assert (report.rows, report.created, report.updated, report.duplicates) == (9_000, 4_000, 4_000, 1_000)
    assert svc.contacts.count() == 4_000
    assert svc.contacts.detail("site17.com").row.email == "x@site17.com"
    # new contacts after a bulk load get fresh ids (the sequence moved on)
    more = run_import(svc, b"website\nnew-one.com\n")
    assert more.created == 1 and svc.contacts.count() == 4_001


def test_dry_run_and_failure_change_nothing(pg_url, open_test_services):
    svc = open_test_services(pg_url)
    run_import(svc, DATA / "pipe.csv")
    before = _fetch(pg_url, STORED), _fetch(pg_url, "SELECT count(*) FROM event")
    dry = run_import(svc, DATA / "duplicates.csv", dry_run=True)
    assert (dry.created, dry.updated, dry.duplicates) == (2, 2, 2)
    calls = []

    def progress(rows, done, total):
        calls.append(rows)
        if len(calls) == 2:
            raise RuntimeError("boom")

    from leadletter_tui.services import imports as importer

    importer_chunk = importer.CHUNK_ROWS
    importer.CHUNK_ROWS = 2
    try:
        with pytest.raises(RuntimeError, match="boom"):
            run_import(svc, DATA / "email_only.csv", progress=progress)
    finally:
        importer.CHUNK_ROWS = importer_chunk
    assert (_fetch(pg_url, STORED), _fetch(pg_url, "SELECT count(*) FROM event")) == before


def test_cli_on_postgresql(pg_url, run_cli, tmp_path):
    result = run_cli("--db", pg_url, "import", DATA / "header_variants.csv", "--json")
    assert result.code == 0 and json.loads(result.out)["created"] == 3
    listed = json.loads(run_cli("--db", pg_url, "list", "--json").out)
    assert len(listed) == 3
    domain = listed[0]["domain"]
    assert run_cli("--db", pg_url, "status", domain, "sent").code == 0
    assert json.loads(run_cli("--db", pg_url, "show", domain, "--json").out)["status"] == "sent"
    out = tmp_path / "out.csv"
    assert run_cli("--db", pg_url, "export", "-o", out).code == 0
    assert out.read_text(encoding="utf-8").count("\n") == 4
    bad = run_cli("--db", pg_url.rsplit("/", 1)[0] + "/no_such_db", "list")
    assert bad.code == 2 and len(bad.err_lines) == 1 and "no_such_db" in bad.err


def test_contacts_added_after_demo_data_get_new_ids(pg_url, open_test_services):
    svc = open_test_services(pg_url)
    add_demo_contacts(svc, 60, seed=3)  # explicit ids: the id sequence must be moved past them
    assert run_import(svc, b"website\nafter-demo.com\n").created == 1
    assert svc.contacts.count() == 61
    assert max(r.id for r in svc.contacts.rows(svc.contacts.make_filter(), svc.contacts.make_sort(None, svc.contacts.make_filter()))) == 61


def test_last_sent_order_is_read_from_an_index(pg_url, open_test_services):
    """Never-sent last going down (as on SQLite) must not cost a sort of every contact."""
    from leadletter_tui.domain.filters import Sort, SortKey
    from leadletter_tui.store.models import Contact
    from leadletter_tui.store.queries import order_by

    svc = open_test_services(pg_url)
    add_demo_contacts(svc, 3_000, seed=4)
    db = svc.store.db
    db.execute_sql("ANALYZE contact")
    names = {n for (n,) in _fetch(pg_url, "SELECT indexname FROM pg_indexes "
                                          "WHERE tablename = 'contact'")}
    assert {"contact_last_sent_desc", "contact_status_last_sent_desc"} <= names
    db.execute_sql("SET enable_sort = off")  # a sort then shows only if no index can serve
    for status in (None, "sent"):
        for reverse in (False, True):
            q = Contact.select(Contact.id)
            if status:
                q = q.where(Contact.status == status)
            q = q.order_by(*order_by(Sort(SortKey.LAST_SENT, True), db, reverse=reverse))
            sql, params = db.get_sql_context().sql(q.limit(100).offset(500)).query()
            plan = "\n".join(r[0] for r in db.execute_sql("EXPLAIN " + sql, params).fetchall())
            assert "Sort" not in plan.replace("Sort Key", ""), plan


def test_merging_into_a_stored_contact_fills_and_records_it(pg_url, open_test_services):
    svc = open_test_services(pg_url)
    assert run_import(svc, b"website,company\nacme.com,Acme\n").created == 1
    svc.contacts.change_status("acme.com", "sent")
    again = run_import(svc, b"website,company,email,city\nACME.COM,Other,a@acme.com,Leeds\n")
    assert (again.created, again.updated, again.duplicates) == (0, 1, 0)
    detail = svc.contacts.detail("acme.com")
    assert detail.row.business_name == "Acme" and detail.row.email == "a@acme.com"
    assert detail.row.status is Status.SENT and detail.extra == {"city": "Leeds"}
    assert [e.detail for e in detail.events if e.kind is EventKind.EDIT] == [
        "import filled city, email"]


def test_two_stores_on_two_databases_side_by_side(pg_url, tmp_path):
    """No global binding: a SQLite store and a PostgreSQL store open at once in one process,
    used alternately and from threads, each see only their own contacts."""
    from concurrent.futures import ThreadPoolExecutor

    from leadletter_tui.config import Settings
    from leadletter_tui.domain.filters import Sort
    from leadletter_tui.services import Services
    from leadletter_tui.store.models import ALL_MODELS
    from leadletter_tui.store.store import Store

    assert all(model._meta.database is None for model in ALL_MODELS)
    lite = Services(Store.open(str(tmp_path / "lite.db")), Settings())
    pg = Services(Store.open(pg_url), Settings())
    assert run_import(lite, b"website\nlite-one.com\nlite-two.com\n").created == 2
    assert run_import(pg, b"website\npg-only.com\n").created == 1
    pg.contacts.change_status("pg-only.com", "sent")
    assert lite.contacts.detail("lite-one.com").status is Status.READY

    def read(svc: Services) -> set[str]:
        with svc.store.connection():
            flt = svc.contacts.make_filter()
            return {r.domain for r in svc.store.window(flt, Sort()).rows(0, 10)}

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(read, [lite, pg] * 20))
    assert results == [{"lite-one.com", "lite-two.com"}, {"pg-only.com"}] * 20
    assert pg.contacts.detail("pg-only.com").status is Status.SENT
    assert lite.contacts.count() == 2 and pg.contacts.count() == 1
    lite.close()
    pg.close()
