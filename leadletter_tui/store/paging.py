"""Rows of an ordered result by position, fast at any depth: the contact window
(window.py) and the activity feed (analytics.py `FeedWindow`) share it.

`OFFSET 999000` walks a million index entries (~80 ms). Instead, pages near the top are a
plain LIMIT/OFFSET in the order; pages near the bottom the same in the *reverse* order
(the end is as cheap as the start); anything deeper comes from a snapshot of the matching
ids in order (`array('q')`, 8 bytes a row, built once, in the caller's worker thread),
then `WHERE id IN (…)`, O(page) at any depth."""

from __future__ import annotations

from array import array

EDGE = 2_000  # rows from either end served by LIMIT/OFFSET; deeper ones by the snapshot


class PositionalRows:
    """Subclasses give `_page(offset, limit, reverse=False)` (rows in the order, or the
    reverse order), `_by_ids(ids)` (rows of those ids, in that order), `snapshot()` (every
    id in order; sets `_ids` and `_total`) and `total`."""

    _ids: array | None = None
    _total: int | None = None

    def rows(self, start: int, count: int) -> list:
        """Rows [start, start+count), clipped to the end. Near the top this needs no count,
        so a first page can be shown before a (possibly slower) COUNT finishes."""
        start = max(0, start)
        if count <= 0:
            return []
        if self._ids is not None:
            return self._by_ids(self._ids[start:start + count])
        if start < EDGE:
            rows = self._page(start, count)
            if len(rows) < count and (rows or start == 0):  # the end is on this page
                self._total = start + len(rows)
            return rows
        total = self.total
        stop = min(total, start + count)
        if start >= stop:
            return []
        if total - stop < EDGE:
            rows = self._page(total - stop, stop - start, reverse=True)
            rows.reverse()
            return rows
        return self._by_ids(self.snapshot()[start:stop])
