"""Merging imported rows into contacts: one transaction, all or nothing.

Rows arrive in chunks (as columns), in file order. Each chunk is first inserted whole with
"on conflict do nothing", so the first row of a new domain creates it; the rows that were
skipped (a domain stored before, or created by an earlier row) are then looked up, merged in
file order by the merge rule (``domain/imports/merge.py``: which fields fill, what counts as
created, updated or duplicate) and written: filled-in contacts with one executemany UPDATE.
Memory is one chunk; the database's unique index on ``domain`` is the only domain map, so a
million rows need no dict of a million domains. A stored contact that gets filled also gets
one "edit" event ("import filled email, phone"); new contacts need none (their created_at is
the record). The status of a stored contact never changes.

Atomicity: everything runs in one transaction (``BEGIN IMMEDIATE`` on SQLite, so no other
writer can slip in between our read and our write). An exception, Ctrl+C or ``kill -9`` leaves
the database as it was; a dry run rolls the same transaction back, so its counts are exactly
the real ones.

SQLite fast path (NOTES.md G): raw ``executemany`` binding only the seven imported values
(the constant columns are literals). A big load into a small table also drops the non-unique
contact indexes and the per-row status-counter trigger and rebuilds them from their stored
definitions before commit (the usual bulk-load technique); SQLite DDL is transactional, so a
rollback or a crash restores them too. PostgreSQL gets one statement per chunk taking the
columns as arrays; anything else Peewee's portable queries (store/import_ops.py).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from operator import itemgetter

from peewee import Database, PeeweeException, PostgresqlDatabase, SqliteDatabase, fn

from ..domain.imports import merge as rule
from ..domain.imports.counts import MergeCounts
from ..domain.model import EventKind
from .db import DatabaseTarget, StoreError, describe_error
from .import_ops import PortableOps, PostgresOps, SqliteOps
from .models import Contact

_BULK_AT = 2000  # expected rows that make index/trigger suspension worth it


@contextmanager
def database_errors(db: Database) -> Iterator[None]:
    """Turn driver exceptions into a one-line StoreError naming the database."""
    try:
        yield
    except (PeeweeException, sqlite3.Error) as exc:
        target = getattr(db, "leadletter_target", None) or DatabaseTarget("database", "sqlite")
        raise StoreError(describe_error(exc, target)) from None


class _DryRunRollback(Exception):
    """Raised inside the transaction to undo a dry run."""


class ContactMerger:
    """Use as ``with ContactMerger(db, now, dry_run=...) as m: m.add(chunk) ...``.

    Leaving the block normally commits (or, for a dry run, rolls back); leaving it with an
    exception rolls back. ``counts`` holds the running totals. ``expected_rows`` (a hint,
    e.g. from the file size) lets a big load into a small table use the bulk path.
    """

    def __init__(self, db: Database, now: datetime, *, dry_run: bool = False,
                 expected_rows: int | None = None, actor: str = "") -> None:
        self.db = db
        self.actor = actor  # who the events say did it
        self.dry_run = dry_run
        self.expected_rows = expected_rows
        self.sqlite = isinstance(db, SqliteDatabase)
        self.now = now.replace(microsecond=0)
        self.stamp: str | datetime = self.now
        self.ops: SqliteOps | PortableOps | None = None  # PostgresOps is a PortableOps
        self.counts = MergeCounts()
        self._txn = None
        self._first_new_id = 0
        self._existing = 0
        self._bulk_checked = False

    # --- transaction ---------------------------------------------------------------------
    def __enter__(self) -> ContactMerger:
        self._txn = self.db.atomic("IMMEDIATE") if self.sqlite else self.db.atomic()
        self._txn.__enter__()
        try:
            if self.sqlite:
                self.stamp = self.now.isoformat(" ")  # the text form Peewee stores
                self.ops = SqliteOps(self.db, self.stamp)
            else:
                ops = PostgresOps if isinstance(self.db, PostgresqlDatabase) else PortableOps
                self.ops = ops(self.db, self.now)
            query = Contact.select(fn.MAX(Contact.id), fn.COUNT(Contact.id))
            last_id, self._existing = query.scalar(self.db, as_tuple=True)
            self._first_new_id = (last_id or 0) + 1
        except BaseException as exc:
            self._txn.__exit__(type(exc), exc, exc.__traceback__)
            raise
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        if exc_type is None:
            try:
                if not self.dry_run:
                    self.ops.restore()
            except BaseException as failure:
                self._txn.__exit__(type(failure), failure, failure.__traceback__)
                raise
        if exc_type is None and self.dry_run:
            try:
                raise _DryRunRollback
            except _DryRunRollback as rollback:
                self._txn.__exit__(_DryRunRollback, rollback, None)
            return False
        self._txn.__exit__(exc_type, exc, tb)
        return False

    # --- rows ------------------------------------------------------------------------------
    def add(self, lines: Sequence[int], fields: Sequence[Sequence[str]]) -> None:
        """Classify and write one batch of valid rows (in file order), given as columns:
        ``lines`` and ``fields`` in :data:`IMPORTED` order (domain first)."""
        n = len(lines)
        if not n:
            return
        if not self._bulk_checked:  # decided once, on the first batch
            self._bulk_checked = True
            expected = max(n, self.expected_rows or 0)
            if expected >= _BULK_AT and expected >= self._existing:
                self.ops.suspend_for_bulk()
        self._add(lines, fields)

    def _add(self, lines: Sequence[int], fields: Sequence[Sequence[str]]) -> None:
        """Every row is inserted in file order with ``ON CONFLICT DO NOTHING``, so the first
        row of a new domain creates it. If every row was inserted, that is all. Otherwise
        the skipped rows (a domain stored before, or created by an earlier row of the same
        batch) are merged in file order into what is now stored."""
        counts = MergeCounts()
        first_id = self.ops.last_id() + 1
        n = len(lines)
        counts.created = self.ops.insert(zip(*fields))
        if counts.created < n:
            # The first row of each domain created here created it; every other row merges.
            # (C-level passes: a batch is thousands of rows, the rest usually few.)
            first_row = _first_rows(fields[0])
            creators = set(map(first_row.__getitem__, self.ops.inserted_since(first_id)))
            rest = _rows(lines, fields, sorted(set(range(n)).difference(creators)))
            stored = self.ops.lookup(list({row[rule.ROW_DOMAIN] for row in rest}))
            self._write(rule.classify(rest, stored, counts))
        self._tally(counts)

    def _tally(self, counts: MergeCounts) -> None:
        self.counts.created += counts.created
        self.counts.updated += counts.updated
        self.counts.duplicates += counts.duplicates

    def _write(self, state: dict[str, list]) -> None:
        stamp = self.stamp
        inserts, updates, events = [], [], []
        ID, FIELDS, FILLED, extra = rule.ID, rule.FIELDS, rule.FILLED, rule.state_extra
        edit = EventKind.EDIT.value
        for domain, s in state.items():
            if s[ID] is None:
                inserts.append((domain, *s[FIELDS], extra(s)))
            elif s[FILLED]:
                updates.append((*s[FIELDS], extra(s), stamp, s[ID]))
                if s[ID] < self._first_new_id:  # a contact that existed before this import
                    events.append((s[ID], edit, rule.filled_detail(s[FILLED]), stamp,
                                   self.actor))
        if inserts:
            self.ops.insert(inserts)
        if updates:
            self.ops.update(updates)
        if events:
            self.ops.events(events)


def _first_rows(domains: Sequence[str]) -> dict[str, int]:
    """Each domain's first position (built in C: later positions are overwritten by
    earlier ones)."""
    n = len(domains)
    return dict(zip(reversed(domains), range(n - 1, -1, -1)))


def _rows(lines, fields, positions: list[int]) -> list[tuple]:
    """The rows at ``positions`` as tuples in Candidate order (line first)."""
    if not positions:
        return []
    columns = [lines, *fields]
    if len(positions) == 1:
        return [tuple(c[positions[0]] for c in columns)]
    pick = itemgetter(*positions)
    return list(zip(*map(pick, columns)))
