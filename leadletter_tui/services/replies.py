"""Replies: record a pasted reply, classify it, act on what it says (CLI `reply`/`classify`,
the TUI's reply dialog).

1. `record` saves the reply at once, before any classification (sanitised, at most
   `MAX_REPLY_CHARS`), and marks the contact Replied: a failed or slow classifier never
   loses a reply.
2. `analyse` asks the classifier (Claude with a key, else the offline one; async, no
   database). `apply` stores the label and acts on the operational signals:
   - unsubscribe / remove me → do-not-contact (no follow-ups, no generation; `D` on the
     contact or `ContactService.set_do_not_contact` undoes it);
   - out-of-office → neutral, and it is not treated as a reply: the contact goes back to
     the status it had (Sent stays Sent) and its follow-ups are snoozed until the day after
     the stated return date (without a date, the follow-up clock simply runs on). A user
     pasting an auto-reply still waits for the real answer; the note stays on record;
   - referral → returned in the outcome, so the UI can offer to add the new contact.
   A label set by hand (`correct`) is never overwritten by an automatic run.
3. A classifier failure (no network, Claude down, a malformed answer twice) keeps the reply
   unlabelled, with the reason stored on it and returned in `ReplyOutcome.error`.

The TUI runs the three steps in its own workers (database in threads, the classifier on
the event loop); `classify` chains them for the CLI.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from ..config import Settings
from ..domain.domains import FreeMailAddress, InvalidDomain, domain_from_email
from ..domain.model import ReplyInfo, Sentiment, Status
from ..domain.reply_text import MAX_REPLY_CHARS, ReplyAnalysis
from ..domain.text import TextTooLong, quote_input, sanitize_line, sanitize_text
from ..errors import UserError
from ..store.store import NotFound, Store
from .contacts import resolve_domain
from .ai_choice import choose_ai  # the one place a bundle is picked
from .errors import database_errors


def clean_reply(text: str) -> str:
    """Sanitised reply text. Raises UserError when empty or longer than MAX_REPLY_CHARS."""
    try:
        clean = sanitize_text(text, MAX_REPLY_CHARS).strip()
    except TextTooLong as exc:
        raise UserError(
            f"reply is too long ({exc.field_len:,} characters, at most {MAX_REPLY_CHARS:,}); "
            "paste only the reply, without the quoted thread") from None
    if not clean:
        raise UserError("the reply is empty")
    return clean


@dataclass(frozen=True)
class ReplyOutcome:
    """What classifying one stored reply did."""

    reply: ReplyInfo
    status: Status  # the contact's, afterwards
    do_not_contact: bool  # the contact's, afterwards
    analysis: ReplyAnalysis | None = None  # None when classification failed
    snoozed_until: datetime | None = None  # set by this reply (out of office)
    kept_correction: bool = False  # the label had been set by hand: left as it was
    error: str = ""  # why the reply stays unlabelled

    @property
    def sentiment(self) -> Sentiment | None:
        return self.reply.sentiment


class ReplyService:
    """Recording and classifying replies (see the module docstring)."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self._ai: dict[bool, object] = {}
        self.settings = settings

    @property
    def settings(self) -> Settings:
        return self._settings

    @settings.setter
    def settings(self, value: Settings) -> None:
        """New settings (a new key, say) pick the classifier again on next use."""
        self._settings = value
        self._ai = {}

    def ai(self, *, offline: bool = False):
        if offline not in self._ai:
            self._ai[offline] = choose_ai(self.settings, offline=offline)
        return self._ai[offline]

    def mode(self, *, offline: bool = False) -> str:
        """"Claude" or "offline": who will classify."""
        return self.ai(offline=offline).mode

    # --- reading -------------------------------------------------------------------------
    def latest(self, domain_text: str) -> ReplyInfo | None:
        try:
            with database_errors(self.store):
                return self.store.replies.latest(resolve_domain(domain_text))
        except NotFound as exc:
            raise UserError(str(exc)) from None

    def get(self, reply_id: int) -> ReplyInfo:
        try:
            with database_errors(self.store):
                return self.store.replies.get(reply_id)
        except NotFound as exc:
            raise UserError(str(exc)) from None

    def unlabelled(self, limit: int | None = None) -> list[ReplyInfo]:
        with database_errors(self.store):
            return self.store.replies.unlabelled(limit)

    # --- 1. record -----------------------------------------------------------------------
    def record(self, domain_text: str, text: str) -> ReplyInfo:
        """Save the reply now and mark the contact Replied. Raises UserError."""
        domain = resolve_domain(domain_text)
        clean = clean_reply(text)
        try:
            with database_errors(self.store):
                info = self.store.replies.add(domain, clean)
        except NotFound as exc:
            raise UserError(str(exc)) from None
        from .. import logs

        logs.info("reply recorded for %s (%d characters)", domain, len(clean))
        logs.debug("reply text for %s: %s", domain, clean)  # what they wrote: debug only
        return info

    # --- 2. classify ---------------------------------------------------------------------
    async def analyse(self, text: str, *, offline: bool = False) -> ReplyAnalysis:
        """Ask the classifier (no database). Raises what the classifier raises."""
        today = self.store.clock().date()
        return await self.ai(offline=offline).classifier.classify(text, today=today)

    def apply(self, reply_id: int, analysis: ReplyAnalysis, *, labelled_by: str) -> ReplyOutcome:
        """Store the label and act on the signals (module docstring)."""
        replies = self.store.replies
        try:
            with database_errors(self.store):
                reply = replies.get(reply_id)
                signal = ("unsubscribe" if analysis.do_not_contact else
                          "out_of_office" if analysis.out_of_office else
                          "referral" if analysis.referral else "")
                labelled = replies.set_label(reply_id, analysis.sentiment, reason=analysis.reason,
                                             labelled_by=labelled_by.lower(), signal=signal)
                snoozed = None
                if labelled and analysis.do_not_contact:
                    self.store.contacts.set_do_not_contact(reply.domain, True)
                if labelled and analysis.out_of_office is not None:
                    replies.not_a_reply(reply_id)
                    until = analysis.out_of_office.snooze_until
                    if until is not None:
                        snoozed = datetime.combine(until, time())
                        replies.snooze(reply.domain, snoozed)
                return self._outcome(reply_id, analysis=analysis, snoozed_until=snoozed,
                                     kept_correction=not labelled)
        except NotFound as exc:
            raise UserError(str(exc)) from None

    def fail(self, reply_id: int, reason: str) -> ReplyOutcome:
        """Classification failed: the reply stays unlabelled, with the reason."""
        line = sanitize_line(reason)[:280] or "classification failed"
        with database_errors(self.store):
            self.store.replies.mark_unlabelled(reply_id, f"not classified: {line}")
            return self._outcome(reply_id, error=line)

    def _outcome(self, reply_id: int, **kwargs) -> ReplyOutcome:
        reply = self.store.replies.get(reply_id)
        detail = self.store.contacts.detail(reply.domain)
        return ReplyOutcome(reply=reply, status=detail.status,
                            do_not_contact=detail.row.do_not_contact, **kwargs)

    async def classify(self, target: int | str, *, offline: bool = False) -> ReplyOutcome:
        """Classify a stored reply: by id, or a domain's latest reply. A failing classifier
        gives an outcome with `error` set (the reply stays unlabelled), not an exception."""
        reply = self.get(target) if isinstance(target, int) else self.latest(target)
        if reply is None:
            raise UserError(f"{resolve_domain(str(target))} has no reply to classify")
        ai = self.ai(offline=offline)
        try:
            analysis = await self.analyse(reply.text, offline=offline)
        except Exception as exc:  # noqa: BLE001 - any classifier failure keeps the reply
            return self.fail(reply.id, str(exc) or type(exc).__name__)
        return self.apply(reply.id, analysis, labelled_by=ai.mode)

    def correct(self, reply_id: int, sentiment: Sentiment | str) -> ReplyInfo:
        """Set a reply's label by hand (recorded as a correction; never overwritten)."""
        try:
            label = Sentiment(sentiment)
        except ValueError:
            choices = ", ".join(s.value for s in Sentiment)
            raise UserError(f"unknown label {quote_input(sentiment, 30)} (choose from {choices})") from None
        try:
            with database_errors(self.store):
                return self.store.replies.correct_label(reply_id, label)
        except NotFound as exc:
            raise UserError(str(exc)) from None

    # --- signals the user acts on --------------------------------------------------------
    def set_do_not_contact(self, domain_text: str, flag: bool) -> bool:
        """Mark or clear do-not-contact (reversible: clearing it is the undo)."""
        try:
            with database_errors(self.store):
                return self.store.contacts.set_do_not_contact(resolve_domain(domain_text), flag)
        except NotFound as exc:
            raise UserError(str(exc)) from None

    def snooze(self, domain_text: str, until: datetime | None) -> bool:
        try:
            with database_errors(self.store):
                return self.store.replies.snooze(resolve_domain(domain_text), until)
        except NotFound as exc:
            raise UserError(str(exc)) from None

    def add_referral(self, from_domain: str, name: str, email: str) -> str:
        """Add the contact a reply pointed to; returns a one-line result for the user.

        Someone at the same company (sam@acme.com in a reply from acme.com) becomes the
        contact's person instead, since a domain is one contact. A free-mail address cannot
        name a business: the user is told to add it by hand."""
        name = sanitize_line(name)[:120]
        email = sanitize_line(email)[:254]
        try:
            target = domain_from_email(email)
        except FreeMailAddress:
            raise UserError(f"{email} is a free-mail address: add its business by hand") from None
        except InvalidDomain:
            raise UserError(f"cannot tell a business domain from {quote_input(email, 60)}") from None
        try:
            with database_errors(self.store):
                if target == from_domain:
                    changes = {"email": email, **({"contact_name": name} if name else {})}
                    self.store.contacts.update_fields(from_domain, changes)
                    return f"{from_domain}: contact is now {name or email}"
                added = self.store.replies.add_contact(target, contact_name=name, email=email,
                                                       referred_by=from_domain)
        except NotFound as exc:
            raise UserError(str(exc)) from None
        return f"added {target} ({name or email})" if added else f"{target} is already a contact"
