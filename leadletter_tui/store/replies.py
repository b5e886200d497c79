"""Replies: saving a pasted reply, labelling it, corrections, snoozes (the `Store.replies` part).

The order of things is the product's promise: a reply is saved (and the contact marked
Replied) before anything classifies it, so a failed or slow classification never loses
it. A label set by hand (`labelled_by == "user"`) is a correction: automatic runs never
overwrite it. Every change leaves an event on the contact's timeline.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from peewee import Database, fn

from ..domain.model import EventKind, ReplyInfo, Sentiment, Status
from .contacts import ContactRepo, NotFound, reply_info
from .models import Contact, Event, Reply
from .queries import _dt, _status, bumped

USER = "user"  # labelled_by of a manual correction
OUT_OF_OFFICE = "out_of_office"
_DETAIL_MAX = 300


class ReplyRepo:
    """Reply rows of one database. Safe to share across threads."""

    def __init__(self, db: Database, contacts: ContactRepo,
                 clock: Callable[[], datetime] = datetime.now) -> None:
        self.db = db
        self.contacts = contacts
        self.clock = clock

    def now(self) -> datetime:
        return self.clock().replace(microsecond=0)

    def _log(self, contact_id: int, kind: EventKind, detail: str, **statuses) -> None:
        Event.insert(contact=contact_id, kind=kind.value, detail=detail[:_DETAIL_MAX],
                     at=self.now(), actor=self.contacts.actor, **statuses).execute(self.db)

    # --- reading ---------------------------------------------------------------------------
    def _row(self, reply_id: int) -> tuple[Reply, Contact]:
        r = Reply.select().where(Reply.id == reply_id).first(self.db)
        if r is None:
            raise NotFound(f"no reply #{reply_id}")
        c = Contact.select().where(Contact.id == r.contact_id).first(self.db)
        if c is None:  # pragma: no cover - the foreign key cascades
            raise NotFound(f"no contact for reply #{reply_id}")
        return r, c

    def get(self, reply_id: int) -> ReplyInfo:
        r, c = self._row(reply_id)
        return reply_info(r, c.domain)

    def latest(self, domain: str) -> ReplyInfo | None:
        """The contact's newest reply, or None (NotFound if the contact does not exist)."""
        c = self.contacts._get(domain)
        r = self._latest_of(c.id)
        return reply_info(r, c.domain) if r is not None else None

    def _latest_of(self, contact_id: int) -> Reply | None:
        return (Reply.select().where(Reply.contact == contact_id)
                .order_by(Reply.received_at.desc(), Reply.id.desc()).first(self.db))

    def unlabelled(self, limit: int | None = None) -> list[ReplyInfo]:
        """Replies still without a label, oldest first (to classify, e.g. after a failure)."""
        q = (Reply.select(Reply, Contact.domain).join(Contact)
             .where(Reply.sentiment.is_null()).order_by(Reply.received_at, Reply.id))
        if limit:
            q = q.limit(limit)
        return [reply_info(r, r.contact.domain) for r in q.execute(self.db)]

    # --- writing ---------------------------------------------------------------------------
    def add(self, domain: str, text: str) -> ReplyInfo:
        """Save a reply (already sanitised) at once: Ready/Sent contacts become Replied (Won
        and Lost stay where the user put them), last reply is stamped, an event logged."""
        with self.contacts._writing():
            c = self.contacts._get(domain)
            now = self.now()
            reply_id = Reply.insert(contact=c.id, text=text, received_at=now).execute(self.db)
            self._log(c.id, EventKind.REPLY, "reply received")
            if _status(c.status) in (Status.READY, Status.SENT):
                self.contacts._apply_change(c, Status.REPLIED, None)
            Contact.update(bumped({Contact.last_reply_at: now, Contact.updated_at: now})).where(
                Contact.id == c.id).execute(self.db)
            return reply_info(Reply.select().where(Reply.id == reply_id).first(self.db), c.domain)

    def set_label(self, reply_id: int, sentiment: Sentiment, *, reason: str, labelled_by: str,
                  signal: str = "") -> bool:
        """An automatic label. Returns False (and changes nothing) if the reply's label was
        corrected by hand."""
        with self.contacts._writing():
            r, c = self._row(reply_id)
            if r.labelled_by == USER:
                return False
            Reply.update(sentiment=sentiment.value, reason=reason[:_DETAIL_MAX],
                         labelled_by=labelled_by, signal=signal or None).where(
                Reply.id == r.id).execute(self.db)
            self._sync_contact_sentiment(c, r.id, sentiment)
            self._log(c.id, EventKind.REPLY, f"reply labelled {sentiment.label} ({labelled_by})")
            return True

    def mark_unlabelled(self, reply_id: int, reason: str) -> bool:
        """Classification failed: the reply keeps no label and says why. A corrected or
        already labelled reply is left alone (returns False)."""
        with self.contacts._writing():
            r, _c = self._row(reply_id)
            if r.sentiment is not None:
                return False
            Reply.update(reason=reason[:_DETAIL_MAX]).where(Reply.id == r.id).execute(self.db)
            return True

    def correct_label(self, reply_id: int, sentiment: Sentiment) -> ReplyInfo:
        """Set the label by hand (a correction event). An out-of-office note relabelled as
        anything but neutral was a real reply after all: the contact is Replied again."""
        with self.contacts._writing():
            r, c = self._row(reply_id)
            before = Sentiment(r.sentiment).label if r.sentiment else "unlabelled"
            signal = r.signal
            if signal == OUT_OF_OFFICE and sentiment is not Sentiment.NEUTRAL:
                signal = None
            Reply.update(sentiment=sentiment.value, labelled_by=USER, signal=signal,
                         reason=f"set by hand (was {before})").where(Reply.id == r.id).execute(self.db)
            self._sync_contact_sentiment(c, r.id, sentiment)
            self._log(c.id, EventKind.CORRECTION,
                      f"reply label corrected: {before} → {sentiment.label}")
            if r.signal == OUT_OF_OFFICE and signal is None:
                self._restore_reply_state(c)
            r, c = self._row(reply_id)
            return reply_info(r, c.domain)

    def _sync_contact_sentiment(self, c: Contact, reply_id: int, sentiment: Sentiment) -> None:
        """The contact shows its latest reply's label."""
        latest = self._latest_of(c.id)
        if latest is not None and latest.id == reply_id:
            Contact.update(bumped({Contact.sentiment: sentiment.value,
                                   Contact.updated_at: self.now()})).where(
                Contact.id == c.id).execute(self.db)

    def _last_real_reply_at(self, contact_id: int, without: int | None = None) -> datetime | None:
        q = Reply.select(fn.MAX(Reply.received_at)).where(
            Reply.contact == contact_id,
            Reply.signal.is_null() | (Reply.signal != OUT_OF_OFFICE))
        if without is not None:
            q = q.where(Reply.id != without)
        value = q.scalar(self.db)
        if value is None or isinstance(value, datetime):
            return value
        return datetime.fromisoformat(str(value))

    def _restore_reply_state(self, c: Contact) -> None:
        c = Contact.select().where(Contact.id == c.id).first(self.db)
        if _status(c.status) in (Status.READY, Status.SENT):
            self.contacts._apply_change(c, Status.REPLIED, None)
        Contact.update(bumped({Contact.last_reply_at: self._last_real_reply_at(c.id),
                               Contact.updated_at: self.now()})).where(
            Contact.id == c.id).execute(self.db)

    def not_a_reply(self, reply_id: int) -> Status:
        """An automatic out-of-office note is not an answer: undo what saving it did. The
        contact goes back to the status it had before (if the save moved it and nobody has
        moved it since) and its last reply is the last real one again, so the follow-up
        clock runs on. Returns the contact's status afterwards."""
        with self.contacts._writing():
            r, c = self._row(reply_id)
            Reply.update(signal=OUT_OF_OFFICE).where(Reply.id == r.id).execute(self.db)
            status = _status(c.status)
            last = (Event.select().where(Event.contact == c.id, Event.kind == EventKind.STATUS.value)
                    .order_by(Event.at.desc(), Event.id.desc()).first(self.db))
            updates = {Contact.last_reply_at: self._last_real_reply_at(c.id, without=r.id),
                       Contact.updated_at: self.now()}
            moved_by_save = (last is not None and last.to_status == Status.REPLIED.value
                             and last.from_status is not None
                             and _dt(last.at) >= _dt(r.received_at))
            if status is Status.REPLIED and moved_by_save:
                back = _status(last.from_status)
                updates[Contact.status] = back.value
                self._log(c.id, EventKind.STATUS, "out-of-office note, not a reply",
                          from_status=status.value, to_status=back.value)
                status = back
            Contact.update(bumped(updates)).where(Contact.id == c.id).execute(self.db)
            return status

    def snooze(self, domain: str, until: datetime | None) -> bool:
        """Hold follow-ups until `until` (None: no snooze). Returns whether it changed."""
        with self.contacts._writing():
            c = self.contacts._get(domain)
            current = c.snoozed_until
            if current is not None and not isinstance(current, datetime):
                current = datetime.fromisoformat(str(current))
            if current == until:
                return False
            Contact.update(bumped({Contact.snoozed_until: until,
                                   Contact.updated_at: self.now()})).where(
                Contact.id == c.id).execute(self.db)
            what = (f"follow-ups snoozed until {until.date().isoformat()}" if until
                    else "follow-up snooze cleared")
            self._log(c.id, EventKind.EDIT, what)
            return True

    def add_contact(self, domain: str, *, contact_name: str, email: str, referred_by: str) -> bool:
        """A new contact someone's reply pointed to. False if the domain is already a
        contact (nothing changes then)."""
        with self.contacts._writing():
            if Contact.select().where(Contact.domain == domain).exists(self.db):
                return False
            now = self.now()
            new_id = Contact.insert(domain=domain, contact_name=contact_name, email=email,
                                    status=Status.READY.value, created_at=now,
                                    updated_at=now).execute(self.db)
            self._log(new_id, EventKind.CREATED, f"referred by {referred_by}")
            return True
