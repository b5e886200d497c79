"""A coarse trigram index for domain substring filters (SQLite).

`LIKE '%x%'` over a million contacts costs 150-200 ms, all of it SQLite's per-row work.
Domains are plain ASCII (`a-z 0-9 - .`, 38 characters), so every three-character run
maps to one of 38³ = 54,872 numbers. `domain_chunk` keeps, per block of 1,024 ids, a
bitmap (6.9 KB) of the trigrams that occur in that block's domains. A filter reads the
bitmaps (~7 MB for 1M contacts), keeps the blocks that hold every trigram of the pattern,
and the real query (`LIKE`, which stays the judge) runs only over those id ranges. A
pattern found nowhere is answered in milliseconds instead of a full scan; a common one
(".com") restricts nothing and costs what it did before.

Blocks are (re)built from the first block past the covered ids, so new contacts are
picked up by the next search (and right after bulk inserts). Domains never change, and a
deleted contact only leaves a false candidate that the real query filters out.
"""

from __future__ import annotations

from functools import cache

from peewee import Database, SqliteDatabase

BITS = 10  # 1,024 ids per block
MAX_SHARE = 0.4  # above this share of blocks matching, restricting ids does not pay
ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789-."
_SIZE = len(ALPHABET) ** 3

DDL = (
    "CREATE TABLE IF NOT EXISTS domain_chunk ("
    " chunk INTEGER PRIMARY KEY, max_id INTEGER NOT NULL, grams BLOB NOT NULL)"
)


def supported(db: Database) -> bool:
    return isinstance(db, SqliteDatabase)


def install(db: Database) -> None:
    """Create the (empty) table; it is filled by `refresh`."""
    if not supported(db):
        return
    columns = {row[1] for row in db.execute_sql("PRAGMA table_info(domain_chunk)")}
    if columns and "grams" not in columns:  # a pre-release layout: rebuild from scratch
        db.execute_sql("DROP TABLE domain_chunk")
    db.execute_sql(DDL)


@cache
def _gram_table() -> dict[tuple[int, int, int], int]:
    """Every possible trigram (as three byte values) → its bit; built on first use
    (55k entries: too slow to build at import, which every start-up pays)."""
    codes = ALPHABET.encode()
    return {
        (a, b, c): (i * 38 + j) * 38 + k
        for i, a in enumerate(codes)
        for j, b in enumerate(codes)
        for k, c in enumerate(codes)
    }


def _grams(raw: bytes) -> set[int]:
    """Bit numbers of the trigrams in `raw` (runs across a newline are not trigrams)."""
    gram = _gram_table().get
    found = {gram(t) for t in set(zip(raw, raw[1:], raw[2:]))}
    found.discard(None)
    return found


def bitmap(domains: str) -> bytes:
    """The trigram bitmap of newline-separated domains (~3 s per million domains)."""
    bits = bytearray(_SIZE // 8 + 1)
    for n in _grams(domains.encode("ascii", "ignore")):
        bits[n >> 3] |= 1 << (n & 7)
    return bytes(bits)


def pattern_grams(pattern: str) -> list[int] | None:
    """Trigram numbers every match must contain; None when the pattern has none."""
    grams: set[int] = set()
    for part in pattern.lower().split("*"):
        raw = part.encode("ascii", "ignore")
        if len(raw) != len(part):
            return [] if part else None  # non-ASCII: no stored domain can contain it
        grams.update(_grams(raw))
    return sorted(grams) or None


def refresh(db: Database) -> None:
    """Index the blocks that hold ids beyond the covered ones (cheap when up to date)."""
    if not supported(db):
        return
    install(db)
    covered = db.execute_sql("SELECT COALESCE(MAX(max_id), 0) FROM domain_chunk").fetchone()[0]
    top = db.execute_sql("SELECT COALESCE(MAX(id), 0) FROM contact").fetchone()[0]
    if top <= covered:
        return
    first = (covered >> BITS) << BITS  # restart at the block holding the next id
    rows = db.execute_sql(
        f"SELECT id >> {BITS}, MAX(id), group_concat(domain, char(10)) "
        "FROM contact WHERE id >= ? GROUP BY id >> ?",
        (first, BITS),
    ).fetchall()
    with db.atomic():
        db.execute_sql("DELETE FROM domain_chunk WHERE chunk >= ?", (first >> BITS,))
        db.cursor().executemany(
            "INSERT INTO domain_chunk (chunk, max_id, grams) VALUES (?, ?, ?)",
            [(chunk, max_id, bitmap(text)) for chunk, max_id, text in rows],
        )


def candidate_ranges(db: Database, pattern: str) -> list[tuple[int, int]] | None:
    """Inclusive id ranges that may hold matching domains; None = no useful restriction."""
    if not supported(db):
        return None
    grams = pattern_grams(pattern)
    if grams is None:
        return None  # parts shorter than three characters: nothing to look up
    if not grams:
        return [(0, -1)]  # non-ASCII text: stored (punycode) domains never contain it
    try:
        refresh(db)
    except Exception:
        return None
    blocks = 0
    hits: list[int] = []
    for chunk, bits in db.execute_sql("SELECT chunk, grams FROM domain_chunk"):
        blocks += 1
        if all(bits[n >> 3] >> (n & 7) & 1 for n in grams):
            hits.append(chunk)
    if blocks and len(hits) > blocks * MAX_SHARE:
        return None
    top = db.execute_sql("SELECT COALESCE(MAX(max_id), 0) FROM domain_chunk").fetchone()[0]
    ranges: list[tuple[int, int]] = []
    for chunk in hits:
        lo, hi = chunk << BITS, ((chunk + 1) << BITS) - 1
        if ranges and ranges[-1][1] + 1 == lo:
            ranges[-1] = (ranges[-1][0], hi)
        else:
            ranges.append((lo, hi))
    ranges.append((top + 1, 2**62))  # ids added since the blocks were packed
    return ranges
