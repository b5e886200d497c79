"""A coarse index for domain substring filters: domains packed 1,024 ids to a row.

`LIKE '%x%'` over a million contacts costs 150-200 ms, all of it SQLite's per-row work.
Here `domain_chunk` holds, per block of 1,024 ids, every domain of that block joined by
newlines (~23 MB for 1M contacts). A filter reads the blocks once and keeps those whose
text contains every literal part of the pattern (a fast substring search in Python);
the real query then runs only over those id ranges. A pattern found nowhere costs one
pass over the blocks (~25 ms) instead of a scan; a common one (".com") restricts
nothing and is no slower than before.

Blocks are rebuilt from the first block past the covered ids, so new contacts are picked
up on the next search (and right after bulk inserts). Domains never change, and a
deleted contact only leaves a false candidate that the real query filters out.
"""

from __future__ import annotations

from peewee import Database, SqliteDatabase

BITS = 10  # 1,024 ids per block
MAX_SHARE = 0.4  # above this share of blocks matching, restricting ids does not pay

DDL = (
    "CREATE TABLE IF NOT EXISTS domain_chunk ("
    " chunk INTEGER PRIMARY KEY, max_id INTEGER NOT NULL, text TEXT NOT NULL)"
)


def supported(db: Database) -> bool:
    return isinstance(db, SqliteDatabase)


def install(db: Database) -> None:
    if supported(db):
        db.execute_sql(DDL)


def refresh(db: Database) -> None:
    """Pack the blocks that hold ids beyond the covered ones (cheap when up to date)."""
    if not supported(db):
        return
    db.execute_sql(DDL)
    covered = db.execute_sql("SELECT COALESCE(MAX(max_id), 0) FROM domain_chunk").fetchone()[0]
    top = db.execute_sql("SELECT COALESCE(MAX(id), 0) FROM contact").fetchone()[0]
    if top <= covered:
        return
    first = (covered >> BITS) << BITS  # restart at the block holding the next id
    with db.atomic():
        db.execute_sql(
            "INSERT OR REPLACE INTO domain_chunk (chunk, max_id, text) "
            f"SELECT id >> {BITS}, MAX(id), group_concat(domain, char(10)) "
            "FROM contact WHERE id >= ? GROUP BY id >> ?",
            (first, BITS),
        )


def candidate_ranges(db: Database, pattern: str) -> list[tuple[int, int]] | None:
    """Inclusive id ranges that may hold matching domains; None = no useful restriction."""
    if not supported(db):
        return None
    parts = [p for p in pattern.lower().split("*") if p]
    if not parts:
        return None
    try:
        refresh(db)
    except Exception:  # noqa: BLE001 - read-only or busy database: just scan
        return None
    blocks = 0
    hits: list[int] = []
    for chunk, text in db.execute_sql("SELECT chunk, text FROM domain_chunk"):
        blocks += 1
        if all(p in text for p in parts):
            hits.append(chunk)
    top = db.execute_sql("SELECT COALESCE(MAX(max_id), 0) FROM domain_chunk").fetchone()[0]
    if blocks and len(hits) > blocks * MAX_SHARE:
        return None
    ranges: list[tuple[int, int]] = []
    for chunk in hits:
        lo, hi = chunk << BITS, ((chunk + 1) << BITS) - 1
        if ranges and ranges[-1][1] + 1 == lo:
            ranges[-1] = (ranges[-1][0], hi)
        else:
            ranges.append((lo, hi))
    ranges.append((top + 1, 2**62))  # ids added since the blocks were packed
    return ranges
