"""Small modal screens: confirm, choose a view, ask for a path, terminal too small."""

from __future__ import annotations

from time import monotonic

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList
from textual.widgets.option_list import Option

from ..widgets.form_input import FormInput

MODAL_CSS = """
ModalScreen { align: center middle; background: $background 60%; }
ModalScreen .modal-box {
    width: 64; max-width: 95%; height: auto; max-height: 90%;
    padding: 1 2; border: round $accent; background: $surface;
}
ModalScreen .modal-box.wide { width: 76; }
ModalScreen .modal-title { text-style: bold; margin-bottom: 1; width: 1fr; }
ModalScreen .modal-hint { color: $text-muted; margin-top: 1; }
ModalScreen .modal-error { color: $error; height: auto; }
ModalScreen .modal-buttons { height: auto; margin-top: 1; align-horizontal: right; }
ModalScreen .modal-buttons Button { margin-left: 1; min-width: 10; }
ModalScreen .field-label { color: $text-muted; margin-top: 1; }
ModalScreen .field-row { height: auto; }
ModalScreen .field-row Input { width: 1fr; }
ModalScreen .modal-box VerticalScroll { height: auto; max-height: 18; }
ModalScreen .modal-box SelectionList { height: auto; max-height: 7; }
ModalScreen .modal-box OptionList { height: auto; max-height: 14; }
ModalScreen .modal-box TextArea { height: 6; }
"""


class Modal(ModalScreen):
    """Base for LeadLetter's dialogs: the shared dialog look, loaded on first use.

    A dialog whose fields scroll sets RESERVED_ROWS (the rows of its box outside the
    `.modal-box > VerticalScroll`: borders, title, error line, buttons): the scroll area
    then gets whatever height the terminal leaves, so buttons and the error line stay in
    view at any size the app allows (down to TooSmallScreen's minimum)."""

    DEFAULT_CSS = MODAL_CSS
    SCOPED_CSS = False  # the rules name their own targets (ModalScreen .modal-box …)
    RESERVED_ROWS = 0
    MAX_SCROLL_ROWS = 1000  # the scroll area's cap on a tall terminal

    def on_mount(self) -> None:
        self.fit_to_screen()

    def on_resize(self) -> None:
        self.fit_to_screen()

    def extra_rows(self) -> int:
        """Rows taken now beyond RESERVED_ROWS (e.g. a wrapped error message)."""
        return 0

    def fit_to_screen(self) -> None:
        if not self.RESERVED_ROWS:
            return
        room = self.app.size.height - self.RESERVED_ROWS - self.extra_rows()
        for scroll in self.query(".modal-box > VerticalScroll, .modal-box > OptionList"):
            scroll.styles.max_height = max(2, min(room, self.MAX_SCROLL_ROWS))


class ConfirmModal(Modal, ModalScreen[bool]):
    """Yes/no with the consequence spelled out; the default is No.

    Keys that were typed ahead must never confirm (a laggy SSH link delivers "ly" in one
    read): for `GUARD_SECONDS` after it opens the dialog ignores every key and its buttons
    are disabled, and a key made before it became ready is ignored even if it is handled
    later. Then it says it is ready: `y` confirms; `n`, Esc and Enter (No is focused)
    cancel. `y` is handled in `on_key`, not as a binding, so a key still bubbling through
    the screen underneath (bindings are resolved against the top screen) cannot confirm."""

    GUARD_SECONDS = 0.3
    BINDINGS = [Binding("n,escape", "answer(False)", "No", id="confirm.no")]

    def __init__(self, question: str, confirm_label: str = "Yes") -> None:
        super().__init__()
        self.question = question
        self.confirm_label = confirm_label
        self.ready = False
        self.ready_at = float("inf")  # event time (monotonic) from which keys count

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box"):
            yield Label(Content(self.question), classes="modal-title")
            yield Label(Content("Wait…"), id="confirm-hint", classes="modal-hint")
            with Horizontal(classes="modal-buttons"):
                yield Button(Content("No (n)"), id="no", disabled=True)
                yield Button(Content(f"{self.confirm_label} (y)"), variant="primary", id="yes",
                             disabled=True)

    def on_mount(self) -> None:
        self.set_timer(self.GUARD_SECONDS, self._become_ready)

    def _become_ready(self) -> None:
        self.ready_at = monotonic()
        self.ready = True
        for button in self.query(Button):
            button.disabled = False
        self.query_one("#no", Button).focus()
        self.query_one("#confirm-hint", Label).update(
            Content("Ready: y confirms · n, Esc or Enter cancels"))

    def on_key(self, event: events.Key) -> None:
        if event.key == "y":
            event.stop()
            event.prevent_default()
            if self.ready and event.time >= self.ready_at:
                self.dismiss(True)
        elif not self.ready and event.key not in ("n", "escape"):
            event.stop()  # typed ahead: swallowed
            event.prevent_default()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if self.ready:
            self.dismiss(event.button.id == "yes")

    def action_answer(self, value: bool) -> None:
        if value and not self.ready:
            return
        self.dismiss(value)


class ChoiceModal(Modal, ModalScreen[int | None]):
    """Pick one of several labelled choices; returns its index."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="choice.cancel")]
    RESERVED_ROWS, MAX_SCROLL_ROWS = 8, 14  # border, padding, title: in a box ≤ 90% high

    def __init__(self, title: str, choices: list[str], highlighted: int = 0) -> None:
        super().__init__()
        self.title_text = title
        self.choices = choices
        self.highlighted = highlighted

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box"):
            yield Label(Content(self.title_text), classes="modal-title")
            yield OptionList(*(Option(Content(c)) for c in self.choices), id="choices")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = self.highlighted
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option_index)

    def action_cancel(self) -> None:
        self.dismiss(None)


class TextModal(Modal, ModalScreen[str | None]):
    """Ask for one line of text (a name, a path); returns it stripped, or None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="text.cancel")]
    HINT = "Enter to save · Esc to cancel"
    INPUT_ID = "text"

    def __init__(self, title: str, default: str = "", max_length: int = 0) -> None:
        super().__init__()
        self.title_text = title
        self.default = default
        self.max_length = max_length

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box"):
            yield Label(Content(self.title_text), classes="modal-title")
            yield FormInput(value=self.default, id=self.INPUT_ID, max_length=self.max_length)
            yield Label(Content(self.HINT), classes="modal-hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        self.dismiss(value or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class PathModal(TextModal):
    """Ask for a file path (e.g. where to export)."""

    HINT = "Enter to save · Esc to cancel · .json for JSON"
    INPUT_ID = "path"


class TooSmallScreen(ModalScreen[None]):
    """Shown while the terminal is below MIN_WIDTH×MIN_HEIGHT (the app closes it when it
    grows). Down to that size every screen degrades instead: fewer table columns, a
    compact key bar, forms that scroll. `q` (or ctrl+q) quits from here, and it says so."""

    from . import MIN_HEIGHT, MIN_WIDTH  # noqa: F401 - the one declaration
    BINDINGS = [Binding("q,ctrl+q", "app.quit", "Quit", id="too_small.quit")]
    SCOPED_CSS = False
    DEFAULT_CSS = """
    TooSmallScreen { align: center middle; background: $background; }
    #too-small { width: auto; max-width: 100%; padding: 0 1; border: round $warning;
                 text-align: center; }
    """

    def compose(self) -> ComposeResult:
        yield Label(Content(""), id="too-small")

    def on_mount(self) -> None:
        self._describe()

    def on_resize(self) -> None:
        self._describe()
        check = getattr(self.app, "check_size", None)
        if check:
            check()

    def _describe(self) -> None:
        w, h = self.app.size
        self.query_one("#too-small", Label).update(
            Content(
                f"Terminal too small: {w}×{h}.\n"
                f"LeadLetter needs {self.MIN_WIDTH}×{self.MIN_HEIGHT} or more.\n"
                "Enlarge the window, or press q to quit."
            )
        )

    @classmethod
    def fits(cls, width: int, height: int) -> bool:
        from . import fits

        return fits(width, height)
