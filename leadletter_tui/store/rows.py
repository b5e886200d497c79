"""Stored values → domain values, without Peewee: shared by the queries (queries.py) and
the first screen read before Peewee is loaded (quick.py)."""

from __future__ import annotations

from datetime import datetime

from ..domain.model import ContactRow, Sentiment, Status

ROW_COLUMNS = ("id", "domain", "business_name", "contact_name", "email", "phone", "status",
               "last_sent_at", "follow_ups", "sentiment", "do_not_contact", "created_at",
               "version")
"""The contact columns a table row is read from, in `to_row`'s order."""


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


def to_row(t: tuple) -> ContactRow:
    """A tuple of ROW_COLUMNS → ContactRow."""
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
