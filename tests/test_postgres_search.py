"""Domain and text filters on PostgreSQL are served by pg_trgm indexes, and the app works
(slower, with a logged warning) where the extension cannot be created."""

from __future__ import annotations

import logging
import uuid

import psycopg
import pytest
from peewee import SQL, fn

from leadletter_tui.domain.model import Status
from leadletter_tui.services.demo import add_demo_contacts
from leadletter_tui.store.db import LATEST
from leadletter_tui.store.models import Contact
from leadletter_tui.store.postgres import trigram
from leadletter_tui.store.queries import combine, where_clauses

TRGM = {"contact_domain_trgm", "contact_business_name_trgm", "contact_contact_name_trgm",
        "contact_email_trgm"}


def _fetch(url: str, sql: str) -> list[tuple]:
    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute(sql).fetchall()


def _indexes(url: str) -> set[str]:
    return {n for (n,) in _fetch(url, "SELECT indexname FROM pg_indexes WHERE tablename = 'contact'")}


def _statistics_targets(url: str) -> dict[str, int]:
    return dict(_fetch(url, "SELECT attname, attstattarget FROM pg_attribute WHERE attrelid = "
                            "'contact'::regclass AND attname IN ('domain', 'business_name', "
                            "'contact_name', 'email')"))


def _count_plan(svc, **options) -> str:
    """EXPLAIN of the COUNT the contacts screen runs for a filter."""
    db = svc.store.db
    flt = svc.contacts.make_filter(**options)
    q = Contact.select(fn.COUNT(SQL("*"))).where(combine(where_clauses(db, flt)))
    sql, params = db.get_sql_context().sql(q).query()
    return "\n".join(r[0] for r in db.execute_sql("EXPLAIN " + sql, params).fetchall())


def test_domain_and_text_filters_are_read_from_trigram_indexes(pg_url, open_test_services):
    svc = open_test_services(pg_url)
    add_demo_contacts(svc, 2_000, seed=5)
    assert TRGM <= _indexes(pg_url)
    assert set(_statistics_targets(pg_url).values()) == {trigram.STATISTICS_TARGET}
    db = svc.store.db
    db.execute_sql("ANALYZE contact")
    # On 2,000 rows reading everything is cheapest (a scan, or the whole unique B-tree on
    # domain): take both away, inside a transaction rolled back, to see that the trigram
    # indexes can serve the app's SQL at all. (On 1M rows the planner picks them itself:
    # benchmarks/bench_cli.py --postgres prints the plan.)
    with db.atomic() as txn:
        db.execute_sql("SET LOCAL enable_seqscan = off")
        db.execute_sql('DROP INDEX "contact_domain"')
        plan = _count_plan(svc, domain="bakery")
        assert "contact_domain_trgm" in plan, plan
        assert "contact_domain_trgm" in _count_plan(svc, domain="*.co.uk")
        plan = _count_plan(svc, search="smith")
        assert all(name in plan for name in TRGM), plan  # one bitmap per column, OR-ed
        txn.rollback()
    assert "contact_domain" in _indexes(pg_url)
    # the index changes how rows are found, never which
    flt = svc.contacts.make_filter(domain="bakery")
    expected = sum("bakery" in d for (d,) in _fetch(pg_url, "SELECT domain FROM contact"))
    assert expected and svc.contacts.count(flt) == expected


def test_an_older_database_gains_the_indexes(pg_url, open_test_services):
    svc = open_test_services(pg_url)
    add_demo_contacts(svc, 300, seed=6)
    svc.close()
    with psycopg.connect(pg_url, autocommit=True) as conn:  # as schema v8 left it
        for name in TRGM:
            conn.execute(f'DROP INDEX "{name}"')
        for column in _statistics_targets(pg_url):
            conn.execute(f"ALTER TABLE contact ALTER COLUMN {column} SET STATISTICS -1")
        for trigger in ("insert", "delete", "update", "truncate"):
            conn.execute(f"DROP TRIGGER contact_count_{trigger} ON contact")
        conn.execute("DROP TABLE contact_count_delta")
        conn.execute("UPDATE schema_version SET version = 8")
    svc = open_test_services(pg_url)
    assert TRGM <= _indexes(pg_url)
    assert set(_statistics_targets(pg_url).values()) == {trigram.STATISTICS_TARGET}
    assert svc.contacts.count(svc.contacts.make_filter(statuses=["ready"])) == \
        _fetch(pg_url, "SELECT COUNT(*) FROM contact WHERE status = 'ready'")[0][0]
    assert max(v for (v,) in _fetch(pg_url, "SELECT version FROM schema_version")) == LATEST
    assert svc.contacts.count() == 300


@pytest.fixture
def unprivileged_url(pg_server):
    """A new database and a role that may create tables in it but not extensions."""
    name = pg_server.create_database()
    role = "u_" + uuid.uuid4().hex[:10]
    with psycopg.connect(pg_server.url(name), autocommit=True) as conn:
        conn.execute(f'CREATE ROLE "{role}" LOGIN')
        conn.execute(f'GRANT USAGE, CREATE ON SCHEMA public TO "{role}"')
        conn.execute(f'REVOKE CREATE ON DATABASE "{name}" FROM PUBLIC')
    yield f"postgresql://{role}@127.0.0.1:{pg_server.port}/{name}"
    pg_server.drop_database(name)
    pg_server._admin(f'DROP ROLE IF EXISTS "{role}"')


def test_without_pg_trgm_the_app_works_and_says_why(unprivileged_url, open_test_services,
                                                     caplog):
    with caplog.at_level(logging.WARNING, logger=trigram.__name__):
        svc = open_test_services(unprivileged_url)
    warned = [r.getMessage() for r in caplog.records if r.name == trigram.__name__]
    assert len(warned) == 1 and "pg_trgm" in warned[0] and trigram.EXTENSION_SQL in warned[0]
    assert not TRGM & _indexes(unprivileged_url)
    assert max(v for (v,) in _fetch(unprivileged_url, "SELECT version FROM schema_version")) == LATEST
    add_demo_contacts(svc, 400, seed=7)
    domains = [d for (d,) in _fetch(unprivileged_url, "SELECT domain FROM contact")]
    part = domains[0][1:5]
    flt = svc.contacts.make_filter(domain=part)
    assert svc.contacts.count(flt) == sum(part in d for d in domains) > 0
    caplog.clear()
    open_test_services(unprivileged_url).close()  # migrated once: no warning on every open
    assert not [r for r in caplog.records if r.name == trigram.__name__]


# --- per-status counters (store/postgres/counters.py) ------------------------------------------
def _true_counts(url: str) -> dict[str, int]:
    return dict(_fetch(url, "SELECT status, COUNT(*) FROM contact GROUP BY status"))


def test_status_counts_follow_every_kind_of_write(pg_url, open_test_services):
    from leadletter_tui.services.imports import run_import
    from leadletter_tui.store.postgres import counters as pg_counters

    svc = open_test_services(pg_url)
    db = svc.store.db
    add_demo_contacts(svc, 500, seed=8)
    assert pg_counters.counts(db) == _true_counts(pg_url)
    run_import(svc, b"website,company\nnew-one.com,New\nnew-two.com,Two\n")
    ready = [r.domain for r in svc.contacts.rows(svc.contacts.make_filter(statuses=["ready"]),
                                                  svc.contacts.make_sort(None, svc.contacts.make_filter()), 40)]
    svc.contacts.change_status(ready[0], "sent")
    ids = [i for d in ready[1:30] for i in db.execute_sql(
        "SELECT id FROM contact WHERE domain = %s", (d,)).fetchone()]
    svc.store.contacts.change_status_many(ids, Status.LOST)
    db.execute_sql("UPDATE contact SET business_name = 'renamed' WHERE id = %s", (ids[0],))
    db.execute_sql("DELETE FROM contact WHERE id IN (SELECT id FROM contact WHERE status = 'won' "
                   "AND id NOT IN (SELECT contact_id FROM message UNION SELECT contact_id FROM reply "
                   "UNION SELECT contact_id FROM event) LIMIT 3)")
    truth = _true_counts(pg_url)
    assert pg_counters.counts(db) == truth
    flt = svc.contacts.make_filter(statuses=["lost", "sent"])
    assert svc.contacts.count(flt) == truth["lost"] + truth["sent"]
    assert svc.contacts.total() == sum(truth.values())


def test_status_counts_are_folded_and_never_block_writers(pg_url, open_test_services):
    from leadletter_tui.store.postgres import counters as pg_counters

    svc = open_test_services(pg_url)
    add_demo_contacts(svc, 200, seed=9)
    with psycopg.connect(pg_url, autocommit=True) as conn:
        for _ in range(pg_counters.COMPACT_ABOVE // 2 + 10):  # two delta rows each
            conn.execute("UPDATE contact SET status = CASE status WHEN 'ready' THEN 'lost' "
                         "ELSE 'ready' END WHERE id = (SELECT MIN(id) FROM contact)")
    rows = _fetch(pg_url, f"SELECT COUNT(*) FROM {pg_counters.TABLE}")[0][0]
    assert rows > pg_counters.COMPACT_ABOVE
    assert pg_counters.counts(svc.store.db) == _true_counts(pg_url)  # read, then folded
    assert _fetch(pg_url, f"SELECT COUNT(*) FROM {pg_counters.TABLE}")[0][0] <= 5
    assert pg_counters.counts(svc.store.db) == _true_counts(pg_url)
    # An import's open transaction holds no counter row another user's change would wait on.
    with psycopg.connect(pg_url) as importing, psycopg.connect(pg_url, autocommit=True) as other:
        importing.execute("INSERT INTO contact (domain, status, follow_ups, draft_pending, "
                          "do_not_contact, notes, extra, business_name, contact_name, email, "
                          "phone, category, created_at, updated_at) SELECT domain || '.x', "
                          "status, 0, false, false, '', '{}', '', '', '', '', '', now(), now() "
                          "FROM contact LIMIT 20")
        other.execute("SET lock_timeout = '2s'")
        other.execute("UPDATE contact SET status = 'won' WHERE id = (SELECT MAX(id) FROM contact)")
        other.execute("INSERT INTO contact (domain, status, follow_ups, draft_pending, "
                      "do_not_contact, notes, extra, business_name, contact_name, email, phone, "
                      "category, created_at, updated_at) VALUES ('solo.example', 'ready', 0, "
                      "false, false, '', '{}', '', '', '', '', '', now(), now())")
        pg_counters.compact(svc.store.db)  # folding meanwhile leaves the open import's rows
        importing.commit()
    assert pg_counters.counts(svc.store.db) == _true_counts(pg_url)


def test_postgres_urls_are_read_as_playhouse_reads_them():
    """The app builds its PostgreSQL connection itself (db_url costs ~20 ms of start-up);
    what it passes must not change."""
    from playhouse.db_url import parse

    from leadletter_tui.store.db import postgres_params

    for url in ("postgresql://ll:s3cret@db.example:6543/crm?sslmode=require&connect_timeout=5",
                "postgresql://ll@/crm", "postgres://127.0.0.1/crm?application_name=x&flag=true&t=2.5&n=none",
                "postgresql://u:p%40ss@[::1]:5432/crm"):
        assert postgres_params(url) == parse(url), url
