"""One import row → a candidate contact or a rejection with a reason a person understands.

The per-row work of an import (it runs a million times for a big file, so the common path is
kept to a few C-level calls): clean every cell (control characters out, spreadsheet
placeholders like "N/A" to empty), pick the mapped fields, normalise the domain (from the
website, else from a business email), check each field against its length cap, and gather
unknown columns as the extra fields' JSON text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from operator import itemgetter
from typing import NamedTuple

from ..domains import (
    InvalidDomain,
    domain_from_email,
    looks_like_email,
    normalize_domain,
)
from ..model import FIELD_LIMITS, NOTES_LIMIT
from ..text import TextTooLong, sanitize_line, sanitize_text, truncate_line
from . import columns as cols

CELL_KEEP = 1000  # characters of a rejected row's cell kept for display / "save invalid rows"
NO_ADDRESS = "no domain, website or email"

# Values that mean "nothing here" in exported spreadsheets.
_PLACEHOLDERS = frozenset({"-", "--", "n/a", "na", "#n/a", "none", "null", "nil", "?"})
QUOTE_JSON = json.encoder.encode_basestring  # JSON string literal, Unicode kept (C speed)
_ANGLE_EMAIL_RE = re.compile(r"[^<>]*<\s*(?:mailto:)?([^<>\s]+@[^<>\s]+)\s*>")


class Candidate(NamedTuple):
    """A valid row: the normalised domain plus sanitized fields ("" when absent).

    ``extra`` holds the unknown columns as a compact JSON object text ("" when none): that
    is how it is stored, so a new contact needs no encoding step (see :func:`extra_dict`).
    """

    line: int
    domain: str
    business_name: str = ""
    contact_name: str = ""
    email: str = ""
    phone: str = ""
    notes: str = ""
    extra: str = ""


def extra_dict(candidate: Candidate) -> dict[str, str]:
    """A candidate's extra fields as a dict."""
    return json.loads(candidate.extra) if candidate.extra else {}


class Rejected(NamedTuple):
    """An invalid row: where, why, and its cells (sanitized, for display and re-export)."""

    line: int
    reason: str
    cells: tuple[str, ...] = ()


class _RowError(Exception):
    pass


# The shapes most rows have (plain ASCII host, optional http(s) scheme, "www." and path) in
# one match. A label is what normalize_domain's own pattern accepts; "www." is dropped only
# when the rest of the host still has a dot (as normalize_domain does). Anything else (port,
# userinfo, trailing dot, IDN, odd characters) goes through normalize_domain, and a test
# checks both give the same answer.
FAST_HOST_RE = re.compile(
    r"(?:https?://)?(?:www\.(?=[a-z0-9-]+\.))?"
    r"((?:(?!-)[a-z0-9-]{1,63}(?<!-)\.)+[a-z](?:[a-z0-9-]{0,62}(?<!-))?)"
    r"(?:[/?#].*)?",
    re.DOTALL,
)


def fast_domain(raw: str) -> str:
    """``normalize_domain(raw)``, with a one-regex shortcut for the common shapes."""
    if raw.isascii():
        m = FAST_HOST_RE.fullmatch(raw.lower())
        if m is not None:
            host = m.group(1)
            if len(host) <= 253 and "xn--" not in host and not host.endswith(".localhost"):
                return host
    return normalize_domain(raw)


def _capped(value: str, label: str, limit: int) -> str:
    if len(value) > limit:
        raise _RowError(f"{label} is too long ({len(value):,} characters, at most {limit:,})")
    return value


def _email(value: str) -> str:
    """An email cell: "Name <addr>" and "mailto:" are unwrapped, the shape is checked."""
    if "<" in value or ":" in value:
        m = _ANGLE_EMAIL_RE.fullmatch(value)
        if m:
            value = m.group(1)
        if value[:7].lower() == "mailto:":
            value = value[7:].strip()
    if not looks_like_email(value):
        raise _RowError(f"not an email address: '{truncate_line(value, 60)}'")
    if len(value) > _EMAIL_CAP:
        _capped(value, "email", _EMAIL_CAP)
    return value


_EMAIL_CAP = FIELD_LIMITS["email"]


def rejected_cells(row: list[str]) -> tuple[str, ...]:
    return tuple(truncate_line(c, CELL_KEEP) for c in row)


def _clean_cells(row: list[str], joined: str) -> list[str]:
    """Every cell as one safe, stripped line; spreadsheet placeholders ("N/A", "-") -> "".

    (:mod:`.batch` does the same column by column; tests/test_import_batch.py checks that the
    two agree.)"""
    if joined.isprintable():
        cells = [c.strip() for c in row]
    else:  # invisible characters pasted from web pages go; control characters are replaced
        cells = [c.strip() if c.isprintable() else sanitize_line(c.translate(_INVISIBLE))
                 for c in row]
    if '="' in joined:
        cells = [unwrap_excel(c) for c in cells]
    if not PLACEHOLDER_CELLS.isdisjoint(cells):
        cells = ["" if c in PLACEHOLDER_CELLS else c for c in cells]
    return cells


def unwrap_excel(cell: str) -> str:
    """``="00123"``, Excel's way to keep a value as text, is the value itself."""
    if len(cell) >= 3 and cell[:2] == '="' and cell[-1] == '"':
        return cell[2:-1].replace('""', '"').strip()
    return cell


# Zero-width space, word joiner, byte-order mark: invisible, never part of a value.
_INVISIBLE = dict.fromkeys((0x200B, 0x2060, 0xFEFF))


# The spellings of a placeholder that count as empty: lower, UPPER, Title and Capitalized
# ("n/a", "N/A", "N/a"); an exact-match set, so a column can be checked in one C call.
PLACEHOLDER_CELLS = frozenset(
    v for p in _PLACEHOLDERS for v in {p, p.upper(), p.title(), p.capitalize()}
)


def make_converter(
    mapping: tuple[str, ...], header: tuple[str, ...]
) -> Callable[[list[str], int], Candidate | Rejected | None]:
    """Build the per-row function for a mapping (index lookups precomputed); it returns
    None for a blank record.

    Cleaned cells get a sentinel "" appended, so a field without a column reads index -1 and
    one ``itemgetter`` call fetches every field of a row.
    """
    where = {t: tuple(i for i, m in enumerate(mapping) if m == t) for t in cols.TARGETS}
    order = (cols.DOMAIN, cols.EMAIL, cols.BUSINESS, cols.CONTACT, cols.FIRST, cols.LAST,
             cols.PHONE, cols.NOTES)
    fetch = itemgetter(*(where[t][0] if where[t] else -1 for t in order))
    multi = tuple((k, where[t][1:]) for k, t in enumerate(order) if len(where[t]) > 1)
    notes_idx = where[cols.NOTES]
    keys = cols.extra_keys(header)
    extras = tuple((i, keys[i], QUOTE_JSON(keys[i]) + ":") for i in where[cols.EXTRA])
    width = len(mapping)
    pad = [""] * width
    b_cap, c_cap = FIELD_LIMITS["business_name"], FIELD_LIMITS["contact_name"]
    p_cap, x_cap = FIELD_LIMITS["phone"], cols.EXTRA_VALUE_LIMIT
    new = tuple.__new__

    def convert(row: list[str], line: int) -> Candidate | Rejected | None:
        joined = "".join(row)
        if not joined or joined.isspace():
            return None  # a blank record is not a row
        n = len(row)
        cells = _clean_cells(row, joined)
        if n < width:
            cells.extend(pad[n:])
        cells.append("")
        values = fetch(cells)
        if multi:
            values = list(values)
            for k, more in multi:
                if not values[k]:
                    values[k] = next((cells[i] for i in more if cells[i]), "")
        raw_domain, email, business, contact, first, last, phone, notes = values
        try:
            if email:
                email = _email(email)
            if raw_domain:
                domain = fast_domain(raw_domain)
            elif email:
                domain = domain_from_email(email)
            else:
                raise _RowError(NO_ADDRESS)
            if len(business) > b_cap:
                _capped(business, "business name", b_cap)
            if not contact and (first or last):
                contact = f"{first} {last}" if first and last else first or last
            if len(contact) > c_cap:
                _capped(contact, "contact name", c_cap)
            if len(phone) > p_cap:
                _capped(phone, "phone", p_cap)
            if notes and not joined.isprintable():
                raw = next(row[i] for i in notes_idx if i < n and cells[i])
                notes = sanitize_text(raw, NOTES_LIMIT)
            elif len(notes) > NOTES_LIMIT:
                raise TextTooLong(len(notes), NOTES_LIMIT)
            extra = ""
            if extras:
                parts = [q + QUOTE_JSON(cells[i]) for i, _, q in extras if cells[i]]
                if parts:
                    for i, key, _ in extras:
                        if len(cells[i]) > x_cap:
                            _capped(cells[i], key, x_cap)
                    extra = "{" + ",".join(parts) + "}" if len(parts) > 1 else f"{{{parts[0]}}}"
            if n > width:
                more = []
                for i in range(width, n):
                    if cells[i]:
                        key = f"column {i + 1}"
                        more.append(f"{QUOTE_JSON(key)}:{QUOTE_JSON(_capped(cells[i], key, x_cap))}")
                if more:
                    extra = "{" + ",".join(([extra[1:-1]] if extra else []) + more) + "}"
        except (_RowError, InvalidDomain) as exc:
            return Rejected(line, str(exc), rejected_cells(row))
        except TextTooLong as exc:
            return Rejected(
                line,
                f"notes are too long ({exc.field_len:,} characters, at most {exc.max_len:,})",
                rejected_cells(row),
            )
        return new(Candidate, (line, domain, business, contact, email, phone, notes, extra))

    return convert


def url_candidate(s: str, line: int) -> Candidate | Rejected:
    if len(s) >= 2 and s[0] in "<\"'" and s[-1] in ">\"'":
        s = s[1:-1].strip()
    s = s.rstrip(",;").strip()
    try:
        if "@" in s and (looks_like_email(s) or s[:7].lower() == "mailto:"):
            email = _email(s)
            return Candidate(line, domain_from_email(email), email=email)
        return Candidate(line, normalize_domain(s))
    except (_RowError, InvalidDomain) as exc:
        return Rejected(line, str(exc), (truncate_line(s, CELL_KEEP),))
