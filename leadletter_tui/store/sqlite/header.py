"""A cheap look at a SQLite file's 100-byte header, without SQLite and without writing."""

from __future__ import annotations

import os
from pathlib import Path

SQLITE_MAGIC = b"SQLite format 3\x00"


def cut_short(path: Path) -> str | None:
    """Why the file is shorter than its header says (its page size times its page count),
    or None. Raises OSError if it cannot be read. Not judged while a WAL file holds pages
    (the main file may then lag behind the header legitimately), nor for an empty or
    non-SQLite file (SQLite itself says so)."""
    with open(path, "rb") as fh:
        head = fh.read(100)
        size = os.fstat(fh.fileno()).st_size
    if len(head) < 100 or not head.startswith(SQLITE_MAGIC):
        return None
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(head[28:32], "big")
    valid = head[24:28] == head[92:96] and pages > 0 and page_size >= 512
    try:
        wal = os.stat(f"{path}-wal").st_size
    except OSError:
        wal = 0
    if valid and not wal and size < page_size * pages:
        return f"cut short: {size:,} bytes, its header says {page_size * pages:,}"
    return None
