"""Merging imported rows into contacts: one transaction, all or nothing.

Rows arrive in chunks, in file order. For each chunk the merger looks up the chunk's domains
(stored contacts, including those created by earlier chunks of the same import, which the
transaction already sees), classifies every row and writes the chunk: new contacts with one
executemany INSERT, filled-in contacts with one executemany UPDATE. Memory is one chunk; the
database's unique index on ``domain`` is the only domain map, so a million rows need no dict
of a million domains.

Counting (each row exactly once):
- created: the first row for a domain that is neither stored nor seen earlier in the file;
- updated: a row for a known domain that fills at least one empty field (including an
  extra field) of the stored or earlier-created contact;
- duplicate: a row for a known domain that changes nothing.
A non-empty value is never overwritten and the status never changes. A stored contact that
gets filled also gets one "edit" event ("import filled email, phone"); new contacts need none
(their created_at is the record).

Atomicity: everything runs in one transaction (``BEGIN IMMEDIATE`` on SQLite, so no other
writer can slip in between our read and our write). An exception, Ctrl+C or ``kill -9`` leaves
the database as it was; a dry run rolls the same transaction back, so its counts are exactly
the real ones.

SQLite fast path (NOTES.md G): raw ``executemany`` binding only the seven imported values
(the constant columns are literals). A big load into a small table also drops the non-unique
contact indexes and the per-row status-counter trigger and rebuilds them from their stored
definitions before commit (the usual bulk-load technique); SQLite DDL is transactional, so a
rollback or a crash restores them too. Other databases use Peewee's portable ``insert_many``
and per-contact updates.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from peewee import Case, Database, PeeweeException, SqliteDatabase, fn

from ..domain.csv_columns import header_key
from ..domain.csv_import import Candidate
from ..domain.model import EventKind, Status
from . import counters
from .db import DatabaseTarget, StoreError, describe_error
from .models import Contact, Event

MERGE_FIELDS = ("business_name", "contact_name", "email", "phone", "notes")
IMPORTED = ("domain", *MERGE_FIELDS, "extra")  # what a candidate row brings, in order
_LOOKUP_BATCH = 500
_QUOTE = json.encoder.encode_basestring  # the C string encoder (Unicode kept)
_COUNT_TRIGGER = "contact_count_insert"
_BULK_AT = 2000  # inserts in one chunk that make index/trigger suspension worth it

# Indexes into a per-domain state list: [id, business, contact, email, phone, notes, extra,
# filled-names]. ``extra`` is JSON text as stored/imported until a merge needs it as a dict.
_ID, _FIELDS, _EXTRA, _FILLED = 0, slice(1, 6), 6, 7
# Candidate fields by position (batches from the parser process are plain tuples).
_DOMAIN, _CAND_EXTRA = Candidate._fields.index("domain"), Candidate._fields.index("extra")


@contextmanager
def database_errors(db: Database) -> Iterator[None]:
    """Turn driver exceptions into a one-line StoreError naming the database."""
    try:
        yield
    except (PeeweeException, sqlite3.Error) as exc:
        target = getattr(db, "leadletter_target", None) or DatabaseTarget("database", "sqlite")
        raise StoreError(describe_error(exc, target)) from None


def encode_extra(extra: dict[str, str]) -> str:
    """Compact JSON object of string keys and values (what json.dumps gives, faster)."""
    if not extra:
        return ""
    return "{" + ",".join([f"{_QUOTE(k)}:{_QUOTE(v)}" for k, v in extra.items()]) + "}"


def decode_extra(value: str | dict | None) -> dict[str, str]:
    if isinstance(value, dict):
        return value
    if not value:
        return {}
    try:
        data = json.loads(value)
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): "" if v is None else str(v) for k, v in data.items()}


class _DryRunRollback(Exception):
    """Raised inside the transaction to undo a dry run."""


@dataclass
class MergeCounts:
    created: int = 0
    updated: int = 0
    duplicates: int = 0


class _SqliteOps:
    """Raw sqlite3 cursor on the transaction's connection: the fast path."""

    def __init__(self, db: Database, now: str) -> None:
        self.db = db
        self.cursor = db.cursor()
        t = Contact._meta.table_name
        self.table = t
        self.select = (
            f'SELECT id, {", ".join(IMPORTED)} FROM "{t}" WHERE domain IN '
        )
        constants = f"'', '{Status.READY.value}', 0, 0, 0, '{now}', '{now}'"
        self.insert_sql = (
            f'INSERT INTO "{t}" ({", ".join(IMPORTED)}, category, status, follow_ups, '
            f'draft_pending, do_not_contact, created_at, updated_at) '
            f'VALUES ({", ".join("?" * len(IMPORTED))}, {constants}) '
            "ON CONFLICT (domain) DO NOTHING"
        )
        self.inserted_sql = f"SELECT group_concat(domain, char(10)) FROM \"{t}\" WHERE id >= ?"
        guarded = ", ".join(
            f"{f} = CASE WHEN COALESCE({f}, '') = '' THEN ? ELSE {f} END" for f in MERGE_FIELDS
        )
        self.update_sql = f'UPDATE "{t}" SET {guarded}, extra = ?, updated_at = ? WHERE id = ?'
        self.event_sql = (
            f'INSERT INTO "{Event._meta.table_name}" (contact_id, kind, detail, at) '
            "VALUES (?, ?, ?, ?)"
        )
        self.rebuild: list[str] = []  # DDL to re-run before commit

    def lookup(self, domains: list[str]) -> dict[str, tuple]:
        found: dict[str, tuple] = {}
        execute = self.cursor.execute
        for start in range(0, len(domains), _LOOKUP_BATCH):
            batch = domains[start : start + _LOOKUP_BATCH]
            sql = self.select + "(" + ",".join("?" * len(batch)) + ")"
            for row in execute(sql, batch):
                found[row[1]] = row
        return found

    def insert(self, rows: Iterable[tuple]) -> int:
        """Insert new contacts; a domain already stored is skipped. Returns rows inserted."""
        cursor = self.cursor
        cursor.executemany(self.insert_sql, rows)
        return cursor.rowcount

    def last_id(self) -> int:
        return self.cursor.execute(f'SELECT MAX(id) FROM "{self.table}"').fetchone()[0] or 0

    def inserted_since(self, first_id: int) -> list[str]:
        # One string from SQLite, split in C: several times faster than a row per domain
        # (a domain never holds a newline).
        (text,) = self.cursor.execute(self.inserted_sql, (first_id,)).fetchone()
        return text.split("\n") if text else []

    def update(self, rows: list[tuple]) -> None:
        self.cursor.executemany(self.update_sql, rows)

    def events(self, rows: list[tuple]) -> None:
        self.cursor.executemany(self.event_sql, rows)

    def suspend_for_bulk(self) -> None:
        """Drop the non-unique contact indexes and the counter trigger (restored by
        :meth:`restore`, or by the rollback)."""
        indexes = self.cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
            "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'",
            (self.table,),
        ).fetchall()
        for name, sql in indexes:
            self.cursor.execute(f'DROP INDEX "{name}"')
            self.rebuild.append(sql)
        trigger = self.cursor.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = ?", (_COUNT_TRIGGER,)
        ).fetchone()
        if trigger and counters.supported(self.db):
            self.cursor.execute(f'DROP TRIGGER "{_COUNT_TRIGGER}"')
            self.rebuild.append("counters")

    def restore(self) -> None:
        for sql in self.rebuild:
            if sql == "counters":
                counters.install(self.db)  # recreates the trigger and recounts
            else:
                self.cursor.execute(sql)
        self.rebuild = []


class _PortableOps:
    """Peewee queries only: PostgreSQL and anything else Peewee speaks."""

    _fields = (Contact.id, *(getattr(Contact, f) for f in IMPORTED))

    def __init__(self, db: Database, now: datetime) -> None:
        self.db = db
        self.now = now
        self.returning = bool(getattr(db, "returning_clause", False))
        self.inserted: set[str] = set()
        self.first_id = 0

    def lookup(self, domains: list[str]) -> dict[str, tuple]:
        found: dict[str, tuple] = {}
        for start in range(0, len(domains), _LOOKUP_BATCH):
            q = Contact.select(*self._fields).where(
                Contact.domain.in_(domains[start : start + _LOOKUP_BATCH])
            )
            for row in q.tuples():
                found[row[1]] = row
        return found

    def insert(self, rows: Iterable[tuple]) -> int:
        rows = list(rows)
        names = (*IMPORTED, "category", "status", "follow_ups", "draft_pending",
                 "do_not_contact", "created_at", "updated_at")
        fields = [Contact._meta.columns[c] for c in names]
        tail = ("", Status.READY.value, 0, False, False, self.now, self.now)
        self.inserted = set()
        for start in range(0, len(rows), 500):
            batch = [(*r, *tail) for r in rows[start : start + 500]]
            q = Contact.insert_many(batch, fields=fields).on_conflict(
                conflict_target=[Contact.domain], action="IGNORE"
            )
            if self.returning:
                self.inserted.update(d for (d,) in q.returning(Contact.domain).tuples())
            else:  # no RETURNING: find the new rows by id afterwards
                q.execute()
        if not self.returning:
            self.inserted = self._since(self.first_id)
        return len(self.inserted)

    def last_id(self) -> int:
        self.first_id = (Contact.select(fn.MAX(Contact.id)).scalar() or 0) + 1
        return self.first_id - 1

    def inserted_since(self, first_id: int) -> list[str]:
        return list(self.inserted)

    @staticmethod
    def _since(first_id: int) -> set[str]:
        q = Contact.select(Contact.domain).where(Contact.id >= first_id)
        return {d for (d,) in q.tuples()}

    def update(self, rows: list[tuple]) -> None:
        for row in rows:
            changes = {}
            for name, value in zip(MERGE_FIELDS, row[:5]):
                column = getattr(Contact, name)
                changes[column] = Case(None, [(column == "", value)], column)
            changes[Contact.extra] = row[5]
            changes[Contact.updated_at] = row[6]
            Contact.update(changes).where(Contact.id == row[7]).execute()

    def events(self, rows: list[tuple]) -> None:
        fields = [Event.contact, Event.kind, Event.detail, Event.at]
        for start in range(0, len(rows), 500):
            Event.insert_many(rows[start : start + 500], fields=fields).execute()

    def suspend_for_bulk(self) -> None:
        pass

    def restore(self) -> None:
        pass


class ContactMerger:
    """Use as ``with ContactMerger(db, now, dry_run=...) as m: m.add(chunk) ...``.

    Leaving the block normally commits (or, for a dry run, rolls back); leaving it with an
    exception rolls back. ``counts`` holds the running totals. ``expected_rows`` (a hint,
    e.g. from the file size) lets a big load into a small table use the bulk path.
    """

    def __init__(self, db: Database, now: datetime, *, dry_run: bool = False,
                 expected_rows: int | None = None) -> None:
        self.db = db
        self.dry_run = dry_run
        self.expected_rows = expected_rows
        self.sqlite = isinstance(db, SqliteDatabase)
        self.now = now.replace(microsecond=0)
        self.stamp: str | datetime = self.now
        self.ops: _SqliteOps | _PortableOps | None = None
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
                self.ops = _SqliteOps(self.db, self.stamp)
            else:
                self.ops = _PortableOps(self.db, self.now)
            query = Contact.select(fn.MAX(Contact.id), fn.COUNT(Contact.id))
            last_id, self._existing = query.scalar(as_tuple=True)
            self._first_new_id = (last_id or 0) + 1
        except BaseException as exc:
            self._txn.__exit__(type(exc), exc, exc.__traceback__)
            raise
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        if exc_type is None and not self.dry_run:
            try:
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
    def add(self, lines: Sequence[int], fields: Sequence[Sequence[str]]) -> MergeCounts:
        """Classify and write one batch of valid rows (in file order), given as columns:
        ``lines`` and ``fields`` in :data:`IMPORTED` order (domain first). Returns this
        batch's counts.

        Optimistic: every row is inserted in file order with ``ON CONFLICT DO NOTHING``, so
        the first row of a new domain creates it. If every row was inserted, that is all.
        Otherwise the skipped rows (a domain stored before, or created by an earlier row of
        the same batch) are merged in file order into what is now stored.
        """
        counts = MergeCounts()
        if not lines:
            return counts
        first_id = self.ops.last_id() + 1
        n = len(lines)
        counts.created = self._insert(zip(*fields), n)
        if counts.created < n:
            # The first row of each domain created here created it; every other row merges.
            # (C-level passes: a batch is thousands of rows, the rest usually few.)
            domains = fields[0]
            first_row = dict(zip(reversed(domains), range(n - 1, -1, -1)))
            creators = set(map(first_row.__getitem__, self.ops.inserted_since(first_id)))
            rest_rows = [
                (lines[k], *(f[k] for f in fields))  # Candidate field order
                for k in sorted(set(range(n)).difference(creators))
            ]
            stored = self.ops.lookup(list({row[_DOMAIN] for row in rest_rows}))
            self._write(self._classify(rest_rows, stored, counts))
        self.counts.created += counts.created
        self.counts.updated += counts.updated
        self.counts.duplicates += counts.duplicates
        return counts

    def _classify(self, chunk: Sequence[Candidate], stored: dict, counts: MergeCounts) -> dict:
        state: dict[str, list] = {}
        for c in chunk:
            domain = c[_DOMAIN]
            s = state.get(domain)
            if s is None:
                row = stored.get(domain)
                if row is None:
                    state[domain] = [None, *c[2:8], None]
                    counts.created += 1
                    continue
                s = state[domain] = [row[0], *row[2:8], None]
            filled = _merge(s, c)
            if filled:
                counts.updated += 1
                s[_FILLED] = filled if s[_FILLED] is None else s[_FILLED] | filled
            else:
                counts.duplicates += 1
        return state

    def _insert(self, rows: Iterable[tuple], n: int) -> int:
        if not self._bulk_checked and n >= _BULK_AT:
            self._bulk_checked = True
            if (self.expected_rows or 0) >= self._existing:
                self.ops.suspend_for_bulk()
        return self.ops.insert(rows)

    def _write(self, state: dict[str, list]) -> None:
        stamp = self.stamp
        inserts, updates, events = [], [], []
        for domain, s in state.items():
            extra = s[_EXTRA]
            if isinstance(extra, dict):
                extra = encode_extra(extra)
            if s[_ID] is None:
                inserts.append((domain, *s[_FIELDS], extra or ""))
            elif s[_FILLED]:
                updates.append((*s[_FIELDS], extra or "", stamp, s[_ID]))
                if s[_ID] < self._first_new_id:  # a contact that existed before this import
                    names = sorted(n.replace("_", " ") for n in s[_FILLED])
                    detail = "import filled " + ", ".join(names)
                    if len(detail) > 300:
                        detail = detail[:299] + "\u2026"
                    events.append((s[_ID], EventKind.EDIT.value, detail, stamp))
        if inserts:
            self._insert(inserts, len(inserts))
        if updates:
            self.ops.update(updates)
        if events:
            self.ops.events(events)


def _merge(s: list, c: Candidate) -> set[str] | None:
    """Fill the empty fields of state ``s`` from ``c``; the names filled, or None."""
    filled = None
    for i, name in enumerate(MERGE_FIELDS, 1):
        value = c[i + 1]
        if value and not s[i]:
            s[i] = value
            if filled is None:
                filled = set()
            filled.add(name)
    if c[_CAND_EXTRA]:
        current = s[_EXTRA] = decode_extra(s[_EXTRA])
        # "City", "city" and "CITY" from different files are one field: the stored
        # spelling is kept.
        known = {header_key(k): k for k in current}
        for key, value in decode_extra(c[_CAND_EXTRA]).items():
            key = known.get(header_key(key), key)
            if value and not current.get(key):
                current[key] = value
                if filled is None:
                    filled = set()
                filled.add(key)
    return filled
