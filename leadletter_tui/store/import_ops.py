"""How an import writes contacts: raw sqlite3 (SQLite), SQL with column arrays (PostgreSQL),
and portable Peewee queries (anything else Peewee speaks).

All offer the same small interface to :class:`~.imports.ContactMerger`: look stored
contacts up by domain, insert new ones (a stored domain is skipped), tell which domains a
batch created, update filled-in contacts, add events, and suspend/restore what a bulk load
into a small table should not maintain row by row.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from peewee import Case, Database, fn

from ..domain.imports.merge import IMPORTED, MERGE_FIELDS
from ..domain.model import Status
from .models import Contact, Event
from .sqlite import counters

_LOOKUP_BATCH = 500
_COUNT_TRIGGER = "contact_count_insert"


def _fill_sql(mark: str) -> str:
    """UPDATE that fills only the empty fields of a contact (``mark``: the driver's
    placeholder): merged values, extra, updated_at, id."""
    guarded = ", ".join(
        f"{f} = CASE WHEN COALESCE({f}, '') = '' THEN {mark} ELSE {f} END" for f in MERGE_FIELDS
    )
    return (f'UPDATE "{Contact._meta.table_name}" SET {guarded}, extra = {mark}, '
            f"updated_at = {mark}, version = version + 1 WHERE id = {mark}")


def _event_sql(mark: str) -> str:
    return (f'INSERT INTO "{Event._meta.table_name}" (contact_id, kind, detail, at, actor) '
            f"VALUES ({mark}, {mark}, {mark}, {mark}, {mark})")


class SqliteOps:
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
        self.update_sql = _fill_sql("?")
        self.event_sql = _event_sql("?")
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


class PortableOps:
    """Peewee queries only: any database Peewee speaks (PostgreSQL has its own, below)."""

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
            for row in q.tuples().execute(self.db):
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
                self.inserted.update(d for (d,) in q.returning(Contact.domain).tuples().execute(self.db))
            else:  # no RETURNING: find the new rows by id afterwards
                q.execute(self.db)
        if not self.returning:
            self.inserted = self._since(self.first_id)
        return len(self.inserted)

    def last_id(self) -> int:
        self.first_id = (Contact.select(fn.MAX(Contact.id)).scalar(self.db) or 0) + 1
        return self.first_id - 1

    def inserted_since(self, first_id: int) -> list[str]:
        return list(self.inserted)

    def _since(self, first_id: int) -> set[str]:
        q = Contact.select(Contact.domain).where(Contact.id >= first_id)
        return {d for (d,) in q.tuples().execute(self.db)}

    def update(self, rows: list[tuple]) -> None:
        for row in rows:
            changes = {}
            for name, value in zip(MERGE_FIELDS, row[:5]):
                column = getattr(Contact, name)
                changes[column] = Case(None, [(column == "", value)], column)
            changes[Contact.extra] = row[5]
            changes[Contact.updated_at] = row[6]
            changes[Contact.version] = Contact.version + 1
            Contact.update(changes).where(Contact.id == row[7]).execute(self.db)

    def events(self, rows: list[tuple]) -> None:
        fields = [Event.contact, Event.kind, Event.detail, Event.at, Event.actor]
        for start in range(0, len(rows), 500):
            Event.insert_many(rows[start : start + 500], fields=fields).execute(self.db)

    def suspend_for_bulk(self) -> None:
        pass

    def restore(self) -> None:
        pass


class PostgresOps(PortableOps):
    """PostgreSQL: the same statements as constant SQL text taking whole columns as arrays
    (``unnest``), so the driver parses each statement once and a batch is one round trip.
    (Peewee builds a multi-row INSERT in Python at about 100 µs a row: 100,000 rows took
    13 s, nearly all of it there.)"""

    def __init__(self, db: Database, now: datetime) -> None:
        super().__init__(db, now)
        t = Contact._meta.table_name
        names = ", ".join(IMPORTED)
        arrays = ", ".join(["%b::text[]"] * len(IMPORTED))  # binary: no escaping pass
        self._insert_sql = (
            f'INSERT INTO "{t}" ({names}, category, status, follow_ups, draft_pending, '
            f"do_not_contact, created_at, updated_at) "
            f"SELECT {names}, '', '{Status.READY.value}', 0, false, false, %s, %s "
            f"FROM unnest({arrays}) WITH ORDINALITY AS r({names}, n) ORDER BY n "
            "ON CONFLICT (domain) DO NOTHING RETURNING domain"
        )  # in file order, so the first row of a domain is the one that creates it
        self._lookup_sql = f'SELECT id, {names} FROM "{t}" WHERE domain = ANY(%b::text[])'
        self._update_sql = _fill_sql("%s")
        self._event_sql = _event_sql("%s")

    def lookup(self, domains: list[str]) -> dict[str, tuple]:
        cursor = self.db.cursor()
        cursor.execute(self._lookup_sql, (list(domains),))
        return {row[1]: row for row in cursor.fetchall()}

    def insert(self, rows: Iterable[tuple]) -> int:
        columns = [list(c) for c in zip(*rows)]
        self.inserted = set()
        if not columns:
            return 0
        cursor = self.db.cursor()
        cursor.execute(self._insert_sql, (self.now, self.now, *columns))
        self.inserted.update(d for (d,) in cursor.fetchall())
        return len(self.inserted)

    def update(self, rows: list[tuple]) -> None:
        self.db.cursor().executemany(self._update_sql, rows)

    def events(self, rows: list[tuple]) -> None:
        self.db.cursor().executemany(self._event_sql, rows)
