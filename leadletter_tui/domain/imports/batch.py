"""Converting import rows a batch at a time, column by column.

:func:`rows.make_converter` is the definition of what a row becomes; it runs once per
row, which for a big file is most of an import's time. This module gives the same answer for
a whole batch with a handful of C-level passes per *column* (``zip``, ``map(str.strip)``, one
regex pass over a column's joined text), so the per-row Python work is a few comprehensions.
Every row the fast passes are not sure about (an unusual domain or email shape, a field over
its cap, a control character, an over-wide or blank record, no website) is handed to the row
converter, so the two always agree; a property test (tests/test_import_batch.py, part of
``make test``) checks that they do on generated batches.

Why two converters: measured on the 100,000-row benchmark file, parsing takes 0.39 s of CPU
with this one against 0.53 s with the row converter alone, and a whole serial import 0.75 s
against 0.88 s. In the CLI the parser process is the slower half of the pipeline, so that
difference is the import's wall time too.

A batch comes out as :class:`Converted`: the valid rows as columns (what the database insert
and the parser process's pipe want), the rejected rows as a list.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Callable, Iterable
from itertools import chain, compress, repeat
from operator import not_
from typing import NamedTuple

from ..domains import EMAIL_RE, is_free_mail
from ..model import FIELD_LIMITS, NOTES_LIMIT
from . import columns as cols
from .rows import (
    FAST_HOST_RE,
    NO_ADDRESS,
    PLACEHOLDER_CELLS,
    QUOTE_JSON,
    Candidate,
    Rejected,
    make_converter,
    rejected_cells,
    unwrap_excel,
)

FIELDS = Candidate._fields[1:]  # domain, business_name, contact_name, email, phone, notes, extra
_MAX_HOST = 253
# One pass over a column's lines: the host of each line that has a common shape, else "".
# Lines come from printable cells, so "\n" only separates them.
_HOSTS_RE = re.compile(
    r"^(?:" + FAST_HOST_RE.pattern.replace("(?:[/?#].*)?", r"(?:[/?#][^\n]*)?") + r"|[^\n]*)$",
    re.MULTILINE,
)
_NOT_IN_EMAIL_HOST = re.compile(r"[/?#\[\]\\]")
# Every line of a column is empty or a plain address (atomic groups: no backtracking
# into earlier lines).
_EMAILS_RE = re.compile(rf"(?>(?:{EMAIL_RE.pattern})?)(?:\n(?>(?:{EMAIL_RE.pattern})?))*")


class Converted(NamedTuple):
    """One batch of rows, converted. ``lines[k]`` and ``fields[j][k]`` are the k-th valid row
    (``fields`` in :data:`FIELDS` order); ``rejected`` are the invalid ones. Both in file
    order; blank records are in neither."""

    lines: list[int]
    fields: tuple[list[str], ...]
    rejected: list[Rejected]

    @property
    def rows(self) -> int:
        """Records read: valid plus invalid."""
        return len(self.lines) + len(self.rejected)

    def candidates(self) -> list[Candidate]:
        return list(map(Candidate._make, zip(self.lines, *self.fields)))

    def items(self) -> list[Candidate | Rejected]:
        """Valid and invalid rows together, in file order."""
        if not self.rejected:
            return self.candidates()
        return list(heapq.merge(self.candidates(), self.rejected, key=lambda item: item[0]))

    @classmethod
    def empty(cls, rejected: list[Rejected] | None = None) -> Converted:
        """No valid rows (and these invalid ones)."""
        return cls([], tuple([] for _ in FIELDS), rejected or [])

    @classmethod
    def from_items(cls, items: Iterable[Candidate | Rejected | None]) -> Converted:
        lines: list[int] = []
        values: list[tuple] = []
        rejected: list[Rejected] = []
        for item in items:
            if item is None:
                continue
            if item.__class__ is Rejected:
                rejected.append(item)
            else:
                lines.append(item[0])
                values.append(item[1:])
        if not values:
            return cls.empty(rejected)
        return cls(lines, tuple(map(list, zip(*values))), rejected)


def make_batch_converter(
    mapping: tuple[str, ...], header: tuple[str, ...]
) -> Callable[[list[list[str]], list[int]], Converted]:
    """The batch form of :func:`make_converter`: ``convert_batch(rows, lines)``, where
    ``lines[i]`` is the line number of ``rows[i]``."""
    convert = make_converter(mapping, header)
    width = len(mapping)
    where = {t: tuple(i for i, m in enumerate(mapping) if m == t) for t in cols.TARGETS}
    keys = cols.extra_keys(header)
    extras = tuple((i, QUOTE_JSON(keys[i]) + ":") for i in where[cols.EXTRA])
    names = bool(where[cols.FIRST] or where[cols.LAST])
    caps = {
        cols.EMAIL: FIELD_LIMITS["email"],
        cols.BUSINESS: FIELD_LIMITS["business_name"],
        cols.CONTACT: FIELD_LIMITS["contact_name"],
        cols.PHONE: FIELD_LIMITS["phone"],
        cols.NOTES: NOTES_LIMIT,
    }
    extra_cap = cols.EXTRA_VALUE_LIMIT

    def fast(rows: list[list[str]], lines: list[int], originals=None,
             excel: bool = True) -> Converted:
        """Rows all of full width and printable (blank ones are dropped); ``originals``
        are the rows as read, when ``rows`` had to be padded; ``excel``: a cell may hold
        an Excel text formula (``="..."``)."""
        n = len(rows)
        raw = list(zip(*rows))
        cleaned: dict[int, list[str]] = {}
        unsure: set[int] = set()

        def cells(i: int) -> list[str]:
            c = cleaned.get(i)
            if c is None:
                c = cleaned[i] = list(map(str.strip, raw[i]))
                if excel:
                    c = cleaned[i] = list(map(unwrap_excel, c))
                if not PLACEHOLDER_CELLS.isdisjoint(c):
                    c = cleaned[i] = ["" if v in PLACEHOLDER_CELLS else v for v in c]
            return c

        def field(target: str) -> list[str]:
            idx = where[target]
            if not idx:
                return [""] * n
            acc = cells(idx[0])
            for i in idx[1:]:
                acc = [a or b for a, b in zip(acc, cells(i))]
            return acc

        def over(values: list[str], cap: int) -> None:
            if values and max(map(len, values)) > cap:
                unsure.update(k for k, v in enumerate(values) if len(v) > cap)

        email = field(cols.EMAIL)
        text = "\n".join(email)
        if "<" in text or ":" in text or _EMAILS_RE.fullmatch(text) is None:
            # "Name <a@b>", "mailto:" or no address: the row converter decides
            unsure.update(
                k for k, e in enumerate(email)
                if e and ("<" in e or ":" in e or EMAIL_RE.fullmatch(e) is None)
            )
        over(email, caps[cols.EMAIL])
        site = field(cols.DOMAIN)
        hosts = _hosts(site, unsure)
        for k in compress(range(n), map(not_, site)):  # no website: the email's domain
            if email[k] and k not in unsure:
                hosts[k] = _email_host(email[k])
        unsure.update(compress(range(n), map(not_, hosts)))  # no host, or an unusual one
        business, phone, notes = field(cols.BUSINESS), field(cols.PHONE), field(cols.NOTES)
        contact = field(cols.CONTACT)
        if names:  # "first last", or the one that is there (cells are stripped already)
            joined = list(map(str.strip, map(" ".join, zip(field(cols.FIRST), field(cols.LAST)))))
            contact = [c or j for c, j in zip(contact, joined)] if where[cols.CONTACT] else joined
        for values, target in ((business, cols.BUSINESS), (contact, cols.CONTACT),
                               (phone, cols.PHONE), (notes, cols.NOTES)):
            over(values, caps[target])
        extra = [""] * n
        if extras:
            values = [cells(i) for i, _ in extras]
            for column in values:
                over(column, extra_cap)
            if len(values) == 1:  # {"key":"value"}, or "" where the cell is empty
                quoted = map(str.__add__, map(QUOTE_JSON, values[0]), repeat("}"))
                extra = list(map(("{" + extras[0][1]).__add__, quoted))
                for k in compress(range(n), map(not_, values[0])):
                    extra[k] = ""
            else:
                parts = [[q + QUOTE_JSON(v) if v else "" for v in c]
                         for c, (_, q) in zip(values, extras)]
                extra = [
                    "{" + s + "}" if (s := ",".join(filter(None, t))) else ""
                    for t in zip(*parts)
                ]
        fields = (hosts, business, contact, email, phone, notes, extra)
        if not unsure:
            return Converted(lines, fields, [])
        return _patch(originals or rows, lines, fields, unsure, site)

    def _patch(rows, lines, fields, unsure: set[int], site: list[str]) -> Converted:
        """Redo the unsure rows with the row converter; drop the blank and invalid ones."""
        fields = tuple(list(f) for f in fields)  # fresh lists: some may be shared
        keep: list[bool] | None = None
        rejected: list[Rejected] = []
        email = fields[3]
        for k in sorted(unsure):
            if not site[k] and not email[k]:
                # neither website nor email (common, and cheap to say), unless blank
                item = Rejected(lines[k], NO_ADDRESS, rejected_cells(rows[k])) if "".join(
                    rows[k]).strip() else None
            else:
                item = convert(rows[k], lines[k])
            if item is not None and item.__class__ is not Rejected:
                for column, value in zip(fields, item[1:]):
                    column[k] = value
                continue
            if keep is None:
                keep = [True] * len(rows)
            keep[k] = False
            if item is not None:
                rejected.append(item)
        if keep is not None:
            lines = list(compress(lines, keep))
            fields = tuple(list(compress(f, keep)) for f in fields)
        return Converted(lines, fields, rejected)

    def convert_batch(rows: list[list[str]], lines: list[int]) -> Converted:
        if not rows:
            return Converted.empty()
        text = "".join(chain.from_iterable(rows))
        if list(map(len, rows)).count(width) == len(rows) and text.isprintable():
            return fast(rows, lines, excel='="' in text)
        # Mixed batch: ragged-short rows are padded; control-character and over-wide rows
        # go to the row converter.
        simple: list[int] = []
        padded: list[list[str]] = []
        special: list[Candidate | Rejected | None] = []
        for k, row in enumerate(rows):
            if len(row) <= width and "".join(row).isprintable():
                simple.append(k)
                padded.append(row if len(row) == width else row + [""] * (width - len(row)))
            else:
                special.append(convert(row, lines[k]))
        if not special:
            return fast(padded, lines, rows)
        originals = [rows[k] for k in simple]
        done = fast(padded, [lines[k] for k in simple], originals) if simple else None
        items = done.items() if done is not None else []
        merged = heapq.merge(items, (s for s in special if s is not None),
                             key=lambda item: item[0])
        return Converted.from_items(merged)

    return convert_batch


def _hosts(site: list[str], unsure: set[int]) -> list[str]:
    """The host of each website cell of the common shapes, "" for the rest (and for
    non-ASCII cells, which are added to ``unsure``)."""
    n = len(site)
    text = "\n".join(site)
    if not text.isascii():
        unsure.update(k for k, r in enumerate(site) if not r.isascii())
    hosts = _HOSTS_RE.findall(text.lower())
    if len(hosts) != n:  # cannot happen (one match a line); stay correct regardless
        hosts = [m.group(1) if m else "" for m in map(FAST_HOST_RE.fullmatch, map(str.lower, site))]
    text = "\n".join(hosts) + "\n"
    if "xn--" in text or ".localhost\n" in text or max(map(len, hosts)) > _MAX_HOST:
        for k, h in enumerate(hosts):
            if "xn--" in h or h.endswith(".localhost") or len(h) > _MAX_HOST:
                hosts[k] = ""
    return hosts


def _email_host(email: str) -> str:
    """The business host of a plain address (as ``domain_from_email`` gives it), or "" when
    the row converter must decide (an unusual host, or free mail: a rejection)."""
    part = email.rpartition("@")[2]
    if not part.isascii() or _NOT_IN_EMAIL_HOST.search(part):
        return ""
    m = FAST_HOST_RE.fullmatch(part.lower())
    if m is None:
        return ""
    host = m.group(1)
    if len(host) > _MAX_HOST or "xn--" in host or host.endswith(".localhost") or is_free_mail(host):
        return ""
    return host
