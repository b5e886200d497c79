"""Edit a contact's own fields: business name, contact name, email, phone, notes."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, TextArea

from ..domain.model import FIELD_LIMITS, ContactDetail
from ..widgets.form_input import FormInput
from .modals import Modal

FIELDS = (
    ("business_name", "Business name"),
    ("contact_name", "Contact name"),
    ("email", "Email"),
    ("phone", "Phone"),
)


class EditContactModal(Modal, ModalScreen[dict | None]):
    """Returns the changed fields (or None). `validate(changes)` → error text or None."""

    # One line per field (label beside a compact input), so the whole form with its
    # error line and buttons fits 80×23; below that the fields scroll, the buttons stay.
    DEFAULT_CSS = """
    EditContactModal .modal-box { padding: 0 1; max-height: 100%; }
    EditContactModal .modal-title { margin-bottom: 1; }
    EditContactModal .field-row { height: 1; }
    EditContactModal .field-row Label { width: 15; color: $text-muted; }
    EditContactModal .field-row Input { width: 1fr; padding: 0 1; background: $boost; }
    EditContactModal .field-row Input:focus { background: $accent 25%; }
    EditContactModal .field-label { margin-top: 1; }
    EditContactModal .modal-box TextArea { height: 6; min-height: 3; }
    EditContactModal .modal-buttons { margin-top: 0; }
    EditContactModal #edit-error { height: auto; min-height: 1; }
    """
    RESERVED_ROWS = 7  # border 2, title and its margin, error line, buttons (+1 spare)
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="edit.save"),
        Binding("escape", "cancel", "Cancel", id="edit.cancel"),
    ]

    def __init__(self, detail: ContactDetail, validate: Callable[[dict], str | None]) -> None:
        super().__init__()
        self.detail = detail
        self.validate = validate

    def compose(self) -> ComposeResult:
        row = self.detail.row
        with Vertical(classes="modal-box wide"):
            yield Label(Content(f"Edit {row.domain}"), classes="modal-title")
            with VerticalScroll():
                for name, label in FIELDS:
                    with Horizontal(classes="field-row"):
                        yield Label(Content(label))
                        yield FormInput(getattr(row, name), max_length=FIELD_LIMITS[name],
                                    id=f"edit-{name}", compact=True)
                yield Label(Content("Notes"), classes="field-label")
                yield TextArea(self.detail.notes, id="edit-notes", soft_wrap=True, compact=True)
            yield Label(Content(""), id="edit-error", classes="modal-error")
            with Horizontal(classes="modal-buttons"):
                yield Button(Content("Save (ctrl+s)"), variant="primary", id="save",
                             compact=True)
                yield Button(Content("Cancel (esc)"), id="cancel", compact=True)

    def on_mount(self) -> None:  # Modal.on_mount fits the form to the screen
        self.query_one("#edit-business_name", Input).focus()

    def _changes(self) -> dict:
        row = self.detail.row
        out = {}
        for name, _label in FIELDS:
            value = self.query_one(f"#edit-{name}", Input).value
            if value != getattr(row, name):
                out[name] = value
        notes = self.query_one("#edit-notes", TextArea).text
        if notes != self.detail.notes:
            out["notes"] = notes
        return out

    def action_save(self) -> None:
        changes = self._changes()
        problem = self.validate(changes) if changes else None
        if problem:
            self.query_one("#edit-error", Label).update(Content(problem))
            self.fit_to_screen()
            return
        self.dismiss(changes or None)

    def extra_rows(self) -> int:
        error = self.query_one("#edit-error", Label)
        return max(0, error.size.height - 1)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        (self.action_save if event.button.id == "save" else self.action_cancel)()
