"""Finding the stated return date in an out-of-office note (pure, multilingual).

Dates are read from accent-folded lower-case text in these shapes: ISO (2026-12-09), numeric
with slashes (3/12, 12/07/2026) or dots (5.1., 14.12.2026), a day and a month name in
English, German, French, Spanish, Dutch or Portuguese (7 December, 30. November, 3 de
diciembre, December 7th, Nov 30 2026), a weekday with a day of the month ("Monday 14th"), a
bare weekday ("back on Monday") and "tomorrow".

Rules the caller can rely on:
- a date without a year is the nearest such date that is not more than a week before
  ``today`` (so "until 4 January" written in December means next year);
- slash dates that read both ways (3/12) take whichever reading comes first on or after
  ``today`` (an absence is more likely short); dotted dates are always day.month;
- among the dates found, those right after a return cue ("until", "back", "bis", "jusqu'au",
  "hasta", "tot", "até", ...) win, the latest of them; without a cue, the latest date;
- dates more than 400 days away are ignored (a phone number or an order number, not a date).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta

_MONTHS: dict[str, int] = {}
for _num, _names in enumerate(
    (
        "january jan januar janner janvier enero januari janeiro",
        "february feb februar fevrier fev febrero februari fevereiro",
        "march mar marz maerz mrz mars marzo maart marco",
        "april apr avril abril",
        "may mai mayo mei maio",
        "june jun juni juin junio junho",
        "july jul juli juillet julio julho",
        "august aug aout agosto augustus",
        "september sep sept septembre septiembre setiembre setembro",
        "october oct oktober okt octobre octubre outubro",
        "november nov novembre noviembre novembro",
        "december dec dezember dez decembre diciembre dic dezembro",
    ),
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _num

_WEEKDAYS: dict[str, int] = {}
for _num, _names in enumerate(
    (
        "monday montag lundi lunes maandag segunda",
        "tuesday tue tues dienstag mardi martes dinsdag terca",
        "wednesday wed mittwoch mercredi miercoles woensdag quarta",
        "thursday thu thur thurs donnerstag jeudi jueves donderdag quinta",
        "friday fri freitag vendredi viernes vrijdag sexta",
        "saturday samstag samedi sabado zaterdag",
        "sunday sonntag dimanche domingo zondag",
    )
):
    for _name in _names.split():
        _WEEKDAYS[_name] = _num


def _alternation(words) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


_M = _alternation(_MONTHS)
_W = _alternation(_WEEKDAYS)
_ORD = r"(?:st|nd|rd|th|er|e|o|a|º|ª)?"

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("iso", re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")),
    ("dot", re.compile(r"\b(\d{1,2})\.(\d{1,2})(?:\.(\d{4}|\d{2})\b|\.)")),
    ("slash", re.compile(r"\b(\d{1,2})/(\d{1,2})(?:/(\d{4}|\d{2}))?\b")),
    (
        "day_month",
        re.compile(
            rf"\b(\d{{1,2}}){_ORD}\.?\s*(?:de\s+|of\s+)?({_M})\b\.?(?:,?\s*(?:de\s+)?(\d{{4}}))?"
        ),
    ),
    ("month_day", re.compile(rf"\b({_M})\.?\s+(\d{{1,2}}){_ORD}\b(?:,?\s*(\d{{4}}))?")),
    ("weekday_day", re.compile(rf"\b({_W})(?:-feira)?,?\s+(?:the\s+)?(\d{{1,2}}){_ORD}\b\.?")),
    ("weekday", re.compile(rf"\b({_W})(?:-feira)?\b")),
    ("tomorrow", re.compile(r"\b(tomorrow|demain|amanha|manana)\b")),
)

_CUE = re.compile(
    r"\b(?:until|till|'?til|through|thru|back|return|returning|returns|reachable|available|"
    r"resume|to|bis|ab|zuruck|wieder|jusqu|jusqu'au|jusqu'a|retour|hasta|regreso|volvere|"
    r"tot|terug|vanaf|ate|retorno|volto|regresso|a partir)\W*(?:\w+\W+){0,3}$"
)

_FOLD = str.maketrans({"ß": "ss", "’": "'"})


def fold(text: str) -> str:
    """Lower-case, strip accents (é -> e, ü -> u) and unify apostrophes."""
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_FOLD))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _year_for(month: int, day: int, today: date) -> date | None:
    for year in (today.year, today.year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate >= today - timedelta(days=7):
            return candidate
    return None


def _full_year(text: str | None) -> int | None:
    if not text:
        return None
    year = int(text)
    return year + 2000 if year < 100 else year


def _make(year: int | None, month: int, day: int, today: date) -> date | None:
    if year is None:
        return _year_for(month, day, today)
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _next_weekday(weekday: int, today: date) -> date:
    ahead = (weekday - today.weekday()) % 7 or 7
    return today + timedelta(days=ahead)


def _weekday_with_day(weekday: int, day: int, today: date) -> date | None:
    """The first day-of-month ``day`` from today on that falls on ``weekday``."""
    first = None
    year, month = today.year, today.month
    for _ in range(13):
        try:
            candidate = date(year, month, day)
        except ValueError:
            candidate = None
        if candidate and candidate >= today:
            first = first or candidate
            if candidate.weekday() == weekday:
                return candidate
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return first


def _slash(a: int, b: int, year: int | None, today: date) -> date | None:
    readings = [d for d in (_make(year, b, a, today), _make(year, a, b, today)) if d]
    future = sorted(d for d in readings if d >= today)
    if future:
        return future[0]
    return max(readings) if readings else None


def _parse(kind: str, m: re.Match[str], today: date) -> date | None:
    g = m.groups()
    if kind == "iso":
        return _make(int(g[0]), int(g[1]), int(g[2]), today)
    if kind == "dot":
        return _make(_full_year(g[2]), int(g[1]), int(g[0]), today)
    if kind == "slash":
        return _slash(int(g[0]), int(g[1]), _full_year(g[2]), today)
    if kind == "day_month":
        return _make(_full_year(g[2]), _MONTHS[g[1]], int(g[0]), today)
    if kind == "month_day":
        return _make(_full_year(g[2]), _MONTHS[g[0]], int(g[1]), today)
    if kind == "weekday_day":
        return _weekday_with_day(_WEEKDAYS[g[0]], int(g[1]), today)
    if kind == "weekday":
        return _next_weekday(_WEEKDAYS[g[0]], today)
    return today + timedelta(days=1)


def find_dates(text: str, today: date) -> list[tuple[int, date, bool]]:
    """Every date in ``text``: (position, date, follows a return cue), in text order.

    A span claimed by an earlier (more specific) pattern is not read again by a later one.
    """
    folded = fold(text)
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, date, bool]] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(folded):
            start, end = m.span()
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            taken.append((start, end))
            parsed = _parse(kind, m, today)
            if parsed is None or abs((parsed - today).days) > 400:
                continue
            before = folded[max(0, start - 40) : start]
            cued = bool(_CUE.search(before))
            # a bare weekday counts only after a real cue: "open Monday to Friday" is no date
            if kind == "weekday" and (not cued or re.search(r"\bto\W*$", before)):
                continue
            found.append((start, parsed, cued))
    found.sort()
    return found


def find_return_date(text: str, today: date) -> date | None:
    """The return date an out-of-office note states, or None (see the module rules)."""
    found = find_dates(text, today)
    if not found:
        return None
    cued = [d for _, d, is_cued in found if is_cued]
    return max(cued) if cued else max(d for _, d, _ in found)
