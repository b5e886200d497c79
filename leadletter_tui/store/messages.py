"""Messages: storing generated messages (creating the contact on a domain's first one), a
contact's message history, and the event mark the learner's cache is keyed on (the outcomes
it is rebuilt from are `AnalyticsQueries.outcome_groups`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from peewee import Database, SqliteDatabase, fn

from ..domain.model import EventKind, MessageInfo, MessageKind, Status
from .contacts import NotFound, _safe_kind
from .models import Contact, Event, Message
from .queries import _dt, _status, bumped


@dataclass(frozen=True, slots=True)
class NewContact:
    """What the first generation for a domain knows about the business (sanitised)."""

    business_name: str
    contact_name: str = ""
    email: str = ""
    phone: str = ""


@dataclass(frozen=True, slots=True)
class NewMessage:
    kind: MessageKind
    subject: str
    body: str
    angle: str
    framework: str
    category: str
    model: str
    research: str  # PageResearch.to_summary()


@dataclass(frozen=True, slots=True)
class ContactState:
    """What generation needs to know about a contact before writing to it."""

    id: int
    domain: str
    business_name: str
    contact_name: str
    category: str
    status: Status
    last_sent_at: datetime | None
    last_reply_at: datetime | None
    follow_ups: int
    draft_pending: bool
    do_not_contact: bool


@dataclass(frozen=True, slots=True)
class Stored:
    """The outcome of `MessageRepo.store`."""

    contact_id: int
    created: bool  # the contact was created by this message
    business_name: str
    event_mark: int  # the newest event id after the write (see `MessageRepo.event_mark`)


class MessageRepo:
    """Queries and writes on messages (and the contact a first message creates)."""

    def __init__(self, db: Database, clock: Callable[[], datetime] = datetime.now,
                 actor: str = "") -> None:
        self.db = db
        self.clock = clock
        self.actor = actor  # who the events say did it

    def now(self) -> datetime:
        return self.clock().replace(microsecond=0)

    def _writing(self):
        if isinstance(self.db, SqliteDatabase):
            return self.db.atomic(lock_type="IMMEDIATE")
        return self.db.atomic()

    # --- reading -----------------------------------------------------------------------
    def state(self, domain: str) -> ContactState | None:
        """The contact with this stored domain key, or None if there is none yet."""
        c = Contact.select().where(Contact.domain == domain).first(self.db)
        return None if c is None else _state(c)

    def messages(self, domain: str) -> list[MessageInfo]:
        """A contact's messages, oldest first. Raises NotFound."""
        c = Contact.select(Contact.id).where(Contact.domain == domain).first(self.db)
        if c is None:
            raise NotFound(f"no contact with domain {domain!r}")
        query = (Message.select().where(Message.contact == c.id)
                 .order_by(Message.created_at, Message.id))
        return [
            MessageInfo(
                kind=_safe_kind(MessageKind, m.kind, MessageKind.INITIAL),
                subject=m.subject, body=m.body, angle=m.angle, framework=m.framework,
                category=m.category, created_at=_dt(m.created_at), sent_at=_dt(m.sent_at),
                model=m.model, research=m.research,
            )
            for m in query.execute(self.db)
        ]

    def event_mark(self) -> int:
        """The newest event id: every change that can alter an outcome (status, reply,
        message) logs an event, so an unchanged mark means unchanged outcomes."""
        return int(Event.select(fn.MAX(Event.id)).scalar(self.db) or 0)

    # --- writing -----------------------------------------------------------------------
    def store(self, domain: str, message: NewMessage, *, new_contact: NewContact | None = None,
              draft_pending: bool = False, event_detail: str = "") -> Stored:
        """Store a generated message in one transaction. With `new_contact`, a contact that
        does not exist yet is created (status ready); without it, the contact must exist
        (NotFound). `draft_pending` marks an unsent follow-up draft (the follow-up rule)."""
        now = self.now()
        with self._writing():
            c = Contact.select().where(Contact.domain == domain).first(self.db)
            created = False
            if c is None:
                if new_contact is None:
                    raise NotFound(f"no contact with domain {domain!r}")
                cid = Contact.insert(
                    domain=domain, business_name=new_contact.business_name,
                    contact_name=new_contact.contact_name, email=new_contact.email,
                    phone=new_contact.phone, category=message.category,
                    status=Status.READY.value, created_at=now, updated_at=now,
                ).execute(self.db)
                Event.insert(contact=cid, kind=EventKind.CREATED.value, to_status=Status.READY.value,
                             detail="created by generating its first message", at=now,
                             actor=self.actor).execute(self.db)
                created, business = True, new_contact.business_name
            else:
                cid, business = c.id, c.business_name
                updates = {Contact.updated_at: now}
                if message.category:
                    updates[Contact.category] = message.category
                if draft_pending:
                    updates[Contact.draft_pending] = True
                if new_contact is not None:  # fill what the contact lacks, never overwrite
                    for name in ("business_name", "contact_name", "email", "phone"):
                        value = getattr(new_contact, name)
                        if value and not getattr(c, name):
                            updates[getattr(Contact, name)] = value
                            if name == "business_name":
                                business = value
                Contact.update(bumped(updates)).where(Contact.id == cid).execute(self.db)
            Message.insert(
                contact=cid, kind=message.kind.value, subject=message.subject, body=message.body,
                angle=message.angle, framework=message.framework, category=message.category,
                model=message.model, research=message.research, created_at=now,
            ).execute(self.db)
            mark = Event.insert(contact=cid, kind=EventKind.MESSAGE.value,
                                detail=event_detail[:300], at=now,
                                actor=self.actor).execute(self.db)
        return Stored(cid, created, business, int(mark))

    def update_draft(self, domain: str, subject: str, body: str) -> bool:
        """Replace the subject and body of the contact's newest unsent message; False when
        it has none."""
        with self._writing():
            contact = Contact.select(Contact.id).where(Contact.domain == domain).scalar(self.db)
            if contact is None:
                return False
            pending = (Message.select(Message.id)
                       .where(Message.contact == contact, Message.sent_at.is_null())
                       .order_by(Message.created_at.desc(), Message.id.desc()).scalar(self.db))
            if pending is None:
                return False
            Message.update(subject=subject, body=body).where(Message.id == pending).execute(self.db)
            Contact.update(bumped({Contact.updated_at: self.now()})).where(
                Contact.id == contact).execute(self.db)
            Event.insert(contact=contact, kind=EventKind.EDIT.value, detail="edited the draft",
                         at=self.now(), actor=self.actor).execute(self.db)
            return True

    def set_draft_pending(self, domain: str, pending: bool) -> bool:
        """Mark or clear "an unsent follow-up draft exists"; returns whether it changed."""
        with self._writing():
            n = (Contact.update(bumped({Contact.draft_pending: pending,
                                        Contact.updated_at: self.now()}))
                 .where(Contact.domain == domain, Contact.draft_pending != pending)
                 .execute(self.db))
            if not n and Contact.select().where(Contact.domain == domain).count(self.db) == 0:
                raise NotFound(f"no contact with domain {domain!r}")
            return bool(n)


def _state(c: Contact) -> ContactState:
    return ContactState(
        id=c.id, domain=c.domain, business_name=c.business_name, contact_name=c.contact_name,
        category=c.category, status=_status(c.status), last_sent_at=_dt(c.last_sent_at),
        last_reply_at=_dt(c.last_reply_at), follow_ups=int(c.follow_ups or 0),
        draft_pending=bool(c.draft_pending), do_not_contact=bool(c.do_not_contact),
    )
