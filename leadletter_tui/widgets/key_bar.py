"""A one-line key bar: the keys that matter where the focus is, as plain styled text.

Textual's Footer mounts a widget per key and restyles them all on every focus change
(a quarter of start-up time here). This is one Static, refreshed on focus changes.

Which keys: a screen may list binding ids in `KEY_BAR` (in the order shown; a tuple
`("Mark", id, id, …)` is one entry that narrows to "s/r/w/l Mark"); the shown bindings
of whatever has focus follow. When the line is too long it gets tighter (single spaces,
grouped entries), then drops whole entries from the end, keeping Help and Quit."""

from __future__ import annotations

from dataclasses import dataclass

from textual.content import Content
from textual.widgets import Static

PINNED = ("app.help", "app.quit")  # kept to the last: they say where the rest is, and how out


@dataclass(frozen=True, slots=True)
class Entry:
    keys: tuple[tuple[str, str], ...]  # (key as displayed, description) per binding
    label: str = ""  # the compact form's description for a group
    pinned: bool = False

    def render(self, compact: bool) -> Content:
        if compact and self.label:  # a group's keys, or one key with a shorter name
            return _item("/".join(k for k, _ in self.keys), self.label)
        return Content(" ").join(_item(k, d) for k, d in self.keys)


def _item(key: str, description: str) -> Content:
    return Content.assemble((key, "bold $footer-key-foreground"), " ", description)


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

    def entries(self) -> list[Entry]:
        """What the bar offers here, in order, before fitting it to the width."""
        app = self.app
        by_id: dict[str, tuple[str, str]] = {}
        shown: list[tuple[str, tuple[str, str]]] = []
        seen: set[str] = set()
        for active in self.screen.active_bindings.values():
            b = active.binding
            if not b.description or not active.enabled:
                continue
            key = b.key_display or app.get_key_display(b)
            if b.id and b.id not in by_id:
                by_id[b.id] = (key, b.description)
            if b.show and b.description not in seen:
                seen.add(b.description)
                shown.append((b.id or "", (key, b.description)))
        out: list[Entry] = []
        used: set[str] = set()
        for item in getattr(self.screen, "KEY_BAR", ()):
            label, ids = (item[0], item[1:]) if isinstance(item, tuple) else ("", (item,))
            keys = tuple(by_id[i] for i in ids if i in by_id)
            used.update(ids)
            if keys:
                out.append(Entry(keys, label, pinned=ids[0] in PINNED))
        for binding_id, key in shown:
            if binding_id not in used:
                out.append(Entry((key,), pinned=binding_id in PINNED))
        out.sort(key=lambda e: e.pinned)  # stable: Help and Quit go to the end
        return out

    def _refresh_keys(self, *_args) -> None:
        if not self.screen.is_current:  # a mode's screen being closed while another shows
            return
        entries = self.entries()
        room = max(0, self.size.width - 2)
        key = (room, tuple(entries))
        if key == getattr(self, "_shown_for", None):
            return  # same keys, same width: nothing to redo (it runs on every focus change)
        self._shown_for = key
        # Each entry is rendered once per form; the fitting is arithmetic on their widths.
        full = [e.render(False) for e in entries]
        for gap, parts in ((2, full), (1, full)):
            if sum(c.cell_length for c in parts) + gap * (len(parts) - 1) <= room:
                self.update(Content(" " * gap).join(parts), layout=False)
                return
        compact = [e.render(True) for e in entries]
        widths = [c.cell_length for c in compact]
        keep = list(range(len(entries)))
        # Still too wide: whole entries go from the end (never cut in half), pinned ones last.
        while len(keep) > 1 and sum(widths[i] for i in keep) + len(keep) - 1 > room:
            droppable = [i for i in keep if not entries[i].pinned]
            keep.remove(droppable[-1] if droppable else keep[-1])
        self.update(Content(" ").join(compact[i] for i in keep), layout=False)
