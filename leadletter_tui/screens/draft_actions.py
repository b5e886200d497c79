"""`d`: open the highlighted contact's unsent message (first message or follow-up) to read,
edit (TextArea or $EDITOR), copy or mark sent. Mixed into ContactActions, so the contacts
table, the detail screen and the follow-up queue all have it."""

from __future__ import annotations

from textual import work
from textual.content import Content

from ..workers import deliver


class DraftActions:
    def action_open_draft(self) -> None:
        row = self.current_row()
        if row is not None:
            self._load_draft(row.domain)

    @work(thread=True, exclusive=True, group="draft", exit_on_error=False)
    def _load_draft(self, domain: str) -> None:
        detail = self.services.contacts.detail(domain)
        unsent = [m for m in detail.messages if m.sent_at is None]
        deliver(self, self._show_draft, domain, unsent[-1] if unsent else None)

    def _show_draft(self, domain: str, message) -> None:
        if message is None:
            self.notify(Content(f"{domain} has no unsent message: n writes one, f a follow-up"),
                        title="Draft")
            return
        from .draft import DraftModal

        def done(result) -> None:
            if result is not None:
                what, subject, body = result
                self._save_draft(domain, what, subject, body)

        self.app.push_screen(DraftModal(domain, message), done)

    @work(thread=True, group="write", exit_on_error=False)
    def _save_draft(self, domain: str, what: str, subject: str, body: str) -> None:
        problems = self.services.generation.update_draft(domain, subject, body)
        note = f" (note: {problems[0]})" if problems else ""
        if what == "sent":
            change = self.services.contacts.change_status(domain, "sent")
            deliver(self, self.after_write, f"{domain}: sent · {change.to_status.label}{note}")
        else:
            deliver(self, self.after_write, f"{domain}: draft kept{note}")
