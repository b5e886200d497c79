"""Exporting contacts to CSV or JSON: every stored field (shapes.py `record_dict`), written
atomically, never over an existing file unless asked, with progress and cancellation.
The CLI's `export` and the TUI's export both come here."""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Iterable
from pathlib import Path
from typing import IO, TYPE_CHECKING

from ..domain.filters import ContactFilter, Sort
from ..domain.text import quote_input
from ..errors import UserError
from .errors import database_errors
from .shapes import record_dict, write_csv, write_json_array

if TYPE_CHECKING:
    from . import Services

FORMATS = ("csv", "json")
PROGRESS_EVERY = 5_000  # rows between progress reports
CHECK_EVERY = 500  # rows between cancellation checks


class ExportCancelled(Exception):
    """Cancelled part-way: no file was written (the temporary one is removed)."""


class TargetExists(UserError):
    """The file exists and replacing it was not asked for."""


def format_for(path: Path | None, fmt: str | None = None) -> str:
    """The format asked for, else from the file's extension (.json), else CSV."""
    if fmt:
        return fmt
    return "json" if path is not None and path.suffix.lower() == ".json" else "csv"


def target_problem(path: Path) -> str | None:
    """Why `path` cannot be written at all (a short reason), or None. Existing files are
    fine here: replacing one is asked about separately (`replaces_file`). A symlink is
    judged by the file it points to; a FIFO or device by itself (it is written in place)."""
    from ..files import is_special, resolved

    target = resolved(path)
    if target.is_dir():
        return "it is a folder (add a file name)"
    if is_special(target):
        return None if os.access(target, os.W_OK) else "it is not writable"
    directory = target.parent
    if not directory.is_dir():
        return f"folder {directory} does not exist"
    if not os.access(directory, os.W_OK | os.X_OK):
        return f"folder {directory} is not writable"
    if target.exists() and not os.access(target, os.W_OK):
        return "it is read-only"
    return None


def replaces_file(path: Path) -> bool:
    """Writing `path` would replace an existing file's content (a FIFO or a device, such as
    /dev/null, is written to, not replaced)."""
    from ..files import is_special

    return path.exists() and not is_special(path)


def export_contacts(
    services: Services,
    flt: ContactFilter,
    sort: Sort,
    *,
    path: Path | None = None,
    out: IO[str] | None = None,
    fmt: str | None = None,
    ids: Collection[int] | None = None,
    overwrite: bool = False,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> int:
    """Write the filter's contacts (only `ids`, kept in the filter's order) to `path`
    (atomically: a failure or a cancel leaves no half file and an old file untouched) or
    to the stream `out`. Returns the number of contacts.

    Raises TargetExists when `path` exists and `overwrite` is false, UserError for a path
    that cannot be written or a database failure, ExportCancelled when cancelled."""
    fmt = format_for(path, fmt)
    if fmt not in FORMATS:
        raise UserError(f"unknown export format {quote_input(fmt)} (choose from {', '.join(FORMATS)})")
    if path is not None:
        problem = target_problem(path)
        if problem:
            raise UserError(f"cannot write {path}: {problem}")
        if replaces_file(path) and not overwrite:
            raise TargetExists(f"{path} already exists (--force replaces it)")
    store = services.store
    wanted = frozenset(ids) if ids is not None else None
    with database_errors(store):
        total = len(wanted) if wanted is not None else services.contacts.count(flt)
        extra_keys = store.export_extra_keys(flt, wanted) if fmt == "csv" else []
    items = _counted(
        (record_dict(d) for d in store.export_records(flt, sort, wanted)),
        total, progress, cancelled,
    )

    def write(fh: IO[str]) -> int:
        with database_errors(store):
            if fmt == "json":
                return write_json_array(items, fh)
            return write_csv(items, fh, extra_keys)

    if path is None:
        return write(out)
    from .. import logs
    from ..files import atomic_text_file

    with atomic_text_file(path, ".leadletter-export-") as fh:
        count = write(fh)
    logs.info("export: %d contacts from %s to %s (%s)", count, store.display, path, fmt)
    return count


def _counted(items: Iterable[dict], total: int, progress, cancelled) -> Iterable[dict]:
    """Pass items through, reporting progress and checking for a cancel as they go."""
    if progress is not None:
        progress(0, total)
    n = 0
    for item in items:
        yield item
        n += 1
        if cancelled is not None and n % CHECK_EVERY == 0 and cancelled():
            raise ExportCancelled("export cancelled: no file was written")
        if progress is not None and n % PROGRESS_EVERY == 0:
            progress(n, max(total, n))
    if progress is not None:
        progress(n, max(total, n))
