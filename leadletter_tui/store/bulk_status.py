"""Set-based bulk status changes: a few statements per chunk of contacts instead of a read,
an update and an insert per contact.

What one change does is the same as the per-row path (contacts.py `_apply_change`):
- a contact already in the new status is left alone (no event, no stamp: a no-op);
- every contact that changes gets one `status` event (from → to, at now);
- `sent` stamps last sent, clears the draft flag, marks the latest unsent message sent and,
  when that message is a follow-up, counts it;
- the per-status counters stay right (their triggers fire on the UPDATE, SQLite).

No blind overwrites: with `versions` (what the screen showed for each selected row) a row
applies only while it still has that version; with `within` (the SQL of the filter the user
acted on) only while it still matches the filter. Both are checked inside the same set-based
statements (a correlated look-up per row, no extra pass); rows that fail are left alone and
counted as `skipped`. On PostgreSQL the chunk's rows are locked first, so the event and the
update see the same rows.

The ids go into a temporary table chunk by chunk; each chunk runs as set-based statements
(`INSERT INTO event … SELECT`, one `UPDATE contact`), all inside one transaction, so a
failure or a cancel leaves the database as it was. Between chunks the caller hears how far
it got and may cancel. Same SQL on SQLite and PostgreSQL (window functions on both).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import NamedTuple

from peewee import Database, SqliteDatabase

from ..domain.model import EventKind, MessageKind, Status
from .queries import stored_datetime

CHUNK = 25_000

Progress = Callable[[int, int], None]  # (contacts done, contacts in all)


class BulkCancelled(Exception):
    """The caller cancelled between chunks; nothing was changed (rolled back)."""


class BulkOutcome(NamedTuple):
    changed: int  # moved to the new status
    skipped: int  # changed by someone else since they were seen: left alone
    before: tuple = ()  # each changed row as it was, for undo: (id, status) or, for a
    # change to Sent, (id, status, last_sent_at, follow_ups, draft_pending)


class Guard(NamedTuple):
    """The "still what the user saw" condition on a contact row named `t` (SQL, params)."""

    versions: bool = False  # bulk_ids.version holds the version each row was seen at
    within: tuple[str, list] | None = None  # a filter condition on alias t1, re-checked

    @property
    def active(self) -> bool:
        return self.versions or self.within is not None

    def sql(self, t: str) -> tuple[str, list]:
        parts, params = [], []
        if self.versions:
            parts.append(f"{t}.version = (SELECT b2.version FROM bulk_ids b2 WHERE b2.id = {t}.id)")
        if self.within is not None:
            cond, cond_params = self.within
            parts.append(f"EXISTS (SELECT 1 FROM contact t1 WHERE t1.id = {t}.id AND {cond})")
            params.extend(cond_params)
        return (" AND " + " AND ".join(parts) if parts else ""), params


def _sqlite(db: Database) -> bool:
    return isinstance(db, SqliteDatabase)


def _returning(db: Database) -> bool:
    """INSERT … RETURNING: PostgreSQL, and SQLite from 3.35."""
    return not _sqlite(db) or sqlite3.sqlite_version_info >= (3, 35)


def stored_stamp(db: Database, when: datetime):
    """A stamp to the second, as the models store it (queries.stored_datetime)."""
    return stored_datetime(db, when.replace(microsecond=0))


def _prepare(db: Database) -> None:
    """The scratch tables, private to this connection (dropped with it)."""
    if _sqlite(db):
        db.execute_sql("CREATE TEMP TABLE IF NOT EXISTS bulk_ids "
                       "(id INTEGER PRIMARY KEY, version INTEGER)")
        db.execute_sql("CREATE TEMP TABLE IF NOT EXISTS bulk_pending "
                       "(contact_id INTEGER PRIMARY KEY, message_id INTEGER, kind TEXT)")
    else:
        db.execute_sql("CREATE TEMP TABLE IF NOT EXISTS bulk_ids "
                       "(id BIGINT PRIMARY KEY, version INTEGER)")
        db.execute_sql("CREATE TEMP TABLE IF NOT EXISTS bulk_pending "
                       "(contact_id BIGINT PRIMARY KEY, message_id BIGINT, kind TEXT)")
    db.execute_sql("DELETE FROM bulk_ids")
    db.execute_sql("DELETE FROM bulk_pending")


def _load_ids(db: Database, ids: Sequence[int], versions: Sequence[int] | None = None) -> None:
    db.execute_sql("DELETE FROM bulk_ids")
    if versions is not None:
        if _sqlite(db):
            db.cursor().executemany("INSERT OR IGNORE INTO bulk_ids (id, version) VALUES (?, ?)",
                                    zip(ids, versions))
        else:
            db.execute_sql("INSERT INTO bulk_ids (id, version) SELECT * FROM "
                           "unnest(%s::bigint[], %s::int[]) ON CONFLICT DO NOTHING",
                           (list(ids), list(versions)))
    elif _sqlite(db):
        db.cursor().executemany("INSERT OR IGNORE INTO bulk_ids (id) VALUES (?)",
                                ((i,) for i in ids))
    else:
        db.execute_sql("INSERT INTO bulk_ids (id) SELECT DISTINCT unnest(%s::bigint[])",
                       (list(ids),))


def _count_stale(db: Database, new: Status, guard: Guard) -> int:
    """Rows of the chunk that would change but no longer are what the user saw."""
    where, params = guard.sql("c")
    row = db.execute_sql(
        f"SELECT COUNT(*) FROM bulk_ids b JOIN contact c ON c.id = b.id "
        f"WHERE c.status <> {db.param} AND NOT (1 = 1{where})", (new.value, *params)).fetchone()
    return int(row[0])


def _change_chunk(db: Database, new: Status, now, actor: str = "",
                  guard: Guard = Guard(), before: list | None = None) -> int:
    """Change the contacts listed in bulk_ids that are not already `new` (and pass the
    guard). Returns how many. `before` gets the rows to change as they are, first."""
    p = db.param
    g_c, g_params = guard.sql("c")
    g_row, _ = guard.sql("contact")
    target = (f"SELECT b.id FROM bulk_ids b JOIN contact c ON c.id = b.id "
              f"WHERE c.status <> {p}{g_c}")
    # What undo needs back: a change to Sent also stamps last sent (and may count a
    # follow-up), so those rows are read first; any other change only moves the status,
    # which the event rows carry anyway (RETURNING them costs no second pass).
    returning = before is not None and new is not Status.SENT and _returning(db)
    if before is not None and not returning:
        before.extend(db.execute_sql(
            "SELECT c.id, c.status, c.last_sent_at, c.follow_ups, c.draft_pending "
            f"FROM bulk_ids b JOIN contact c ON c.id = b.id WHERE c.status <> {p}{g_c}",
            (new.value, *g_params)).fetchall())
    cursor = db.execute_sql(
        "INSERT INTO event (contact_id, kind, from_status, to_status, detail, at, actor) "
        f"SELECT c.id, {p}, c.status, {p}, '', {p}, {p} FROM contact c "
        f"WHERE c.id IN (SELECT id FROM bulk_ids) AND c.status <> {p}{g_c}"
        + (" RETURNING contact_id, from_status" if returning else ""),
        (EventKind.STATUS.value, new.value, now, actor, new.value, *g_params),
    )
    if returning:
        before.extend(cursor.fetchall())
    if new is Status.SENT:
        db.execute_sql("DELETE FROM bulk_pending")
        # The latest unsent message of each contact that changes (as the per-row path).
        db.execute_sql(
            "INSERT INTO bulk_pending (contact_id, message_id, kind) "
            "SELECT contact_id, id, kind FROM ("
            "  SELECT m.contact_id, m.id, m.kind, ROW_NUMBER() OVER ("
            "    PARTITION BY m.contact_id ORDER BY m.created_at DESC, m.id DESC) AS rn"
            f"  FROM message m WHERE m.sent_at IS NULL AND m.contact_id IN ({target})"
            ") latest WHERE rn = 1",
            (new.value, *g_params),
        )
        db.execute_sql(
            f"UPDATE message SET sent_at = {p} "
            "WHERE id IN (SELECT message_id FROM bulk_pending)",
            (now,),
        )
        cursor = db.execute_sql(
            f"UPDATE contact SET status = {p}, updated_at = {p}, last_sent_at = {p}, "
            f"draft_pending = {p}, follow_ups = follow_ups + CASE WHEN id IN "
            f"(SELECT contact_id FROM bulk_pending WHERE kind = {p}) THEN 1 ELSE 0 END, "
            "version = version + 1 "
            f"WHERE id IN (SELECT id FROM bulk_ids) AND status <> {p}{g_row}",
            (new.value, now, now, False, MessageKind.FOLLOW_UP.value, new.value, *g_params),
        )
    else:
        cursor = db.execute_sql(
            f"UPDATE contact SET status = {p}, updated_at = {p}, version = version + 1 "
            f"WHERE id IN (SELECT id FROM bulk_ids) AND status <> {p}{g_row}",
            (new.value, now, new.value, *g_params),
        )
    return max(cursor.rowcount, 0)


def change_status_bulk(
    db: Database,
    ids: Sequence[int],
    new: Status,
    now: datetime,
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    chunk: int | None = None,
    versions: Sequence[int] | None = None,
    within: tuple[str, list] | None = None,
    actor: str = "",
    keep_before: bool = False,
) -> BulkOutcome:
    """Move the contacts `ids` to `new`, set-based, in one transaction. Returns how many
    changed (those already in `new` are not counted) and how many were skipped because
    they are no longer what the user saw (`versions`: the version of each id as seen;
    `within`: a filter condition they must still match, see the module doc). Raises
    BulkCancelled, having changed nothing, when `cancelled()` turns true between chunks."""
    total = len(ids)
    chunk = chunk or CHUNK
    stamp = stored_stamp(db, now)
    guard = Guard(versions is not None, within)
    changed = skipped = 0
    before: list | None = [] if keep_before else None
    writing = db.atomic(lock_type="IMMEDIATE") if _sqlite(db) else db.atomic()
    with writing:
        _prepare(db)
        if progress is not None:
            progress(0, total)
        for start in range(0, total, chunk):
            if cancelled is not None and cancelled():
                raise BulkCancelled("cancelled: nothing was changed")
            _load_ids(db, ids[start : start + chunk],
                      None if versions is None else versions[start : start + chunk])
            if guard.active:
                if not _sqlite(db):  # hold the rows: the count, event and update agree
                    db.execute_sql("SELECT c.id FROM contact c WHERE c.id IN "
                                   "(SELECT id FROM bulk_ids) ORDER BY c.id FOR UPDATE")
                skipped += _count_stale(db, new, guard)
            changed += _change_chunk(db, new, stamp, actor, guard, before)
            if progress is not None:
                progress(min(total, start + chunk), total)
        if cancelled is not None and cancelled():
            raise BulkCancelled("cancelled: nothing was changed")
        db.execute_sql("DELETE FROM bulk_ids")
        db.execute_sql("DELETE FROM bulk_pending")
    return BulkOutcome(changed, skipped, tuple(before or ()))
