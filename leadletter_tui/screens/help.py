"""Help generated from the bindings active where `?` was pressed."""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from .modals import Modal

FORMULAS = (
    "Follow-up due: status sent, no reply, last sent ≥ N days ago (default 3),\n"
    "no unsent follow-up draft, not do-not-contact."
)


class HelpScreen(Modal, ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark,f1", "close", "Close", id="help.close")]

    def __init__(self, rows: Iterable[tuple[str, str]]) -> None:
        """`rows`: (key as displayed, description) for every binding to explain."""
        super().__init__()
        self.rows = list(rows)

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box wide"):
            yield Label(Content("Keys"), classes="modal-title")
            with VerticalScroll():
                lines = [Content.assemble((f"{key:>12}  ", "bold $accent"), desc) for key, desc in self.rows]
                lines.append(Content(""))
                lines.append(Content.assemble(("Command palette: ", "bold"), "ctrl+p"))
                lines.append(Content(FORMULAS))
                yield Static(Content("\n").join(lines))
            yield Label(Content("Esc closes"), classes="modal-hint")

    def action_close(self) -> None:
        self.dismiss(None)
