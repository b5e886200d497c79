"""The full filter form: statuses, date sent (presets or a range), domain, text, flags."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Select, SelectionList

from ..domain.dates import PRESETS
from ..domain.filters import FilterSpec
from ..domain.model import Status
from ..widgets.form_input import FormInput
from .modals import Modal

CUSTOM = "custom"


class FilterModal(Modal, ModalScreen[FilterSpec | None]):
    """Edit every filter at once. Ctrl+S or Apply applies; Esc cancels."""

    # Every field is one line (Textual's compact widgets: no tall border, which inside a
    # one-line box hid the typed text); the focused one is tinted in the accent colour.
    DEFAULT_CSS = """
    FilterModal .modal-box { padding: 0 1; max-height: 100%; }
    FilterModal .modal-title { margin-bottom: 0; }
    FilterModal .field-label { margin-top: 0; }
    FilterModal SelectionList { height: 5; padding: 0; }
    FilterModal Input { padding: 0 1; background: $boost; }
    FilterModal Input:focus { background: $accent 25%; }
    FilterModal Select > SelectCurrent { padding: 0 1; background: $boost; }
    FilterModal Select:focus > SelectCurrent { background: $accent 25%; }
    FilterModal .field-row Input { margin-right: 1; }
    FilterModal .modal-buttons { margin-top: 1; }
    FilterModal .modal-buttons Button { min-width: 8; }
    """
    RESERVED_ROWS = 6  # border 2, title, error line, buttons and their margin

    BINDINGS = [
        Binding("ctrl+s", "apply", "Apply", id="filter.apply"),
        Binding("escape", "cancel", "Cancel", id="filter.cancel"),
        Binding("ctrl+r", "reset", "Clear all", id="filter.reset"),
    ]

    def __init__(self, spec: FilterSpec, validate: Callable[[FilterSpec], str | None]) -> None:
        """`validate(spec)` returns why the filter is unusable (bad dates), or None."""
        super().__init__()
        self.spec = spec
        self.validate = validate

    def compose(self) -> ComposeResult:
        s = self.spec
        date_value = CUSTOM if (s.sent_from or s.sent_to) else (s.sent or Select.NULL)
        with Vertical(classes="modal-box wide"):
            yield Label(Content("Filter contacts"), classes="modal-title")
            with VerticalScroll():
                yield Label(Content("Status (space toggles)"), classes="field-label")
                yield SelectionList[str](
                    *((st.label, st.value, st.value in s.statuses) for st in Status),
                    id="statuses", compact=True,
                )
                yield Label(Content("Date sent"), classes="field-label")
                yield Select(
                    [(p.replace("-", " "), p) for p in PRESETS] + [("custom range…", CUSTOM)],
                    value=date_value,
                    prompt="any time",
                    id="sent", compact=True,
                )
                with Horizontal(id="range", classes="field-row"):
                    yield FormInput(s.sent_from or "", placeholder="from YYYY-MM-DD", id="sent-from",
                                compact=True)
                    yield FormInput(s.sent_to or "", placeholder="to YYYY-MM-DD", id="sent-to",
                                compact=True)
                yield Label(Content("Domain contains (* = anything)"), classes="field-label")
                yield FormInput(s.domain or "", placeholder="e.g. bakery or *.co.uk", id="domain",
                            compact=True)
                yield Label(Content("Name or email contains"), classes="field-label")
                yield FormInput(s.search or "", placeholder="text", id="search", compact=True)
                yield Checkbox("No reply yet", s.no_reply, id="no-reply", compact=True)
                yield Checkbox("Follow-up due", s.due, id="due", compact=True)
            yield Label(Content(""), id="filter-error", classes="modal-error")
            with Horizontal(classes="modal-buttons"):
                yield Button(Content("Apply (ctrl+s)"), variant="primary", id="apply",
                             compact=True)
                yield Button(Content("Clear (ctrl+r)"), id="reset", compact=True)
                yield Button(Content("Cancel (esc)"), id="cancel", compact=True)

    def on_mount(self) -> None:  # Modal.on_mount fits the form to the screen
        self._sync_range()
        self.query_one("#statuses").focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        self._sync_range()

    def _sync_range(self) -> None:
        custom = self.query_one("#sent", Select).value == CUSTOM
        self.query_one("#range").display = custom

    def _read(self) -> FilterSpec:
        sent = self.query_one("#sent", Select).value
        custom = sent == CUSTOM
        text = lambda wid: self.query_one(wid, Input).value.strip() or None  # noqa: E731
        return FilterSpec(
            statuses=tuple(self.query_one("#statuses", SelectionList).selected),
            sent=None if custom or sent is Select.NULL else str(sent),
            sent_from=text("#sent-from") if custom else None,
            sent_to=text("#sent-to") if custom else None,
            domain=text("#domain"),
            search=text("#search"),
            no_reply=self.query_one("#no-reply", Checkbox).value,
            due=self.query_one("#due", Checkbox).value,
        )

    def show_error(self, message: str) -> None:
        self.query_one("#filter-error", Label).update(Content(message))
        self.fit_to_screen()

    def extra_rows(self) -> int:
        error = self.query_one("#filter-error", Label)
        return max(0, error.size.height - 1) if error.content.plain else 0

    def problem(self, spec: FilterSpec) -> tuple[str | None, str | None]:
        """(id of the field to fix, what is wrong in this form's words), or (None, None)."""
        for key, wid, label in (("sent_from", "#sent-from", "From"), ("sent_to", "#sent-to", "To")):
            value = getattr(spec, key)
            if value and self.validate(FilterSpec(**{key: value})):
                return wid, (f"{label} date: “{value}” is not a date; type it as YYYY-MM-DD "
                             "(e.g. 2026-11-03), optionally with THH:MM.")
        problem = self.validate(spec)
        if problem and spec.sent_from and spec.sent_to:
            return "#sent-from", (f"The From date ({spec.sent_from}) is after the To date "
                                  f"({spec.sent_to}).")
        return ("#statuses", problem) if problem else (None, None)

    def action_apply(self) -> None:
        spec = self._read()
        field_id, problem = self.problem(spec)
        if problem:
            self.show_error(problem)
            self.query_one(field_id).focus()
            return
        self.dismiss(spec)

    def action_reset(self) -> None:
        self.dismiss(FilterSpec())

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        {"apply": self.action_apply, "reset": self.action_reset, "cancel": self.action_cancel}[
            event.button.id
        ]()
