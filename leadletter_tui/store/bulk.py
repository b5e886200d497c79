"""Fast bulk writes (demo data now, imports later): raw executemany on SQLite,
portable `insert_many` elsewhere; always one transaction, so all or nothing."""

from __future__ import annotations

from collections.abc import Iterable

from peewee import Database, SqliteDatabase, fn

from .models import Contact, Event, Message, Reply
from .sqlite import counters, domain_index

CONTACT_COLUMNS = (
    "id", "domain", "business_name", "contact_name", "email", "phone", "notes", "extra",
    "category", "status", "last_sent_at", "last_reply_at", "follow_ups", "sentiment",
    "draft_pending", "do_not_contact", "created_at", "updated_at",
)
MESSAGE_COLUMNS = (
    "contact_id", "kind", "subject", "body", "angle", "framework", "category", "created_at",
    "sent_at",
)
# A reply row may stop after received_at: the label's reason, labeller and signal then stay
# empty (rows of one batch all have the same length).
REPLY_COLUMNS = ("contact_id", "text", "sentiment", "received_at", "reason", "labelled_by",
                 "signal")
EVENT_COLUMNS = ("contact_id", "kind", "from_status", "to_status", "detail", "at")

_TABLES = (
    (Contact, CONTACT_COLUMNS),
    (Message, MESSAGE_COLUMNS),
    (Reply, REPLY_COLUMNS),
    (Event, EVENT_COLUMNS),
)

Batch = tuple[list[tuple], list[tuple], list[tuple], list[tuple]]


def next_contact_id(db: Database) -> int:
    return (Contact.select(fn.MAX(Contact.id)).scalar(db) or 0) + 1


def existing_domains(db: Database) -> set[str]:
    return {d for (d,) in Contact.select(Contact.domain).tuples().iterator(db)}


def insert_batches(db: Database, batches: Iterable[Batch], *, defer_indexes: bool = False) -> int:
    """Insert contacts with their messages, replies and events. Returns contacts added.

    Contact tuples carry explicit ids (from `next_contact_id`) so children can refer to
    them without a round trip. Date-times are given as "YYYY-MM-DD HH:MM:SS" text (the
    form the models store). One transaction: an error or interrupt leaves nothing.

    `defer_indexes` (SQLite; for a load much larger than what the tables hold): drop the
    secondary indexes first and build each once at the end, in the same transaction. At
    1M demo contacts that halves the insert (index upkeep row by row is most of it).
    """
    added = 0
    sqlite = isinstance(db, SqliteDatabase)
    with db.atomic(lock_type="IMMEDIATE") if sqlite else db.atomic():
        cursor = db.cursor() if sqlite else None
        rebuild = _drop_indexes(db) if sqlite and defer_indexes else []
        recount = sqlite and defer_indexes and counters.supported(db)
        if recount:  # the per-row counter trigger costs ~1.5 s per 100k rows: count once
            db.execute_sql("DROP TRIGGER IF EXISTS contact_count_insert")
        for batch in batches:
            for (model, columns), rows in zip(_TABLES, batch):
                if not rows:
                    continue
                columns = columns[:len(rows[0])]
                if sqlite:
                    marks = ", ".join("?" * len(columns))
                    sql = f'INSERT INTO "{model._meta.table_name}" ({", ".join(columns)}) VALUES ({marks})'
                    cursor.executemany(sql, rows)
                else:
                    fields = [model._meta.columns[c] for c in columns]
                    for start in range(0, len(rows), 1000):
                        model.insert_many(rows[start : start + 1000], fields=fields).execute(db)
            added += len(batch[0])
        for statement in rebuild:
            db.execute_sql(statement)
        if recount:
            counters.install(db)  # recreates the trigger and recounts, same transaction
    if not sqlite:
        _resync_sequence(db)
    domain_index.refresh(db)
    return added


def _drop_indexes(db: Database) -> list[str]:
    """Drop the secondary indexes of the bulk-loaded tables; returns their CREATE statements
    (UNIQUE ones included, so duplicates still fail the load when they are rebuilt)."""
    tables = [model._meta.table_name for model, _ in _TABLES]
    marks = ", ".join("?" * len(tables))
    found = db.execute_sql(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({marks})",
        tables,
    ).fetchall()
    for name, _sql in found:
        db.execute_sql(f'DROP INDEX "{name}"')
    return [sql for _name, sql in found]


def _resync_sequence(db: Database) -> None:
    """Explicit ids bypass PostgreSQL's sequence; move it past the largest id."""
    table = Contact._meta.table_name
    db.execute_sql(
        f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
        f"(SELECT COALESCE(MAX(id), 1) FROM \"{table}\"))"
    )
