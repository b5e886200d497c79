"""Domain and text filters on PostgreSQL are served by pg_trgm indexes, and the app works
(slower, with a logged warning) where the extension cannot be created."""

from __future__ import annotations

import logging
import uuid

import psycopg
import pytest
from peewee import SQL, fn

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
    with psycopg.connect(pg_url, autocommit=True) as conn:  # as schema v6 left it
        for name in TRGM:
            conn.execute(f'DROP INDEX "{name}"')
        conn.execute("UPDATE schema_version SET version = 6")
    svc = open_test_services(pg_url)
    assert TRGM <= _indexes(pg_url)
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
