"""Date presets, parsing, bounds and display, always against an injected ``now``."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest

from leadletter_tui.domain.dates import (
    PRESETS,
    format_iso,
    parse_when,
    preset_range,
    range_from_bounds,
    relative,
)


def dt(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.fixture
def berlin_tz(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time = Central European Time (POSIX rule, no tzdata needed)."""
    monkeypatch.setenv("TZ", "CET-1CEST,M3.5.0,M10.5.0/3")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_presets_tuple() -> None:
    assert PRESETS == (
        "today", "yesterday", "this-week", "last-week", "last-7-days", "last-30-days"
    )


MONDAY_MIDNIGHT = "2026-03-02T00:00:00"
SUNDAY_LATE = "2026-03-08T23:59:59"
NEW_YEAR_FRIDAY = "2027-01-01T09:30:00"
LEAP_THURSDAY = "2024-02-29T12:00:00"

PRESET_CASES = [
    # now = Monday 00:00: this week starts right now, last week is the one that just ended
    (MONDAY_MIDNIGHT, "today", "2026-03-02", "2026-03-03"),
    (MONDAY_MIDNIGHT, "yesterday", "2026-03-01", "2026-03-02"),
    (MONDAY_MIDNIGHT, "this-week", "2026-03-02", "2026-03-09"),
    (MONDAY_MIDNIGHT, "last-week", "2026-02-23", "2026-03-02"),
    (MONDAY_MIDNIGHT, "last-7-days", "2026-02-24", "2026-03-03"),
    (MONDAY_MIDNIGHT, "last-30-days", "2026-02-01", "2026-03-03"),  # Feb has 28 days
    # now = Sunday 23:59:59: still the same week as the Monday above
    (SUNDAY_LATE, "today", "2026-03-08", "2026-03-09"),
    (SUNDAY_LATE, "yesterday", "2026-03-07", "2026-03-08"),
    (SUNDAY_LATE, "this-week", "2026-03-02", "2026-03-09"),
    (SUNDAY_LATE, "last-week", "2026-02-23", "2026-03-02"),
    (SUNDAY_LATE, "last-7-days", "2026-03-02", "2026-03-09"),
    # year boundary: 2027-01-01 is a Friday
    (NEW_YEAR_FRIDAY, "today", "2027-01-01", "2027-01-02"),
    (NEW_YEAR_FRIDAY, "yesterday", "2026-12-31", "2027-01-01"),
    (NEW_YEAR_FRIDAY, "this-week", "2026-12-28", "2027-01-04"),
    (NEW_YEAR_FRIDAY, "last-week", "2026-12-21", "2026-12-28"),
    (NEW_YEAR_FRIDAY, "last-7-days", "2026-12-26", "2027-01-02"),
    (NEW_YEAR_FRIDAY, "last-30-days", "2026-12-03", "2027-01-02"),
    # leap day
    (LEAP_THURSDAY, "yesterday", "2024-02-28", "2024-02-29"),
    (LEAP_THURSDAY, "today", "2024-02-29", "2024-03-01"),
    (LEAP_THURSDAY, "last-week", "2024-02-19", "2024-02-26"),
    (LEAP_THURSDAY, "last-30-days", "2024-01-31", "2024-03-01"),
]


@pytest.mark.parametrize(("now", "name", "start", "end"), PRESET_CASES)
def test_preset_range(now: str, name: str, start: str, end: str) -> None:
    assert preset_range(name, dt(now)) == (dt(start), dt(end))


@pytest.mark.parametrize("now", [MONDAY_MIDNIGHT, SUNDAY_LATE, NEW_YEAR_FRIDAY, LEAP_THURSDAY])
@pytest.mark.parametrize("name", PRESETS)
def test_preset_shape(now: str, name: str) -> None:
    """Midnight-aligned, half-open, containing now (except the past-only presets)."""
    start, end = preset_range(name, dt(now))
    assert start < end
    assert start.time() == end.time() == datetime.min.time()
    if name in ("yesterday", "last-week"):
        assert end <= dt(now)
    else:
        assert start <= dt(now) < end
    if "week" in name:
        assert start.weekday() == 0 and end - start == timedelta(days=7)
    if name.startswith("last-") and name.endswith("-days"):
        assert (end - start).days == int(name.split("-")[1])


def test_preset_names_are_forgiving_about_case_and_underscores() -> None:
    now = dt(NEW_YEAR_FRIDAY)
    assert preset_range(" Last_Week ", now) == preset_range("last-week", now)


@pytest.mark.parametrize("bad", ["lastweek", "", "tomorrow", "last-8-days"])
def test_unknown_preset(bad: str) -> None:
    with pytest.raises(ValueError) as err:
        preset_range(bad, dt(MONDAY_MIDNIGHT))
    assert str(err.value) == (
        f"unknown date preset '{bad}' (choose from today, yesterday, this-week, "
        "last-week, last-7-days, last-30-days)"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-04", "2026-03-04T00:00:00"),
        ("  2026-03-04  ", "2026-03-04T00:00:00"),
        ("2026-03-04T10:15", "2026-03-04T10:15:00"),
        ("2026-03-04T10:15:30", "2026-03-04T10:15:30"),
        ("2026-03-04 10:15:30", "2026-03-04T10:15:30"),
        ("2026-03-04 10:15", "2026-03-04T10:15:00"),
        ("2026-03-04t10:15:30", "2026-03-04T10:15:30"),
        ("2026-03-04T10:15:30.999999", "2026-03-04T10:15:30"),
        ("2026-03-04T10:15:30,5", "2026-03-04T10:15:30"),
        ("2024-02-29", "2024-02-29T00:00:00"),
        ("2026-12-31T23:59:59", "2026-12-31T23:59:59"),
    ],
)
def test_parse_when(text: str, expected: str) -> None:
    parsed = parse_when(text)
    assert parsed == dt(expected)
    assert parsed.tzinfo is None and parsed.microsecond == 0


@pytest.mark.parametrize(
    ("text", "utc"),
    [
        ("2026-07-01T12:00:00Z", datetime(2026, 7, 1, 12, 0)),
        ("2026-07-01T12:00:00+02:00", datetime(2026, 7, 1, 10, 0)),
        ("2026-07-01T12:00-0530", datetime(2026, 7, 1, 17, 30)),
        ("2026-07-01 12:00:00.5z", datetime(2026, 7, 1, 12, 0)),
    ],
)
def test_parse_when_with_offset_is_naive_local(text: str, utc: datetime) -> None:
    expected = utc.replace(tzinfo=UTC).astimezone().replace(tzinfo=None)
    assert parse_when(text) == expected


@pytest.mark.usefixtures("berlin_tz")
def test_parse_when_converts_to_the_local_zone() -> None:
    assert parse_when("2026-07-01T12:00:00Z") == datetime(2026, 7, 1, 14, 0)  # CEST
    assert parse_when("2026-01-15T12:00:00Z") == datetime(2026, 1, 15, 13, 0)  # CET
    assert parse_when("2026-01-15T12:00:00+01:00") == datetime(2026, 1, 15, 12, 0)
    assert parse_when("2026-01-15T12:00:00") == datetime(2026, 1, 15, 12, 0)  # naive: as is


@pytest.mark.parametrize(
    "text",
    [
        "2026-13-01",
        "2026-02-30",
        "2025-02-29",
        "2026-03-04T24:00",
        "2026-03-04T10:60",
        "2026-03-04T10:15:61",
        "2026-3-4",
        "26-03-04",
        "04.03.2026",
        "2026/03/04",
        "yesterday",
        "",
        "2026-03-04Z",
        "2026-03-04T10:15+25:00",
        "2026-03-04T10:15+02:75",
        "2026-03-04T10",
        "２０２６-03-04",  # full-width digits
        "0000-01-01",
    ],
)
def test_parse_when_rejects(text: str) -> None:
    with pytest.raises(ValueError) as err:
        parse_when(text)
    assert str(err.value) == (
        f"not a date: '{text.strip()}' (use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS)"
    )


def test_parse_error_quotes_sanitized_and_short() -> None:
    with pytest.raises(ValueError) as err:
        parse_when("\x1b[2J" + "9" * 100)
    msg = str(err.value)
    assert "\x1b" not in msg
    quoted = msg[msg.index("'") + 1 : msg.rindex("'")]
    assert len(quoted) <= 60 and quoted.endswith("…")


def test_parse_when_rejects_non_strings() -> None:
    with pytest.raises(ValueError, match="not a date"):
        parse_when(None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("sent_from", "sent_to", "start", "end"),
    [
        (None, None, None, None),
        ("", "  ", None, None),
        ("2026-03-01", None, "2026-03-01T00:00:00", None),
        (None, "2026-03-07", None, "2026-03-08T00:00:00"),  # whole last day included
        ("2026-03-01", "2026-03-07", "2026-03-01T00:00:00", "2026-03-08T00:00:00"),
        ("2026-03-04", "2026-03-04", "2026-03-04T00:00:00", "2026-03-05T00:00:00"),
        ("2026-03-04T09:00", "2026-03-04T17:30:15", "2026-03-04T09:00:00", "2026-03-04T17:30:16"),
        ("2026-03-04T09:00", "2026-03-04T09:00", "2026-03-04T09:00:00", "2026-03-04T09:00:01"),
        (None, "2026-12-31", None, "2027-01-01T00:00:00"),
        (None, "2026-12-31T23:59:59", None, "2027-01-01T00:00:00"),
    ],
)
def test_range_from_bounds(
    sent_from: str | None, sent_to: str | None, start: str | None, end: str | None
) -> None:
    expected = (dt(start) if start else None, dt(end) if end else None)
    assert range_from_bounds(sent_from, sent_to) == expected


@pytest.mark.parametrize(
    ("sent_from", "sent_to"),
    [
        ("2026-03-08", "2026-03-07"),
        ("2026-03-08T00:00:00", "2026-03-07T23:59:59"),
        ("2026-03-04T10:00:01", "2026-03-04T10:00"),
    ],
)
def test_range_from_after_to(sent_from: str, sent_to: str) -> None:
    with pytest.raises(ValueError) as err:
        range_from_bounds(sent_from, sent_to)
    assert str(err.value) == f"the start date ({sent_from}) is after the end date ({sent_to})"


@pytest.mark.parametrize(("sent_from", "sent_to"), [("2026-13-01", None), (None, "next week")])
def test_range_from_bounds_bad_dates(sent_from: str | None, sent_to: str | None) -> None:
    with pytest.raises(ValueError, match="^not a date: '"):
        range_from_bounds(sent_from, sent_to)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        (datetime(2026, 3, 4, 5, 6, 7, 891011), "2026-03-04T05:06:07"),
        (datetime(2026, 3, 4), "2026-03-04T00:00:00"),
        (datetime(999, 1, 2, 3, 4, 5), "0999-01-02T03:04:05"),
        (date(2026, 3, 4), "2026-03-04T00:00:00"),
    ],
)
def test_format_iso(value: datetime | None, expected: str | None) -> None:
    assert format_iso(value) == expected


def test_format_iso_round_trips_with_parse_when() -> None:
    value = datetime(2026, 11, 30, 23, 59, 58, 123)
    assert parse_when(format_iso(value) or "") == value.replace(microsecond=0)


@pytest.mark.usefixtures("berlin_tz")
def test_format_iso_converts_aware_to_local() -> None:
    aware = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
    assert format_iso(aware) == "2026-07-01T14:00:00"


NOW = datetime(2026, 3, 20, 12, 0, 0)


@pytest.mark.parametrize(
    ("delta", "expected"),
    [
        (timedelta(0), "just now"),
        (timedelta(seconds=59), "just now"),
        (timedelta(seconds=-30), "just now"),
        (timedelta(seconds=60), "1m ago"),
        (timedelta(minutes=5, seconds=59), "5m ago"),
        (timedelta(minutes=59, seconds=59), "59m ago"),
        (timedelta(hours=1), "1h ago"),
        (timedelta(hours=3, minutes=40), "3h ago"),
        (timedelta(hours=23, minutes=59), "23h ago"),
        (timedelta(days=1), "1d ago"),
        (timedelta(days=4, hours=5), "4d ago"),
        (timedelta(days=13, hours=23), "13d ago"),
        (timedelta(days=14), "2w ago"),
        (timedelta(days=21), "3w ago"),
        (timedelta(days=59), "8w ago"),
        (timedelta(days=60), "Jan 19"),
        (timedelta(days=400), "Feb 13 2025"),
        (timedelta(minutes=-5), "in 5m"),
        (timedelta(hours=-3), "in 3h"),
        (timedelta(days=-2), "in 2d"),
        (timedelta(days=-21), "in 3w"),
        (timedelta(days=-100), "Jun 28"),
        (timedelta(days=-300), "Jan 14 2027"),
    ],
)
def test_relative(delta: timedelta, expected: str) -> None:
    assert relative(NOW - delta, NOW) == expected


def test_relative_none() -> None:
    assert relative(None, NOW) == "—"
