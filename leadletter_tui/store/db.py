"""Connecting by URL, pragmas, file permissions and versioned schema migrations.

`open_database(url)` is the single entry point; it connects and brings the schema up to
date (the `Store` in store/store.py wraps the database it returns). Every failure becomes a `StoreError` whose message is one
line a user can act on.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import peewee
from peewee import Database, SqliteDatabase

from ..errors import hide_secrets
from .errors import StoreError
from .models import ALL_MODELS, SchemaVersion
from .postgres import counters as pg_counters
from .postgres import trigram
from .postgres.connect import attach_postgres_driver, postgres_params
from .sqlite import counters, domain_index, header
from .target import DatabaseTarget, display_url, parse_url  # noqa: F401  (re-exported)

SQLITE_PRAGMAS = {  # every connection's own settings (none of them changes the file)
    # First, though it only takes on a new, empty file: the cache below is sized in KiB,
    # and SQLite turns that into pages with the page size it knows at that moment; on a
    # 16 KiB-page file opened without this, the cache became four times too big (an
    # import of a million rows peaked at 210 MB instead of 106 MB).
    "page_size": 16384,
    "foreign_keys": 1,
    "synchronous": "normal",
    "cache_size": -32000,
}
# What the file keeps, set once by open_database after checking the file is ours (or empty):
# only a new, empty file takes a page size (16 KiB pages: a third less time for a big
# import, shallower trees), then WAL mode.
SQLITE_FILE_PRAGMAS = (("page_size", 16384), ("journal_mode", "wal"))


def _prepare_sqlite_file(path: Path, *, create: bool) -> str:
    """Check (or create) the file before SQLite opens it. Returns how to open it: "" to
    read and write, "ro" read-only (a file or directory we may not write), "immutable"
    read-only where SQLite could not even create its WAL index (a read-only directory)."""
    if path.is_dir():
        raise StoreError(f"database path is a directory: {path}")
    if path.exists():
        if not os.access(path, os.R_OK):
            raise StoreError(f"cannot read database file {path}: permission denied")
        _check_sqlite_header(path)
        if not os.access(path, os.W_OK):
            mode = "ro"
        elif not os.access(path.parent, os.W_OK | os.X_OK):
            mode = "ro"
        else:
            return ""
        shm = Path(f"{path}-shm")
        if not os.access(path.parent, os.W_OK) and not shm.exists():
            return "immutable"
        return mode
    if not create:
        raise StoreError(f"no database at {path}")
    if not path.parent.is_dir():
        raise StoreError(f"cannot create database {path}: directory {path.parent} does not exist")
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
    except FileExistsError:
        pass
    except OSError as exc:
        raise StoreError(f"cannot create database {path}: {exc.strerror}") from None
    return ""


def _check_sqlite_header(path: Path) -> None:
    """A file cut short is refused before SQLite opens it (store/sqlite/header.py)."""
    try:
        problem = header.cut_short(path)
    except OSError as exc:
        raise StoreError(f"cannot read database file {path}: {exc.strerror or exc}") from None
    if problem is not None:
        raise StoreError(damaged(str(path), problem, "it was not changed"))


def _check_ours(db: Database, target: DatabaseTarget) -> None:
    """Refuse another program's SQLite file before anything changes it (journal mode,
    page size, migrations): it must be empty or hold LeadLetter's schema_version table."""
    names = {row[0] for row in db.execute_sql(
        "SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()}
    names = {n for n in names if not n.startswith("sqlite_")}
    if names and SchemaVersion._meta.table_name not in names:
        raise StoreError(f"{target.display} holds other tables; it is not a LeadLetter "
                         "database (nothing in it was changed)")


def _set_file_pragmas(db: Database) -> None:
    for name, value in SQLITE_FILE_PRAGMAS:
        db.execute_sql(f"PRAGMA {name} = {value}")


def _quick_check(path: Path, seconds: float = 2.0) -> str | None:
    """The first problem ``PRAGMA quick_check`` finds (read-only, given up after
    ``seconds``), or None when it finds none or ran out of time."""
    import time
    from urllib.parse import quote

    deadline = time.monotonic() + seconds
    try:
        con = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        con.set_progress_handler(lambda: time.monotonic() > deadline, 10_000)
        rows = con.execute("PRAGMA quick_check(1)").fetchall()
    except sqlite3.Error as exc:
        return None if "interrupted" in str(exc) else str(exc)
    finally:
        con.close()
    first = rows[0][0] if rows else "ok"
    return None if first == "ok" else str(first)


def make_private_dir(path: Path) -> None:
    """Create the data directory (and parents) readable by the owner only."""
    fresh = not path.exists()
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    if fresh:
        os.chmod(path, 0o700)


def _connect(target: DatabaseTarget, busy_timeout_ms: int, read_only: str = "") -> Database:
    if target.kind == "sqlite":
        name, extra = str(target.path), {}
        if read_only:  # read-only: lists and reports work, a write says "read-only"
            from urllib.parse import quote

            flags = "mode=ro" + ("&immutable=1" if read_only == "immutable" else "")
            name, extra = f"file:{quote(name)}?{flags}", {"uri": True}
        return SqliteDatabase(
            name,
            pragmas={**SQLITE_PRAGMAS, "busy_timeout": busy_timeout_ms},
            timeout=busy_timeout_ms / 1000,
            check_same_thread=False,
            **extra,
        )
    attach_postgres_driver()
    try:
        return peewee.PostgresqlDatabase(**postgres_params(target.url))
    except Exception as exc:
        raise StoreError(target.hide(f"cannot use database URL {target.display}: {exc}")) from None


def damaged(where: str, problem: str, done: str) -> str:
    """The one line for a damaged database file."""
    return (f"{where} is not a usable LeadLetter database: the file is damaged ({problem}); "
            f"{done}. Restore a backup")


def first_error(exc: BaseException) -> BaseException:
    """The error that started it: a failed COMMIT (e.g. the disk is full) makes SQLite end
    the transaction itself, and the ROLLBACK that follows fails with "cannot rollback - no
    transaction is active", which would hide the cause."""
    seen = 0
    while "no transaction is active" in str(exc) and seen < 5:
        cause = exc.__cause__ or exc.__context__
        if cause is None:
            break
        exc, seen = cause, seen + 1
    return exc


def describe_error(exc: BaseException, target: DatabaseTarget) -> str:
    """Turn a driver exception into one line naming the database."""
    exc = first_error(exc)
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    text = target.hide(text)  # a driver may quote the DSN, password and all
    where = target.display
    if "disk is full" in text or "No space left" in text:
        return f"disk full: cannot write to {where} ({text}); nothing of this change was saved"
    if "malformed" in text:
        return damaged(where, text, "nothing more was written to it")
    if "file is not a database" in text:
        return f"{where} is not a usable LeadLetter database ({text})"
    if "locked" in text or "busy" in text:
        return f"database {where} is locked by another program; try again in a moment"
    if "readonly" in text or "read-only" in text:
        return f"database {where} is read-only"
    if "unable to open" in text:
        return f"cannot open database {where}"
    if isinstance(exc, peewee.ImproperlyConfigured):
        return f"{text} (install the extra: pip install 'leadletter-tui[postgres]')"
    return f"database error on {where}: {text}"


def failure_message(exc: BaseException, target: DatabaseTarget | None = None) -> str | None:
    """One line for a failure of the database itself met while using it (locked, busy,
    read-only, corrupt, gone); None for anything else, e.g. an IntegrityError (a bug)."""
    own = isinstance(exc, (peewee.OperationalError, sqlite3.OperationalError)) or type(exc) in (
        peewee.DatabaseError,
        sqlite3.DatabaseError,
    )
    if not own:
        return None
    if target is None:
        return hide_secrets(f"database error: {str(exc).strip() or type(exc).__name__}")
    return describe_error(exc, target)


# --- migrations -------------------------------------------------------------------
# A fresh database gets today's schema straight from the models and is stamped with
# LATEST. An older database is brought forward by running each numbered step above
# its stored version, in one transaction. Steps are append-only: never edit one.
Step = Callable[[Database], None]


def _v2_counters_and_domain_index(db: Database) -> None:
    """Status index (status filters in added order), per-status counters, domain blocks."""
    db.execute_sql('CREATE INDEX IF NOT EXISTS "contact_status" ON "contact" ("status")')
    counters.install(db)
    domain_index.install(db)


def _v3_drop_created_index(db: Database) -> None:
    """Sorting by date added uses ids; the created_at index only cost every insert."""
    db.execute_sql('DROP INDEX IF EXISTS "contact_created_at"')


def _v4_postgres_sort_indexes(db: Database) -> None:
    """PostgreSQL puts NULLs last going up, so "last sent ↓" with the never-sent last (as
    SQLite orders it) needs that order in an index, or each page of the table is a sort of
    every contact. SQLite's own indexes already give it: nothing to do there."""
    if not isinstance(db, peewee.PostgresqlDatabase):
        return
    for name, columns in (
        ("contact_last_sent_desc", "last_sent_at DESC NULLS LAST, id DESC"),
        ("contact_status_last_sent_desc", "status, last_sent_at DESC NULLS LAST, id DESC"),
    ):
        db.execute_sql(f'CREATE INDEX IF NOT EXISTS "{name}" ON "contact" ({columns})')


def _v5_message_model_and_research(db: Database) -> None:
    """Each message records the model that wrote it and the research it was written from."""
    db.execute_sql('ALTER TABLE "message" ADD COLUMN "model" VARCHAR(80) NOT NULL DEFAULT \'\'')
    db.execute_sql('ALTER TABLE "message" ADD COLUMN "research" TEXT NOT NULL DEFAULT \'\'')
def _v6_reply_labels_and_snooze(db: Database) -> None:
    """Replies keep why and by whom they were labelled and the signal read from them;
    contacts get a follow-up snooze date. Nullable columns: nothing to backfill."""
    stamp = "TIMESTAMP" if isinstance(db, peewee.PostgresqlDatabase) else "DATETIME"
    for table, column, kind in (
        ("contact", "snoozed_until", stamp),
        ("reply", "reason", "VARCHAR(300)"),
        ("reply", "labelled_by", "VARCHAR(12)"),
        ("reply", "signal", "VARCHAR(20)"),
    ):
        db.execute_sql(f'ALTER TABLE "{table}" ADD COLUMN "{column}" {kind}')


def _v7_versions_actors_and_notify(db: Database) -> None:
    """Contacts get a version (every write bumps it: conditional writes check it), events
    the name of who did it; on PostgreSQL, writes to the watched tables NOTIFY listeners
    (store/postgres/watch.py) so open apps refresh."""
    db.execute_sql('ALTER TABLE "contact" ADD COLUMN "version" INTEGER NOT NULL DEFAULT 0')
    db.execute_sql('ALTER TABLE "event" ADD COLUMN "actor" VARCHAR(64) NOT NULL DEFAULT \'\'')
    from .postgres import watch as pg_watch

    pg_watch.install(db)


def _v8_shared_settings(db: Database) -> None:
    """Settings a team shares (saved views, the sender profile): one row per key, written
    by upsert. Spelled out here (not from the model) so this step never changes."""
    stamp = "TIMESTAMP" if isinstance(db, peewee.PostgresqlDatabase) else "DATETIME"
    db.execute_sql(
        'CREATE TABLE IF NOT EXISTS "setting" ("key" VARCHAR(200) NOT NULL PRIMARY KEY, '
        f'"value" TEXT NOT NULL, "updated_at" {stamp} NOT NULL, '
        '"updated_by" VARCHAR(120) NOT NULL DEFAULT \'\')')


def _v9_postgres_search_indexes(db: Database) -> None:
    """PostgreSQL: trigram (pg_trgm) GIN indexes for the domain filter and the text search,
    which are ILIKE '%…%' and otherwise read every contact. Without the extension (and no
    right to create it) a warning is logged and nothing else changes. Also finer planner
    statistics on those columns (without them a common pattern's first page read every
    match), and per-status counters (store/postgres/counters.py), so totals are not a
    COUNT(*) of every contact. SQLite: nothing (it has store/sqlite/ for both)."""
    trigram.install(db)
    trigram.tune_statistics(db)
    pg_counters.install(db)


MIGRATIONS: list[tuple[int, str, Step]] = [
    (2, "counters_and_domain_index", _v2_counters_and_domain_index),
    (3, "drop_created_index", _v3_drop_created_index),
    (4, "postgres_sort_indexes", _v4_postgres_sort_indexes),
    (5, "message_model_and_research", _v5_message_model_and_research),
    (6, "reply_labels_and_snooze", _v6_reply_labels_and_snooze),
    (7, "versions_actors_and_notify", _v7_versions_actors_and_notify),
    (8, "shared_settings", _v8_shared_settings),
    (9, "postgres_search_indexes", _v9_postgres_search_indexes),
]
LATEST = 1 + len(MIGRATIONS)


def current_version(db: Database) -> int | None:
    if not db.table_exists(SchemaVersion._meta.table_name):
        return None
    row = SchemaVersion.select(peewee.fn.MAX(SchemaVersion.version)).scalar(db)
    return int(row) if row is not None else None


def migrate(db: Database, now: Callable[[], datetime] = datetime.now,
            backup: Callable[[int], object] | None = None) -> list[int]:
    """Create or upgrade the schema; returns the versions applied. `backup(version)` runs
    first when an existing database is about to be migrated (store/premigrate.py)."""
    seen = current_version(db)
    if seen == LATEST:  # the common case: no transaction, no backup, nothing to do
        return []
    if seen is not None and seen < LATEST and backup is not None:
        backup(seen)
    with db.atomic():
        version = current_version(db)
        if version is None:
            others = [t for t in db.get_tables() if not t.startswith("sqlite_")]
            if others:
                raise StoreError("this database holds other tables; it is not a LeadLetter database")
            for model in ALL_MODELS:  # in dependency order; the models are never bound
                peewee.SchemaManager(model, db).create_all(safe=True)
            counters.install(db)
            domain_index.install(db)
            _v4_postgres_sort_indexes(db)
            from .postgres import watch as pg_watch

            pg_watch.install(db)
            _v9_postgres_search_indexes(db)
            SchemaVersion.insert(version=LATEST, applied_at=now().replace(microsecond=0)).execute(db)
            return [LATEST]
        if version > LATEST:
            raise StoreError(
                f"database schema v{version} is newer than this LeadLetter (v{LATEST}); upgrade it"
            )
        applied = []
        for number, _name, step in MIGRATIONS:
            if number > version:
                step(db)
                SchemaVersion.insert(version=number, applied_at=now().replace(microsecond=0)).execute(db)
                applied.append(number)
        return applied


def open_database(url: str, *, create: bool = True, busy_timeout_ms: int = 5000,
                  backup_dir: Path | None = None, backup: bool = True) -> Database:
    """Connect, check and migrate (backing up first: store/premigrate.py; `backup_dir`
    where it goes when not beside the file). Raises StoreError."""
    target = parse_url(url)
    read_only = ""
    if target.path is not None:
        read_only = _prepare_sqlite_file(target.path, create=create)
    db = _connect(target, busy_timeout_ms, read_only)

    def before_migrating(version: int) -> None:
        from . import premigrate

        premigrate.take(db, target, version, LATEST, backup_dir)

    try:
        db.connect(reuse_if_open=True)
        if target.path is not None:
            _check_ours(db, target)
            if not read_only:
                _set_file_pragmas(db)
        applied = migrate(db, backup=before_migrating if backup else None)
    except StoreError:
        db.close()
        raise
    except (peewee.PeeweeException, sqlite3.Error, OSError) as exc:
        if not db.is_closed():
            db.close()
        message = describe_error(exc, target)
        if target.path is not None and message.startswith("database error on"):
            problem = _quick_check(target.path)  # an unexplained error: is the file damaged?
            if problem is not None:
                message = damaged(target.display, problem, "it was not changed")
        raise StoreError(message) from None
    db.leadletter_target = target  # type: ignore[attr-defined]
    if applied:  # a new database, or an upgrade
        from .. import logs

        logs.info("database %s: schema v%d (steps run: %s)", target.display, applied[-1],
                  ", ".join(map(str, applied)))
    return db
