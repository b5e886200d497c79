"""A contact's unsent message (first message or follow-up): read, edit, copy, mark sent.

Opened with `d` on a contact that has a draft. The body is a TextArea; Ctrl+E opens it in
$EDITOR instead (the app suspends and resumes, over SSH too). Returns what the user chose:
("save", subject, body), ("sent", subject, body) or None; copying happens here.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, TextArea

from ..domain.model import MessageInfo
from ..domain.text import sanitize_line, sanitize_text
from ..widgets.form_input import FormInput
from .modals import Modal


class DraftModal(Modal, ModalScreen[tuple | None]):
    BINDINGS = [
        Binding("ctrl+s", "save", "Keep edit", id="draft.save"),
        Binding("ctrl+t", "mark_sent", "Mark sent", id="draft.sent"),
        Binding("ctrl+y", "copy", "Copy", id="draft.copy"),
        Binding("ctrl+e", "editor", "$EDITOR", id="draft.editor"),
        Binding("escape", "cancel", "Close", id="draft.close"),
    ]

    def __init__(self, domain: str, message: MessageInfo) -> None:
        super().__init__()
        self.domain = domain
        self.message = message
        self.subject = FormInput(sanitize_line(message.subject), id="draft-subject")
        self.body = TextArea(sanitize_text(message.body), id="draft-body", soft_wrap=True)

    def compose(self) -> ComposeResult:
        kind = "Follow-up" if self.message.kind.value == "follow_up" else "First message"
        with Vertical(classes="modal-box wide"):
            yield Label(Content(f"{kind} for {self.domain} · angle {self.message.angle or '—'}"),
                        classes="modal-title")
            yield self.subject
            yield self.body
            yield Label(Content("ctrl+s keep · ctrl+t mark sent · ctrl+y copy · "  # fits 80
                                "ctrl+e $EDITOR · esc"), classes="modal-hint")

    def on_mount(self) -> None:
        self.body.focus()

    def _result(self, what: str) -> tuple:
        return (what, sanitize_line(self.subject.value), sanitize_text(self.body.text))

    def action_save(self) -> None:
        self.dismiss(self._result("save"))

    def action_mark_sent(self) -> None:
        self.dismiss(self._result("sent"))

    def action_cancel(self) -> None:
        changed = (self.subject.value != sanitize_line(self.message.subject)
                   or self.body.text != sanitize_text(self.message.body))
        self.dismiss(self._result("save") if changed else None)  # an edit is never lost

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(f"{self.subject.value}\n\n{self.body.text}")
        self.notify("Sent to your terminal's clipboard (OSC 52). If nothing pastes, your "
                    "terminal does not allow it: use ctrl+e and copy from your editor.",
                    markup=False, timeout=6)

    def action_editor(self) -> None:
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False,
                                         encoding="utf-8") as fh:
            fh.write(self.body.text)
            path = Path(fh.name)
        try:
            with self.app.suspend():
                code = subprocess.call([*shlex.split(editor), str(path)])
            if code == 0:
                self.body.text = sanitize_text(path.read_text(encoding="utf-8", errors="replace"))
            else:
                self.notify(f"{editor} exited with {code}; the text is unchanged", markup=False)
        except (OSError, ValueError) as exc:
            self.notify(f"cannot run {editor}: {exc}", severity="error", markup=False)
        finally:
            path.unlink(missing_ok=True)
