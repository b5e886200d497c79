"""SQLite file copies through the online backup API (consistent while others write).

The copy is written to a private temp file beside the destination and switched to the
rollback journal, so the result is one self-contained file: itself a LeadLetter database
(`leadletter --db FILE` opens it). Callers rename it into place.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

SQLITE_MAGIC = b"SQLite format 3\x00"


def is_sqlite_file(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(16) == SQLITE_MAGIC
    except OSError:
        return False


def private_file(path: Path) -> None:
    """Create `path` empty, readable by the owner only (contacts are private data)."""
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)


def copy_database(source: Path, dest: Path,
                  progress: Callable[[int, int, str], None] | None = None) -> None:
    """Copy the database file `source` to the new file `dest` (must not exist)."""
    private_file(dest)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    try:
        out = sqlite3.connect(dest)
        try:
            def step(status: int, remaining: int, total: int) -> None:
                if progress:
                    progress(total - remaining, total, "pages")

            src.backup(out, pages=4096, progress=step)
            out.execute("PRAGMA journal_mode=DELETE")
            out.commit()
        finally:
            out.close()
    finally:
        src.close()


def check_file(path: Path) -> str | None:
    """None when `path` is a sound SQLite file, else why not (quick_check's first line)."""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = con.execute("PRAGMA quick_check(1)").fetchone()
        finally:
            con.close()
    except sqlite3.Error as exc:
        return str(exc)
    return None if row and row[0] == "ok" else str(row[0] if row else "no answer")
