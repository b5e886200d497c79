"""Bulk import: the one use case `leadletter import` and the Bulk Import screen call.

    preview(source, format=...)              -> Preview (encoding, delimiter, mapping, rows)
    run_import(services, source, format=..., dry_run=..., mapping=..., progress=..., cancel=...)
                                             -> ImportReport

A source is a path (``"-"`` = standard input), ``bytes`` (pasted text) or a binary file
object. Standard input and unseekable streams are spooled to a temporary file first, because
detection reads a sample and the import then reads from the start again: at most
STDIN_LIMIT (2 GiB) or the temporary directory's free space, binary data refused after the
first KB and as it streams. A path must be a regular file (a named pipe or device could
block forever), and a file that changes while it is read (size or mtime) imports nothing.

Unusable input (empty, binary, undecodable, no usable column, unreadable path) raises
:class:`UserError` with one line and nothing is written. ``cancel()`` returning true raises
:class:`ImportCancelled` after the transaction was rolled back.

Where the parts live: reading a file (encoding, columns, layout, row conversion) and the
merge rule and counts text are pure code in ``domain/imports/``; the forked parser process
that reads a big file beside the writer is ``import_parser.py`` (infrastructure under this
module, nothing else calls it); the transaction and SQL are ``store/imports.py`` and
``store/import_ops.py``, reached through ``Store.merge_import()``.
"""

from __future__ import annotations

import io
import os
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, BinaryIO, Union

from ..domain.imports import columns as cols
from ..domain.imports.counts import counts_text
from ..domain.imports.encoding import check_text_head
from ..domain.imports.layout import (
    CsvLayout,
    UnusableInput,
    inspect_csv,
    inspect_urls,
    iter_csv_batches,
    iter_url_batches,
)
from ..errors import UserError
from .import_parser import ParserFailed

if TYPE_CHECKING:
    from . import Services

FORMATS = ("csv", "urls")
CHUNK_ROWS = 2000  # small enough that writing starts early and ends soon after reading
MAX_ERRORS_KEPT = 10_000

Source = Union[str, os.PathLike, bytes, BinaryIO]
Progress = Callable[[int, int, int], None]


class ImportCancelled(Exception):
    """The user cancelled; the transaction was rolled back, nothing was imported."""


@dataclass
class ImportReport:
    """What an import did (or, for a dry run, would do). Counts add up to ``rows``."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    duplicates: int = 0
    invalid: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line, reason), first 10,000
    rejected: list[tuple[str, ...]] = field(default_factory=list)  # their cells, same order
    errors_omitted: int = 0  # invalid rows beyond MAX_ERRORS_KEPT
    encoding: str = ""
    delimiter: str = ""
    mapping: dict[str, str] = field(default_factory=dict)  # column name -> target
    header: tuple[str, ...] = ()
    format: str = "csv"
    title_lines: int = 0  # title lines above the header (or data) that were not read as rows
    dry_run: bool = False
    source: str = ""
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)  # how the file was read, one line each

    def to_json(self) -> dict:
        """The CLI contract: counts as integers, errors as {line, reason}."""
        return {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "duplicates": self.duplicates,
            "invalid": self.invalid,
            "errors": [{"line": line, "reason": reason} for line, reason in self.errors],
            **({"warnings": list(self.warnings)} if self.warnings else {}),
        }

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else 0.0

    def counts_text(self) -> str:
        """The one counts summary (domain/imports/counts.py), for this report."""
        return counts_text(self.created, self.updated, self.duplicates, self.invalid, self.rows,
                           dry_run=self.dry_run)


@dataclass(frozen=True)
class Preview:
    """The first pass: what was detected, and the first rows (cells display-safe)."""

    layout: CsvLayout
    source: str
    size: int

    @property
    def encoding(self) -> str:
        return self.layout.encoding.label

    @property
    def delimiter(self) -> str:
        return self.layout.delimiter_label

    @property
    def header(self) -> tuple[str, ...]:
        return self.layout.header

    @property
    def mapping(self) -> tuple[str, ...]:
        return self.layout.mapping

    @property
    def rows(self) -> tuple[tuple[int, tuple[str, ...]], ...]:
        return self.layout.sample


# --- sources ---------------------------------------------------------------------------
def source_name(source: Source) -> str:
    if isinstance(source, (str, os.PathLike)):
        return "standard input" if str(source) == "-" else str(source)
    if isinstance(source, (bytes, bytearray)):
        return "pasted text"
    return str(getattr(source, "name", "input"))


STDIN_LIMIT = 2 << 30  # bytes of standard input (or a stream) buffered at most: 2 GiB
_HEAD_CHECK = 1024  # the first bytes are checked for binary content before going on


def _spool_limit(tmp: IO[bytes]) -> int:
    """STDIN_LIMIT, or less when the temporary directory has less room (keep 5% free)."""
    try:
        st = os.fstatvfs(tmp.fileno())
    except (OSError, AttributeError, ValueError):
        return STDIN_LIMIT
    return max(0, min(STDIN_LIMIT, int(st.f_bavail * st.f_frsize * 0.95)))


def _spool(stream: IO[bytes], name: str = "standard input") -> BinaryIO:
    """Copy an unseekable stream to an anonymous temporary file, checking it as it comes:
    binary content is refused after its first KB, and at most STDIN_LIMIT bytes (or the room
    the temporary directory has) are taken. The temporary file is gone on every way out."""
    tmp = tempfile.TemporaryFile(prefix="leadletter-import-")
    try:
        limit = _spool_limit(tmp)
        total, head, wide = 0, b"", None
        while True:
            chunk = stream.read(1 << 20)
            if not chunk:
                break
            if wide is None:
                head += chunk[:_HEAD_CHECK - len(head)]
                if len(head) >= _HEAD_CHECK:
                    wide = check_text_head(head)  # raises for binary data
            if wide is False and chunk.count(0) * 100 > len(chunk):
                raise UnusableInput(f"binary data (NUL bytes) after {total:,} bytes")
            total += len(chunk)
            if total > limit:
                raise UserError(
                    f"{name} is too big to buffer: more than {limit / (1 << 20):,.0f} MiB "
                    "(at most 2 GiB, and no more than the temporary directory has room "
                    "for); save it to a file and import that file")
            tmp.write(chunk)
        if head and wide is None:
            check_text_head(head)
        tmp.seek(0)
    except UnusableInput as exc:
        tmp.close()
        raise UserError(f"cannot import {name}: {exc}") from None
    except OSError as exc:
        tmp.close()
        raise UserError(f"cannot buffer {name}: {exc.strerror or exc}") from None
    except BaseException:
        tmp.close()
        raise
    return tmp


def _open_regular(path: Path) -> BinaryIO:
    """Open a path for reading without ever blocking: a named pipe, device or socket is
    refused (reading one could wait forever); ``-`` is the way to import a stream."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise UserError(f"cannot read {path}: no such file") from None
    except IsADirectoryError:
        raise UserError(f"cannot read {path}: it is a directory") from None
    except PermissionError:
        raise UserError(f"cannot read {path}: permission denied") from None
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise UserError(f"cannot read {path}: it is a directory")
        if not stat.S_ISREG(mode):
            kind = ("a named pipe (FIFO)" if stat.S_ISFIFO(mode) else
                    "a socket" if stat.S_ISSOCK(mode) else "a device")
            raise UserError(f"cannot import {path}: it is {kind}, not a regular file "
                            "(for a stream use `leadletter import -`)")
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


@contextmanager
def _opened(source: Source) -> Iterator[tuple[BinaryIO, int]]:
    """A seekable binary handle on the source, and its size in bytes."""
    if isinstance(source, (bytes, bytearray)):
        yield io.BytesIO(bytes(source)), len(source)
        return
    if isinstance(source, (str, os.PathLike)):
        if str(source) == "-":
            fh = _spool(sys.stdin.buffer)
        else:
            fh = _open_regular(Path(source))
    else:
        fh = source if _seekable(source) else _spool(source, source_name(source))
    try:
        try:
            fh.seek(0, os.SEEK_END)
            size = fh.tell()
            fh.seek(0)
        except OSError as exc:
            raise UserError(f"cannot read {source_name(source)}: {exc.strerror or exc}") from None
        yield fh, size
    finally:
        if fh is not source:
            fh.close()


def _identity(fh: IO[bytes]) -> tuple[int, int, int, int] | None:
    """Size, modification time, inode and device of an open file (None for other sources);
    the path is not re-read, so a file replaced under its name does not count, only a
    change to the file being read."""
    try:
        st = os.fstat(fh.fileno())
    except (OSError, AttributeError, ValueError, io.UnsupportedOperation):
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    return st.st_size, st.st_mtime_ns, st.st_ino, st.st_dev


def _seekable(fh: IO[bytes]) -> bool:
    try:
        return fh.seekable()
    except (OSError, ValueError):
        return False


def _inspect(fh: BinaryIO, format: str, mapping) -> CsvLayout:
    if format not in FORMATS:
        raise UserError(f"unknown import format {format!r} (use csv or urls)")
    try:
        if format == "urls":
            return inspect_urls(fh)
        return inspect_csv(fh, mapping=mapping)
    except UnusableInput as exc:
        raise UserError(str(exc)) from None
    except OSError as exc:
        raise UserError(f"cannot read the input: {exc.strerror or exc}") from None


# --- use cases -------------------------------------------------------------------------
def preview(source: Source, *, format: str = "csv", mapping=None) -> Preview:
    """Detect encoding, delimiter and columns and read the first rows. Raises UserError."""
    with _opened(source) as (fh, size):
        return Preview(_inspect(fh, format, mapping), source_name(source), size)


class ImportJob:
    """An import whose input is open and being read, before any database is involved.

    :func:`start_import` opens and inspects the input and starts reading it (in a parser
    process for a big file), so the caller can open the database meanwhile; :meth:`run` then
    writes everything in one transaction. Use it as a context manager: leaving it closes the
    input and stops the parser, whatever happened.
    """

    def __init__(self, source: Source, format: str, mapping, parallel: bool | None) -> None:
        from .import_parser import Batches

        self.started = time.perf_counter()
        self.source = source_name(source)
        self._stack = ExitStack()
        try:
            fh, self.size = self._stack.enter_context(_opened(source))
            self._fh, self._identity = fh, _identity(fh)
            self.layout = layout = _inspect(fh, format, mapping)
            reader = iter_csv_batches if layout.format == "csv" else iter_url_batches
            self.batches = Batches(lambda: reader(fh, layout, CHUNK_ROWS), fh, self.size,
                                   parallel=parallel)
            self._stack.callback(self.batches.close)  # before the file closes
        except BaseException:
            self._stack.close()
            raise

    def _check_unchanged(self) -> None:
        """Refuse the import if the file changed while it was read (truncated, rewritten,
        appended to): its rows would be a mix of two versions, or cut mid-row."""
        before = self._identity
        if before is None:
            return
        after = _identity(self._fh)
        if after != before:
            what = (f"it was {before[0]:,} bytes, now {after[0]:,}" if after and
                    after[0] != before[0] else "it was rewritten")
            raise UserError(f"{self.source} changed while it was being imported ({what}); "
                            "nothing was imported: import it again once it is complete")

    def __enter__(self) -> ImportJob:
        return self

    def __exit__(self, *exc_info) -> None:
        self._stack.close()

    def run(self, services: Services, *, dry_run: bool = False,
            progress: Progress | None = None,
            cancel: Callable[[], bool] | None = None) -> ImportReport:
        """Write (or dry-run) the whole input in one transaction."""
        from ..store.store import StoreError

        layout, size = self.layout, self.size
        report = ImportReport(
            encoding=layout.encoding.label,
            delimiter=layout.delimiter_label,
            mapping=dict(zip(layout.header, layout.mapping)),
            header=layout.header,
            format=layout.format,
            title_lines=layout.skip_records,
            dry_run=dry_run,
            source=self.source,
            warnings=list(layout.warnings),
        )
        store = services.store
        try:
            with store.errors(), store.merge_import(dry_run=dry_run) as merger:
                _feed(self.batches, merger, report, size, progress, cancel)
                self._check_unchanged()  # inside the transaction: a change undoes it all
        except (UnusableInput, StoreError, ParserFailed) as exc:
            raise UserError(str(exc)) from None
        except OSError as exc:  # the file went away or the disk failed while reading
            raise UserError(f"cannot read {report.source}: {exc.strerror or exc}") from None
        report.created = merger.counts.created
        report.updated = merger.counts.updated
        report.duplicates = merger.counts.duplicates
        report.seconds = time.perf_counter() - self.started
        if progress is not None:
            progress(report.rows, size, size)
        from .. import logs

        logs.info("import%s from %s into %s: %d rows, %d created, %d updated, %d duplicates, "
                  "%d invalid, %.1f s", " (dry run)" if dry_run else "", report.source,
                  store.display, report.rows, report.created, report.updated,
                  report.duplicates, report.invalid, report.seconds)
        return report


def start_import(source: Source, *, format: str = "csv", mapping=None,
                 parallel: bool | None = None) -> ImportJob:
    """Open, inspect and start reading an import (see :class:`ImportJob`). Raises
    UserError for unusable input. ``parallel``: parse in a forked process (default: for big
    inputs when it is safe)."""
    return ImportJob(source, format, mapping, parallel)


def run_import(
    services: Services,
    source: Source,
    *,
    format: str = "csv",
    dry_run: bool = False,
    mapping=None,
    progress: Progress | None = None,
    cancel: Callable[[], bool] | None = None,
    parallel: bool | None = None,
) -> ImportReport:
    """Import (or dry-run) a CSV file or URL list in one transaction."""
    with start_import(source, format=format, mapping=mapping, parallel=parallel) as job:
        return job.run(services, dry_run=dry_run, progress=progress, cancel=cancel)


def _feed(batches, merger, report: ImportReport, size: int, progress, cancel) -> None:
    errors, rejected = report.errors, report.rejected
    for batch, done in batches:
        n = batch.rows
        if merger.expected_rows is None and n:  # a size hint for the bulk path
            merger.expected_rows = report.rows + n if done >= size else n * size // max(1, done)
        merger.add(batch.lines, batch.fields)
        report.rows += n
        report.invalid += len(batch.rejected)
        room = MAX_ERRORS_KEPT - len(errors)
        for line, reason, cells in batch.rejected[:room] if room > 0 else ():
            errors.append((line, reason))
            rejected.append(cells)
        if progress is not None:
            progress(report.rows, done, size)
        if cancel is not None and cancel():
            raise ImportCancelled("import cancelled; nothing was imported")
    report.errors_omitted = report.invalid - len(errors)


def save_invalid_rows(report: ImportReport, path: str | os.PathLike) -> int:
    """Write the kept invalid rows as CSV (line, reason, then the file's columns), atomically.

    Cells are written as stored (sanitized); formulas are neutralised for spreadsheets.
    Returns the number of rows written.
    """
    import csv

    from ..files import atomic_text_file
    from .shapes import csv_safe

    header = list(report.header) if report.format == "csv" else ["url"]
    with atomic_text_file(Path(path), ".leadletter-invalid-") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(["line", "reason", *header])
        for (line, reason), cells in zip(report.errors, report.rejected):
            writer.writerow([line, csv_safe(reason), *(csv_safe(c) for c in cells)])
    return len(report.errors)


def target_label(target: str) -> str:
    return cols.TARGET_LABELS.get(target, target)


def thread_connection(services: Services):
    """Context manager for a background thread: its own database connection, closed after
    (so a thread-pool thread does not keep one open)."""
    return services.store.connection()
