"""A Store's backups as files: writing one (SQLite copy or portable format) and restoring
either kind into an empty database. The formats themselves: backup.py, sqlite/backup.py.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Any

import peewee
from peewee import SqliteDatabase

from . import backup as fmt
from .sqlite import backup as sqlite_files

if TYPE_CHECKING:
    from .store import Store


def write(store: Store, dest: Path, *, portable: bool,
          progress: fmt.Progress | None = None) -> dict[str, Any]:
    """Write a backup of `store` to `dest`, a new file. Returns what it holds:
    {"format": "sqlite" | "portable", "schema_version", "tables": {name: rows}}."""
    from .. import __version__

    if not portable and store.target.kind == "sqlite":
        sqlite_files.copy_database(store.target.path, dest, progress=progress)
        with _open_sqlite(dest) as db:
            found = fmt.tables(db)
            return {"format": "sqlite", "schema_version": fmt.schema_version(db),
                    "tables": fmt.counts(db, found)}
    sqlite_files.private_file(dest)
    with open(dest, "wb") as out:
        header = fmt.write_portable(store.db, out, app_version=__version__,
                                    created_at=store.now(), progress=progress)
        out.flush()
        os.fsync(out.fileno())
    return {"format": "portable", "schema_version": header["schema_version"],
            "tables": {t: v["rows"] for t, v in header["tables"].items()}}


class _open_sqlite:
    """A read-only peewee handle on a SQLite file (nothing written to it, no WAL switch)."""

    def __init__(self, path: Path) -> None:
        self.db = SqliteDatabase(f"file:{path}?mode=ro", uri=True)

    def __enter__(self) -> SqliteDatabase:
        self.db.connect()
        return self.db

    def __exit__(self, *exc) -> None:
        self.db.close()


def restore(store: Store, source: Path, progress: fmt.Progress | None = None) -> dict[str, Any]:
    """Load the backup `source` into the store's database, which must hold no contacts.
    All or nothing. Returns {"format", "schema_version", "migrated_from", "tables"}."""
    from .db import LATEST

    if not source.is_file():
        raise fmt.BackupError(f"no backup file at {source}")
    db = store.db
    with ExitStack() as stack:
        if sqlite_files.is_sqlite_file(source):
            kind = "sqlite"
            problem = sqlite_files.check_file(source)
            if problem:
                raise fmt.BackupError(f"backup {source} is damaged ({problem})")
            src = stack.enter_context(_open_sqlite(source))
            found = fmt.tables(src)
            if "schema_version" not in found or "contact" not in found:
                raise fmt.BackupError(f"{source} is not a LeadLetter database")
            first = fmt.schema_version(src)
            if first > LATEST:
                raise fmt.BackupError(f"the backup is of schema v{first}, newer than this "
                                      f"LeadLetter (v{LATEST}); upgrade it")
            if first < LATEST:  # bring a copy forward with the real migration steps
                src = stack.enter_context(_migrated_copy(source))
                found = fmt.tables(src)
            schema = fmt.schema_version(src)
            per_table = fmt.counts(src, found)
            rows = fmt.sqlite_rows(src, found)
        else:
            kind = "portable"
            with open(source, "rb") as fh:
                if fh.read(2) != b"\x1f\x8b":
                    raise fmt.BackupError(f"{source} is not a LeadLetter backup")
            try:
                reader = fmt.PortableReader(source)
            except OSError as exc:
                raise fmt.BackupError(f"cannot read backup {source}: {exc.strerror or exc}") from None
            stack.callback(reader.close)
            first = schema = reader.header["schema_version"]
            found = {t: v["columns"] for t, v in reader.header["tables"].items()}
            per_table = {t: v["rows"] for t, v in reader.header["tables"].items()}
            rows = reader.rows()
        try:
            with db.atomic():
                done = fmt.restore_rows(db, found, schema, rows, total=sum(per_table.values()),
                                        now=store.now(), progress=progress)
                if done != per_table:
                    raise fmt.BackupError(f"backup {source} did not hold the rows it counts")
        except peewee.IntegrityError as exc:  # rows that do not fit together: damaged
            why = str(exc).strip().splitlines()[0] if str(exc).strip() else "integrity error"
            raise fmt.BackupError(f"backup {source} is damaged: its rows do not fit "
                                  f"together ({why}); nothing was restored") from None
    return {"format": kind, "schema_version": max(schema, LATEST) if kind == "portable" else schema,
            "migrated_from": first if first < LATEST else None, "tables": done}


class _migrated_copy:
    """A temporary copy of an older-schema SQLite backup, migrated by today's steps."""

    def __enter__(self) -> peewee.Database:
        from .db import open_database

        self.folder = tempfile.mkdtemp(prefix="leadletter-restore-")
        copy = Path(self.folder) / "backup.db"
        shutil.copyfile(self.source, copy)
        self.db = open_database(str(copy), create=False, backup=False)
        return self.db

    def __init__(self, source: Path) -> None:
        self.source = source

    def __exit__(self, *exc) -> None:
        self.db.close()
        shutil.rmtree(self.folder, ignore_errors=True)
