"""The activity feed: events newest first, a page at a time (like the contact table).

A Line-API ScrollView over a store `FeedWindow`: `render_line` draws the visible rows from
a small LRU page cache; a miss draws a placeholder and fetches the page in a thread
worker (workers.py: values in, results back with `deliver`). Cells are sanitized plain text.
Keys on a row: the status keys (s/r/w/l/R, from STATUS_LOOKS) ask the screen to change the
contact's status; enter asks it to show the contact; K cycles the kind of event shown.
"""

from __future__ import annotations

from collections.abc import Callable
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

from ..domain.analytics import FEED_KINDS, FeedRow
from ..domain.domains import display_domain
from ..domain.model import Status
from ..domain.text import sanitize_line
from ..workers import ReportsWorkerErrors, deliver
from .line_cursor import LineCursor
from .paged_rows import PAGE, PagedRows

KIND_CYCLE: tuple[str | None, ...] = (None, *FEED_KINDS)


class ActivityFeed(ReportsWorkerErrors, LineCursor, PagedRows, ScrollView, can_focus=True):
    CACHE_PAGES = 20
    BINDINGS = [
        Binding("j,down", "cursor(1)", "Down", show=False, id="feed.down"),
        Binding("k,up", "cursor(-1)", "Up", show=False, id="feed.up"),
        Binding("g,home", "jump(0)", "First", show=False, id="feed.top"),
        Binding("G,end", "jump(-1)", "Last", show=False, id="feed.bottom"),
        Binding("pagedown,ctrl+d", "page(1)", "Page down", show=False, id="feed.pagedown"),
        Binding("pageup,ctrl+u", "page(-1)", "Page up", show=False, id="feed.pageup"),
        Binding("enter", "open", "Show contact", id="feed.open"),
        Binding("K", "cycle_kind", "Kind", id="feed.kind"),
        *(Binding(s.key, f"status('{s.value}')", s.look.action, show=s is not Status.READY,
                  id=f"feed.{s.value}") for s in Status),
    ]
    COMPONENT_CLASSES = {"activity-feed--header", "activity-feed--cursor",
                         "activity-feed--placeholder"}
    DEFAULT_CSS = """
    ActivityFeed { background: $surface; scrollbar-gutter: stable; }
    ActivityFeed > .activity-feed--header { text-style: bold; background: $panel; }
    ActivityFeed > .activity-feed--cursor { background: $block-cursor-background;
        color: $block-cursor-foreground; }
    ActivityFeed:blur > .activity-feed--cursor { background: $block-cursor-blurred-background; }
    ActivityFeed > .activity-feed--placeholder { color: $text-muted; }
    """

    cursor = reactive(0, always_update=True)

    @dataclass
    class Loaded(Message):
        feed: ActivityFeed
        total: int
        kind: str | None

    @dataclass
    class Opened(Message):
        feed: ActivityFeed
        row: FeedRow

    @dataclass
    class StatusRequested(Message):
        feed: ActivityFeed
        row: FeedRow
        status: Status

    def __init__(self, open_window: Callable[[str | None], object],
                 clock: Callable[[], datetime], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.open_window = open_window  # kind → a FeedWindow (thread-safe, opened in a worker)
        self.clock = clock
        self.kind: str | None = None
        self.window = None
        self.total = 0
        self.busy = True
        self._clear_pages()
        self._generation = 0

    # --- loading --------------------------------------------------------------------------
    def load(self, *, keep_cursor: bool = False) -> None:
        self._generation += 1
        self.busy = True
        self._load_worker(self.kind, self._generation, self.cursor if keep_cursor else None)

    @work(thread=True, exclusive=True, group="feed-load", exit_on_error=False)
    def _load_worker(self, kind: str | None, generation: int, cursor: int | None) -> None:
        window = self.open_window(kind)
        start = ((cursor or 0) // PAGE) * PAGE
        rows = window.rows(start, PAGE)
        total = window.total
        deliver(self, self._loaded, generation, window, start, rows, total, cursor)

    def _loaded(self, generation: int, window, start: int, rows, total: int,
                cursor: int | None) -> None:
        if generation != self._generation:
            return
        if cursor is None:
            cursor = 0
        elif self.window is not None and self.window.kind == window.kind:
            cursor += max(0, total - self.total)  # new events on top: stay on the same one
        self.window, self.total, self.busy = window, total, False
        self._pages.clear()
        self._pending.clear()
        self._pages[start // PAGE] = rows
        self.virtual_size = Size(self.size.width or 80, total + 1)
        self.cursor = min(cursor, max(total - 1, 0))
        self.refresh()
        self.post_message(self.Loaded(self, total, self.kind))

    # --- drawing ----------------------------------------------------------------------------
    def _widths(self) -> list[int]:
        width = max(40, self.scrollable_content_region.width or self.size.width)
        rest = width - 12 - 3
        domain = rest * 30 // 100
        business = rest * 25 // 100
        return [12, domain, business, rest - domain - business]

    def _strip(self, cells: list[str], style: Style) -> Strip:
        text = ""
        for cell, width in zip(cells, self._widths()):
            cell = sanitize_line(cell)
            if len(cell) > width:
                cell = cell[: max(0, width - 1)] + "…"
            text += set_cell_size(cell, width) + " "
        return Strip([Segment(text, style)]).crop_extend(0, self.size.width, style)

    def render_line(self, y: int) -> Strip:
        base = self.rich_style
        if y == 0:
            kind = self.kind or "all kinds"
            return self._strip(["When", "Domain", "Business", f"Event ({kind})"],
                               base + self.get_component_rich_style("activity-feed--header"))
        index = int(self.scroll_offset.y) + y - 1
        if index >= self.total:
            return Strip.blank(self.size.width, base)
        style = base
        if index == self.cursor:
            style = base + self.get_component_rich_style("activity-feed--cursor")
        row = self.row_at(index)
        if row is None:
            return self._strip(["", "…", "", ""],
                               style + self.get_component_rich_style("activity-feed--placeholder"))
        when = f"{row.at:%d %b %H:%M}" if row.at else ""
        what = f"{row.text} · by {row.actor}" if row.actor else row.text
        return self._strip([when, display_domain(row.domain), row.business_name or "—", what],
                           style)

    # --- keys -------------------------------------------------------------------------------
    def watch_cursor(self, old: int, new: int) -> None:
        self._repaint_cursor_rows(old, new)

    def action_jump(self, where: int) -> None:
        self.move_to(self.total - 1 if where < 0 else where)

    def action_cycle_kind(self) -> None:
        self.kind = KIND_CYCLE[(KIND_CYCLE.index(self.kind) + 1) % len(KIND_CYCLE)]
        self.load()

    def action_open(self) -> None:
        row = self.current
        if row is not None:
            self.post_message(self.Opened(self, row))

    def action_status(self, value: str) -> None:
        row = self.current
        if row is not None:
            self.post_message(self.StatusRequested(self, row, Status(value)))

    def on_click(self, event) -> None:
        if getattr(event, "y", 0) >= 1:
            self.move_to(int(self.scroll_offset.y) + event.y - 1)
