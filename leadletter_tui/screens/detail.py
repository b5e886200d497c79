"""Contact actions shared by the contacts screen and the detail screen, and the detail
screen itself (pushed when the terminal is too narrow for the side pane)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.signal import Signal
from textual.widgets import Header

from ..domain.model import ContactRow, Status
from ..services import Services, UserError
from ..widgets.contact_detail import ContactDetailView
from ..widgets.key_bar import KeyBar
from ..workers import ReportsWorkerErrors, deliver
from .draft_actions import DraftActions
from .reply_actions import ReplyActions
from .typeahead import APP_OPENERS, TypeAheadGuard

if TYPE_CHECKING:
    from ..domain.model import ContactDetail


class ContactActions(DraftActions, ReplyActions):
    """Single-contact actions (replies: reply_actions.py). Hosts provide `services`,
    `changed`, `detail` (a ContactDetailView) and `current_row()`."""

    services: Services
    changed: Signal
    detail: ContactDetailView

    def current_row(self) -> ContactRow | None:  # pragma: no cover - overridden
        raise NotImplementedError

    @work(thread=True, exclusive=True, group="detail", exit_on_error=False)
    def fetch_detail(self, domain: str) -> None:
        detail = self.services.contacts.contact(domain)
        deliver(self, self.detail.show, detail)

    @work(thread=True, group="write", exit_on_error=False)
    def change_status(self, domain: str, status: Status, version: int | None = None) -> None:
        """`version`: the row as the user saw it; changed since, ChangedElsewhere is raised
        (the app says so and reloads: nothing is overwritten)."""
        change = self.services.contacts.change_status(domain, status.value, seen_version=version)
        if change.is_noop:
            message = f"{domain} is already {status.label}"
        else:
            message = f"{domain}: {change.from_status.label} → {change.to_status.label}"
        deliver(self, self.after_write, message)

    def mark_status(self, row: ContactRow, status: Status) -> None:
        """Change one contact's status; marking a do-not-contact contact Sent asks first
        (default No)."""
        if status is Status.SENT and row.do_not_contact and row.status is not Status.SENT:
            from .modals import ConfirmModal

            def confirmed(ok: bool | None) -> None:
                if ok:
                    self.change_status(row.domain, status, row.version)

            self.app.push_screen(ConfirmModal(
                f"{row.domain} is marked DO NOT CONTACT. Mark it Sent anyway?", "Mark Sent"),
                confirmed)
            return
        self.change_status(row.domain, status, row.version)

    def action_undo(self) -> None:
        """Take back the newest change made in this session (repeat to walk back)."""
        if not self.services.contacts.can_undo:
            self.notify(Content("Nothing to undo in this session"), title="Undo")
            return
        self.undo_last()

    @work(thread=True, group="write", exit_on_error=False)
    def undo_last(self) -> None:
        message = self.services.contacts.undo()
        deliver(self, self.after_write, message, "Undo")

    def after_write(self, message: str, title: str = "") -> None:
        self.notify(Content(message), title=title)
        self.changed.publish(None)

    def _detail_for_current(self) -> ContactDetail | None:
        row = self.current_row()
        if row is None:
            return None
        shown = self.detail.detail
        if shown is not None and shown.row.id == row.id:
            return shown
        return None

    def action_edit(self) -> None:
        row = self.current_row()
        if row is None:
            return
        detail = self._detail_for_current()
        if detail is None:
            self._open_editor(row.domain)
            return
        self._edit(detail)

    @work(thread=True, exclusive=True, group="detail", exit_on_error=False)
    def _open_editor(self, domain: str) -> None:
        detail = self.services.contacts.contact(domain)
        if detail is not None:
            deliver(self, self._edit, detail)

    def _edit(self, detail: ContactDetail) -> None:
        from .edit_contact import EditContactModal  # its widgets load on first use

        def validate(changes: dict) -> str | None:
            try:
                self.services.contacts.clean_edit(changes)
            except UserError as exc:
                return str(exc)
            return None

        def done(changes: dict | None) -> None:
            if changes:
                self.save_edit(detail.row.domain, changes, detail.row.version)

        self.app.push_screen(EditContactModal(detail, validate), done)

    @work(thread=True, group="write", exit_on_error=False)
    def save_edit(self, domain: str, changes: dict, version: int | None = None) -> None:
        changed = self.services.contacts.edit_contact(domain, changes, seen_version=version)
        what = ", ".join(c.replace("_", " ") for c in changed) or "nothing"
        deliver(self, self.after_write, f"{domain}: saved {what}")

    def action_toggle_dnc(self) -> None:
        row = self.current_row()
        if row is not None:
            self.set_dnc(row.domain, not row.do_not_contact, row.version)

    @work(thread=True, group="write", exit_on_error=False)
    def set_dnc(self, domain: str, flag: bool, version: int | None = None) -> None:
        self.services.contacts.set_do_not_contact(domain, flag, seen_version=version)
        state = "do not contact" if flag else "contactable again"
        deliver(self, self.after_write, f"{domain}: {state}")

    def action_copy(self) -> None:
        row = self.current_row()
        if row is None:
            return
        text = row.email or row.domain
        # OSC 52 has no reply: the terminal (or tmux) may have ignored it, so say what was
        # done and how to check, never "Copied".
        self.app.copy_to_clipboard(text)
        self.notify(Content(f"Sent {text} to the terminal clipboard. Paste to check: "
                            "over SSH or tmux it needs OSC 52 (tmux: set-clipboard on)."),
                    title="Clipboard")


class DetailScreen(TypeAheadGuard, ReportsWorkerErrors, ContactActions, Screen):
    """Full-screen contact detail for narrow terminals."""

    FIELD_OPENERS = {"e": "edit", "p": "paste_reply", "d": "open_draft", **APP_OPENERS}  # keys typed after it go into the form (screens/typeahead)

    BINDINGS = [
        Binding("escape,q", "back", "Back", id="detail.back"),
        *(Binding(s.key, f"set_status('{s.value}')", s.look.action, id=f"detail.{s.value}")
          for s in Status),
        Binding("e", "edit", "Edit", id="detail.edit"),
        Binding("u", "undo", "Undo", show=False, id="detail.undo"),
        Binding("D", "toggle_dnc", "Do not contact", show=False, id="detail.dnc"),
        Binding("c", "copy", "Copy email", show=False, id="detail.copy"),
        Binding("p", "paste_reply", "Paste reply", id="detail.reply"),
        Binding("d", "open_draft", "Draft", id="detail.draft"),
    ]

    def __init__(self, services: Services, changed: Signal, domain: str, follow_up_days: int) -> None:
        super().__init__()
        self.services = services
        self.changed = changed
        self.domain = domain
        self.detail = ContactDetailView(services.clock, follow_up_days, id="detail-full")

    def compose(self) -> ComposeResult:
        yield Header()
        yield self.detail
        yield KeyBar()

    def on_mount(self) -> None:
        self.changed.subscribe(self, lambda _data: self.fetch_detail(self.domain))
        self.fetch_detail(self.domain)
        self.detail.focus()

    def current_row(self) -> ContactRow | None:
        return self.detail.detail.row if self.detail.detail else None

    def action_set_status(self, value: str) -> None:
        row = self.current_row()
        if row is not None:  # the detail has loaded: do-not-contact is known
            self.mark_status(row, Status(value))

    def action_back(self) -> None:
        self.dismiss()
