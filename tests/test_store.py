"""The store on temp-file SQLite: schema and migrations, pragmas, filters, sorting, windows,
status changes, edits, contact detail and demo data. Clock frozen at conftest.NOW."""

from __future__ import annotations

import os
import sqlite3
import stat
import time
from datetime import datetime, timedelta

import pytest
from conftest import NOW
from sample_data import ALL, SPECS, Spec, by_status, contact_tuple, insert_sample

from leadletter_tui.config import Paths, Settings
from leadletter_tui.domain.filters import ContactFilter, Sort, SortKey
from leadletter_tui.domain.model import EventKind, MessageKind, Sentiment, Status
from leadletter_tui.services import UserError, open_services
from leadletter_tui.services.demo import add_demo_contacts
from leadletter_tui.services.shapes import detail_dict
from leadletter_tui.store import db as store_db
from leadletter_tui.store import paging
from leadletter_tui.store.bulk import insert_batches, next_contact_id
from leadletter_tui.store.db import LATEST, StoreError, migrate, open_database
from leadletter_tui.store.models import Contact, Event, Message, Reply

T = datetime.fromisoformat


@pytest.fixture
def sample(services):
    """The hand-built contacts of sample_data.py in this test's database."""
    services.ids = insert_sample(services.store.db)
    return services


def selected(services, **options) -> set[str]:
    flt = services.contacts.make_filter(**options)
    rows = list(services.contacts.rows(flt, services.contacts.make_sort(None, flt)))
    assert services.contacts.count(flt) == len(rows)
    return {r.domain for r in rows}


def tables(path) -> set[str]:
    con = sqlite3.connect(path)
    try:
        return {n for (n,) in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        con.close()


def versions(path) -> list[int]:
    con = sqlite3.connect(path)
    try:
        return [v for (v,) in con.execute("SELECT version FROM schema_version ORDER BY id")]
    finally:
        con.close()


# --- schema, migrations, files --------------------------------------------------------------
def test_fresh_database_gets_latest_schema(services, db_path):
    assert tables(db_path) >= {"contact", "message", "reply", "event", "schema_version"}
    assert versions(db_path) == [LATEST]
    con = sqlite3.connect(db_path)
    indexed = {
        tuple(r[2] for r in con.execute(f"PRAGMA index_info('{name}')"))
        for (_, name, *_rest) in con.execute("PRAGMA index_list('contact')")
    }
    con.close()
    assert {("status", "last_sent_at"), ("status",), ("last_sent_at",), ("domain",)} <= indexed
    assert ("created_at",) not in indexed  # "added" order is id order (v3)


def test_reopening_applies_nothing(services, db_path, open_test_services):
    services.close()
    again = open_test_services(db_path)
    assert migrate(again.store.db) == []
    assert versions(db_path) == [LATEST]


def test_newer_schema_is_refused(services, db_path, db_dump):
    services.close()
    con = sqlite3.connect(db_path)
    con.execute("INSERT INTO schema_version (version, applied_at) VALUES (?, '2030-01-01')",
                (LATEST + 1,))
    con.commit()
    con.close()
    before = db_dump(db_path)
    with pytest.raises(StoreError, match="newer than this LeadLetter"):
        open_database(f"sqlite:///{db_path}")
    assert db_dump(db_path) == before


def test_foreign_sqlite_file_is_refused(db_path, db_dump):
    con = sqlite3.connect(db_path)
    con.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    con.execute("INSERT INTO invoices (total) VALUES (9.5)")
    con.commit()
    con.close()
    before = db_dump(db_path)
    with pytest.raises(StoreError, match="other tables"):
        open_database(str(db_path))
    assert db_dump(db_path) == before
    assert tables(db_path) == {"invoices"}


def test_upgrade_runs_new_steps_once(services, db_path, open_test_services, monkeypatch):
    services.close()
    calls = []

    def add_column(db):
        calls.append(1)
        db.execute_sql('ALTER TABLE "contact" ADD COLUMN "website_title" TEXT')

    monkeypatch.setattr(store_db, "MIGRATIONS", [(LATEST + 1, "add title", add_column)])
    monkeypatch.setattr(store_db, "LATEST", LATEST + 1)
    open_test_services(db_path).close()
    assert versions(db_path) == [LATEST, LATEST + 1]
    open_test_services(db_path).close()
    assert calls == [1]


def test_failed_upgrade_step_changes_nothing(services, db_path, db_dump, monkeypatch):
    insert_sample(services.store.db)
    services.close()
    before = db_dump(db_path)

    def broken(db):
        db.execute_sql('ALTER TABLE "contact" ADD COLUMN "x" TEXT')
        db.execute_sql("UPDATE contact SET x = 'half done'")
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(store_db, "MIGRATIONS", [(LATEST + 1, "broken", broken)])
    monkeypatch.setattr(store_db, "LATEST", LATEST + 1)
    with pytest.raises(StoreError, match="disk I/O error"):
        open_database(str(db_path))
    assert db_dump(db_path) == before


# The schema as the first release (v1, "Foundation") created it. Never edit: databases out
# there look like this, and migrations must bring them to exactly what a fresh one gets.
V1_SCHEMA = """
CREATE TABLE "schema_version" ("id" INTEGER NOT NULL PRIMARY KEY, "version" INTEGER NOT NULL,
  "applied_at" DATETIME NOT NULL);
CREATE TABLE "contact" ("id" INTEGER NOT NULL PRIMARY KEY, "domain" VARCHAR(253) NOT NULL,
  "business_name" VARCHAR(200) NOT NULL, "contact_name" VARCHAR(120) NOT NULL,
  "email" VARCHAR(254) NOT NULL, "phone" VARCHAR(40) NOT NULL, "notes" TEXT NOT NULL,
  "extra" TEXT NOT NULL, "category" VARCHAR(60) NOT NULL, "status" VARCHAR(10) NOT NULL,
  "last_sent_at" DATETIME, "last_reply_at" DATETIME, "follow_ups" INTEGER NOT NULL,
  "sentiment" VARCHAR(20), "draft_pending" INTEGER NOT NULL, "do_not_contact" INTEGER NOT NULL,
  "created_at" DATETIME NOT NULL, "updated_at" DATETIME NOT NULL);
CREATE UNIQUE INDEX "contact_domain" ON "contact" ("domain");
CREATE INDEX "contact_status_last_sent_at" ON "contact" ("status", "last_sent_at");
CREATE INDEX "contact_last_sent_at" ON "contact" ("last_sent_at");
CREATE INDEX "contact_created_at" ON "contact" ("created_at");
CREATE TABLE "message" ("id" INTEGER NOT NULL PRIMARY KEY, "contact_id" INTEGER NOT NULL,
  "kind" VARCHAR(12) NOT NULL, "subject" VARCHAR(300) NOT NULL, "body" TEXT NOT NULL,
  "angle" VARCHAR(40) NOT NULL, "framework" VARCHAR(40) NOT NULL, "category" VARCHAR(60) NOT NULL,
  "created_at" DATETIME NOT NULL, "sent_at" DATETIME,
  FOREIGN KEY ("contact_id") REFERENCES "contact" ("id") ON DELETE CASCADE);
CREATE INDEX "message_contact_id" ON "message" ("contact_id");
CREATE TABLE "reply" ("id" INTEGER NOT NULL PRIMARY KEY, "contact_id" INTEGER NOT NULL,
  "text" TEXT NOT NULL, "sentiment" VARCHAR(20), "received_at" DATETIME NOT NULL,
  FOREIGN KEY ("contact_id") REFERENCES "contact" ("id") ON DELETE CASCADE);
CREATE INDEX "reply_contact_id" ON "reply" ("contact_id");
CREATE TABLE "event" ("id" INTEGER NOT NULL PRIMARY KEY, "contact_id" INTEGER NOT NULL,
  "kind" VARCHAR(12) NOT NULL, "from_status" VARCHAR(10), "to_status" VARCHAR(10),
  "detail" VARCHAR(300) NOT NULL, "at" DATETIME NOT NULL,
  FOREIGN KEY ("contact_id") REFERENCES "contact" ("id") ON DELETE CASCADE);
CREATE INDEX "event_contact_id" ON "event" ("contact_id");
CREATE INDEX "event_at" ON "event" ("at");
INSERT INTO "schema_version" ("version", "applied_at") VALUES (1, '2026-11-01 12:00:00');
"""


def schema_shape(path) -> dict:
    """Tables (columns, foreign keys), indexes and triggers, independent of SQL spelling."""
    con = sqlite3.connect(path)
    try:
        names = [n for (n,) in con.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
        shape: dict = {"triggers": sorted(con.execute(
            "SELECT name, tbl_name FROM sqlite_master WHERE type='trigger'"))}
        for table in names:
            shape[table] = {
                "columns": list(con.execute(f"PRAGMA table_info('{table}')")),
                "foreign_keys": list(con.execute(f"PRAGMA foreign_key_list('{table}')")),
                "indexes": sorted(
                    (name, unique,
                     tuple(r[2] for r in con.execute(f"PRAGMA index_info('{name}')")))
                    for (_, name, unique, *_rest) in con.execute(f"PRAGMA index_list('{table}')")
                ),
            }
        return shape
    finally:
        con.close()


def test_upgraded_v1_database_matches_a_fresh_one(open_test_services, tmp_path):
    old = tmp_path / "v1.db"
    con = sqlite3.connect(old)
    con.executescript(V1_SCHEMA)
    con.close()
    svc = open_test_services(old)
    insert_sample(svc.store.db)
    assert svc.contacts.count(ContactFilter()) == len(SPECS)
    assert svc.contacts.count(svc.contacts.make_filter(statuses=["sent"])) == len(by_status("sent"))
    svc.close()
    open_test_services(tmp_path / "fresh.db").close()
    assert schema_shape(old) == schema_shape(tmp_path / "fresh.db")
    assert versions(old)[0] == 1 and versions(old)[-1] == LATEST


def test_v1_data_survives_the_upgrade(open_test_services, tmp_path):
    old = tmp_path / "v1.db"
    con = sqlite3.connect(old)
    con.executescript(V1_SCHEMA)
    con.executemany(
        'INSERT INTO "contact" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        [contact_tuple(i + 1, s) for i, s in enumerate(SPECS)])
    con.commit()
    con.close()
    svc = open_test_services(old)
    assert selected(svc, sent="last-week") == {"elmtreeyoga.com", "foxhound.de", "granite.io",
                                               "harbor.net"}
    assert svc.contacts.count(svc.contacts.make_filter(statuses=["ready", "won"])) == 3
    window = svc.store.window(svc.contacts.make_filter(statuses=["sent"]), Sort())
    assert window.total == len(by_status("sent"))
    svc.contacts.change_status("acme.com", "won")
    assert svc.contacts.count(svc.contacts.make_filter(statuses=["won"])) == 2


def test_default_database_is_private(isolated_env):
    old = os.umask(0)  # prove the modes are set explicitly, not inherited from the umask
    try:
        paths = Paths(isolated_env.config_dir, isolated_env.data_dir, isolated_env.log_dir)
        svc = open_services(Settings(now="2026-11-25T10:00:00"), paths)
        try:
            add_demo_contacts(svc, 5, seed=1)
            wal = isolated_env.default_db.with_name("leadletter.db-wal")
            modes = {p.name: stat.S_IMODE(os.stat(p).st_mode)
                     for p in (isolated_env.default_db, wal) if p.exists()}
        finally:
            svc.close()
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(isolated_env.data_dir).st_mode) == 0o700
    assert modes["leadletter.db"] == 0o600
    assert set(modes.values()) == {0o600}  # the WAL file copies the database's mode


def test_explicit_new_database_file_is_private(open_test_services, tmp_path):
    old = os.umask(0)
    try:
        open_test_services(tmp_path / "team.db").close()
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(tmp_path / "team.db").st_mode) == 0o600


def test_read_only_open_needs_an_existing_file(isolated_env, tmp_path):
    paths = Paths(isolated_env.config_dir, isolated_env.data_dir, isolated_env.log_dir)
    with pytest.raises(UserError, match="no database at"):
        open_services(Settings(), paths, str(tmp_path / "missing.db"), create=False)
    assert not (tmp_path / "missing.db").exists()


def test_pragmas(open_test_services, db_path):
    svc = open_test_services(db_path, busy_timeout_ms=1234)
    db = svc.store.db
    assert db.pragma("journal_mode") == "wal"
    assert db.pragma("foreign_keys") == 1
    assert db.pragma("busy_timeout") == 1234
    con = sqlite3.connect(db_path)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"  # persisted in the file
    con.close()


def test_foreign_keys_are_enforced(services):
    import peewee

    with pytest.raises(peewee.IntegrityError, match="FOREIGN KEY"):
        Message.insert(contact=999, created_at=NOW).execute(services.store.db)


# --- filters ------------------------------------------------------------------------------
FILTER_CASES = [
    ({}, ALL),
    ({"statuses": ["sent"]}, by_status("sent")),
    ({"statuses": ["replied", "won"]}, {"ironwood.com", "juniperlaw.com"}),
    ({"statuses": ["READY"]}, {"acme.com", "shop.acme.com"}),
    ({"statuses": ["lost", "lost"]}, {"kingsley.com.au"}),
    ({"sent": "today"}, {"boltelectric.co.uk"}),
    ({"sent": "yesterday"}, {"cedardental.com"}),
    ({"sent": "this-week"}, {"boltelectric.co.uk", "cedardental.com", "deltaxco.com"}),
    ({"sent": "last-week"}, {"elmtreeyoga.com", "foxhound.de", "granite.io", "harbor.net"}),
    ({"sent": "Last-Week"}, {"elmtreeyoga.com", "foxhound.de", "granite.io", "harbor.net"}),
    ({"sent": "last-7-days"},
     {"boltelectric.co.uk", "cedardental.com", "deltaxco.com", "elmtreeyoga.com", "harbor.net"}),
    ({"sent": "last-30-days"},
     {"boltelectric.co.uk", "cedardental.com", "deltaxco.com", "elmtreeyoga.com", "foxhound.de",
      "granite.io", "harbor.net", "ironwood.com", "kingsley.com.au", "larkspur.ca",
      "oakember.com"}),
    ({"sent_from": "2026-11-16", "sent_to": "2026-11-22"},
     {"elmtreeyoga.com", "foxhound.de", "granite.io", "harbor.net"}),  # whole end day
    ({"sent_to": "2026-11-15"},
     {"larkspur.ca", "ironwood.com", "juniperlaw.com", "kingsley.com.au", "oakember.com"}),
    ({"sent_from": "2026-11-23"}, {"boltelectric.co.uk", "cedardental.com", "deltaxco.com"}),
    ({"sent_from": "2026-11-22T23:59:59", "sent_to": "2026-11-22T23:59:59"},
     {"elmtreeyoga.com"}),
    ({"sent_from": "2026-11-22T00:00", "sent_to": "2026-11-22T23:59:58"}, set()),
    ({"domain": "acme"}, {"acme.com", "shop.acme.com"}),
    ({"domain": "ACME"}, {"acme.com", "shop.acme.com"}),
    ({"domain": "shop.*.com"}, {"shop.acme.com"}),
    ({"domain": "*.de"}, {"foxhound.de"}),
    ({"domain": "co.uk"}, {"boltelectric.co.uk"}),
    ({"domain": "delta*co"}, {"deltaxco.com"}),
    ({"domain": "delta_co"}, set()),  # `_` is literal, not "any character"
    ({"domain": "delta%co"}, set()),  # `%` is literal too
    ({"domain": "*"}, ALL),
    ({"search": "acme"}, {"acme.com", "shop.acme.com"}),
    ({"search": "ANNA"}, {"acme.com"}),
    ({"search": "chloe kim"}, {"cedardental.com"}),
    ({"search": "ben@"}, {"boltelectric.co.uk"}),
    ({"search": "Dental"}, {"cedardental.com"}),
    ({"search": "fox & hound"}, {"foxhound.de"}),
    ({"search": "o'brien"}, {"shop.acme.com"}),
    ({"search": "müller"}, {"shop.acme.com"}),
    ({"search": "g_r"}, {"granite.io"}),
    ({"search": "_"}, {"granite.io"}),
    ({"search": "%"}, set()),
    ({"search": "*"}, set()),  # no wildcards in free text
    ({"no_reply": True}, ALL - {"ironwood.com", "juniperlaw.com", "oakember.com"}),
    ({"due": True}, {"foxhound.de", "larkspur.ca"}),
    # combinations
    ({"statuses": ["sent"], "sent": "last-week", "no_reply": True},
     {"elmtreeyoga.com", "foxhound.de", "granite.io", "harbor.net"}),
    ({"statuses": ["sent", "lost"], "sent_from": "2026-10-27", "sent_to": "2026-11-16"},
     {"foxhound.de", "larkspur.ca", "oakember.com", "kingsley.com.au"}),
    ({"statuses": ["ready"], "search": "acme", "domain": "shop"}, {"shop.acme.com"}),
    ({"due": True, "domain": "*.ca"}, {"larkspur.ca"}),
    ({"due": True, "statuses": ["ready"]}, set()),
    ({"statuses": ["sent"], "sent": "last-30-days", "no_reply": True},
     {"boltelectric.co.uk", "cedardental.com", "deltaxco.com", "elmtreeyoga.com",
      "foxhound.de", "granite.io", "harbor.net", "larkspur.ca"}),
    ({"sent": "last-week", "search": "roofing"}, {"granite.io"}),
]


@pytest.mark.parametrize(("options", "expected"), FILTER_CASES,
                         ids=[repr(o) for o, _ in FILTER_CASES])
def test_filter_selects_exactly(sample, options, expected):
    assert selected(sample, **options) == set(expected)


def test_due_respects_follow_up_days(open_test_services, db_path):
    svc = open_test_services(db_path, follow_up_days=1)
    insert_sample(svc.store.db)
    # cutoff 11-24 10:00; granite.io has a draft pending, harbor.net is do-not-contact
    assert selected(svc, due=True) == {"deltaxco.com", "elmtreeyoga.com", "foxhound.de",
                                       "larkspur.ca"}


def test_filter_follows_the_clock(open_test_services, db_path):
    svc = open_test_services(db_path, now=T("2026-11-30T09:00:00"))  # the next Monday
    insert_sample(svc.store.db)
    assert selected(svc, sent="last-week") == {"boltelectric.co.uk", "cedardental.com",
                                                "deltaxco.com"}


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"statuses": ["shipped"]}, "unknown status"),
        ({"sent": "last-year"}, "unknown date preset"),
        ({"sent": "today", "sent_from": "2026-11-01"}, "not both"),
        ({"sent_from": "2026-11-02", "sent_to": "2026-11-01"}, "is after the end date"),
        ({"sent_from": "yesterday"}, "not a date"),
        ({"sent_to": "2026-02-30"}, "not a date"),
    ],
)
def test_bad_filter_input_is_a_user_error(services, options, message):
    with pytest.raises(UserError, match=message):
        services.contacts.make_filter(**options)


def test_filter_summary_and_default_sort(services):
    flt = services.contacts.make_filter(statuses=["sent"], sent="last-week", no_reply=True)
    assert flt.summary() == "sent · sent last-week · no reply"
    assert services.contacts.make_sort(None, flt) == Sort(SortKey.LAST_SENT, True)
    assert services.contacts.make_sort(None, ContactFilter()) == Sort(SortKey.CREATED, True)
    with pytest.raises(UserError, match="unknown sort"):
        services.contacts.make_sort("colour", flt)


# --- sorting ------------------------------------------------------------------------------
TIES = (
    Spec("tie-a.com", "Same Name", "", "", "sent", sent="2026-11-20 10:00:00", follow_ups=1),
    Spec("tie-b.com", "Same Name", "", "", "sent", sent="2026-11-20 10:00:00", follow_ups=1),
    Spec("tie-c.com", "Same Name", "", "", "sent", sent="2026-11-20 10:00:00", follow_ups=1),
)


def _sort_key(key: SortKey, spec: Spec, cid: int, created: str):
    if key is SortKey.CREATED:
        return (created, cid)
    if key is SortKey.LAST_SENT:  # SQLite orders NULL first ascending, last descending
        return (spec.sent is not None, spec.sent or "", cid)
    value = {
        SortKey.BUSINESS: spec.business,
        SortKey.DOMAIN: spec.domain,
        SortKey.STATUS: spec.status,
        SortKey.FOLLOW_UPS: spec.follow_ups,
    }[key]
    return (value, cid)


@pytest.mark.parametrize("descending", [False, True], ids=["asc", "desc"])
@pytest.mark.parametrize("key", list(SortKey), ids=[k.value for k in SortKey])
def test_sort_orders_with_stable_ties(services, key, descending):
    specs = SPECS + TIES
    ids = insert_sample(services.store.db, specs)
    created = {s.domain: contact_tuple(ids[s.domain], s)[-2] for s in specs}
    expected = sorted(specs, key=lambda s: _sort_key(key, s, ids[s.domain], created[s.domain]))
    if descending:
        expected.reverse()
    got = [r.domain for r in services.contacts.rows(ContactFilter(), Sort(key, descending))]
    assert got == [s.domain for s in expected]
    # parsing the CLI spelling gives the same sort
    assert Sort.parse(("-" if descending else "") + key.value) == Sort(key, descending)


def test_limit_takes_the_first_rows_in_order(sample):
    flt = sample.contacts.make_filter(statuses=["sent"])
    sort = Sort(SortKey.LAST_SENT, True)
    assert [r.domain for r in sample.contacts.rows(flt, sort, 3)] == [
        "boltelectric.co.uk", "cedardental.com", "deltaxco.com"]


# --- windows ------------------------------------------------------------------------------
@pytest.fixture
def demo6k(services):
    assert add_demo_contacts(services, 6_000, seed=11) == 6_000
    return services


WINDOW_SORTS = [Sort(), Sort(SortKey.LAST_SENT, True), Sort(SortKey.BUSINESS, False),
                Sort(SortKey.STATUS, True)]


@pytest.mark.parametrize("sort", WINDOW_SORTS, ids=str)
def test_window_rows_match_the_full_ordered_list(demo6k, sort):
    flt = ContactFilter()
    full = list(demo6k.contacts.rows(flt, sort))
    assert len(full) == 6_000
    w = demo6k.store.window(flt, sort)
    assert w.total == 6_000
    assert w.rows(0, 50) == full[0:50]  # top
    assert w.rows(1_990, 30) == full[1_990:2_020]  # straddles the top edge
    assert w.rows(6_000 - 50, 50) == full[-50:]  # bottom, via the reverse order
    assert w.rows(5_990, 100) == full[5_990:]  # clipped at the end
    assert not w.has_snapshot
    assert w.rows(3_000, 40) == full[3_000:3_040]  # middle, via the id snapshot
    assert w.has_snapshot
    assert w.rows(0, 50) == full[0:50] and w.rows(5_950, 50) == full[5_950:]
    assert w.rows(-5, 3) == full[0:3]
    assert w.rows(6_000, 10) == [] and w.rows(10, 0) == []


@pytest.mark.parametrize("sort", WINDOW_SORTS, ids=str)
def test_filtered_window_every_path(demo6k, sort, monkeypatch):
    monkeypatch.setattr(paging, "EDGE", 100)
    flt = demo6k.contacts.make_filter(statuses=["sent", "replied"], sent="last-30-days")
    full = list(demo6k.contacts.rows(flt, sort))
    total = len(full)
    assert total > 600
    w = demo6k.store.window(flt, sort)
    assert w.total == total
    for start, count in [(0, 37), (total - 37, 37), (total - 150, 60), (250, 80), (total // 2, 1)]:
        assert w.rows(start, count) == full[start:start + count], (start, count)
    assert w.has_snapshot


# --- status changes -----------------------------------------------------------------------
_HELPER_DB: list = []


@pytest.fixture(autouse=True)
def _helper_db(request):
    """The models are bound to no database: the helpers below query the test's `services`."""
    if "services" in request.fixturenames:
        _HELPER_DB[:] = [request.getfixturevalue("services").store.db]
    yield
    _HELPER_DB.clear()


def contact(domain: str) -> Contact:
    return Contact.select().where(Contact.domain == domain).get(_HELPER_DB[0])


def status_events(domain: str) -> list[tuple]:
    c = contact(domain)
    return [
        (e.kind, e.from_status, e.to_status, e.at)
        for e in Event.select().where(Event.contact == c.id).order_by(Event.id).execute(_HELPER_DB[0])
    ]


def test_mark_sent_stamps_contact_message_and_event(sample):
    change = sample.contacts.change_status("https://www.Acme.com/pricing?x=1", "Sent")
    assert (change.from_status, change.to_status, change.at) == (Status.READY, Status.SENT, NOW)
    c = contact("acme.com")
    assert (c.status, c.last_sent_at, c.updated_at) == ("sent", NOW, NOW)
    msgs = list(Message.select().where(Message.contact == c.id).execute(_HELPER_DB[0]))
    assert [(m.kind, m.sent_at) for m in msgs] == [("initial", NOW)]
    assert status_events("acme.com") == [("status", "ready", "sent", NOW)]


def test_mark_sent_at_a_past_time(sample):
    change = sample.contacts.change_status("acme.com", "sent", "2026-11-20T08:30")
    at = T("2026-11-20T08:30:00")
    assert change.at == at
    assert contact("acme.com").last_sent_at == at
    assert status_events("acme.com") == [("status", "ready", "sent", at)]
    assert selected(sample, sent="last-7-days", statuses=["sent"]) >= {"acme.com"}


def test_at_in_the_future_is_refused(sample, db_path, db_dump):
    before = db_dump(db_path)
    with pytest.raises(UserError, match="in the future"):
        sample.contacts.change_status("acme.com", "sent", "2026-11-25T10:00:01")
    assert db_dump(db_path) == before


def test_at_stamps_other_transitions_too(sample):
    sample.contacts.change_status("ironwood.com", "won", "2026-11-13")
    assert status_events("ironwood.com") == [("status", "replied", "won", T("2026-11-13T00:00"))]
    assert contact("ironwood.com").last_sent_at == T("2026-11-10T10:00:00")  # not a send


def test_sending_a_follow_up_draft_counts_it(sample):
    before = contact("granite.io")
    assert (before.follow_ups, before.draft_pending) == (1, True)
    change = sample.contacts.change_status("granite.io", "sent")
    assert change.stamps_sent and not change.is_noop
    after = contact("granite.io")
    assert (after.follow_ups, after.draft_pending, after.last_sent_at) == (2, False, NOW)
    msgs = {m.kind: m.sent_at for m in Message.select().where(Message.contact == after.id).execute(_HELPER_DB[0])}
    assert msgs == {"initial": T("2026-11-18T12:00:00"), "follow_up": NOW}
    assert status_events("granite.io") == [("status", "sent", "sent", NOW)]


def test_sent_on_a_sent_contact_without_a_draft_changes_nothing(sample, db_path, db_dump):
    before = db_dump(db_path)
    change = sample.contacts.change_status("foxhound.de", "sent")
    assert change.is_noop and not change.stamps_sent
    assert db_dump(db_path) == before  # no "sent → sent" event, last sent not re-stamped
    assert "foxhound.de" in selected(sample, due=True)


def test_explicit_re_send_with_at_restamps_only(sample):
    sample.contacts.change_status("foxhound.de", "sent", "2026-11-24T09:00")
    c = contact("foxhound.de")
    assert (c.last_sent_at, c.follow_ups) == (T("2026-11-24T09:00:00"), 0)
    assert status_events("foxhound.de")[-1] == ("status", "sent", "sent", T("2026-11-24T09:00:00"))
    assert selected(sample, due=True) == {"larkspur.ca"}


def test_same_status_is_a_noop(sample, db_path, db_dump):
    before = db_dump(db_path)
    change = sample.contacts.change_status("ironwood.com", "replied")
    assert change.is_noop
    assert db_dump(db_path) == before


@pytest.mark.parametrize(
    ("domain", "status", "message"),
    [
        ("nobody.com", "won", "no contact with domain 'nobody.com'"),
        ("localhost", "won", "localhost"),
        ("ftp://acme.com", "won", "ftp"),
        ("acme.com", "done", "unknown status 'done'"),
        ("acme.com", "", "unknown status"),
    ],
)
def test_bad_status_change_is_a_user_error(sample, db_path, db_dump, domain, status, message):
    before = db_dump(db_path)
    with pytest.raises(UserError, match=message):
        sample.contacts.change_status(domain, status)
    assert db_dump(db_path) == before


def test_change_status_many(sample):
    ids = [sample.ids[d] for d in ("acme.com", "shop.acme.com", "ironwood.com", "juniperlaw.com")]
    assert sample.contacts.change_status_many(ids, Status.WON) == 3  # juniperlaw.com is already won
    assert by_status("won") | {"acme.com", "shop.acme.com", "ironwood.com"} == selected(
        sample, statuses=["won"])
    assert status_events("shop.acme.com") == [("status", "ready", "won", NOW)]
    assert status_events("juniperlaw.com") == []
    assert sample.contacts.change_status_many([], Status.LOST) == 0


def test_change_status_many_sent_stamps_each(sample):
    ids = [sample.ids["acme.com"], sample.ids["shop.acme.com"]]
    assert sample.contacts.change_status_many(ids, Status.SENT) == 2
    assert selected(sample, sent="today") == {"boltelectric.co.uk", "acme.com", "shop.acme.com"}


# --- edits, do-not-contact ------------------------------------------------------------------
def test_edit_contact_sanitises_and_logs(sample):
    changed = sample.contacts.edit_contact("acme.com", {
        "business_name": "Acme\x1b]52;c;ZXZpbA==\x07 Bakery\u202e Ltd",
        "contact_name": "Anna Smith",  # unchanged
        "notes": "called twice\n\tleft a message\x00",
    })
    assert changed == ["business_name", "notes"]
    c = contact("acme.com")
    assert "\x1b" not in c.business_name and "\u202e" not in c.business_name
    assert c.business_name.startswith("Acme") and c.business_name.endswith("Ltd")
    assert c.notes.startswith("called twice\n\tleft a message") and "\x00" not in c.notes
    assert c.updated_at == NOW
    edits = [(e.kind, e.detail) for e in Event.select().where(Event.contact == c.id).execute(_HELPER_DB[0])]
    assert edits == [("edit", "edited business name, notes")]
    assert sample.contacts.edit_contact("acme.com", {"contact_name": "Anna Smith"}) == []
    assert Event.select().where(Event.contact == c.id).count(_HELPER_DB[0]) == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"email": "not-an-email"}, "not an email address"),
        ({"domain": "other.com"}, "domain cannot be edited"),
        ({"status": "won"}, "status cannot be edited"),
        ({"phone": "1" * 41}, "phone is"),
        ({"business_name": "line one\nline two" + "x" * 300}, "business name is"),
    ],
)
def test_edit_contact_rejects(sample, db_path, db_dump, changes, message):
    before = db_dump(db_path)
    with pytest.raises(UserError, match=message):
        sample.contacts.edit_contact("acme.com", changes)
    assert db_dump(db_path) == before


def test_edit_unknown_contact(sample):
    with pytest.raises(UserError, match="no contact"):
        sample.contacts.edit_contact("nobody.com", {"phone": "123"})
    with pytest.raises(ValueError, match="not editable"):
        sample.store.contacts.update_fields("acme.com", {"status": "won"})


def test_do_not_contact(sample):
    assert sample.contacts.set_do_not_contact("larkspur.ca", True) is True
    assert sample.contacts.set_do_not_contact("larkspur.ca", True) is False
    assert contact("larkspur.ca").do_not_contact is True
    assert selected(sample, due=True) == {"foxhound.de"}
    assert sample.contacts.set_do_not_contact("larkspur.ca", False) is True
    assert selected(sample, due=True) == {"foxhound.de", "larkspur.ca"}
    details = [e.detail for e in Event.select().where(Event.contact == contact("larkspur.ca").id).execute(_HELPER_DB[0])]
    assert details == ["marked do not contact", "cleared do not contact"]
    with pytest.raises(UserError, match="no contact"):
        sample.contacts.set_do_not_contact("nobody.com", True)


# --- detail ---------------------------------------------------------------------------------
def test_detail_has_messages_replies_and_events(services):
    spec = Spec("quarry.com", "Quarry Cafe", "Quinn Kim", "q@quarry.com", "replied",
                sent="2026-11-05 10:00:00", reply="2026-11-09 12:00:00",
                sentiment="asked_for_info", follow_ups=1)
    row = list(contact_tuple(1, spec))
    row[6], row[7], row[8] = "Met at the fair\nLikes email", '{"city": "Leeds"}', "food"
    insert_batches(services.store.db, [(
        [tuple(row)],
        [(1, "follow_up", "Re: Hi", "Bump", "reviews", "", "food",
          "2026-11-08 09:00:00", "2026-11-08 09:00:00"),
         (1, "initial", "Hi", "Hello Quinn", "reviews", "PAS", "food",
          "2026-11-05 09:00:00", "2026-11-05 10:00:00")],
        [(1, "How much is it?", "asked_for_info", "2026-11-09 12:00:00")],
        [(1, "status", "sent", "replied", "", "2026-11-09 12:00:00"),
         (1, "status", "ready", "sent", "", "2026-11-05 10:00:00")],
    )])
    d = services.contacts.detail("WWW.QUARRY.COM")
    assert d.domain == "quarry.com" and d.status is Status.REPLIED
    assert (d.notes, d.category, d.extra) == ("Met at the fair\nLikes email", "food",
                                              {"city": "Leeds"})
    assert [(m.kind, m.subject, m.sent_at) for m in d.messages] == [
        (MessageKind.INITIAL, "Hi", T("2026-11-05T10:00:00")),
        (MessageKind.FOLLOW_UP, "Re: Hi", T("2026-11-08T09:00:00")),
    ]
    assert [(r.text, r.sentiment) for r in d.replies] == [
        ("How much is it?", Sentiment.ASKED_FOR_INFO)]
    assert [(e.kind, e.from_status, e.to_status) for e in d.events] == [
        (EventKind.STATUS, Status.READY, Status.SENT),
        (EventKind.STATUS, Status.SENT, Status.REPLIED),
    ]
    as_json = detail_dict(d)
    assert as_json["messages"][0] == {
        "kind": "initial", "subject": "Hi", "body": "Hello Quinn", "angle": "reviews",
        "framework": "PAS", "category": "food", "created_at": "2026-11-05T09:00:00",
        "sent_at": "2026-11-05T10:00:00",
    }
    assert as_json["replies"] == [{"text": "How much is it?", "sentiment": "asked_for_info",
                                   "received_at": "2026-11-09T12:00:00"}]
    assert as_json["events"][1]["from_status"] == "sent"
    assert as_json["sentiment"] == "asked_for_info" and as_json["follow_ups"] == 1
    with pytest.raises(UserError, match="no contact"):
        services.contacts.detail("nobody.com")


# --- locking --------------------------------------------------------------------------------
@pytest.fixture
def writer_lock(db_path):
    """Another connection holding the write lock (BEGIN EXCLUSIVE) until the test ends."""
    holder: dict = {}

    def take():
        con = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
        con.execute("BEGIN EXCLUSIVE")
        holder["con"] = con

    yield take
    if "con" in holder:
        holder["con"].execute("ROLLBACK")
        holder["con"].close()


def test_locked_database_write_waits_then_fails_cleanly(
        open_test_services, db_path, writer_lock, db_dump):
    svc = open_test_services(db_path, busy_timeout_ms=300)
    insert_sample(svc.store.db)
    writer_lock()
    assert selected(svc, statuses=["ready"]) == by_status("ready")  # WAL: readers go on
    started = time.perf_counter()
    with pytest.raises(UserError, match="locked"):
        svc.contacts.change_status("acme.com", "sent")
    assert time.perf_counter() - started >= 0.25  # it honoured busy_timeout before failing


# --- demo data ------------------------------------------------------------------------------
@pytest.fixture
def demo3k(services):
    assert add_demo_contacts(services, 3_000, seed=5) == 3_000
    return services


def test_demo_covers_the_product(demo3k):
    db = demo3k.store.db
    statuses = {s for (s,) in Contact.select(Contact.status).distinct().tuples().execute(db)}
    assert statuses == {s.value for s in Status}
    sentiments = {s for (s,) in Reply.select(Reply.sentiment).distinct().tuples().execute(db)}
    assert sentiments == {s.value for s in Sentiment}
    assert Contact.select().where(Contact.follow_ups > 0).count(db) > 0
    assert Message.select().where(Message.kind == "follow_up").count(db) > 0
    assert 0 < Contact.select().where(Contact.do_not_contact == True).count(db) < 100  # noqa: E712 - SQL
    assert Contact.select().where(Contact.draft_pending == True).count(db) > 0  # noqa: E712 - SQL
    assert demo3k.contacts.count(demo3k.contacts.make_filter(due=True)) > 0
    domains = [d for (d,) in Contact.select(Contact.domain).tuples().execute(db)]
    assert len(set(domains)) == len(domains) == 3_000


def test_demo_dates_are_in_the_last_60_days_and_never_ahead(demo3k):
    never = Contact.select().where(Contact.status != "ready", Contact.last_sent_at.is_null())
    assert never.count(demo3k.store.db) == 0
    low, high = NOW - timedelta(days=60), NOW
    sent = [r.last_sent_at for r in demo3k.contacts.rows(ContactFilter(), Sort()) if r.last_sent_at]
    assert len(sent) > 1_500 and all(low <= s <= high for s in sent)
    db = demo3k.store.db
    for table, column in (("contact", "created_at"), ("contact", "last_reply_at"),
                          ("message", "created_at"), ("message", "sent_at"),
                          ("reply", "received_at"), ("event", "at")):
        (latest,) = db.execute_sql(f'SELECT MAX("{column}") FROM "{table}"').fetchone()
        assert latest <= "2026-11-25 10:00:00", (table, column, latest)


def test_demo_emails_and_domains_are_plain_ascii(demo3k):
    for domain, email in Contact.select(Contact.domain, Contact.email).tuples().execute(demo3k.store.db):
        assert domain.isascii() and email.isascii(), (domain, email)
        assert not email or email.endswith("@" + domain)


def test_demo_late_rows_of_a_big_run_are_not_in_the_future():
    # At this size a contact is created every ~40 s over 70 days; the last ones used to get
    # a random offset that pushed them (and their sends) past "now".
    from leadletter_tui.services.demo_data import generate

    latest = ""
    for contacts, _messages, _replies, _events in generate(
            150_000, first_id=1, now=NOW, taken=set(), seed=6, batch_size=50_000):
        latest = max([latest] + [c[16] for c in contacts] + [c[10] or "" for c in contacts])
    assert latest <= "2026-11-25 10:00:00"


def test_demo_is_deterministic_with_a_seed(open_test_services, tmp_path, db_dump):
    for name in ("a.db", "b.db"):
        svc = open_test_services(tmp_path / name)
        add_demo_contacts(svc, 400, seed=42)
        svc.close()

    def rows(path):  # schema_version's applied_at differs by nature; the data must not
        return [line for line in db_dump(path).splitlines() if "schema_version" not in line]

    assert rows(tmp_path / "a.db") == rows(tmp_path / "b.db")


def test_demo_adds_to_existing_data_without_clashes(sample):
    assert add_demo_contacts(sample, 500, seed=1, force=True) == 500
    assert add_demo_contacts(sample, 500, seed=1, force=True) == 500  # same seed: domains must still differ
    assert sample.store.contacts.total() == len(SPECS) + 1_000
    assert contact("acme.com").business_name == "Acme Bakery"


@pytest.mark.parametrize("interrupt", [RuntimeError("generator failed"), KeyboardInterrupt()],
                         ids=["error", "ctrl-c"])
def test_bulk_insert_is_all_or_nothing(sample, db_path, db_dump, interrupt):
    from leadletter_tui.services.demo_data import generate

    before = db_dump(db_path)
    db = sample.store.db

    def two_batches_then_fail():
        batches = generate(300, first_id=next_contact_id(db), now=NOW, taken=set(), seed=3,
                           batch_size=100)
        yield next(batches)
        yield next(batches)
        raise interrupt

    with pytest.raises(type(interrupt)):
        insert_batches(db, two_batches_then_fail())
    assert db_dump(db_path) == before
    assert sample.store.contacts.total() == len(SPECS)
    with pytest.raises(type(interrupt)):  # the fast path drops indexes: they must come back
        insert_batches(db, two_batches_then_fail(), defer_indexes=True)
    assert db_dump(db_path) == before


def test_deferred_indexes_are_rebuilt(services, db_path, tmp_path, open_test_services):
    from leadletter_tui.services.demo_data import generate

    db = services.store.db
    batches = generate(500, first_id=1, now=NOW, taken=set(), seed=4, batch_size=100)
    assert insert_batches(db, batches, defer_indexes=True) == 500
    assert services.contacts.count(services.contacts.make_filter(domain="*")) == 500
    services.close()
    open_test_services(tmp_path / "fresh.db").close()
    assert schema_shape(db_path) == schema_shape(tmp_path / "fresh.db")


def test_deferred_unique_index_still_rejects_duplicates(sample, db_path, db_dump):
    import peewee

    before = db_dump(db_path)
    clash = Spec("acme.com", "Second Acme", "", "", "ready")
    unique_violation = (peewee.IntegrityError, sqlite3.IntegrityError)
    with pytest.raises(unique_violation, match="UNIQUE"):
        insert_sample(sample.store.db, (clash,), first_id=100)  # row-by-row path
    with pytest.raises(unique_violation, match="UNIQUE"):
        insert_batches(sample.store.db, [([contact_tuple(100, clash)], [], [], [])],
                       defer_indexes=True)
    assert db_dump(db_path) == before


def test_big_demo_uses_the_background_generator_and_deferred_indexes(services, monkeypatch):
    from leadletter_tui.store import bulk

    seen = {}
    real = bulk.insert_batches

    def spy(db, batches, **options):
        seen.update(options)
        return real(db, batches, **options)

    monkeypatch.setattr(bulk, "insert_batches", spy)
    assert add_demo_contacts(services, 50_000, seed=8) == 50_000
    assert seen == {"defer_indexes": True}
    assert add_demo_contacts(services, 100, seed=8, force=True) == 100
    assert seen == {"defer_indexes": False}
    assert services.contacts.count(services.contacts.make_filter(domain="*")) == 50_100


def test_new_files_get_16k_pages_and_old_ones_keep_theirs(services, db_path, open_test_services,
                                                          tmp_path):
    con = sqlite3.connect(db_path)
    assert con.execute("PRAGMA page_size").fetchone() == (16384,)
    con.close()
    old = tmp_path / "old.db"
    con = sqlite3.connect(old)
    con.execute("PRAGMA page_size = 4096")
    con.executescript(V1_SCHEMA)
    con.close()
    svc = open_test_services(old)  # upgraded in place, pages untouched
    insert_sample(svc.store.db)
    assert svc.contacts.count() == len(SPECS)
    con = sqlite3.connect(old)
    assert con.execute("PRAGMA page_size").fetchone() == (4096,)
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    con.close()
