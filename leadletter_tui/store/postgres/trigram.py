"""Trigram indexes for substring filters on PostgreSQL (pg_trgm).

The domain filter (`domain ILIKE '%bakery%'`) and the free-text search (the same ILIKE on
each of `TEXT_COLUMNS`, OR-ed) cannot use a B-tree: without these indexes each is a scan of
every contact. A GIN index with `gin_trgm_ops` answers ILIKE with a leading `%` (patterns
of three characters or more; shorter ones still scan, as the planner decides), one index
per column so an OR of columns is a BitmapOr of index scans.

The planner also needs to know how common a pattern is: with the default statistics (100
histogram entries) a pattern in 1.5% of a million domains ("bakery") was estimated at 100
rows, so the first page read all 15,000 matches through the index and sorted them (190 ms)
instead of walking ids downwards and stopping at 100 (2 ms). `tune_statistics` keeps 1,000
entries for the searched columns (ANALYZE samples 300,000 rows: a few seconds at 1M).

pg_trgm ships with PostgreSQL but is an extension: creating it needs the CREATE privilege
on the database (it is a "trusted" extension since PostgreSQL 13) or a superuser. When it
cannot be created, the app works unchanged, only slower on big tables: `install` logs a
warning that says what an administrator can run, and returns False.
"""

from __future__ import annotations

import logging

import peewee
from peewee import Database

from ...domain.conditions import TEXT_COLUMNS

log = logging.getLogger(__name__)

EXTENSION_SQL = "CREATE EXTENSION IF NOT EXISTS pg_trgm"


def index_statements() -> list[str]:
    """One GIN trigram index per searched column (the domain first: its own filter)."""
    columns = _searched_columns()
    return [
        f'CREATE INDEX IF NOT EXISTS "contact_{c}_trgm" ON "contact" USING gin ("{c}" gin_trgm_ops)'
        for c in columns
    ]


STATISTICS_TARGET = 1000


def _searched_columns() -> list[str]:
    return ["domain", *(c for c in TEXT_COLUMNS if c != "domain")]


def tune_statistics(db: Database) -> None:
    """Finer statistics for the searched columns, then ANALYZE (so estimates hold at once)."""
    if not supported(db):
        return
    for column in _searched_columns():
        db.execute_sql(f'ALTER TABLE "contact" ALTER COLUMN "{column}" '
                       f"SET STATISTICS {STATISTICS_TARGET}")
    db.execute_sql('ANALYZE "contact"')


def supported(db: Database) -> bool:
    return isinstance(db, peewee.PostgresqlDatabase)


def has_extension(db: Database) -> bool:
    return db.execute_sql("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'").fetchone() is not None


def install(db: Database) -> bool:
    """Create the extension (if allowed) and the indexes. True when they exist afterwards.

    Runs inside the migration's transaction: a refused CREATE EXTENSION is rolled back to a
    savepoint, so the rest of the migration goes on."""
    if not supported(db):
        return False
    if not has_extension(db):
        try:
            with db.atomic():  # a savepoint: the failure must not abort the migration
                db.execute_sql(EXTENSION_SQL)
        except peewee.DatabaseError as exc:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            log.warning(
                "PostgreSQL extension pg_trgm is not available (%s): domain and text filters "
                "will scan every contact. To index them, a database owner can run: %s; then %s",
                reason, EXTENSION_SQL, "; ".join(index_statements()))
            return False
    for statement in index_statements():
        db.execute_sql(statement)
    return True
