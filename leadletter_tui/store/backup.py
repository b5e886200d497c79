"""Backups the app writes and reads itself, on any engine (no pg_dump, no sqlite3 shell).

The portable format (`*.jsonl.gz`) is gzip'd JSON lines:
1. a header: `{"format": "leadletter-backup", "format_version", "schema_version",
   "app_version", "created_at", "source", "tables": {name: {"columns": [...], "rows": n}}}`;
2. one line per row, `{"t": table, "r": [values in the header's column order]}`, every
   table of store/models.py in dependency order (contact, message, reply, event, then
   schema_version), ids included; datetimes as "YYYY-MM-DD HH:MM:SS[.ffffff]" text,
   booleans as true/false, bytes as {"b64": ...};
3. a trailer: `{"end": true, "counts": {...}}`. A file without it (cut short), with other
   counts, or that gzip or JSON cannot read is refused as a whole.

Tables and columns are read from the database itself (what exists, in model order), so a
column a future migration adds is written without a change here, and a database still at
an older schema (the dump taken before migrating it) is written as it is.

`restore_rows` loads a backup into an empty database in the caller's transaction: explicit
ids, then the PostgreSQL sequences moved past them, the SQLite counters and domain index
rebuilt, and the schema_version history of the backup (plus the steps a portable backup of
an older schema skipped; their new columns take their defaults).
"""

from __future__ import annotations

import base64
import gzip
import json
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

import peewee
from peewee import Database

from .db import StoreError
from .models import ALL_MODELS, SchemaVersion
from .sqlite import counters, domain_index

FORMAT = "leadletter-backup"
FORMAT_VERSION = 1
PAGE = 5000  # rows per keyset page while reading
BATCH = 1000  # rows per executemany while restoring
Progress = Callable[[int, int, str], None]  # (done, in all, unit: "rows" | "pages")


class BackupError(StoreError):
    """A backup that cannot be read or restored (one line for the user)."""


def ordered_models() -> list[type[peewee.Model]]:
    """Every model, parents before children, schema_version last."""
    models = [m for m in peewee.sort_models(list(ALL_MODELS)) if m is not SchemaVersion]
    return [*models, SchemaVersion]


def tables(db: Database) -> dict[str, list[str]]:
    """The model tables this database has, in dependency order, with their real columns."""
    present = set(db.get_tables())
    found = {}
    for model in ordered_models():
        name = model._meta.table_name
        if name in present:
            found[name] = [c.name for c in db.get_columns(name)]
    return found


def _fields(table: str) -> dict[str, peewee.Field]:
    for model in ALL_MODELS:
        if model._meta.table_name == table:
            return {f.column_name: f for f in model._meta.sorted_fields}
    return {}


def encode(value: Any, field: peewee.Field | None) -> Any:
    """A stored value as JSON, the same from every engine."""
    if value is None:
        return None
    if isinstance(field, peewee.BooleanField):
        return bool(value)
    if isinstance(value, datetime):
        return value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"b64": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, Decimal):
        return str(value)
    return value


def decode(value: Any, field: peewee.Field | None, postgres: bool) -> Any:
    """A JSON value ready to insert into this engine's column."""
    if value is None:
        return None
    if isinstance(value, dict) and "b64" in value:
        return base64.b64decode(value["b64"])
    if isinstance(field, peewee.BooleanField):
        return bool(value)
    if isinstance(field, peewee.DateTimeField) and isinstance(value, str):
        try:
            stamp = datetime.fromisoformat(value)
        except ValueError:
            raise BackupError(f"bad date-time {value[:40]!r} in the backup") from None
        return stamp if postgres else str(stamp)
    if isinstance(field, (peewee.IntegerField, peewee.ForeignKeyField)):
        return int(value)
    return value


@contextmanager
def snapshot(db: Database) -> Iterator[None]:
    """One consistent view of every table for the time of a backup."""
    with db.atomic():
        if isinstance(db, peewee.PostgresqlDatabase):
            db.execute_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def counts(db: Database, found: dict[str, list[str]]) -> dict[str, int]:
    return {t: int(db.execute_sql(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0]) for t in found}


def schema_version(db: Database) -> int:
    row = db.execute_sql('SELECT MAX("version") FROM "schema_version"').fetchone()
    if not row or row[0] is None:
        raise BackupError("no schema version recorded: not a LeadLetter database")
    return int(row[0])


def iter_rows(db: Database, table: str, columns: list[str]) -> Iterator[list[Any]]:
    """Rows of `table` in id order, a page at a time (bounded memory at any size)."""
    fields = _fields(table)
    names = ", ".join(f'"{c}"' for c in columns)
    if "id" not in columns:
        for row in db.execute_sql(f'SELECT {names} FROM "{table}"'):
            yield [encode(v, fields.get(c)) for c, v in zip(columns, row)]
        return
    at = columns.index("id")
    last = None
    while True:
        where, params = ("", (PAGE,)) if last is None else (f' WHERE "id" > {db.param}', (last, PAGE))
        rows = db.execute_sql(
            f'SELECT {names} FROM "{table}"{where} ORDER BY "id" LIMIT {db.param}', params
        ).fetchall()
        for row in rows:
            yield [encode(v, fields.get(c)) for c, v in zip(columns, row)]
        if len(rows) < PAGE:
            return
        last = rows[-1][at]


def write_portable(db: Database, out: IO[bytes], *, app_version: str, created_at: datetime,
                   progress: Progress | None = None) -> dict[str, Any]:
    """Write the whole database to `out` (a binary file) as the portable format; returns
    the header. Reads one snapshot, so writers going on meanwhile do not tear it."""
    with snapshot(db), gzip.GzipFile(fileobj=out, mode="wb", compresslevel=6, mtime=0) as gz:
        found = tables(db)
        if "schema_version" not in found:
            raise BackupError("no schema version recorded: not a LeadLetter database")
        per_table = counts(db, found)
        header = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "schema_version": schema_version(db),
            "app_version": app_version,
            "created_at": created_at.isoformat(timespec="seconds"),
            "source": "postgresql" if isinstance(db, peewee.PostgresqlDatabase) else "sqlite",
            "tables": {t: {"columns": cols, "rows": per_table[t]} for t, cols in found.items()},
        }
        gz.write(_line(header))
        total, done = sum(per_table.values()), 0
        for table, columns in found.items():
            for row in iter_rows(db, table, columns):
                gz.write(_line({"t": table, "r": row}))
                done += 1
                if progress and done % 10_000 == 0:
                    progress(done, total, "rows")
        gz.write(_line({"end": True, "counts": per_table}))
    if progress:
        progress(total, total, "rows")
    return header


def _line(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


class PortableReader:
    """Reads a portable backup: `header` at once, then `rows()` (checked to the end)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._gz = gzip.open(path, "rb")
        try:
            self.header = self._check_header(self._next())
        except BaseException:
            self._gz.close()
            raise

    def close(self) -> None:
        self._gz.close()

    def _next(self) -> Any:
        try:
            line = self._gz.readline()
            return json.loads(line) if line else None
        except (OSError, EOFError, zlib.error, UnicodeDecodeError, ValueError) as exc:
            raise BackupError(f"backup {self.path} is damaged or cut short ({exc})") from None

    def _check_header(self, header: Any) -> dict[str, Any]:
        if not isinstance(header, dict) or header.get("format") != FORMAT:
            raise BackupError(f"{self.path} is not a LeadLetter backup")
        if not isinstance(header.get("format_version"), int) or header["format_version"] > FORMAT_VERSION:
            raise BackupError(f"backup {self.path} was written by a newer LeadLetter; upgrade it")
        tabs = header.get("tables")
        ok = isinstance(header.get("schema_version"), int) and isinstance(tabs, dict) and all(
            isinstance(v, dict) and isinstance(v.get("columns"), list)
            and isinstance(v.get("rows"), int) for v in tabs.values())
        if not ok:
            raise BackupError(f"backup {self.path} has a damaged header")
        return header

    def rows(self) -> Iterator[tuple[str, list[Any]]]:
        tabs = self.header["tables"]
        seen = dict.fromkeys(tabs, 0)
        while True:
            item = self._next()
            if item is None:
                raise BackupError(f"backup {self.path} is cut short (no end mark)")
            if item.get("end") is True:
                break
            table, row = item.get("t"), item.get("r")
            if table not in tabs or not isinstance(row, list) or len(row) != len(tabs[table]["columns"]):
                raise BackupError(f"backup {self.path} holds a damaged row")
            seen[table] += 1
            yield table, row
        expected = {t: v["rows"] for t, v in tabs.items()}
        if seen != expected or item.get("counts") != expected:
            raise BackupError(f"backup {self.path} does not hold the rows its header counts")
        if self._gz.read(1):
            raise BackupError(f"backup {self.path} has data after its end mark")


def sqlite_rows(db: Database, found: dict[str, list[str]]) -> Iterator[tuple[str, list[Any]]]:
    for table, columns in found.items():
        for row in iter_rows(db, table, columns):
            yield table, row


def is_empty(db: Database) -> bool:
    return db.execute_sql('SELECT 1 FROM "contact" LIMIT 1').fetchone() is None


def restore_rows(db: Database, header_tables: dict[str, list[str]], schema: int,
                 rows: Iterable[tuple[str, list[Any]]], *, total: int, now: datetime,
                 progress: Progress | None = None) -> dict[str, int]:
    """Insert a backup's rows into this (empty, current-schema) database. Run inside the
    caller's transaction: any failure, including a damaged row at the very end, leaves
    the database as it was. Returns rows per table."""
    from .db import LATEST

    if schema > LATEST:
        raise BackupError(f"the backup is of schema v{schema}, newer than this LeadLetter "
                          f"(v{LATEST}); upgrade it")
    if not is_empty(db):
        raise BackupError("the database already holds contacts; restore only into an empty one")
    mine = tables(db)
    for table, columns in header_tables.items():
        unknown = [c for c in columns if c not in mine.get(table, ())]
        if table not in mine or unknown:
            raise BackupError(f"the backup has {table}.{(unknown or ['*'])[0]}, which this "
                              "LeadLetter does not know; upgrade it")
    postgres = isinstance(db, peewee.PostgresqlDatabase)
    for table in reversed(list(header_tables)):
        db.execute_sql(f'DELETE FROM "{table}"')  # only schema_version holds rows here
    done: dict[str, int] = dict.fromkeys(header_tables, 0)
    pending: list[list[Any]] = []
    current: str | None = None

    def flush() -> None:
        if pending and current is not None:
            cols = header_tables[current]
            sql = (f'INSERT INTO "{current}" ({", ".join(f"{chr(34)}{c}{chr(34)}" for c in cols)}) '
                   f'VALUES ({", ".join([db.param] * len(cols))})')
            with peewee.__exception_wrapper__:  # driver errors as peewee's own
                db.cursor().executemany(sql, pending)
            pending.clear()

    fields: dict[str, peewee.Field] = {}
    count = 0
    for table, row in rows:
        if table != current:
            flush()
            current, fields = table, _fields(table)
        cols = header_tables[table]
        pending.append([decode(v, fields.get(c), postgres) for c, v in zip(cols, row)])
        done[table] += 1
        count += 1
        if len(pending) >= BATCH:
            flush()
        if progress and count % 10_000 == 0:
            progress(count, total, "rows")
    flush()
    if not done.get("schema_version"):
        raise BackupError("the backup holds no schema version rows")
    for number in range(schema + 1, LATEST + 1):  # steps a portable old backup did not take
        SchemaVersion.insert(version=number, applied_at=now.replace(microsecond=0)).execute(db)
    after_insert(db)
    if progress:
        progress(count, total, "rows")
    return done


def after_insert(db: Database) -> None:
    """Sequences past the explicit ids (PostgreSQL); counters and domain blocks (SQLite)."""
    if isinstance(db, peewee.PostgresqlDatabase):
        for table, columns in tables(db).items():
            if "id" in columns:
                db.execute_sql(
                    f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                    f'COALESCE(MAX("id"), 1), MAX("id") IS NOT NULL) FROM "{table}"'
                )
        return
    counters.install(db)
    if domain_index.supported(db):
        domain_index.install(db)
        db.execute_sql("DELETE FROM domain_chunk")
        domain_index.refresh(db)
