"""Reading import files by their layout: CSV exports and URL lists become candidate
contacts, streamed.

Pure Python (no Textual, Peewee or anthropic). Two passes over a seekable binary stream:
:func:`inspect_csv` / :func:`inspect_urls` read a sample to decide the encoding, a leading
``sep=;`` line, the delimiter and the column mapping; :func:`iter_csv` / :func:`iter_urls`
then stream every record and yield, in file order, one :class:`Candidate` (a valid row:
normalised domain and sanitized, length-checked fields) or one :class:`Rejected` (line number,
a reason a person understands, the row's cells) per non-blank record. Nothing is held per
row, so memory stays flat for a million rows.

Line numbers are physical lines of the file (1 = the first line, so the header is line 1 and
a leading ``sep=`` line shifts everything by one), the numbers a text editor shows.
"""

from __future__ import annotations

import csv
import io
import re
from itertools import chain
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import BinaryIO

from ..domains import InvalidDomain, looks_like_email, normalize_domain
from ..text import sanitize_line, truncate_line
from . import columns as cols
from .batch import Converted, make_batch_converter
from .encoding import SAMPLE_SIZE, Encoding, LineDecoded, UnusableInput, detect_encoding
from .rows import (
    CELL_KEEP,
    Candidate,
    Rejected,
    extra_dict,
    url_candidate,
)

__all__ = [
    "Candidate", "Converted", "CsvLayout", "DELIMITER_NAMES", "Rejected", "UnusableInput",
    "extra_dict", "inspect_csv", "inspect_urls", "iter_csv", "iter_csv_batches", "iter_url_batches",
    "iter_urls",
]

DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
PREVIEW_ROWS = 10
MAX_PREAMBLE = 10  # title lines looked past to find the header

# Values that mean "nothing here" in exported spreadsheets.
_SEP_RE = re.compile(r'\s*"?sep=([^"\r\n])"?\s*', re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class CsvLayout:
    """What the first pass found out about a file."""

    format: str  # "csv" | "urls"
    encoding: Encoding
    delimiter: str  # "" for URL lists
    header: tuple[str, ...]  # display-safe column names ("column N" without a header row)
    mapping: tuple[str, ...]  # one target from columns.TARGETS per column
    has_header: bool = True
    sep_line: bool = False  # a leading "sep=X" line was found (and is skipped)
    sample: tuple[tuple[int, tuple[str, ...]], ...] = ()  # first records: (line, cells)
    skip_records: int = 0  # title records above the header (or the data, without a header)
    repeated: tuple[int, ...] = ()  # columns whose header repeats an earlier one's name

    @property
    def warnings(self) -> tuple[str, ...]:
        """What a user should know about how the file was read (one line each)."""
        out = [self.encoding.warning] if self.encoding.warning else []
        for i in self.repeated:
            if i < len(self.mapping) and self.mapping[i] == cols.EXTRA:
                out.append(f"column {i + 1} repeats an earlier column's name; its values are "
                           f"kept as the extra field '{self.header[i]}'")
        return tuple(out)

    @property
    def delimiter_label(self) -> str:
        return DELIMITER_NAMES.get(self.delimiter, repr(self.delimiter)) if self.delimiter else ""

    def with_mapping(self, mapping: Iterable[str]) -> CsvLayout:
        """The same layout with a user's mapping; raises UnusableInput if it is unusable."""
        try:
            checked = cols.check_mapping(tuple(mapping), len(self.header))
        except ValueError as exc:
            raise UnusableInput(str(exc)) from None
        if self.format == "csv" and not cols.is_usable(checked):
            raise UnusableInput("no usable column: map a column to domain / website or email")
        return replace(self, mapping=checked)


# --- decoding --------------------------------------------------------------------------
@contextmanager
def _decoded(fh: BinaryIO, enc: Encoding) -> Iterator[io.TextIOWrapper | LineDecoded]:
    """Text view of ``fh`` from its start, universal newlines kept for csv; ``fh`` stays open."""
    fh.seek(0)
    if enc.line_fallback:
        text = LineDecoded(fh, enc.line_fallback)
    else:
        text = io.TextIOWrapper(fh, encoding=enc.codec, errors="strict", newline="")
    try:
        yield text
    except UnicodeDecodeError as exc:
        raise UnusableInput(
            f"the file is not valid {enc.label} text (undecodable bytes: {exc.reason}); "
            "save it as CSV (UTF-8) and import that file"
        ) from None
    finally:
        try:
            text.detach()
        except ValueError:  # already detached or closed
            pass


def _sep_line(first: str) -> str | None:
    m = _SEP_RE.fullmatch(first)
    return m.group(1) if m else None


# --- delimiter -------------------------------------------------------------------------
def _records(lines: Iterable[str], delimiter: str) -> csv.reader:
    return csv.reader(lines, delimiter=delimiter, quotechar='"', doublequote=True,
                      skipinitialspace=True, strict=False)


def _non_blank(records: Iterable[list[str]], limit: int) -> list[list[str]]:
    out: list[list[str]] = []
    try:
        for rec in records:
            if any(c.strip() for c in rec):
                out.append(rec)
                if len(out) >= limit:
                    break
    except csv.Error:
        pass
    return out


def sniff_delimiter(sample: str) -> str:
    """Comma, semicolon, tab or pipe: the one giving the header >1 field and the most rows
    with the header's field count (ties: more fields, then that order)."""
    best, best_score = ",", (-1.0, 0)
    for d in DELIMITERS:
        if d not in sample:
            continue
        recs = _non_blank(_records(io.StringIO(sample, newline=""), d), 101)
        if not recs or len(recs[0]) < 2:
            continue
        width, rows = len(recs[0]), recs[1:]
        consistency = sum(len(r) == width for r in rows) / len(rows) if rows else 1.0
        score = (consistency, width)
        if score > best_score:
            best, best_score = d, score
    return best


# --- mapping ---------------------------------------------------------------------------
def _is_address(cell: str) -> bool:
    s = cell.strip()
    if not s or len(s) > 300:
        return False
    if "@" in s:
        return looks_like_email(s)
    if "." not in s:
        return False
    try:
        normalize_domain(s)
    except InvalidDomain:
        return False
    return True


def _headerless_mapping(records: list[list[str]]) -> tuple[str, ...] | None:
    """If the first record is data (a domain, URL or email), map columns by their content."""
    if not records or not any(_is_address(c) for c in records[0]):
        return None
    width = max(len(r) for r in records)
    domains = [0] * width
    emails = [0] * width
    for rec in records:
        for i, cell in enumerate(rec):
            if _is_address(cell):
                if "@" in cell:
                    emails[i] += 1
                else:
                    domains[i] += 1
    mapping = [cols.EXTRA] * width
    if max(emails) > 0:
        mapping[emails.index(max(emails))] = cols.EMAIL
    if max(domains) > 0:
        i = domains.index(max(domains))
        if mapping[i] == cols.EXTRA:
            mapping[i] = cols.DOMAIN
    return tuple(mapping)


def _preamble(records: list[tuple[int, list[str]]]) -> int:
    """How many title lines stand above the header ("Leads export, December" and the like):
    the records before the first of the next few that names a domain/website or email
    column, or that holds an address (a file without a header). Lines counted as title
    lines hold fewer filled cells than that record. 0 when the first record will do."""
    if cols.is_usable(cols.auto_mapping(records[0][1])) or _headerless_mapping(
            [records[0][1]]) is not None:
        return 0
    for k in range(1, min(len(records), 1 + MAX_PREAMBLE)):
        rec = records[k][1]
        if cols.is_usable(cols.auto_mapping(rec)) or _headerless_mapping([rec]) is not None:
            filled = sum(1 for c in rec if c.strip())
            above = (sum(1 for c in r if c.strip()) for _, r in records[:k])
            return k if all(n < filled or n == 1 for n in above) else 0
    return 0


def inspect_csv(fh: BinaryIO, mapping: Iterable[str] | None = None,
                preview_rows: int = PREVIEW_ROWS) -> CsvLayout:
    """First pass over a CSV file. Raises :class:`UnusableInput`."""
    enc = detect_encoding(fh)
    with _decoded(fh, enc) as text:
        first = text.readline()
        forced = _sep_line(first)
        sample = (first if forced is None else "") + text.read(SAMPLE_SIZE)
        truncated = bool(text.read(1))
    if not sample.strip():
        raise UnusableInput("the file is empty" if forced is None else "the file has no rows")
    delimiter = forced or sniff_delimiter(sample)
    limit = 1 + max(preview_rows, 50)
    records: list[tuple[int, list[str]]] = []
    lines = io.StringIO(sample, newline="")
    reader = _records(lines if truncated else _ended(lines), delimiter)
    offset = 1 if forced is not None else 0
    try:
        start = 0
        for rec in reader:
            line, start = start + 1 + offset, reader.line_num
            if any(c.strip() for c in rec):
                records.append((line, rec))
                if len(records) > limit:
                    break
    except csv.Error:
        if not records:
            raise UnusableInput("the first line is not readable as CSV") from None
    if truncated and len(records) <= limit and len(records) > 1:
        records.pop()  # may be cut in the middle by the sample's end
    if records and records[-1][1] == [_END_MARK]:
        records.pop()
    elif records and not truncated:
        _check_last(records[-1][1], records[-1][0])
    if not records:
        raise UnusableInput("the file has no rows")
    skip = _preamble(records)
    records = records[skip:]
    first_rec = records[0][1]
    auto = cols.auto_mapping(first_rec)
    has_header = True
    if not cols.is_usable(auto):
        headerless = _headerless_mapping([r for _, r in records])
        if headerless is not None:
            has_header, auto = False, headerless
    width = max(len(r) for _, r in records) if not has_header else len(first_rec)
    header = (
        tuple(cols.extra_keys(first_rec))
        if has_header
        else tuple(f"column {i + 1}" for i in range(width))
    )
    if has_header and not cols.is_usable(auto) and mapping is None:
        found = ", ".join(truncate_line(h, 30) for h in header[:8]) or "nothing"
        raise UnusableInput(
            "no usable column: need a domain, website, URL or email column "
            f"(found: {found})"
        )
    data = records[1:] if has_header else records
    if not data and not truncated:
        raise UnusableInput("the file has a header row but no data rows")
    layout = CsvLayout(
        format="csv",
        encoding=enc,
        delimiter=delimiter,
        header=header,
        mapping=cols.check_mapping(auto, len(header)),
        has_header=has_header,
        sep_line=forced is not None,
        skip_records=skip,
        repeated=cols.repeated_columns(first_rec) if has_header else (),
        sample=tuple(
            (line, tuple(truncate_line(c, CELL_KEEP) for c in rec))
            for line, rec in data[:preview_rows]
        ),
    )
    for line, rec in data:
        if "\n" in "".join(rec):
            _check_spanning(rec, line, layout)
    return layout.with_mapping(mapping) if mapping is not None else layout


def inspect_urls(fh: BinaryIO, preview_rows: int = PREVIEW_ROWS) -> CsvLayout:
    """First pass over a URL list (one URL, domain or email a line; # comments)."""
    enc = detect_encoding(fh)
    sample: list[tuple[int, tuple[str, ...]]] = []
    with _decoded(fh, enc) as text:
        for line_no, raw in enumerate(text, 1):
            s = raw.strip()
            if s and not s.startswith("#"):
                sample.append((line_no, (truncate_line(s, CELL_KEEP),)))
                if len(sample) >= preview_rows:
                    break
    if not sample:
        raise UnusableInput("no web addresses found: the list is empty or only has comments")
    return CsvLayout(format="urls", encoding=enc, delimiter="", header=("url",),
                     mapping=(cols.DOMAIN,), has_header=False, sample=tuple(sample))


# A line added after the file's last one: a quote left open swallows it into a cell,
# which is how an unclosed quote is told from a record that simply ends the file.
_END_MARK = "\x00leadletter: end of file\x00"
MIN_SWALLOWED = 2  # lines inside one quoted value that look like rows of the file


def _ended(lines: Iterable[str]) -> Iterator[str]:
    return chain(lines, (_END_MARK + "\n",))


def _quote_line(row: list[str], start: int, index: int) -> int:
    """The line where cell ``index`` of a record starting on line ``start`` opens."""
    return start + sum(cell.count("\n") for cell in row[:index])


def _unclosed(line: int, why: str) -> UnusableInput:
    return UnusableInput(
        f"line {line}: a quote opened here is never closed, so {why}; close it (a quote "
        "inside a value is written twice: \"\") and import again; nothing was imported")


def _check_last(row: list[str], start: int) -> None:
    """Refuse the file if its last record holds the end mark: a quote ran to the end."""
    for i, cell in enumerate(row):
        if _END_MARK in cell:
            raise _unclosed(_quote_line(row, start, i), "the rest of the file would be one cell")


def _check_spanning(row: list[str], start: int, layout: CsvLayout) -> None:
    """Refuse a record whose quoted value has swallowed lines that look like rows of the
    file (as many cells as the header, one of them a web or email address)."""
    width, d = len(layout.header), layout.delimiter
    if width < 2:
        return
    for i, cell in enumerate(row):
        if "\n" not in cell or _END_MARK in cell:
            continue
        found = 0
        for text in cell.splitlines()[1:]:
            parts = text.split(d)
            if len(parts) == width and any(_is_address(p.strip().strip('"')) for p in parts):
                found += 1
                if found >= MIN_SWALLOWED:
                    raise _unclosed(_quote_line(row, start, i),
                                    "the rows after it would be read as one cell")


def iter_csv_batches(
    fh: BinaryIO, layout: CsvLayout, rows_per_batch: int = 4000
) -> Iterator[Converted]:
    """Every non-blank data record of the file, in order, converted in batches of up to
    ``rows_per_batch`` records (see :mod:`batch`). Raises
    :class:`UnusableInput` if the file turns out undecodable or unparseable further down."""
    convert = make_batch_converter(layout.mapping, layout.header)
    with _decoded(fh, layout.encoding) as text:
        offset = 0
        if layout.sep_line:
            text.readline()
            offset = 1
        reader = _records(_ended(text), layout.delimiter)
        end = 0
        try:
            # title lines, then the header: the first non-blank records
            to_skip = layout.skip_records + (1 if layout.has_header else 0)
            if to_skip:
                for row in reader:
                    end = reader.line_num
                    if any(c.strip() for c in row):
                        to_skip -= 1
                        if not to_skip:
                            break
            rows: list[list[str]] = []
            lines: list[int] = []
            # A full batch goes out when the next record arrives, so the last record (which
            # tells whether a quote ran to the end of the file) is always still here.
            for row in reader:
                if len(rows) >= rows_per_batch:
                    yield convert(rows, lines)
                    rows, lines = [], []
                start = end + 1 + offset
                rows.append(row)
                lines.append(start)
                if reader.line_num - end > 1:  # a quoted value with line breaks
                    _check_spanning(row, start, layout)
                end = reader.line_num
            if rows and rows[-1] == [_END_MARK]:
                rows.pop()
                lines.pop()
            elif rows:
                _check_last(rows[-1], lines[-1])
            if rows:
                yield convert(rows, lines)
        except csv.Error as exc:
            raise UnusableInput(
                f"line {end + 1 + offset}: {exc} (is a quote left unclosed?)"
            ) from None


def iter_csv(fh: BinaryIO, layout: CsvLayout) -> Iterator[Candidate | Rejected]:
    """Every non-blank data record of the file, in order, one item at a time."""
    for batch in iter_csv_batches(fh, layout):
        yield from batch.items()


def iter_url_batches(
    fh: BinaryIO, layout: CsvLayout, rows_per_batch: int = 4000
) -> Iterator[Converted]:
    """:func:`iter_urls` in batches of up to ``rows_per_batch`` lines."""
    items: list[Candidate | Rejected] = []
    for item in iter_urls(fh, layout):
        items.append(item)
        if len(items) >= rows_per_batch:
            yield Converted.from_items(items)
            items = []
    if items:
        yield Converted.from_items(items)


def iter_urls(fh: BinaryIO, layout: CsvLayout) -> Iterator[Candidate | Rejected]:
    """One candidate a non-blank, non-comment line."""
    with _decoded(fh, layout.encoding) as text:
        for line_no, raw in enumerate(text, 1):
            s = raw.strip()
            if s and s[0] != "#":
                yield url_candidate(s if s.isprintable() else sanitize_line(s), line_no)
