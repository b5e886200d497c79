"""Reading whole contacts for an export: every stored field of the contact (notes, category,
the imported extra columns, do-not-contact, created/updated), streamed in the view's order
without holding them all in memory."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator

from peewee import Database

from ..domain.filters import ContactFilter, Sort
from ..domain.model import ContactDetail
from .models import Contact
from .queries import ROW_FIELDS, _dt, combine, order_by, to_row, where_clauses

_MORE = (Contact.notes, Contact.category, Contact.extra, Contact.last_reply_at,
         Contact.updated_at, Contact.draft_pending)


FEW = 5_000  # a selection up to this size is looked up by id instead of scanning the filter


def _query(db: Database, flt: ContactFilter, *fields, ids: Collection[int] | None = None):
    q = Contact.select(*fields)
    clauses = where_clauses(db, flt)
    if ids is not None and len(ids) <= FEW:
        clauses.append(Contact.id.in_(sorted(ids)))
    cond = combine(clauses)
    return q.where(cond) if cond is not None else q


def _extra(text: str | None) -> dict[str, str]:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return {str(k): "" if v is None else str(v) for k, v in value.items()} if isinstance(value, dict) else {}


def iter_records(db: Database, flt: ContactFilter, sort: Sort,
                 ids: Collection[int] | None = None) -> Iterator[ContactDetail]:
    """The filter's contacts (only `ids`, if given) in the sort's order, with every field;
    messages, replies and events are not read (an export holds the contacts)."""
    n = len(ROW_FIELDS)
    q = _query(db, flt, *ROW_FIELDS, *_MORE, ids=ids).order_by(*order_by(sort, db))
    cursor = db.execute(q)
    while batch := cursor.fetchmany(1000):
        for t in batch:
            if ids is not None and t[0] not in ids:
                continue
            notes, category, extra, last_reply, updated, draft = t[n:]
            yield ContactDetail(
                row=to_row(t[:n]), notes=notes or "", category=category or "",
                extra=_extra(extra), updated_at=_dt(updated), last_reply_at=_dt(last_reply),
                draft_pending=bool(draft),
            )


def extra_keys(db: Database, flt: ContactFilter, ids: Collection[int] | None = None) -> list[str]:
    """The imported extra column names present in the filter's contacts, in first-seen
    order (CSV export gives each its own column)."""
    q = _query(db, flt, Contact.id, Contact.extra, ids=ids)
    cond = (Contact.extra.is_null(False)) & (Contact.extra != "")
    q = q.where(cond)
    seen: dict[str, None] = {}
    cursor = db.execute(q)
    while batch := cursor.fetchmany(1000):
        for cid, text in batch:
            if ids is not None and cid not in ids:
                continue
            for key in _extra(text):
                seen.setdefault(key, None)
    return list(seen)
