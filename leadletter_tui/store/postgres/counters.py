"""Contacts per status on PostgreSQL, kept by statement triggers, so the total and the
status-only filters are a lookup instead of a `COUNT(*)` over every contact.

SQLite keeps one row per status (store/sqlite/counters.py). On a server shared by a team
that row would be a hot spot: an import holding it until it commits would block everyone
else's status changes. Here the triggers only ever INSERT signed deltas, one row per status
a statement touched (statement-level triggers with transition tables, so a 1M-row bulk
insert adds a handful of rows, not a million); readers sum them. No row is updated in
place, so writers never wait on each other, and MVCC gives every reader the same answer a
COUNT(*) in its snapshot would. When the deltas pile up, a reader folds them into one row
per status (`DELETE … RETURNING` into an INSERT: rows added meanwhile are left alone).
"""

from __future__ import annotations

import peewee
from peewee import Database

TABLE = "contact_count_delta"
COMPACT_ABOVE = 500  # delta rows; summing 500 rows is well under a millisecond

_FUNCTIONS = {
    "contact_count_ins": f"INSERT INTO {TABLE} (status, n) "
                         "SELECT status, COUNT(*) FROM new_rows GROUP BY status",
    "contact_count_del": f"INSERT INTO {TABLE} (status, n) "
                         "SELECT status, -COUNT(*) FROM old_rows GROUP BY status",
    "contact_count_upd": f"INSERT INTO {TABLE} (status, n) SELECT status, SUM(n) FROM ("
                         "SELECT status, -1 AS n FROM old_rows UNION ALL "
                         "SELECT status, 1 AS n FROM new_rows) d "
                         "GROUP BY status HAVING SUM(n) <> 0",
    "contact_count_trunc": f"DELETE FROM {TABLE}",
}
_TRIGGERS = (
    ("contact_count_insert", "INSERT", "REFERENCING NEW TABLE AS new_rows", "contact_count_ins"),
    ("contact_count_delete", "DELETE", "REFERENCING OLD TABLE AS old_rows", "contact_count_del"),
    ("contact_count_update", "UPDATE",
     "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows", "contact_count_upd"),
    ("contact_count_truncate", "TRUNCATE", "", "contact_count_trunc"),
)


def supported(db: Database) -> bool:
    return isinstance(db, peewee.PostgresqlDatabase)


def install(db: Database) -> None:
    """Create the table, functions and triggers, and count from the data. Idempotent."""
    if not supported(db):
        return
    db.execute_sql(f"CREATE TABLE IF NOT EXISTS {TABLE} "
                   "(status VARCHAR(20) NOT NULL, n BIGINT NOT NULL)")
    for name, body in _FUNCTIONS.items():
        db.execute_sql(f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql "
                       f"AS $$ BEGIN {body}; RETURN NULL; END $$")
    for name, event, referencing, function in _TRIGGERS:
        db.execute_sql(f'DROP TRIGGER IF EXISTS {name} ON "contact"')
        db.execute_sql(f'CREATE TRIGGER {name} AFTER {event} ON "contact" {referencing} '
                       f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()")
    db.execute_sql(f"DELETE FROM {TABLE}")
    db.execute_sql(f'INSERT INTO {TABLE} (status, n) SELECT status, COUNT(*) FROM "contact" '
                   "GROUP BY status")


def compact(db: Database) -> None:
    """Fold the deltas into one row per status."""
    with db.atomic():
        db.execute_sql(f"WITH gone AS (DELETE FROM {TABLE} RETURNING status, n) "
                       f"INSERT INTO {TABLE} (status, n) SELECT status, SUM(n) FROM gone "
                       "GROUP BY status HAVING SUM(n) <> 0")


def counts(db: Database) -> dict[str, int] | None:
    """Contacts per status, or None where the counters are not kept."""
    if not supported(db):
        return None
    rows = db.execute_sql(f"SELECT status, SUM(n), COUNT(*) FROM {TABLE} GROUP BY status").fetchall()
    if sum(r[2] for r in rows) > COMPACT_ABOVE:
        compact(db)
    return {s: int(n) for s, n, _ in rows if n}
