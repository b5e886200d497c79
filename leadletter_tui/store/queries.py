"""Translate domain filters and sorts into Peewee expressions; rows into domain objects."""

from __future__ import annotations

import operator
from functools import reduce

from peewee import SQL, Database, Expression, NodeList, PostgresqlDatabase, SqliteDatabase

from ..domain.conditions import TEXT_COLUMNS, Condition, Op, text_for
from ..domain.filters import ContactFilter, Sort, SortKey
from .models import Contact
from .rows import ROW_COLUMNS, _dt, _sentiment, _status, to_row  # noqa: F401  (re-exported)
from .sqlite import domain_index

ROW_FIELDS = tuple(getattr(Contact, name) for name in ROW_COLUMNS)

_SORT_COLUMNS = {
    SortKey.CREATED: Contact.created_at,
    SortKey.LAST_SENT: Contact.last_sent_at,
    SortKey.BUSINESS: Contact.business_name,
    SortKey.DOMAIN: Contact.domain,
    SortKey.STATUS: Contact.status,
    SortKey.FOLLOW_UPS: Contact.follow_ups,
}


def like_pattern(text: str, *, wildcards: bool) -> str:
    """Substring LIKE pattern with %, _ and \\ escaped; `*` becomes % when allowed."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    if wildcards:
        escaped = escaped.replace("*", "%")
    return f"%{escaped}%"


def _like(db: Database, field, pattern: str) -> NodeList:
    op = "ILIKE" if isinstance(db, PostgresqlDatabase) else "LIKE"
    return NodeList((field, SQL(op), pattern, SQL("ESCAPE '\\'")))


def _clause(db: Database, c: Condition):
    """One condition as a Peewee expression (the generic translation of domain conditions)."""
    if c.op is Op.TEXT:
        return reduce(operator.or_, (
            _like(db, getattr(Contact, n), like_pattern(text_for(n, c.value), wildcards=False))
            for n in TEXT_COLUMNS))
    column = getattr(Contact, c.column)
    op = c.op
    if op is Op.EQ:
        return column == c.value
    if op is Op.IN:
        return column.in_(list(c.value))
    if op is Op.GE:
        return column >= c.value
    if op is Op.LT:
        return column < c.value
    if op is Op.LE:
        return column <= c.value
    if op is Op.IS_NULL:
        return column.is_null()
    if op is Op.NULL_OR_LT:
        return column.is_null() | (column < c.value)
    if op is Op.IS_FALSE:
        return column == False  # noqa: E712 - SQL expression
    if op is Op.CONTAINS:
        return _like(db, column, like_pattern(c.value, wildcards=True))
    raise ValueError(f"no SQL for operator {op!r}")


def where_clauses(db: Database, flt: ContactFilter) -> list:
    """Every condition of the filter (AND-ed by the caller). A domain pattern is first
    narrowed to candidate id blocks by the domain index (SQLite), then matched exactly."""
    out: list = []
    for c in flt.conditions:
        if c.column == "domain" and c.op is Op.CONTAINS:
            ranges = domain_index.candidate_ranges(db, c.value)
            if ranges is not None:
                out.append(reduce(operator.or_, (Contact.id.between(lo, hi) for lo, hi in ranges)))
        out.append(_clause(db, c))
    return out


def combine(clauses: list) -> Expression | None:
    return reduce(operator.and_, clauses) if clauses else None


def order_by(sort: Sort, db: Database | None = None, *, reverse: bool = False) -> list:
    """ORDER BY for a sort, with id as the tie-breaker so positions are stable.

    An empty value (never sent) sorts as the smallest, as SQLite does by itself: first going
    up, last going down. PostgreSQL puts NULLs the other way, so there it is spelled out."""
    desc = sort.descending != reverse
    column = _SORT_COLUMNS[sort.key]
    if sort.key is SortKey.CREATED:  # ids grow with creation time: one index, no tie-break
        return [Contact.id.desc() if desc else Contact.id.asc()]
    nulls = None
    if column.null and db is not None and not isinstance(db, SqliteDatabase):
        nulls = "LAST" if desc else "FIRST"
    if desc:
        return [column.desc(nulls=nulls), Contact.id.desc()]
    return [column.asc(nulls=nulls), Contact.id.asc()]


def stored_datetime(db: Database, when):
    """A date-time as a raw statement's parameter, the way the models store it: ISO text
    with a space on SQLite, a timestamp on PostgreSQL."""
    return when if isinstance(db, PostgresqlDatabase) else when.strftime("%Y-%m-%d %H:%M:%S")


def bumped(updates: dict) -> dict:
    """`updates` for a Contact.update that also bumps the row's version: every write to a
    contact goes through here (or says `version = version + 1` in its SQL), so the version
    a user saw proves the row is unchanged since."""
    updates[Contact.version] = Contact.version + 1
    return updates
