"""An import's counts and the one text that sums them up (CLI, TUI and report use it).

Every row read is exactly one of created, updated, duplicate (see :mod:`.merge`) or invalid,
so the four add up to the rows.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class MergeCounts:
    """The valid rows so far, by what merging them did."""

    created: int = 0
    updated: int = 0
    duplicates: int = 0


def counts_text(created: int, updated: int, duplicates: int, invalid: int, rows: int,
                *, dry_run: bool = False) -> str:
    """"7 rows: 4 created, 0 updated, 1 duplicate, 2 invalid" ("would be created" and
    "would be updated" for a dry run); numbers with thousands separators."""
    verb = "would be " if dry_run else ""
    row_word = "row" if rows == 1 else "rows"
    duplicate_word = "duplicate" if duplicates == 1 else "duplicates"
    return (
        f"{rows:,} {row_word}: {created:,} {verb}created, {updated:,} {verb}updated, "
        f"{duplicates:,} {duplicate_word}, {invalid:,} invalid"
    )
