"""Analytics queries (SQLite and PostgreSQL): every figure is aggregated by the database; the
rules that give the figures a meaning are in domain/analytics.py.

Costs on the 1M-contact demo database (SQLite, warm cache):
- counts per status: the counters table (sqlite/counters.py), a lookup;
- ever sent: COUNT over the last_sent_at index (~60 ms); ever replied: the reply table's
  contact index plus the status index probed against it (~150 ms);
- sentiment: one pass over contact (~0.4 s); weekly sends and replies: one pass over message
  and reply; replies by follow-up number: each contact's first reply, its messages found
  through the message contact index (~1.3 s); outcome groups: first sent messages (an
  earlier one looked for through the message contact index, ~25% of the query) joined to
  their contacts, grouped (~4 s). The screen runs these in a worker, after the cheap ones.
- the activity feed: events newest first from the `at` index, by position (`FeedWindow`).
"""

from __future__ import annotations

import threading
from array import array
from datetime import datetime

from peewee import Database, PostgresqlDatabase

from ..domain.analytics import FeedRow, OutcomeGroup, Week
from ..domain.model import MessageKind, Status
from .paging import PositionalRows
from .queries import _dt, stored_datetime
from .sqlite import counters

_REPLIED = (Status.REPLIED.value, Status.WON.value)


class AnalyticsQueries:
    """Read-only aggregates over one database. Thread-safe (one connection per thread)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.p = db.param  # "?" or "%s"

    def _all(self, sql: str, params=()) -> list[tuple]:
        return list(self.db.execute_sql(sql, params).fetchall())

    def _one(self, sql: str, params=()) -> int:
        row = self.db.execute_sql(sql, params).fetchone()
        return int(row[0] or 0) if row else 0

    # --- the quick figures ----------------------------------------------------------------
    def status_counts(self) -> dict[str, int]:
        fast = counters.counts(self.db)
        if fast is not None:
            return fast
        return {s: int(n) for s, n in self._all('SELECT status, COUNT(*) FROM "contact" GROUP BY status')}

    def ever_sent(self) -> int:
        """Contacts with a send stamped (the last_sent_at index)."""
        return self._one('SELECT COUNT(*) FROM "contact" WHERE last_sent_at IS NOT NULL')

    def ever_replied(self) -> int:
        """Contacts with a recorded reply, plus those in replied or won without one."""
        p = self.p
        with_reply = self._one('SELECT COUNT(DISTINCT contact_id) FROM "reply"')
        marked = self._one(
            f'SELECT COUNT(*) FROM "contact" c WHERE c.status IN ({p}, {p}) AND NOT EXISTS '
            f'(SELECT 1 FROM "reply" r WHERE r.contact_id = c.id)', _REPLIED)
        return with_reply + marked

    # --- the heavy ones -------------------------------------------------------------------
    def sentiments(self) -> dict[str, int]:
        """Contacts by the label of their latest reply (`contact.sentiment`)."""
        return {s: int(n) for s, n in self._all(
            'SELECT sentiment, COUNT(*) FROM "contact" WHERE sentiment IS NOT NULL GROUP BY sentiment')}

    def replies_by_messages_sent(self) -> dict[int, int]:
        """Each contact's first reply, by how many of its messages were sent before it."""
        sql = (
            'SELECT n, COUNT(*) FROM (SELECT (SELECT COUNT(*) FROM "message" m '
            'WHERE m.contact_id = r.contact_id AND m.sent_at IS NOT NULL '
            'AND m.sent_at <= r.received_at) AS n FROM "reply" r '
            'WHERE r.id = (SELECT MIN(r2.id) FROM "reply" r2 WHERE r2.contact_id = r.contact_id)'
            ') firsts GROUP BY n')
        return {int(n): int(c) for n, c in self._all(sql)}

    def _week_expr(self, column: str) -> str:
        p = self.p
        if isinstance(self.db, PostgresqlDatabase):
            return f"FLOOR(EXTRACT(EPOCH FROM ({column} - {p})) / 604800)::int"
        return f"CAST((julianday({column}) - julianday({p})) / 7 AS INTEGER)"

    def weekly(self, weeks: list[Week]) -> tuple[dict[int, int], dict[int, int]]:
        """Sends (messages by sent_at) and replies (by received_at) per week index."""
        if not weeks:
            return {}, {}
        start, end = stored_datetime(self.db, weeks[0].start), stored_datetime(self.db, weeks[-1].end)
        out = []
        for table, column in (("message", "sent_at"), ("reply", "received_at")):
            sql = (f'SELECT {self._week_expr(column)} AS w, COUNT(*) FROM "{table}" '
                   f'WHERE {column} >= {self.p} AND {column} < {self.p} GROUP BY w')
            out.append({int(w): int(n) for w, n in self._all(sql, (start, start, end))})
        return out[0], out[1]

    def outcome_groups(self, window_cutoff: datetime) -> list[OutcomeGroup]:
        """The outcome of each contact's first message, grouped: the one definition the
        performance tables and the angle learner (analytics and generation) are built from.

        A contact's first message is its earliest initial message that was sent (drafts
        never sent, e.g. regenerated ones, have reached nobody); its category is the
        message's, else the contact's. The outcome: the contact's status and latest
        sentiment, whether it has a real reply (`last_reply_at`: an out-of-office note
        taken back is not one), and whether that first send is at or before the cutoff
        (its follow-up window has passed; later follow-ups do not move it)."""
        p = self.p
        sql = (
            "SELECT COALESCE(NULLIF(m.category, ''), c.category) AS cat, m.angle, m.framework, "
            'c.status, c.sentiment, (c.last_reply_at IS NOT NULL) AS has_reply, '
            f'(m.sent_at <= {p}) AS passed, COUNT(*) '
            'FROM "message" m JOIN "contact" c ON c.id = m.contact_id '
            f"WHERE m.kind = {p} AND m.sent_at IS NOT NULL AND NOT EXISTS ("
            '  SELECT 1 FROM "message" e WHERE e.contact_id = m.contact_id AND e.id < m.id '
            f"  AND e.kind = {p} AND e.sent_at IS NOT NULL) "
            'GROUP BY cat, m.angle, m.framework, c.status, c.sentiment, has_reply, passed')
        initial = MessageKind.INITIAL.value
        rows = self._all(sql, (stored_datetime(self.db, window_cutoff), initial, initial))
        return [OutcomeGroup(cat or "", angle or "", fw or "", status, sentiment, bool(has),
                             bool(passed), int(n))
                for cat, angle, fw, status, sentiment, has, passed, n in rows]

    # --- the activity feed ----------------------------------------------------------------
    def feed(self, kind: str | None = None) -> FeedWindow:
        return FeedWindow(self.db, kind)


_FEED_COLUMNS = ('e.id, e.at, e.kind, e.from_status, e.to_status, e.detail, c.domain, '
                 'c.business_name, e.actor, c.version')


class FeedWindow(PositionalRows):
    """Events newest first (`at` desc, id desc), by position, optionally of one kind.

    Like the contact window (window.py): the top and the bottom pages are LIMIT/OFFSET
    queries in the order or in reverse along the `at` index; a page deeper than `EDGE` from
    both ends reads a snapshot of the matching ids in order (built once, in a worker)."""

    def __init__(self, db: Database, kind: str | None) -> None:
        self.db = db
        self.kind = kind
        self._total: int | None = None
        self._ids: array | None = None
        self._lock = threading.Lock()

    def _where(self) -> tuple[str, tuple]:
        return (f"WHERE e.kind = {self.db.param}", (self.kind,)) if self.kind else ("", ())

    @property
    def total(self) -> int:
        if self._total is None:
            where, params = self._where()
            row = self.db.execute_sql(f'SELECT COUNT(*) FROM "event" e {where}', params).fetchone()
            self._total = int(row[0])
        return self._total

    @property
    def total_known(self) -> bool:
        return self._total is not None

    def _page(self, offset: int, limit: int, *, reverse: bool = False) -> list[FeedRow]:
        where, params = self._where()
        order = "ASC" if reverse else "DESC"
        p = self.db.param
        sql = (f'SELECT {_FEED_COLUMNS} FROM "event" e JOIN "contact" c ON c.id = e.contact_id '
               f"{where} ORDER BY e.at {order}, e.id {order} LIMIT {p} OFFSET {p}")
        return [_feed_row(t) for t in self.db.execute_sql(sql, (*params, limit, offset)).fetchall()]

    def snapshot(self) -> array:
        with self._lock:
            if self._ids is None:
                where, params = self._where()
                cursor = self.db.execute_sql(
                    f'SELECT e.id FROM "event" e {where} ORDER BY e.at DESC, e.id DESC', params)
                ids = array("q")
                while batch := cursor.fetchmany(10_000):
                    ids.extend(r[0] for r in batch)
                self._ids = ids
                self._total = len(ids)
            return self._ids

    def _by_ids(self, ids) -> list[FeedRow]:
        wanted = list(ids)
        if not wanted:
            return []
        marks = ", ".join([self.db.param] * len(wanted))
        sql = (f'SELECT {_FEED_COLUMNS} FROM "event" e JOIN "contact" c ON c.id = e.contact_id '
               f"WHERE e.id IN ({marks})")
        found = {t[0]: _feed_row(t) for t in self.db.execute_sql(sql, wanted).fetchall()}
        return [found[i] for i in wanted if i in found]


def _feed_row(t: tuple) -> FeedRow:
    return FeedRow(id=int(t[0]), at=_dt(t[1]), kind=t[2] or "", from_status=t[3],
                   to_status=t[4], detail=t[5] or "", domain=t[6] or "", business_name=t[7] or "",
                   actor=t[8] or "", version=int(t[9] or 0))
