"""The top line: app name and the database in use (a single Static, cheaper than Header)."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from ..domain.text import sanitize_line


class TitleBar(Static):
    DEFAULT_CSS = """
    TitleBar { dock: top; height: 1; width: 1fr; background: $panel; color: $foreground;
               text-align: center; }
    """

    def on_mount(self) -> None:
        self.watch(self.app, "sub_title", self._show)

    def _show(self, sub_title: str) -> None:
        where = sanitize_line(sub_title)
        self.update(
            Content.assemble((self.app.title, "bold"), ("  ·  " + where if where else "", "$text-muted")),
            layout=False,
        )
