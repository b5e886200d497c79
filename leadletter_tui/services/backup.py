"""Backing up and restoring a whole database (`leadletter backup` / `restore`).

Which format: the portable one (gzip'd JSON lines, store/backup.py) when the database is
PostgreSQL, when asked for (`portable=True`) or when FILE ends in `.jsonl.gz`; otherwise a
SQLite copy that is itself a LeadLetter database. A backup is written to a hidden temp file
beside FILE and renamed into place, so FILE is either the whole backup or untouched; an
existing FILE is replaced only with `force`.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UserError

PORTABLE_SUFFIX = ".jsonl.gz"


@dataclass
class BackupReport:
    file: str
    format: str  # "sqlite" | "portable"
    schema_version: int
    tables: dict[str, int] = field(default_factory=dict)
    bytes: int = 0
    migrated_from: int | None = None

    def as_json(self) -> dict:
        return {"file": self.file, "format": self.format, "schema_version": self.schema_version,
                "tables": self.tables, "bytes": self.bytes, "migrated_from": self.migrated_from}


def wants_portable(store, dest: Path, portable: bool) -> bool:
    return portable or store.target.kind != "sqlite" or dest.name.endswith(PORTABLE_SUFFIX)


def backup(store, dest: Path, *, portable: bool = False, force: bool = False,
           progress: Callable[[int, int, str], None] | None = None) -> BackupReport:
    """Write a backup of `store` to `dest`. Raises UserError (one line)."""
    from ..store.db import StoreError

    dest = dest.expanduser().absolute()
    if dest.is_dir():
        raise UserError(f"{dest} is a directory; give a file name for the backup")
    if not dest.parent.is_dir():
        raise UserError(f"cannot write {dest}: directory {dest.parent} does not exist")
    if (dest.exists() or dest.is_symlink()) and not force:
        raise UserError(f"{dest} already exists; use --force to replace it")
    if store.target.path is not None and dest == store.target.path:
        raise UserError("the backup file cannot be the database itself")
    tmp = dest.parent / f".{dest.name}.tmp-{os.getpid()}"
    try:
        info = store.write_backup(tmp, portable=wants_portable(store, dest, portable),
                                  progress=progress)
        if force:
            os.replace(tmp, dest)
        else:
            os.link(tmp, dest)  # atomic, and never over a file that appeared meanwhile
    except FileExistsError:
        raise UserError(f"{dest} already exists; use --force to replace it") from None
    except StoreError as exc:
        raise UserError(str(exc)) from None
    except (OSError, sqlite3.Error) as exc:
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise UserError(f"cannot write backup {dest}: {why}") from None
    finally:
        tmp.unlink(missing_ok=True)
    return BackupReport(str(dest), info["format"], info["schema_version"], info["tables"],
                        dest.stat().st_size)


def check_file(source: Path) -> None:
    """Refuse (UserError) what is no backup at all before a database is opened or created
    for it: a missing file, or one that is neither a SQLite file nor a portable backup."""
    from ..store.db import StoreError

    source = source.expanduser()
    if not source.is_file():
        raise UserError(f"no backup file at {source}")
    try:
        with open(source, "rb") as fh:
            magic = fh.read(16)
    except OSError as exc:
        raise UserError(f"cannot read backup {source}: {exc.strerror}") from None
    if magic == b"SQLite format 3\x00":
        return
    if not magic.startswith(b"\x1f\x8b"):
        raise UserError(f"{source} is not a LeadLetter backup")
    from ..store.backup import PortableReader

    try:
        PortableReader(source).close()  # the header alone
    except StoreError as exc:
        raise UserError(str(exc)) from None


def restore(store, source: Path, *,
            progress: Callable[[int, int, str], None] | None = None) -> BackupReport:
    """Load the backup `source` into the store's (empty) database. Raises UserError."""
    from ..store.db import StoreError

    source = source.expanduser().absolute()
    try:
        info = store.restore_backup(source, progress=progress)
    except StoreError as exc:
        raise UserError(str(exc)) from None
    return BackupReport(str(source), info["format"], info["schema_version"], info["tables"],
                        source.stat().st_size, info["migrated_from"])
