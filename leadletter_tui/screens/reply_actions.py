"""Replies from a contact (`p`): the part of `ContactActions` (detail.py) that records,
classifies and re-labels replies. Kept light: the dialog and the reply service load on
first use.

The flow follows workers.py: the reply is saved in a thread worker (it is on record before
anything else happens); the classifier runs in an async worker on the loop (Claude does
network I/O; the offline one is quick); its label is stored in a thread worker; each step
hands the next one plain values with `deliver`. When a label lands the user gets a toast
and every view reloads through `contacts_changed`. A classifier failure is not a crash: the
reply stays unlabelled with the reason (a warning toast says so). A reply that points to
someone else offers to add them (a confirmation, default No).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.content import Content

from ..workers import deliver

if TYPE_CHECKING:
    from ..domain.model import ContactDetail, ReplyInfo
    from ..domain.reply_text import ReplyAnalysis
    from ..services.replies import ReplyOutcome
    from .reply import ReplyRequest


class ReplyActions:
    """Mixed into ContactActions; uses its `services`, `changed`, `current_row()` and
    `_detail_for_current()`."""

    def action_paste_reply(self) -> None:
        row = self.current_row()
        if row is None:
            return
        detail = self._detail_for_current()
        if detail is None:
            self._open_reply_for(row.domain)
        else:
            self._open_reply(detail)

    @work(thread=True, exclusive=True, group="detail", exit_on_error=False)
    def _open_reply_for(self, domain: str) -> None:
        detail = self.services.contacts.contact(domain)
        if detail is not None:
            deliver(self, self._open_reply, detail)

    def _open_reply(self, detail: ContactDetail) -> None:
        from .reply import ReplyModal

        domain = detail.row.domain
        latest = detail.replies[-1] if detail.replies else None
        mode = self.services.replies.mode()

        def done(request: ReplyRequest | None) -> None:
            if request is None:
                return
            if request.action == "save":
                self.save_reply(domain, request.text)
            elif request.action == "reclassify" and latest is not None:
                self.notify(Content(f"{domain}: classifying the latest reply…"))
                self.classify_reply(latest.id, latest.text, domain)
            elif request.action == "label" and request.sentiment is not None:
                self.correct_reply(request.reply_id, request.sentiment.value)

        self.app.push_screen(ReplyModal(domain, latest, mode), done)

    # --- 1. save at once ---------------------------------------------------------------
    @work(thread=True, group="write", exit_on_error=False)
    def save_reply(self, domain: str, text: str) -> None:
        reply = self.services.replies.record(domain, text)
        deliver(self, self._reply_saved, reply)

    def _reply_saved(self, reply: ReplyInfo) -> None:
        self.notify(Content(f"{reply.domain}: reply saved, Replied · classifying…"))
        self.changed.publish(None)
        self.classify_reply(reply.id, reply.text, reply.domain)

    # --- 2. classify in the background ---------------------------------------------------
    @work(group="classify", exit_on_error=False)
    async def classify_reply(self, reply_id: int, text: str, domain: str) -> None:
        replies = self.services.replies
        mode = replies.mode()
        try:
            analysis = await replies.analyse(text)
        except Exception as exc:  # noqa: BLE001 - the reply stays, unlabelled, with why
            self._store_label(reply_id, None, mode, str(exc) or type(exc).__name__)
            return
        self._store_label(reply_id, analysis, mode, "")

    @work(thread=True, group="write", exit_on_error=False)
    def _store_label(self, reply_id: int, analysis: ReplyAnalysis | None, mode: str,
                     error: str) -> None:
        replies = self.services.replies
        if analysis is None:
            outcome = replies.fail(reply_id, error)
        else:
            outcome = replies.apply(reply_id, analysis, labelled_by=mode)
        deliver(self, self._classified, outcome)

    def _classified(self, outcome: ReplyOutcome) -> None:
        from ..domain.text import sanitize_line

        domain = outcome.reply.domain
        self.changed.publish(None)
        if outcome.error:
            self.notify(Content(f"{domain}: reply saved but not classified: {outcome.error}"),
                        severity="warning", timeout=8)
            return
        label = outcome.reply.sentiment.label if outcome.reply.sentiment else "unlabelled"
        parts = [f"{domain}: reply {label}"]
        if outcome.kept_correction:
            parts.append("(kept: set by hand)")
        if outcome.do_not_contact and outcome.analysis and outcome.analysis.do_not_contact:
            parts.append("· marked do not contact (D undoes)")
        if outcome.snoozed_until is not None:
            parts.append(f"· out of office, follow-ups wait until "
                         f"{outcome.snoozed_until.date().isoformat()}")
        self.notify(Content(" ".join(parts)), title="Reply classified")
        referral = outcome.analysis.referral if outcome.analysis else None
        if referral is not None and referral.email:
            who = sanitize_line(f"{referral.name} <{referral.email}>" if referral.name
                                else referral.email)
            self._offer_referral(domain, referral.name, referral.email, who)

    def _offer_referral(self, domain: str, name: str, email: str, who: str) -> None:
        from .modals import ConfirmModal

        def answered(yes: bool | None) -> None:
            if yes:
                self.add_referral(domain, name, email)

        self.app.push_screen(ConfirmModal(
            f"The reply from {domain} points to {who}. Add them as a contact?", "Add"), answered)

    @work(thread=True, group="write", exit_on_error=False)
    def add_referral(self, domain: str, name: str, email: str) -> None:
        message = self.services.replies.add_referral(domain, name, email)
        deliver(self, self.after_write, message)

    # --- 3. a label by hand --------------------------------------------------------------
    @work(thread=True, group="write", exit_on_error=False)
    def correct_reply(self, reply_id: int, sentiment: str) -> None:
        reply = self.services.replies.correct(reply_id, sentiment)
        label = reply.sentiment.label if reply.sentiment else sentiment
        deliver(self, self.after_write, f"{reply.domain}: reply label set to {label} (by hand)")
