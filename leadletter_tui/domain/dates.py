"""Dates for filters and display.

All times are naive local time. Every rule takes the current time as an argument (``now``), so
tests and the CLI decide what "today" is; nothing here reads the clock. Ranges are half-open,
``[start, end)``: "last week" is Monday 00:00 up to, not including, the following Monday
00:00, which is DESIGN.md's "Monday 00:00 to Sunday 24:00".
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, timezone

from leadletter_tui.domain.text import quote_input

PRESETS: tuple[str, ...] = (
    "today",
    "yesterday",
    "this-week",
    "last-week",
    "last-7-days",
    "last-30-days",
)

_DAY = timedelta(days=1)
# The dates LeadLetter works with: 1970-01-01 up to, not including, 2101-01-01. Anything
# outside is a typo (0001, 9999) and would overflow the arithmetic of ranges and presets.
EARLIEST = datetime(1970, 1, 1)
END_OF_RANGE = datetime(2101, 1, 1)
SUPPORTED = "1970-01-01 to 2100-12-31"
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

_WHEN_RE = re.compile(
    r"(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})"
    r"(?:[Tt ](?P<h>\d{2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:[.,]\d+)?)?"
    r"(?P<tz>[Zz]|[+-]\d{2}:?\d{2})?)?",
    re.ASCII,
)


def _naive_local(dt: datetime) -> datetime:
    """An aware datetime converted to naive local time; a naive one unchanged."""
    if dt.tzinfo is None:
        return dt
    return dt.astimezone().replace(tzinfo=None)


def check_supported(dt: datetime, what: str = "date") -> datetime:
    """``dt`` itself if it lies in the supported range (1970 to 2100), else ValueError.

    The one check every parsed date goes through (CLI options, filters, saved views, the
    LEADLETTER_NOW setting)."""
    if not EARLIEST <= dt < END_OF_RANGE:
        raise ValueError(f"{what} {dt.date().isoformat()} is out of range (use {SUPPORTED})")
    return dt


def preset_range(name: str, now: datetime) -> tuple[datetime, datetime]:
    """The half-open ``[start, end)`` range of a date preset, relative to ``now``.

    Weeks start on Monday. ``last-7-days`` and ``last-30-days`` are that many calendar days,
    today included. A ``now`` outside 1970-2100 (a broken clock or LEADLETTER_NOW) is a
    ValueError.
    """
    key = name.strip().lower().replace("_", "-")
    today = datetime.combine(_naive_local(now).date(), time())
    check_supported(today, "the current date")
    tomorrow = today + _DAY
    monday = today - timedelta(days=today.weekday())
    if key == "today":
        return today, tomorrow
    if key == "yesterday":
        return today - _DAY, today
    if key == "this-week":
        return monday, monday + timedelta(days=7)
    if key == "last-week":
        return monday - timedelta(days=7), monday
    if key == "last-7-days":
        return today - timedelta(days=6), tomorrow
    if key == "last-30-days":
        return today - timedelta(days=29), tomorrow
    raise ValueError(f"unknown date preset {quote_input(name, 40)} (choose from {', '.join(PRESETS)})")


def _not_a_date(text: object) -> ValueError:
    return ValueError(f"not a date: {quote_input(text, 60)} (use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS)")


def _parse(text: str) -> tuple[datetime, bool]:
    """Parse ``text``; also say whether it carried a time of day."""
    if not isinstance(text, str):
        raise _not_a_date(text)
    m = _WHEN_RE.fullmatch(text.strip())
    if m is None:
        raise _not_a_date(text)
    has_time = m["h"] is not None
    if int(m["y"]) and not EARLIEST.year <= int(m["y"]) < END_OF_RANGE.year:  # 0000: not a date
        raise ValueError(f"date {quote_input(text, 60)} is out of range (use {SUPPORTED})")
    try:
        dt = datetime(
            int(m["y"]),
            int(m["mo"]),
            int(m["d"]),
            int(m["h"] or 0),
            int(m["mi"] or 0),
            int(m["s"] or 0),
        )
        tz = m["tz"]
        if tz:
            if tz not in ("Z", "z"):
                sign = -1 if tz[0] == "-" else 1
                digits = tz[1:].replace(":", "")
                hours, minutes = int(digits[:2]), int(digits[2:])
                if minutes > 59:
                    raise ValueError("offset minutes out of range")
                zone = timezone(sign * timedelta(hours=hours, minutes=minutes))
            else:
                zone = UTC
            dt = dt.replace(tzinfo=zone).astimezone().replace(tzinfo=None)
    except (ValueError, OverflowError):
        raise _not_a_date(text) from None
    return check_supported(dt), has_time


def parse_when(text: str) -> datetime:
    """Parse an ISO 8601 date or date-time into naive local time.

    Accepts ``YYYY-MM-DD``, ``YYYY-MM-DDTHH:MM`` and ``YYYY-MM-DDTHH:MM:SS`` (a space instead of
    ``T`` works too). Fractional seconds are dropped; a trailing ``Z`` or UTC offset is
    converted to local time. Raises ValueError with a message quoting the input, also for
    a date outside 1970-01-01 to 2100-12-31.
    """
    return _parse(text)[0]


def range_from_bounds(
    sent_from: str | None, sent_to: str | None
) -> tuple[datetime | None, datetime | None]:
    """Turn ``--sent-from`` / ``--sent-to`` texts into a half-open ``[start, end)`` range.

    A bare end date includes that whole day (the bound is the next day 00:00); an end with a
    time includes that second (the bound is one second later). Empty or missing = open.
    """
    start = parse_when(sent_from) if sent_from and sent_from.strip() else None
    end = None
    if sent_to and sent_to.strip():
        to, has_time = _parse(sent_to)
        end = to + timedelta(seconds=1) if has_time else to + _DAY
    if start is not None and end is not None and start >= end:
        raise ValueError(f"the start date ({sent_from}) is after the end date ({sent_to})")
    return start, end


def format_iso(dt: datetime | None) -> str | None:
    """``YYYY-MM-DDTHH:MM:SS`` in local time (no microseconds, no offset); None stays None."""
    if dt is None:
        return None
    if not isinstance(dt, datetime):  # a plain date means its midnight
        dt = datetime.combine(dt, time())
    return _naive_local(dt).replace(microsecond=0).isoformat(timespec="seconds")


def _short_date(d: date, now: datetime) -> str:
    month_day = f"{_MONTHS[d.month - 1]} {d.day}"
    return month_day if d.year == now.year else f"{month_day} {d.year}"


def relative(dt: datetime | None, now: datetime) -> str:
    """A compact age for tables: "just now", "5m ago", "3h ago", "4d ago", "3w ago", "Mar 4".

    Future times read "in 5m", "in 2d", ...; from 60 days on the date is shown instead
    ("Mar 4" this year, "Mar 4 2025" otherwise). ``None`` is "—".
    """
    if dt is None:
        return "—"
    dt, now = _naive_local(dt), _naive_local(now)
    seconds = int((now - dt).total_seconds())
    future = seconds < 0
    seconds = abs(seconds)
    if seconds < 60:
        return "just now"
    days = seconds // 86400
    if seconds < 3600:
        amount = f"{seconds // 60}m"
    elif seconds < 86400:
        amount = f"{seconds // 3600}h"
    elif days < 14:
        amount = f"{days}d"
    elif days < 60:
        amount = f"{days // 7}w"
    else:
        return _short_date(dt.date(), now)
    return f"in {amount}" if future else f"{amount} ago"
