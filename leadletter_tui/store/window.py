"""Contacts of a filter + sort by position, for the virtual table: fast at any depth by
store/paging.py's rule (edges by LIMIT/OFFSET, the middle from a snapshot of ids, taken
lazily, so opening a window costs one COUNT and one page)."""

from __future__ import annotations

import sqlite3
import threading
from array import array

from peewee import SQL, Database, SqliteDatabase, fn

from ..domain.filters import ContactFilter, Sort
from ..domain.model import ContactRow
from .models import Contact
from .paging import PositionalRows
from .queries import ROW_FIELDS, combine, order_by, to_row, where_clauses
from .sqlite import counters


class ContactWindow(PositionalRows):
    """A stable view of one filter + sort. Thread-safe; each call is one short query."""

    def __init__(self, db: Database, flt: ContactFilter, sort: Sort) -> None:
        self.db = db
        self.filter = flt
        self.sort = sort
        self._where = combine(where_clauses(db, flt))
        self._total: int | None = None
        self._ids: array | None = None
        self._lock = threading.Lock()
        self._cancelled = False
        self._count_conn: sqlite3.Connection | None = None

    def _select(self, *fields):
        q = Contact.select(*fields)
        return q.where(self._where) if self._where is not None else q

    @property
    def total(self) -> int:
        """How many rows match (a lookup for status-only filters, else one COUNT)."""
        if self._total is None:
            fast = counters.fast_count(self.db, self.filter)
            self._total = fast if fast is not None else self._select().count(self.db)
        return self._total

    def count_cancellable(self) -> int | None:
        """`total`, but on a private connection that `cancel()` (any thread) can abort:
        a stale count must not keep a worker thread busy. None when cancelled."""
        fast = counters.fast_count(self.db, self.filter)
        if fast is not None or not isinstance(self.db, SqliteDatabase):
            return self.total
        sql, params = self.db.get_sql_context().sql(self._select(fn.COUNT(SQL("*")))).query()
        conn = sqlite3.connect(self.db.database, timeout=5,
                               check_same_thread=False)
        with self._lock:
            if self._cancelled:
                conn.close()
                return None
            self._count_conn = conn
        try:
            total = conn.execute(sql, params).fetchone()[0]
        except sqlite3.OperationalError:
            if self._cancelled:
                return None
            raise
        finally:
            with self._lock:
                self._count_conn = None
            conn.close()
        self._total = total
        return total

    def cancel(self) -> None:
        """Abort a running `count_cancellable` (safe from any thread)."""
        with self._lock:
            self._cancelled = True
            if self._count_conn is not None:
                self._count_conn.interrupt()

    @property
    def total_known(self) -> bool:
        return self._total is not None

    @property
    def has_snapshot(self) -> bool:
        return self._ids is not None

    def snapshot(self) -> array:
        """All matching ids in order (built once)."""
        with self._lock:
            if self._ids is None:
                ids = array("q")
                cursor = self.db.execute(self._select(Contact.id).order_by(*order_by(self.sort, self.db)))
                while batch := cursor.fetchmany(10_000):
                    ids.extend(r[0] for r in batch)
                self._ids = ids
                self._total = len(ids)
            return self._ids

    def _page(self, offset: int, limit: int, *, reverse: bool = False) -> list[ContactRow]:
        q = self._select(*ROW_FIELDS).order_by(*order_by(self.sort, self.db, reverse=reverse))
        return [to_row(t) for t in self._raw(q.offset(offset).limit(limit))]

    def _raw(self, query) -> list[tuple]:
        """Rows as the driver returns them: `to_row` parses the ISO date-times itself,
        about ten times faster than Peewee's format-guessing conversion."""
        return self.db.execute(query).fetchall()

    def _by_ids(self, ids) -> list[ContactRow]:
        wanted = list(ids)
        if not wanted:
            return []
        found = {
            t[0]: to_row(t)
            for t in self._raw(Contact.select(*ROW_FIELDS).where(Contact.id.in_(wanted)))
        }
        return [found[i] for i in wanted if i in found]
