"""A virtual contact table: rows come from the database a page at a time.

The built-in DataTable measures every cell (NOTES.md A: 127 s and 1.25 GB at 1M rows).
This one is a Line-API ScrollView: `render_line` draws only visible rows from a small
LRU page cache; a miss draws a placeholder and fetches the page in a thread worker.
Cells are plain Segments of sanitized text (never markup), at fixed column widths.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime

from rich.cells import set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import work
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ..domain.dates import relative
from ..domain.domains import display_domain
from ..domain.filters import ContactFilter, Sort
from ..domain.model import ContactRow
from ..domain.text import sanitize_line
from ..services import Services
from ..workers import CancelToken, ReportsWorkerErrors, deliver
from .line_cursor import LineCursor
from .paged_rows import PAGE, PagedRows
from .selection import Selection, SelectionSnapshot  # noqa: F401  (re-exported)


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    title: str
    width: int  # 0 = flexible


DNC_MARK = "⊘"  # do not contact: beside the selection mark, a column every width keeps
COLUMNS = (
    Column("mark", "", 2),  # selection ● and do-not-contact ⊘
    Column("business", "Business", 0),
    Column("domain", "Domain", 0),
    Column("status", "Status", 8),
    Column("last_sent", "Last sent", 10),
    Column("follow_ups", "FU", 3),
    Column("sentiment", "Sentiment", 10),
)
# Narrow tables drop these first, in this order, rather than squeeze the names.
DROP_ORDER = ("sentiment", "follow_ups")
MIN_BUSINESS = 16  # below this many characters for the business name, drop a column


class ContactTable(ReportsWorkerErrors, LineCursor, PagedRows, ScrollView, can_focus=True):
    """The contacts list over a `ContactWindow`; keyboard first."""

    BINDINGS = [
        Binding("j,down", "cursor(1)", "Down", show=False, id="table.down"),
        Binding("k,up", "cursor(-1)", "Up", show=False, id="table.up"),
        Binding("g,home", "jump_top", "First row", show=False, id="table.top"),
        Binding("G,end", "jump_bottom", "Last row", show=False, id="table.bottom"),
        Binding("pagedown,ctrl+d", "page(1)", "Page down", show=False, id="table.pagedown"),
        Binding("pageup,ctrl+u", "page(-1)", "Page up", show=False, id="table.pageup"),
        Binding("space", "toggle_select", "Select", show=False, id="table.select"),
        Binding("enter", "open", "Open", show=False, id="table.open"),
    ]
    COMPONENT_CLASSES = {
        "contact-table--header",
        "contact-table--cursor",
        "contact-table--selected",
        "contact-table--placeholder",
        "contact-table--muted",
    }
    DEFAULT_CSS = """
    ContactTable { background: $surface; scrollbar-gutter: stable; }
    ContactTable > .contact-table--header { text-style: bold; background: $panel; }
    ContactTable > .contact-table--cursor { background: $block-cursor-background;
        color: $block-cursor-foreground; }
    ContactTable:blur > .contact-table--cursor { background: $block-cursor-blurred-background; }
    ContactTable > .contact-table--selected { color: $accent; text-style: bold; }
    ContactTable > .contact-table--placeholder { color: $text-muted; }
    ContactTable > .contact-table--muted { color: $text-muted; }
    """

    cursor = reactive(0, always_update=True)

    @dataclass
    class CursorMoved(Message):
        """The highlighted contact changed (None while its page is loading or empty)."""

        table: ContactTable
        row: ContactRow | None

    @dataclass
    class Opened(Message):
        table: ContactTable
        row: ContactRow

    @dataclass
    class Loaded(Message):
        """Rows of a new filter are shown; `final` once `total` is the exact count."""

        table: ContactTable
        total: int
        final: bool = True

    @dataclass
    class SelectionChanged(Message):
        table: ContactTable
        count: int

    def __init__(
        self,
        services: Services,
        clock: Callable[[], datetime],
        *,
        first_page: Future | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self._first_page = first_page  # rows read ahead while the app was starting
        self.services = services
        self.clock = clock
        self.window = None
        self.total = 0
        self.all_total = 0  # contacts in the database, whatever the filter
        self.busy = True  # a filter is loading: no rows to show yet
        self.counting = False  # rows shown, exact count on its way
        self.selection = Selection()
        self._clear_pages()
        self._widths: list[int] = [c.width for c in COLUMNS]
        self._generation = 0
        self._laid_out_for = -1
        self._count_token = CancelToken()  # cancels the running COUNT of a stale filter
        self._paint_styles: dict[str, Style] | None = None
        self.sort: Sort | None = None

    # --- loading -------------------------------------------------------------------
    def load(self, flt: ContactFilter, sort: Sort, *, keep_cursor: bool = False) -> None:
        """Show a new filter/sort (or refresh the current one after a write).

        `keep_cursor`: a refresh in place (a write here or elsewhere): the cursor stays on
        the same contact (by id, if it is still within a page of where it was; else on the
        same position), the selection stays, and the pages on screen are read before the
        old ones are dropped, so nothing blinks."""
        self.sort = sort  # marked in the header
        ahead, self._first_page = self._first_page, None
        if ahead is not None and ahead.done() and ahead.exception() is None and not keep_cursor:
            page = ahead.result()
            if page.filter == flt and page.sort == sort:  # already read: no query, no wait
                self._generation += 1
                self._loaded(self._generation, page.window, 0, page.rows, 0)
                self._counted(self._generation, page.total, page.all_total)
                return
        self._generation += 1
        self.busy = True
        self._count_token.cancel()  # a stale COUNT must not hold a worker thread
        self._count_token = CancelToken()
        if not keep_cursor:
            self._load_worker(flt, sort, self._generation, 0)
            return
        row = self.current
        top = int(self.scroll_offset.y)
        visible = (top, top + max(self.size.height - 1, 1))
        self._load_worker(flt, sort, self._generation, self.cursor,
                          row.id if row is not None else None, visible)

    @work(thread=True, exclusive=True, group="table-load", exit_on_error=False)
    def _load_worker(self, flt: ContactFilter, sort: Sort, generation: int, cursor: int,
                     keep_id: int | None = None, visible: tuple[int, int] | None = None) -> None:
        """The page under the cursor; near the top no count is needed first (a short page
        tells the window its total), so the rows show before a slow COUNT (see `_loaded`).
        A refresh (`keep_id`) also reads the other pages on screen and finds the contact the
        cursor was on."""
        window = self.services.contacts.window(flt, sort)
        if cursor < PAGE * 10:
            start = (cursor // PAGE) * PAGE
            rows = window.rows(start, PAGE)
            if not window.total_known:
                more, cursor = self._refresh_pages(window, start, rows, cursor, keep_id, visible)
                deliver(self, self._loaded, generation, window, start, rows, cursor, more)
                return
        total = window.total
        start = (min(cursor, max(total - 1, 0)) // PAGE) * PAGE
        rows = window.rows(start, PAGE)
        all_total = self.services.contacts.total()
        more, cursor = self._refresh_pages(window, start, rows, cursor, keep_id, visible)
        deliver(self, self._loaded, generation, window, start, rows, cursor, more)
        deliver(self, self._counted, generation, total, all_total)

    @staticmethod
    def _refresh_pages(window, start: int, rows, cursor: int, keep_id: int | None,
                       visible: tuple[int, int] | None) -> tuple[dict[int, list], int]:
        """(In the worker.) The other pages on screen, and where the contact `keep_id` is
        now: looked for in the pages read (it moves a little when its sort value changed);
        not found (it left the filter, or moved far), the cursor keeps its position."""
        pages: dict[int, list] = {start // PAGE: rows}
        if visible is not None:
            for page in range(max(visible[0], 0) // PAGE, max(visible[1], 0) // PAGE + 1):
                if page not in pages:
                    got = window.rows(page * PAGE, PAGE)
                    if got:
                        pages[page] = got
        if keep_id is not None:
            found = [page * PAGE + i for page, got in pages.items()
                     for i, r in enumerate(got) if r.id == keep_id]
            if not found:  # maybe just past the pages read: one neighbour either side
                for page in (min(pages) - 1, max(pages) + 1):
                    got = window.rows(page * PAGE, PAGE) if page >= 0 else []
                    if got:
                        pages[page] = got
                        found += [page * PAGE + i for i, r in enumerate(got) if r.id == keep_id]
            if found:
                cursor = found[0]
        del pages[start // PAGE]
        return pages, cursor

    @work(thread=True, exclusive=True, group="table-count", exit_on_error=False)
    def _count_worker(self, window, generation: int, token: CancelToken) -> None:
        """The exact count of a filter whose rows are already on screen (cancellable)."""
        token.on_cancel(window.cancel)
        total = window.count_cancellable()
        if total is not None and not token.cancelled:
            deliver(self, self._counted, generation, total, self.services.contacts.total())

    def _loaded(self, generation: int, window, start: int, rows, cursor: int,
                more: dict[int, list] | None = None) -> None:
        """Show a new window's first rows (the count may still be on its way); `more`:
        other pages read with them (a refresh: the rest of the screen)."""
        if generation != self._generation:
            return  # a newer filter was applied meanwhile
        self.window = window
        self.total = window.total if window.total_known else start + len(rows)
        self.counting = not window.total_known
        self.busy = False
        self._pages.clear()
        self._pending.clear()
        self._pages[start // PAGE] = rows
        for page, got in (more or {}).items():
            self._pages[page] = got
            if not window.total_known:
                self.total = max(self.total, page * PAGE + len(got))
        self._set_rows(self.total)
        self.cursor = min(cursor, max(self.total - 1, 0))
        if not self._cursor_visible():
            self.scroll_to(y=max(0, self.cursor - 2), animate=False, immediate=True)
        self.refresh()
        self.post_message(self.Loaded(self, self.total, final=False))
        if self.counting:  # count once the new rows are painted: the paint comes first
            token = self._count_token
            self.call_after_refresh(self._count_worker, window, generation, token)

    def _counted(self, generation: int, total: int, all_total: int) -> None:
        if generation != self._generation:
            return
        self.total, self.all_total, self.counting = total, all_total, False
        self._set_rows(total)
        self.refresh()
        self.post_message(self.Loaded(self, total))
        self.post_message(self.SelectionChanged(self, self.selection.count(total)))

    def _page_shown(self, page: int) -> None:
        if self.cursor // PAGE == page:
            self.post_message(self.CursorMoved(self, self.row_at(self.cursor)))

    # --- geometry ------------------------------------------------------------------
    def on_resize(self) -> None:
        self._layout_columns()
        self._set_rows(self.total)

    def _layout_columns(self) -> None:
        """Fixed columns at their width, the names share the rest (business 45%); when the
        business name would get fewer than MIN_BUSINESS characters, the columns in
        DROP_ORDER go (width 0 = hidden) so the names keep room (the detail shows them)."""
        self._laid_out_for = self.size.width
        width = max(40, self.scrollable_content_region.width or self.size.width)
        hidden: set[str] = set()
        for drop in (None, *DROP_ORDER):
            if drop:
                hidden.add(drop)
            shown = [c for c in COLUMNS if c.key not in hidden]
            fixed = sum(c.width + 1 for c in shown if c.width)
            flexible = max(20, width - fixed - 2)
            business = flexible * 45 // 100
            if business >= MIN_BUSINESS:
                break
        self._widths = [
            0 if c.key in hidden
            else c.width or (business if c.key == "business" else flexible - business)
            for c in COLUMNS
        ]

    def visible_columns(self) -> list[str]:
        """The keys of the columns shown at the current width."""
        return [c.key for c, w in zip(COLUMNS, self._widths) if w > 0]

    def header_cells(self) -> list[str]:
        """Column titles; the sorted column carries ↑ or ↓."""
        titles = [c.title for c in COLUMNS]
        sort = self.sort
        for i, (c, width) in enumerate(zip(COLUMNS, self._widths)):
            if sort is not None and c.key == sort.key.value and width:
                arrow = "↓" if sort.descending else "↑"
                marked = f"{c.title} {arrow}"
                if len(marked) > width:
                    marked = f"{c.title[: max(0, width - 1)]}{arrow}"
                titles[i] = marked
        return titles

    def _set_rows(self, rows: int) -> None:
        """Resize the scrollable area. A full relayout of the screen costs ~10 ms, so
        when only the length changes (and with it no scrollbar appears or goes) the
        scrollbar is updated in place instead."""
        new = Size(self._table_width(), rows + 1)
        old = self.virtual_size
        if new == old:
            return
        height = self.scrollable_content_region.height
        same_bars = (old.height > height) == (new.height > height) and old.width == new.width
        if same_bars and self.size.height:
            self.set_reactive(ContactTable.virtual_size, new)
            self._scroll_update(new)  # Textual's own scrollbar refresh after a resize
            self.refresh()
        else:
            self.virtual_size = new

    def _table_width(self) -> int:
        return sum(w + 1 for w in self._widths if w > 0)  # hidden columns take no room

    def _cursor_visible(self) -> bool:
        top = int(self.scroll_offset.y)
        return top <= self.cursor < top + max(1, self.size.height - 1)

    # --- rendering -----------------------------------------------------------------
    def _cells(self, row: ContactRow, now: datetime) -> list[str]:
        return [
            ("●" if row.id in self.selection else " ") + (DNC_MARK if row.do_not_contact else ""),
            sanitize_line(row.business_name) or "—",
            display_domain(row.domain),
            row.status.value,
            relative(row.last_sent_at, now),
            str(row.follow_ups) if row.follow_ups else "",
            row.sentiment.label if row.sentiment else "",
        ]

    def _strip(self, cells: list[str], style: Style, mark_style: Style | None = None) -> Strip:
        texts = []
        for text, width in zip(cells, self._widths):
            if width <= 0:
                texts.append("")
                continue
            if len(text) > width:
                text = text[: max(0, width - 1)] + "…"
            texts.append(set_cell_size(text, width) + " ")
        # The cells after the mark share one segment: every segment costs the compositor
        # work and the terminal a full colour sequence (a third of the bytes of a frame).
        segments = [Segment(texts[0], mark_style or style), Segment("".join(texts[1:]), style)]
        strip = Strip(segments)
        return strip.crop_extend(int(self.scroll_offset.x), int(self.scroll_offset.x) + self.size.width, style)

    def render_lines(self, crop):
        # Resolve CSS styles once per paint, not once per line (rich_style is costly).
        base = self.rich_style
        self._paint_styles = {
            "base": base,
            **{
                name: base + self.get_component_rich_style(f"contact-table--{name}")
                for name in ("header", "cursor", "placeholder", "selected", "muted")
            },
        }
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        if self._laid_out_for != self.size.width:
            self._layout_columns()
        styles = self._paint_styles or {}
        base = styles.get("base") or self.rich_style
        if y == 0:
            return self._strip(self.header_cells(), styles.get("header", base))
        index = int(self.scroll_offset.y) + y - 1
        if index >= self.total:
            return Strip.blank(self.size.width, base)
        row = self.row_at(index)
        is_cursor = index == self.cursor and bool(self.total)
        style = styles.get("cursor", base) if is_cursor else base
        if row is None:
            return self._strip(["", "…", "", "", "", "", ""], style + self._component("placeholder"))
        mark = style + self._component("selected")
        if row.do_not_contact and not is_cursor:
            style = styles.get("muted", base)
        return self._strip(self._cells(row, self.clock()), style, mark)

    def _component(self, name: str) -> Style:
        return self.get_component_rich_style(f"contact-table--{name}")

    # --- cursor & actions ----------------------------------------------------------
    def watch_cursor(self, old: int, new: int) -> None:
        self._repaint_cursor_rows(old, new)
        self.post_message(self.CursorMoved(self, self.row_at(new)))

    def action_jump_top(self) -> None:
        self.move_to(0)

    def action_jump_bottom(self) -> None:
        self.move_to(self.total - 1)

    def action_toggle_select(self) -> None:
        row = self.current
        if row is None:
            return
        self.selection.toggle(row.id, row.version)
        self.post_message(self.SelectionChanged(self, self.selection.count(self.total)))
        self.move_to(self.cursor + 1)
        self.refresh()

    def select_all(self) -> None:
        self.selection.select_all()
        self.post_message(self.SelectionChanged(self, self.selection.count(self.total)))
        self.refresh()

    def clear_selection(self) -> None:
        self.selection.clear()
        self.post_message(self.SelectionChanged(self, 0))
        self.refresh()

    def action_open(self) -> None:
        row = self.current
        if row is not None:
            self.post_message(self.Opened(self, row))

    def on_click(self, event) -> None:
        y = event.y if hasattr(event, "y") else 0
        if y >= 1:
            self.move_to(int(self.scroll_offset.y) + y - 1)
