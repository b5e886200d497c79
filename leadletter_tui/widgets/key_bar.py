"""A one-line key bar: the shown bindings of whatever has focus, as plain styled text.

Textual's Footer mounts a widget per key and restyles them all on every focus change
(a quarter of start-up time here). This is one Static, refreshed on focus changes."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static


class KeyBar(Static):
    DEFAULT_CSS = """
    KeyBar { dock: bottom; height: 1; background: $footer-background; color: $footer-foreground;
             padding: 0 1; }
    """

    def on_resize(self) -> None:
        self._refresh_keys()

    def on_mount(self) -> None:
        self.watch(self.screen, "focused", self._refresh_keys, init=False)
        self.call_after_refresh(self._refresh_keys)

    def _refresh_keys(self, *_args) -> None:
        if not self.screen.is_current:  # a mode's screen being closed while another shows
            return
        parts: list[Content] = []
        seen: set[str] = set()
        for active in self.screen.active_bindings.values():
            b = active.binding
            if not b.show or not b.description or b.description in seen:
                continue
            seen.add(b.description)
            key = b.key_display or self.app.get_key_display(b)
            parts.append(Content.assemble((key, "bold $footer-key-foreground"), " ", b.description))
        room = max(0, self.size.width - 2)
        roomy = Content("  ").join(parts)
        if roomy.cell_length <= room:
            self.update(roomy, layout=False)
            return
        # Tight spacing; if still too wide, whole keys go from the end (never cut in half),
        # except a last "Help", which says where to find them all.
        keep_last = bool(parts) and parts[-1].plain.endswith(" Help")
        while len(parts) > 1 and Content(" ").join(parts).cell_length > room:
            parts.pop(-2 if keep_last and len(parts) > 2 else -1)
        self.update(Content(" ").join(parts), layout=False)
