"""`Store`: one opened database and everything callers may do to it.

A Store owns its Peewee database object (and so its connections: one per thread, opened on
first use, closed by `connection()` or `close()`). The models are bound to no database (see
models.py): every query here runs against `self.db`, so two stores on two databases work side
by side in one process. Nothing outside store/ sees Peewee; callers get domain objects.

The parts, each in its own module:
- `contacts` (contacts.py): reading and writing contacts, status changes, edits, events;
- `messages` (messages.py): generated messages (a domain's first creates its contact), a
  contact's message history, the event mark the learner's cache follows;
- `replies` (replies.py): saving pasted replies, labels and corrections, follow-up snoozes;
- `shared` (shared.py): settings a team shares (views, the sender profile), by upsert;
- `window()` (window.py): rows of a filter by position, for the virtual table;
- `analytics` (analytics.py): aggregates for analytics and `stats`, the outcome of each
  contact's first message (the one source the angle learner is rebuilt from), the feed;
- `merge_import()` (imports.py, import_ops.py): bulk import merging, one transaction (the
  merge rule itself is pure code in domain/imports/merge.py);
- `bulk_insert()` (bulk.py): demo data and other big loads of whole contacts;
- `change_status_bulk()` (bulk_status.py): set-based status changes of many contacts;
- `export_records()` (export_rows.py): every field of many contacts, for exports;
- `write_backup()` / `restore_backup()` (backup_io.py; formats in backup.py and
  sqlite/backup.py; the backup before a migration in premigrate.py);
- engine-specific speed-ups: sqlite/ (counters.py, domain_index.py), the PostgreSQL
  statements in import_ops.py.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING

from peewee import Database, PeeweeException

from ..domain.filters import ContactFilter, Sort
from .contacts import ContactRepo, NotFound, Stale
from .db import (
    DatabaseTarget,
    StoreError,
    describe_error,
    failure_message,
    open_database,
    parse_url,
)
from .window import ContactWindow

if TYPE_CHECKING:  # loaded on first use: `list` and the TUI's first paint never need them
    from . import bulk
    from .analytics import AnalyticsQueries
    from .bulk_status import BulkOutcome, Progress
    from .imports import ContactMerger
    from .messages import MessageRepo

__all__ = ["NotFound", "Stale", "Store", "StoreError"]


class Store:
    """One database. Safe to share across threads (each thread gets its own connection)."""

    def __init__(self, db: Database, target: DatabaseTarget,
                 clock: Callable[[], datetime] = datetime.now, actor: str = "") -> None:
        self.db = db
        self.target = target
        self.clock = clock
        self.actor = actor[:64]  # who the events this Store writes say did it
        self.contacts = ContactRepo(db, clock, self.actor)
        self._messages: MessageRepo | None = None
        self._replies = None  # ReplyRepo, loaded on first use (start-up never needs it)
        self._shared = None  # SharedSettingRepo, loaded on first use

    @classmethod
    def open(cls, url: str, *, create: bool = True, busy_timeout_ms: int = 5000,
             clock: Callable[[], datetime] = datetime.now, actor: str = "") -> Store:
        """Connect, check and migrate. Raises StoreError (one line for the user).
        `actor`: the name events written through this Store record (config `user_name`)."""
        target = parse_url(url)
        db = open_database(url, create=create, busy_timeout_ms=busy_timeout_ms)
        return cls(db, target, clock, actor)

    @property
    def display(self) -> str:
        """Where the data lives, for titles and messages (never a password)."""
        return self.target.display

    def now(self) -> datetime:
        return self.clock().replace(microsecond=0)

    # --- connections ----------------------------------------------------------------------
    def connection(self):
        """Context manager for a worker thread: its own connection, closed afterwards."""
        return self.db.connection_context()

    def close(self) -> None:
        """Close the calling thread's connection (other threads close their own)."""
        if not self.db.is_closed():
            self.db.close()

    def failure_message(self, exc: BaseException) -> str | None:
        """One line for a failure of this database (locked, read-only, corrupt...), or None
        when `exc` is not one (a bug)."""
        return failure_message(exc, self.target)

    @contextmanager
    def errors(self) -> Iterator[None]:
        """Driver exceptions → StoreError naming this database."""
        try:
            yield
        except (PeeweeException, sqlite3.Error) as exc:
            raise StoreError(describe_error(exc, self.target)) from None

    # --- parts ----------------------------------------------------------------------------
    @property
    def replies(self):
        """Pasted replies, labels and corrections, follow-up snoozes (replies.py)."""
        if self._replies is None:
            from .replies import ReplyRepo

            self._replies = ReplyRepo(self.db, self.contacts, self.clock)  # actor: contacts
        return self._replies

    @property
    def shared(self):
        """Settings a team shares: views, the sender profile (shared.py; upserts)."""
        if self._shared is None:
            from .shared import SharedSettingRepo

            self._shared = SharedSettingRepo(self.db, self.clock)
        return self._shared

    @property
    def messages(self) -> MessageRepo:
        """Generated messages (loaded on first use: `list` never needs it)."""
        if self._messages is None:
            from .messages import MessageRepo

            self._messages = MessageRepo(self.db, self.clock, self.actor)
        return self._messages

    def window(self, flt: ContactFilter, sort: Sort) -> ContactWindow:
        """Rows of a filter by position, fast at any depth."""
        return ContactWindow(self.db, flt, sort)

    @property
    def analytics(self) -> AnalyticsQueries:
        """Aggregates for analytics and the activity feed (analytics.py)."""
        from .analytics import AnalyticsQueries

        return AnalyticsQueries(self.db)

    def merge_import(self, *, dry_run: bool = False,
                     expected_rows: int | None = None) -> ContactMerger:
        """A context manager merging imported rows, all or nothing (see imports.py)."""
        from .imports import ContactMerger

        return ContactMerger(self.db, self.now(), dry_run=dry_run, expected_rows=expected_rows,
                             actor=self.actor)

    def next_contact_id(self) -> int:
        from . import bulk

        return bulk.next_contact_id(self.db)

    def existing_domains(self) -> set[str]:
        from . import bulk

        return bulk.existing_domains(self.db)

    def bulk_insert(self, batches: Iterable[bulk.Batch], *, defer_indexes: bool = False) -> int:
        """Insert whole contacts with their messages, replies and events (one transaction)."""
        from . import bulk

        return bulk.insert_batches(self.db, batches, defer_indexes=defer_indexes)

    def change_status_bulk(self, ids, status, *, progress: Progress | None = None,
                           cancelled: Callable[[], bool] | None = None,
                           versions=None, within: ContactFilter | None = None,
                           at: datetime | None = None, keep_before: bool = False) -> BulkOutcome:
        """Move many contacts to `status`, set-based, all or nothing (bulk_status.py).
        Only rows still at `versions` (parallel to `ids`, as seen) and still matching
        `within` (the filter acted on) change; the others are counted as skipped.
        Returns (changed, skipped, before); `keep_before`: `before` holds the changed rows
        as they were (pipeline.Before, for undo), read by the same statements. Raises
        bulk_status.BulkCancelled if cancelled."""
        from . import bulk_status
        from .undo import as_before

        outcome = bulk_status.change_status_bulk(
            self.db, ids, status, at or self.now(), progress=progress, cancelled=cancelled,
            versions=versions, within=self._filter_sql(within), actor=self.actor,
            keep_before=keep_before)
        return outcome._replace(before=as_before(outcome.before)) if keep_before else outcome

    def _filter_sql(self, flt: ContactFilter | None) -> tuple[str, list] | None:
        """A filter's condition as SQL on the alias t1 (re-checked inside a bulk UPDATE)."""
        if flt is None:
            return None
        from .queries import combine, where_clauses

        cond = combine(where_clauses(self.db, flt))
        if cond is None:
            return None
        sql, params = self.db.get_sql_context().sql(cond).query()
        if self.target.kind == "sqlite":  # stored as text: compare text
            params = [str(p) if isinstance(p, datetime) else p for p in params]
        return sql, list(params)

    def watch(self):
        """A change watcher for this database: `changed()` says (cheaply, without blocking)
        whether another session, process or thread committed since the last call;
        `close()` stops it. SQLite: PRAGMA data_version (sqlite/watch.py); PostgreSQL:
        LISTEN/NOTIFY on a thread of its own, polling if LISTEN is unavailable
        (postgres/watch.py)."""
        if self.target.kind == "sqlite":
            from .sqlite.watch import SqliteWatch

            return SqliteWatch(self.target.path)
        from .postgres.watch import PgWatch

        return PgWatch(self.db, self.target.url)

    def export_records(self, flt: ContactFilter, sort: Sort, ids=None):
        """Every field of the filter's contacts (only `ids`), streamed (export_rows.py)."""
        from . import export_rows

        return export_rows.iter_records(self.db, flt, sort, ids)

    def export_extra_keys(self, flt: ContactFilter, ids=None) -> list[str]:
        """Names of the imported extra columns among the filter's contacts."""
        from . import export_rows

        return export_rows.extra_keys(self.db, flt, ids)

    # --- backups (backup_io.py) -------------------------------------------------------------
    def write_backup(self, dest, *, portable: bool, progress=None) -> dict:
        """Write a backup to the new file `dest`: a SQLite copy, or the portable format
        (always, on PostgreSQL). Returns {"format", "schema_version", "tables"}."""
        from . import backup_io

        return backup_io.write(self, dest, portable=portable, progress=progress)

    def restore_backup(self, source, progress=None) -> dict:
        """Load a backup (either kind) into this database, which must hold no contacts;
        all or nothing. Raises StoreError."""
        from . import backup_io

        return backup_io.restore(self, source, progress=progress)
