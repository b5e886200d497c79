"""Translate domain filters and sorts into Peewee expressions; rows into domain objects."""

from __future__ import annotations

import operator
from datetime import datetime
from functools import reduce

from peewee import SQL, Database, Expression, NodeList, PostgresqlDatabase, SqliteDatabase

from ..domain.conditions import TEXT_COLUMNS, Condition, Op
from ..domain.filters import ContactFilter, Sort, SortKey
from ..domain.model import ContactRow, Sentiment, Status
from .models import Contact
from .sqlite import domain_index

ROW_FIELDS = (
    Contact.id,
    Contact.domain,
    Contact.business_name,
    Contact.contact_name,
    Contact.email,
    Contact.phone,
    Contact.status,
    Contact.last_sent_at,
    Contact.follow_ups,
    Contact.sentiment,
    Contact.do_not_contact,
    Contact.created_at,
    Contact.version,
)

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
        pattern = like_pattern(c.value, wildcards=False)
        return reduce(operator.or_, (_like(db, getattr(Contact, n), pattern) for n in TEXT_COLUMNS))
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


def _status(value: str) -> Status:
    try:
        return Status(value)
    except ValueError:
        return Status.READY


def _sentiment(value: str | None) -> Sentiment | None:
    try:
        return Sentiment(value) if value else None
    except ValueError:
        return None


def _dt(value) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def bumped(updates: dict) -> dict:
    """`updates` for a Contact.update that also bumps the row's version: every write to a
    contact goes through here (or says `version = version + 1` in its SQL), so the version
    a user saw proves the row is unchanged since."""
    updates[Contact.version] = Contact.version + 1
    return updates


def to_row(t: tuple) -> ContactRow:
    """A tuple selected with ROW_FIELDS → ContactRow."""
    return ContactRow(
        id=t[0],
        domain=t[1],
        business_name=t[2] or "",
        contact_name=t[3] or "",
        email=t[4] or "",
        phone=t[5] or "",
        status=_status(t[6]),
        last_sent_at=_dt(t[7]),
        follow_ups=int(t[8] or 0),
        sentiment=_sentiment(t[9]),
        do_not_contact=bool(t[10]),
        created_at=_dt(t[11]),
        version=int(t[12] or 0) if len(t) > 12 else 0,
    )
