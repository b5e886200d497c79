"""Cursor movement for the Line-API lists (contact table, activity feed): a header row,
then `total` rows; `cursor` is a reactive index kept in view."""

from __future__ import annotations


class LineCursor:
    """Mixin for a ScrollView with `cursor` (reactive int), `total` and one header row."""

    def _repaint_cursor_rows(self, old: int, new: int) -> None:
        top = int(self.scroll_offset.y)
        self.refresh_lines(old - top + 1)
        self.refresh_lines(new - top + 1)

    def move_to(self, index: int) -> None:
        if not self.total:
            return
        index = max(0, min(self.total - 1, index))
        visible = max(1, self.size.height - 1)
        top = int(self.scroll_offset.y)
        if index < top:
            self.scroll_to(y=index, animate=False, immediate=True)
        elif index >= top + visible:
            self.scroll_to(y=index - visible + 1, animate=False, immediate=True)
        self.cursor = index
        self.refresh()

    def action_cursor(self, delta: int) -> None:
        self.move_to(self.cursor + delta)

    def action_page(self, direction: int) -> None:
        self.move_to(self.cursor + direction * max(1, self.size.height - 2))
