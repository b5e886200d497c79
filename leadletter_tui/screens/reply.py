"""The reply dialog (`p` on a contact): paste a reply, or fix the label of the latest one.

Ctrl+S saves the pasted text (checked here: not empty, not over the cap) and closes; the
screen that opened it saves the reply at once and classifies it in the background (see
`ContactActions` in detail.py), so closing never waits for a classifier. Ctrl+R asks for
the latest reply to be classified again; Ctrl+L sets its label by hand (a correction that
no automatic run overwrites). The dialog itself does no database or network work: it
hands back a `ReplyRequest`.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, TextArea

from ..domain.model import ReplyInfo, Sentiment
from ..domain.reply_text import MAX_REPLY_CHARS
from ..domain.text import sanitize_line
from ..errors import UserError
from ..services.replies import clean_reply
from .modals import ChoiceModal, Modal

LABELS = tuple(Sentiment)


@dataclass(frozen=True)
class ReplyRequest:
    """What the user asked for: "save" (text), "reclassify" or "label" (reply_id, sentiment)."""

    action: str
    text: str = ""
    reply_id: int = 0
    sentiment: Sentiment | None = None


def describe_reply(reply: ReplyInfo | None) -> str:
    """One line about a reply's label: what, by whom, why."""
    if reply is None:
        return "No reply recorded yet."
    if reply.sentiment is None:
        why = f": {sanitize_line(reply.reason)}" if reply.reason else " (classifying…)"
        return f"Latest reply: unlabelled{why}"
    by = "set by hand" if reply.corrected else f"by {reply.labelled_by}" if reply.labelled_by else ""
    text = f"Latest reply: {reply.sentiment.label}" + (f" ({by})" if by else "")
    if reply.reason and not reply.corrected:
        text += f" · {sanitize_line(reply.reason)}"
    return text


class ReplyModal(Modal, ModalScreen[ReplyRequest | None]):
    """Paste a reply (multi-line) or re-label the latest one; returns a ReplyRequest."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save reply", id="reply.save"),
        Binding("ctrl+r", "reclassify", "Re-classify latest", id="reply.reclassify"),
        Binding("ctrl+l", "label", "Set label", id="reply.label"),
        Binding("escape", "cancel", "Cancel", id="reply.cancel"),
    ]
    DEFAULT_CSS = """
    ReplyModal .modal-box TextArea#reply-text { height: 7; }
    ReplyModal #reply-latest { color: $text-muted; height: auto; width: 1fr; }
    ReplyModal .modal-hint { width: 1fr; height: auto; }
    """

    def __init__(self, domain: str, latest: ReplyInfo | None, mode: str = "offline") -> None:
        super().__init__()
        self.domain = domain
        self.latest = latest
        self.mode = mode
        self.text_area = TextArea(id="reply-text", soft_wrap=True, tab_behavior="focus")
        self.error = Label(Content(""), classes="modal-error", id="reply-error")

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box wide"):
            yield Label(Content(f"Reply from {self.domain}"), classes="modal-title")
            yield Label(Content(describe_reply(self.latest)), id="reply-latest")
            yield Label(Content("Paste the reply (quoted text below it is ignored):"),
                        classes="field-label")
            yield self.text_area
            yield self.error
            yield Label(Content(
                f"Ctrl+S save and classify ({self.mode}) · Ctrl+R re-classify latest · "
                "Ctrl+L set its label · Esc cancel"), classes="modal-hint")

    def on_mount(self) -> None:
        self.text_area.focus()

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        size = len(event.text_area.text)
        self._say(f"Too long: {size:,} characters, at most {MAX_REPLY_CHARS:,}. Paste only the "
                  "reply, without the quoted thread." if size > MAX_REPLY_CHARS else "")

    def _say(self, message: str) -> None:
        self.error.update(Content(message))

    def action_save(self) -> None:
        try:
            text = clean_reply(self.text_area.text)
        except UserError as exc:
            self._say(str(exc).capitalize())
            return
        self.dismiss(ReplyRequest("save", text=text))

    def action_reclassify(self) -> None:
        if self.latest is None:
            self._say("No reply to classify yet: paste one and press Ctrl+S.")
            return
        self.dismiss(ReplyRequest("reclassify", reply_id=self.latest.id))

    def action_label(self) -> None:
        latest = self.latest
        if latest is None:
            self._say("No reply to label yet: paste one and press Ctrl+S.")
            return
        current = LABELS.index(latest.sentiment) if latest.sentiment in LABELS else 0

        def chosen(index: int | None) -> None:
            if index is not None:
                self.dismiss(ReplyRequest("label", reply_id=latest.id, sentiment=LABELS[index]))

        self.app.push_screen(ChoiceModal("Label for the latest reply (a correction)",
                                         [s.label for s in LABELS], current), chosen)

    def action_cancel(self) -> None:
        self.dismiss(None)
