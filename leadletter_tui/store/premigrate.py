"""The backup taken before a schema migration touches an existing database.

SQLite: an online-backup copy `<name>.pre-v<N>.bak` beside the file (N = the version it is
about to become), or in the data dir when that directory is not writable. PostgreSQL: the
portable dump (store/backup.py) `<dbname>.pre-v<N>.jsonl.gz` in the data dir. The latest
three of a database's such backups are kept. Only called when there is something to
migrate: a current database pays nothing.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from datetime import datetime
from pathlib import Path

from peewee import Database

KEEP = 3


def _data_dir() -> Path:
    from ..config import Paths

    return Paths.from_platform().data_dir


def writable(folder: Path) -> bool:
    return os.access(folder, os.W_OK | os.X_OK)


def _writable_dir(preferred: Path | None, fallback: Path | None) -> Path:
    if preferred is not None and writable(preferred):
        return preferred
    folder = fallback or _data_dir()
    from .db import make_private_dir

    make_private_dir(folder)
    return folder


def _prune(folder: Path, stem: str, suffix: str) -> None:
    """Keep the newest KEEP backups of this database."""
    found = sorted(folder.glob(f"{stem}.pre-v*{suffix}"), key=lambda p: p.stat().st_mtime,
                   reverse=True)
    for old in found[KEEP:]:
        try:
            old.unlink()
        except OSError:
            pass


def take(db: Database, target, version: int, latest: int, fallback_dir: Path | None = None,
         now: datetime | None = None) -> Path:
    """Back up the database at schema `version` before it is migrated to `latest`; a
    backup that fails stops the migration (StoreError)."""
    from .db import StoreError

    try:
        return _take(db, target, version, latest, fallback_dir, now)
    except (OSError, sqlite3.Error) as exc:
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise StoreError(f"cannot back up {target.display} before upgrading it from schema "
                         f"v{version} to v{latest} ({why}); nothing was changed") from None


def _take(db: Database, target, version: int, latest: int, fallback_dir: Path | None,
          now: datetime | None) -> Path:
    if target.kind == "sqlite":
        from .sqlite.backup import copy_database

        folder = _writable_dir(target.path.parent, fallback_dir)
        stem, suffix = target.path.name, ".bak"
        dest = folder / f"{stem}.pre-v{latest}{suffix}"
        tmp = folder / f".{dest.name}.tmp-{os.getpid()}"
        try:
            copy_database(target.path, tmp)
            os.replace(tmp, dest)
        finally:
            tmp.unlink(missing_ok=True)
    else:
        from .. import __version__
        from .backup import write_portable

        folder = _writable_dir(None, fallback_dir)
        name = target.url.partition("?")[0].rpartition("/")[2] or "postgresql"
        stem, suffix = name, ".jsonl.gz"
        dest = folder / f"{stem}.pre-v{latest}{suffix}"
        tmp = folder / f".{dest.name}.tmp-{os.getpid()}"
        try:
            fd = os.open(tmp, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
            with os.fdopen(fd, "wb") as out:
                write_portable(db, out, app_version=__version__,
                               created_at=now or datetime.now())
            os.replace(tmp, dest)
        finally:
            tmp.unlink(missing_ok=True)
    _prune(folder, stem, suffix)
    print(f"leadletter: upgrading the database from schema v{version} to v{latest}; "
          f"backup written to {dest}", file=sys.stderr)
    return dest
