"""Rows by position for the Line-API lists (contact table, activity feed), a page at a time.

A list holds a store window (`window.rows(start, count)`, thread-safe) and keeps the pages
it has read in a small LRU. `row_at` answers from it, or starts reading the missing page in
a worker thread (once while it is pending) and answers None, drawn as a placeholder until
the page arrives. A new window bumps `_generation`, so a page read for an older one is
dropped."""

from __future__ import annotations

from collections import OrderedDict

from textual import work

from ..workers import deliver

PAGE = 100  # rows per read


class PagedRows:
    """Mixin for a widget with `window`, `total`, `cursor` and `_generation`."""

    CACHE_PAGES = 40  # pages kept

    def _clear_pages(self) -> None:
        self._pages: OrderedDict[int, list] = OrderedDict()
        self._pending: set[int] = set()

    def row_at(self, index: int):
        """The row at a position if its page is cached; otherwise start fetching it."""
        if not 0 <= index < self.total:
            return None
        page = index // PAGE
        rows = self._pages.get(page)
        if rows is None:
            if page not in self._pending and self.window is not None:
                self._pending.add(page)
                self._fetch_page(self.window, page, self._generation)
            return None
        self._pages.move_to_end(page)
        offset = index - page * PAGE
        return rows[offset] if offset < len(rows) else None

    @property
    def current(self):
        return self.row_at(self.cursor) if self.total else None

    @work(thread=True, group="pages", exit_on_error=False)
    def _fetch_page(self, window, page: int, generation: int) -> None:
        deliver(self, self._page_arrived, page, window.rows(page * PAGE, PAGE), generation)

    def _page_arrived(self, page: int, rows: list, generation: int) -> None:
        self._pending.discard(page)
        if generation != self._generation:
            return
        self._pages[page] = rows
        while len(self._pages) > self.CACHE_PAGES:
            self._pages.popitem(last=False)
        self.refresh()
        self._page_shown(page)

    def _page_shown(self, page: int) -> None:
        """Hook: a page was cached and the list repainted."""
