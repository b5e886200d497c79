"""The first screen of an existing SQLite database, read before Peewee is loaded.

Loading Peewee and the store (and what they import) is 12-15 ms of a start-up measured
against an empty Textual app (benchmarks/bench_table.py, through a pty). The contacts
table's first screen needs none of it: the newest contacts and the count. So when the
TUI opens a SQLite file that exists and is already at this schema version, it reads those
with the standard library alone, paints, and opens the real `Store` on first use after
that (services/__init__.py). Anything else (a new file, an older schema to migrate, a
server, anything unexpected) returns None and start-up takes the ordinary path, which
checks and reports everything as before.

tests/test_quick_start.py holds this to the store: same rows, same count, same path rules.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from ..domain.model import ContactRow
from .errors import StoreError
from .rows import ROW_COLUMNS, to_row
from .sqlite import header
from .target import parse_url

SCHEMA_VERSION = 9
"""The schema version this code writes: store/db.py's LATEST (a test keeps them equal).
Only a database already at it is read here (an older one must be migrated first)."""

FIRST_PAGE_SQL = (f"SELECT {', '.join(ROW_COLUMNS)} FROM contact "  # constants only
                  "ORDER BY id DESC LIMIT ?")
"""The default view (every contact, newest first: sort by date added, which is by id)."""


def sqlite_path(url: str) -> Path | None:
    """The file a database URL names (store/target.py's rules), or None for a server URL
    or anything the store would not accept."""
    try:
        return parse_url(url).path
    except StoreError:
        return None


def first_page(url: str, size: int, busy_timeout_ms: int = 5000) -> tuple[list[ContactRow], int] | None:
    """(the newest `size` contacts, how many there are), or None: not a SQLite file that
    exists at this schema version with its counters, or any error at all."""
    path = sqlite_path(url)
    if path is None or not path.is_file() or not os.access(path, os.R_OK | os.W_OK):
        return None
    try:
        if header.cut_short(path) is not None:  # the store refuses it, with the reason
            return None
    except OSError:
        return None
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=rw", uri=True,
                               timeout=busy_timeout_ms / 1000, check_same_thread=False)
    except (sqlite3.Error, ValueError):
        return None
    try:
        (journal,) = conn.execute("PRAGMA journal_mode").fetchone()
        if str(journal).lower() != "wal":  # never opened by us, or changed since
            return None
        (version,) = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
        if version != SCHEMA_VERSION:
            return None
        total = sum(n for _status, n in conn.execute("SELECT status, n FROM contact_count"))
        rows = [to_row(t) for t in conn.execute(FIRST_PAGE_SQL, (size,))]
    except (sqlite3.Error, ValueError, TypeError):
        return None
    finally:
        conn.close()
    if len(rows) < min(size, total):  # the counters disagree with the table: let the store see
        return None
    return rows, total
