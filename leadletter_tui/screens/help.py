"""Help generated from the bindings active where `?` was pressed, grouped by where they
work (the focused widget, the screen, everywhere), with a search box (type to narrow)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from .modals import Modal

FORMULAS = (
    "Follow-up due: status sent, no reply, last sent ≥ N days ago (default 3),\n"
    "no unsent follow-up draft, not do-not-contact."
)
EVERYWHERE = "Everywhere"


@dataclass(frozen=True, slots=True)
class HelpEntry:
    group: str  # where the key works: a widget, the screen, or everywhere
    key: str  # as displayed, e.g. "j/↓"
    description: str

    def matches(self, query: str) -> bool:
        q = query.strip().casefold()
        return not q or any(q in part.casefold() for part in (self.key, self.description, self.group))


def _group_title(node, app) -> str:
    if node is app:
        return EVERYWHERE
    title = getattr(node, "HELP_GROUP", None)
    if title:
        return title
    name = type(node).__name__.removesuffix("Screen")  # ContactTable → "Contact table"
    words = "".join(f" {c.lower()}" if c.isupper() else c for c in name).strip()
    return words[:1].upper() + words[1:]


def help_rows(app, screen) -> list[HelpEntry]:
    """Every binding of ours that works on `screen` now (enabled, with an id and a
    description), grouped by the node that provides it: focused widget, screen, app."""
    groups: dict[str, dict[str, tuple[str, str]]] = {}
    for active in screen.active_bindings.values():
        b = active.binding
        if not (b.description and b.id) or not active.enabled:
            continue  # Textual's own scroll/focus keys need no help
        rows = groups.setdefault(_group_title(active.node, app), {})
        shown = app.get_key_display(b)
        previous = rows.get(b.description)
        rows[b.description] = (f"{previous[0]}/{shown}" if previous else shown, b.description)
    groups.setdefault(EVERYWHERE, {})["Command palette"] = (
        app.get_key_display(Binding(app.COMMAND_PALETTE_BINDING, "")), "Command palette")
    ordered = sorted(groups, key=lambda g: g == EVERYWHERE)  # the general keys last
    return [HelpEntry(g, key, desc) for g in ordered for key, desc in groups[g].values()]


class HelpScreen(Modal, ModalScreen[None]):
    """Keys by context. Typing narrows the list; ↑/↓/PgUp/PgDn scroll it; Esc closes."""

    DEFAULT_CSS = """
    HelpScreen .modal-box { height: 1fr; max-height: 40; margin: 1 0; padding: 0 1; }
    HelpScreen .modal-title { margin-bottom: 0; }
    HelpScreen #help-search { margin-bottom: 1; }
    HelpScreen .modal-box #help-list { height: 1fr; max-height: 100%; }
    HelpScreen .modal-hint { margin-top: 0; }
    """
    BINDINGS = [
        Binding("escape,f1", "close", "Close", id="help.close"),
        Binding("pagedown", "scroll('page_down')", show=False),
        Binding("pageup", "scroll('page_up')", show=False),
        Binding("down", "scroll('down')", show=False),
        Binding("up", "scroll('up')", show=False),
    ]

    def __init__(self, entries: Iterable[HelpEntry]) -> None:
        super().__init__()
        self.entries = list(entries)
        self.shown: list[HelpEntry] = self.entries
        self.search = Input(placeholder="type to search keys", id="help-search", compact=True)
        self.list = VerticalScroll(id="help-list", can_focus=False)
        self.text = Static(Content(""), id="help-text")

    @property
    def rows(self) -> list[tuple[str, str]]:
        """(key, description) of every entry (all groups)."""
        return [(e.key, e.description) for e in self.entries]

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box wide"):
            yield Label(Content("Keys"), classes="modal-title")
            yield self.search
            with self.list:
                yield self.text
            yield Label(Content("Type to search · ↑↓ PgUp PgDn scroll · Esc closes"),
                        classes="modal-hint")

    def on_mount(self) -> None:
        self._render_entries()
        self.search.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.shown = [e for e in self.entries if e.matches(event.value)]
        self._render_entries()
        self.list.scroll_home(animate=False)

    def _render_entries(self) -> None:
        lines: list[Content] = []
        group = None
        for e in self.shown:
            if e.group != group:
                if group is not None:
                    lines.append(Content(""))
                group = e.group
                lines.append(Content.styled(group, "bold underline"))
            lines.append(Content.assemble((f"{e.key:>12}  ", "bold $accent"), e.description))
        if not self.shown:
            lines.append(Content("No key matches; Backspace widens the search."))
        if not self.search.value:
            lines += [Content(""), Content(FORMULAS)]
        self.text.update(Content("\n").join(lines))

    def action_scroll(self, how: str) -> None:
        getattr(self.list, f"scroll_{how}")(animate=False)

    def action_close(self) -> None:
        self.dismiss(None)
