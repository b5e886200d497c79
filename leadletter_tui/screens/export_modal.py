"""Where to export: a path that cannot be written keeps the dialog open with what was typed
and says why; an existing file is replaced only after a yes (default No)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.content import Content
from textual.widgets import Input, Label

from .modals import ConfirmModal, PathModal


class ExportPathModal(PathModal):
    """Returns `(path, replace_existing)` or None. `problem(path)` gives why a path cannot
    be written (a short reason) or None (services/export.py `target_problem`)."""

    DEFAULT_CSS = "ExportPathModal #path-error { color: $error; height: auto; }"

    def __init__(self, title: str, default: str,
                 problem: Callable[[Path], str | None]) -> None:
        super().__init__(title, default)
        self.problem = problem
        self.error = Label(Content(""), id="path-error", classes="modal-error")

    def on_mount(self) -> None:
        self.query_one(".modal-box").mount(self.error)
        self.error.display = False

    def _show_error(self, text: str) -> None:
        self.error.update(Content(text))
        self.error.display = True
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        event.prevent_default()  # TextModal's handler would dismiss with the raw text
        typed = event.value.strip()
        if not typed:
            self._show_error("Type a file name (.csv or .json), or Esc to cancel.")
            return
        path = Path(typed).expanduser()
        reason = self.problem(path)
        if reason:
            self._show_error(f"Cannot write there: {reason}.")
            return
        from ..services.export import replaces_file

        if not replaces_file(path):  # new, or a device/FIFO (written to, not replaced)
            self.dismiss((path, False))
            return

        def answered(replace: bool | None) -> None:
            if replace:
                self.dismiss((path, True))
            else:
                self._show_error(f"{path.name} exists: type another name, or Esc to cancel.")

        self.app.push_screen(ConfirmModal(f"{path} already exists. Replace it?", "Replace"),
                             answered)
