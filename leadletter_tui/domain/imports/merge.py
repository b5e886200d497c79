"""The merge rule: how an imported row merges into a stored contact or an earlier row.

Pure functions the store calls inside its import transaction (``store/imports.py``); the SQL
that looks contacts up and writes them stays in ``store/``.

Each row is counted exactly once:

- created: the first row for a domain that is neither stored nor seen earlier;
- updated: a row for a known domain that fills at least one empty field (an extra field
  included) of the stored or earlier contact;
- duplicate: a row for a known domain that changes nothing.

A non-empty value is never overwritten. Extra-field keys are folded like headers ("City",
"city" and "CITY" are one field) and the stored spelling is kept.

A contact being merged is a *state* list: ``[id, business_name, contact_name, email, phone,
notes, extra, filled]`` (see :data:`ID`, :data:`FIELDS`, :data:`EXTRA`, :data:`FILLED`):
``id`` is None for a contact this import creates; ``extra`` stays the JSON text as stored or
imported until a merge needs it as a dict; ``filled`` is the set of field names filled, or
None. Rows are :class:`~.rows.Candidate` tuples (or plain tuples in that order); stored rows
are ``(id, domain, business_name, contact_name, email, phone, notes, extra)``.

This runs once per row of a re-import, so it works on positions rather than names.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

from .columns import header_key
from .counts import MergeCounts
from .rows import Candidate

MERGE_FIELDS = ("business_name", "contact_name", "email", "phone", "notes")
IMPORTED = ("domain", *MERGE_FIELDS, "extra")  # what a candidate row brings, in order

# Positions in a state list.
ID, FIELDS, EXTRA, FILLED = 0, slice(1, 6), 6, 7
# Positions in a candidate row.
ROW_DOMAIN = _DOMAIN = Candidate._fields.index("domain")
_CAND_EXTRA = Candidate._fields.index("extra")

_QUOTE = json.encoder.encode_basestring  # the C string encoder (Unicode kept)
_DETAIL_MAX = 300


def encode_extra(extra: dict[str, str]) -> str:
    """Compact JSON object of string keys and values (what json.dumps gives, faster)."""
    if not extra:
        return ""
    return "{" + ",".join([f"{_QUOTE(k)}:{_QUOTE(v)}" for k, v in extra.items()]) + "}"


def decode_extra(value: str | dict | None) -> dict[str, str]:
    """Extra fields as a dict of strings, whatever was stored ("" or bad JSON: none)."""
    if isinstance(value, dict):
        return value
    if not value:
        return {}
    try:
        data = json.loads(value)
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): "" if v is None else str(v) for k, v in data.items()}


def classify(rows: Iterable[tuple], stored: Mapping[str, tuple],
             counts: MergeCounts) -> dict[str, list]:
    """Merge ``rows`` (in file order) into the ``stored`` contacts (by domain) and into each
    other; count each row in ``counts``. Returns the state of every domain touched: a new
    contact (id None) or a stored one (``filled`` says whether it changed)."""
    state: dict[str, list] = {}
    for c in rows:
        domain = c[_DOMAIN]
        s = state.get(domain)
        if s is None:
            row = stored.get(domain)
            if row is None:
                state[domain] = [None, *c[2:8], None]
                counts.created += 1
                continue
            s = state[domain] = [row[0], *row[2:8], None]
        filled = merge_row(s, c)
        if filled:
            counts.updated += 1
            s[FILLED] = filled if s[FILLED] is None else s[FILLED] | filled
        else:
            counts.duplicates += 1
    return state


def merge_row(s: list, c: tuple) -> set[str] | None:
    """Fill the empty fields of state ``s`` from row ``c``; the names filled, or None."""
    filled = None
    for i, name in enumerate(MERGE_FIELDS, 1):
        value = c[i + 1]
        if value and not s[i]:
            s[i] = value
            if filled is None:
                filled = set()
            filled.add(name)
    extra = c[_CAND_EXTRA]
    # Text equal to the contact's (a re-import, a repeated row) fills nothing: a row's extra
    # values are never empty (the converters leave empty cells out), so the contact already
    # holds every one. Skipping the two decodes is most of a duplicate-heavy merge's time.
    if extra and extra != s[EXTRA]:
        current = s[EXTRA] = decode_extra(s[EXTRA])
        # "City", "city" and "CITY" from different files are one field: the stored
        # spelling is kept.
        known = {header_key(k): k for k in current}
        for key, value in decode_extra(extra).items():
            key = known.get(header_key(key), key)
            if value and not current.get(key):
                current[key] = value
                if filled is None:
                    filled = set()
                filled.add(key)
    return filled


def state_extra(s: list) -> str:
    """A state's extra fields as the JSON text to store ("" for none)."""
    extra = s[EXTRA]
    if isinstance(extra, dict):
        extra = encode_extra(extra)
    return extra or ""


def filled_detail(filled: Iterable[str]) -> str:
    """The event text for a stored contact an import filled in ("import filled email, phone")."""
    names = sorted(n.replace("_", " ") for n in filled)
    detail = "import filled " + ", ".join(names)
    if len(detail) > _DETAIL_MAX:
        detail = detail[: _DETAIL_MAX - 1] + "\u2026"
    return detail
