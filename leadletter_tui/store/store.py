"""`Store`: one opened database and everything callers may do to it.

A Store owns its Peewee database object (and so its connections: one per thread, opened on
first use, closed by `connection()` or `close()`). The models are bound to no database (see
models.py): every query here runs against `self.db`, so two stores on two databases work side
by side in one process. Nothing outside store/ sees Peewee; callers get domain objects.

The parts, each in its own module:
- `contacts` (contacts.py): reading and writing contacts, status changes, edits, events;
- `window()` (window.py): rows of a filter by position, for the virtual table;
- `analytics` (analytics.py): aggregates for analytics and `stats`, the activity feed;
- `merge_import()` (imports.py, import_ops.py): bulk import merging, one transaction (the
  merge rule itself is pure code in domain/imports/merge.py);
- `bulk_insert()` (bulk.py): demo data and other big loads of whole contacts;
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
from .contacts import ContactRepo, NotFound
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
    from .imports import ContactMerger

__all__ = ["NotFound", "Store", "StoreError"]


class Store:
    """One database. Safe to share across threads (each thread gets its own connection)."""

    def __init__(self, db: Database, target: DatabaseTarget,
                 clock: Callable[[], datetime] = datetime.now) -> None:
        self.db = db
        self.target = target
        self.clock = clock
        self.contacts = ContactRepo(db, clock)

    @classmethod
    def open(cls, url: str, *, create: bool = True, busy_timeout_ms: int = 5000,
             clock: Callable[[], datetime] = datetime.now) -> Store:
        """Connect, check and migrate. Raises StoreError (one line for the user)."""
        target = parse_url(url)
        db = open_database(url, create=create, busy_timeout_ms=busy_timeout_ms)
        return cls(db, target, clock)

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

        return ContactMerger(self.db, self.now(), dry_run=dry_run, expected_rows=expected_rows)

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
