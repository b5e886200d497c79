"""Change notifications on SQLite: `PRAGMA data_version` on a connection of its own.

SQLite raises a connection's `data_version` whenever another connection (another process,
or another thread of this one: each has its own connection) commits to the file. The
watcher keeps one private connection that never writes and compares the value at each
`changed()`. In WAL mode the pragma reads the shared-memory index only (no file I/O, no
lock): about 2-5 µs, so the UI asks it inline from a timer (see app.py `_watch_tick`).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path


class SqliteWatch:
    mode = "data_version"

    def __init__(self, path: Path) -> None:
        self._conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        self._last = self._version()

    def _version(self) -> int:
        return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    def wait_ready(self, timeout: float = 0.0) -> bool:
        return True

    def changed(self) -> bool:
        """Whether another connection committed since the last call."""
        try:
            now = self._version()
        except sqlite3.Error:
            return False  # e.g. the file is busy being checkpointed: ask again next time
        if now != self._last:
            self._last = now
            return True
        return False

    def close(self) -> None:
        self._conn.close()
