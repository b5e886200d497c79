"""Contacts: every query and write on the contact table family, returning domain objects."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import datetime

from peewee import Database, SqliteDatabase

from ..domain.filters import ContactFilter, Sort
from ..domain.model import (
    ContactDetail,
    ContactRow,
    EventInfo,
    EventKind,
    MessageInfo,
    MessageKind,
    ReplyInfo,
    Status,
)
from ..domain.pipeline import Before, StatusChange, UndoStep, plan_status_change
from . import undo as undo_ops
from .errors import NotFound, Stale
from .models import Contact, Event, Message, Reply
from .queries import (
    ROW_FIELDS,
    _dt,
    _sentiment,
    _status,
    bumped,
    combine,
    order_by,
    to_row,
    where_clauses,
)
from .sqlite import counters


def reply_info(r: Reply, domain: str) -> ReplyInfo:
    """A reply row → ReplyInfo."""
    return ReplyInfo(text=r.text, sentiment=_sentiment(r.sentiment), received_at=_dt(r.received_at),
                     id=r.id, domain=domain, reason=r.reason or "",
                     labelled_by=r.labelled_by or "", signal=r.signal or "")


def _safe_kind(enum, value, default):
    try:
        return enum(value)
    except ValueError:
        return default


class ContactRepo:
    """Queries and transitions over one database. Safe to share across threads."""

    def __init__(self, db: Database, clock: Callable[[], datetime] = datetime.now,
                 actor: str = "") -> None:
        self.db = db
        self.clock = clock
        self.actor = actor  # who the events say did it (config `user_name`)

    def now(self) -> datetime:
        return self.clock().replace(microsecond=0)

    def _writing(self):
        """A write transaction. SQLite takes the write lock up front (BEGIN IMMEDIATE), so a
        busy database is waited for (busy_timeout) instead of failing at once when a
        transaction that has already read tries to write."""
        if isinstance(self.db, SqliteDatabase):
            return self.db.atomic(lock_type="IMMEDIATE")
        return self.db.atomic()

    # --- reading ---------------------------------------------------------------
    def _filtered(self, flt: ContactFilter, *fields):
        q = Contact.select(*fields)
        cond = combine(where_clauses(self.db, flt))
        return q.where(cond) if cond is not None else q

    def count(self, flt: ContactFilter = ContactFilter()) -> int:
        fast = counters.fast_count(self.db, flt)
        return fast if fast is not None else self._filtered(flt).count(self.db)

    def total(self) -> int:
        return self.count(ContactFilter())

    def iter_rows(
        self, flt: ContactFilter, sort: Sort, limit: int | None = None
    ) -> Iterator[ContactRow]:
        """Stream matching rows in order without loading them all (export, list)."""
        q = self._filtered(flt, *ROW_FIELDS).order_by(*order_by(sort, self.db))
        if limit:
            q = q.limit(limit)
        cursor = self.db.execute(q)  # raw rows: to_row parses the date-times itself
        while batch := cursor.fetchmany(500):
            for t in batch:
                yield to_row(t)

    def detail(self, domain: str) -> ContactDetail:
        return self._detail(self._get(domain))

    def _get(self, domain: str) -> Contact:
        c = Contact.select().where(Contact.domain == domain).first(self.db)
        if c is None:
            raise NotFound(f"no contact with domain {domain!r}")
        return c

    def _detail(self, c: Contact) -> ContactDetail:
        row = to_row(tuple(getattr(c, f.name) for f in ROW_FIELDS))
        messages = [
            MessageInfo(
                kind=_safe_kind(MessageKind, m.kind, MessageKind.INITIAL),
                subject=m.subject,
                body=m.body,
                angle=m.angle,
                framework=m.framework,
                category=m.category,
                created_at=_dt(m.created_at),
                sent_at=_dt(m.sent_at),
                model=m.model,
                research=m.research,
            )
            for m in Message.select().where(Message.contact == c.id)
            .order_by(Message.created_at, Message.id).execute(self.db)
        ]
        replies = [
            reply_info(r, c.domain)
            for r in Reply.select().where(Reply.contact == c.id)
            .order_by(Reply.received_at, Reply.id).execute(self.db)
        ]
        events = [
            EventInfo(
                kind=_safe_kind(EventKind, e.kind, EventKind.EDIT),
                at=_dt(e.at),
                from_status=_status(e.from_status) if e.from_status else None,
                to_status=_status(e.to_status) if e.to_status else None,
                detail=e.detail,
                actor=e.actor or "",
            )
            for e in Event.select().where(Event.contact == c.id)
            .order_by(Event.at, Event.id).execute(self.db)
        ]
        try:
            extra = json.loads(c.extra) if c.extra else {}
        except ValueError:
            extra = {}
        return ContactDetail(
            row=row,
            notes=c.notes,
            category=c.category,
            extra={str(k): str(v) for k, v in extra.items()} if isinstance(extra, dict) else {},
            updated_at=_dt(c.updated_at),
            last_reply_at=_dt(c.last_reply_at),
            draft_pending=bool(c.draft_pending),
            messages=messages,
            replies=replies,
            events=events,
            snoozed_until=_dt(c.snoozed_until),
        )

    # --- writing ---------------------------------------------------------------
    def change_status(
        self, domain: str, new: Status, at: datetime | None = None, *,
        seen_version: int | None = None, seen_status: Status | None = None,
    ) -> StatusChange:
        """Move one contact; logs an Event; `sent` stamps last sent and the pending message.

        Conditional: with `seen_version` (what the screen showed) or `seen_status`, a row
        that no longer has it raises Stale; and the write itself applies only to the
        version read here, so a change committed in between is never overwritten."""
        with self._writing():
            c = self._get(domain)
            self._check_seen(c, seen_version, seen_status)
            return self._apply_change(c, new, at)

    @staticmethod
    def _check_seen(c: Contact, seen_version: int | None, seen_status: Status | None) -> None:
        if seen_version is not None and int(c.version or 0) != seen_version:
            raise Stale(c.domain)
        if seen_status is not None and _status(c.status) is not seen_status:
            raise Stale(c.domain)

    def _update_seen(self, c: Contact, updates: dict) -> None:
        """Write `updates` to the contact only if it still has the version read as `c`
        (raises Stale otherwise, rolling back the caller's transaction)."""
        n = Contact.update(bumped(updates)).where(
            Contact.id == c.id, Contact.version == int(c.version or 0)).execute(self.db)
        if not n:
            raise Stale(c.domain)

    def change_status_many(self, ids: list[int], new: Status) -> int:
        """Bulk move; one transaction; returns how many contacts changed."""
        changed = 0
        with self._writing():
            for start in range(0, len(ids), 500):
                for c in Contact.select().where(Contact.id.in_(ids[start : start + 500])).execute(self.db):
                    if not self._apply_change(c, new, None).is_noop:
                        changed += 1
        return changed

    def _apply_change(self, c: Contact, new: Status, at: datetime | None) -> StatusChange:
        current = _status(c.status)
        unsent = current is new is Status.SENT and self._has_unsent_message(c)
        change = plan_status_change(current, new, self.now(), at, unsent_message=unsent)
        if change.is_noop:
            return change
        updates = {Contact.status: new.value, Contact.updated_at: self.now()}
        if change.stamps_sent:
            updates[Contact.last_sent_at] = change.at
            pending = (
                Message.select()
                .where(Message.contact == c.id, Message.sent_at.is_null())
                .order_by(Message.created_at.desc(), Message.id.desc())
                .first(self.db)
            )
            if pending is not None:
                Message.update(sent_at=change.at).where(Message.id == pending.id).execute(self.db)
                if pending.kind == MessageKind.FOLLOW_UP.value:
                    updates[Contact.follow_ups] = Contact.follow_ups + 1
            updates[Contact.draft_pending] = False
        self._update_seen(c, updates)
        Event.insert(
            contact=c.id,
            kind=EventKind.STATUS.value,
            from_status=change.from_status.value,
            to_status=change.to_status.value,
            at=change.at,
            actor=self.actor,
        ).execute(self.db)
        return change

    def _has_unsent_message(self, c: Contact) -> bool:
        """A message (e.g. a follow-up draft) waits to go out: `sent` then is a re-send."""
        if c.draft_pending:
            return True
        return Message.select().where(Message.contact == c.id, Message.sent_at.is_null()
                                      ).exists(self.db)

    # --- undo (store/undo.py) -----------------------------------------------------
    def before_change(self, ids: list[int], new: Status) -> list[Before]:
        """The values a status change to `new` will overwrite, for the rows it changes."""
        return undo_ops.before_change(self, ids, new)

    def ids_of(self, domain: str) -> list[int]:
        return [self._get(domain).id]

    def fields_of(self, domain: str, names: list[str]) -> dict[str, str]:
        c = self._get(domain)
        return {n: getattr(c, n) for n in names}

    def undo(self, step: UndoStep) -> tuple[int, int]:
        """Take one step back; returns (contacts restored, contacts changed since)."""
        with self._writing():
            return undo_ops.undo(self, step)

    def update_fields(self, domain: str, changes: dict[str, str], *,
                      seen_version: int | None = None) -> list[str]:
        """Edit contact fields (already validated/sanitized); logs one Event. Returns the
        names of the fields that actually changed. Stale if the contact is no longer at
        `seen_version` (or changes while this runs)."""
        allowed = {"business_name", "contact_name", "email", "phone", "notes"}
        unknown = set(changes) - allowed
        if unknown:
            raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
        with self._writing():
            c = self._get(domain)
            self._check_seen(c, seen_version, None)
            changed = [k for k, v in changes.items() if getattr(c, k) != v]
            if not changed:
                return []
            updates = {getattr(Contact, k): changes[k] for k in changed}
            updates[Contact.updated_at] = self.now()
            self._update_seen(c, updates)
            Event.insert(
                contact=c.id,
                kind=EventKind.EDIT.value,
                detail="edited " + ", ".join(k.replace("_", " ") for k in changed),
                at=self.now(),
                actor=self.actor,
            ).execute(self.db)
            return changed

    def set_do_not_contact(self, domain: str, flag: bool, *,
                           seen_version: int | None = None) -> bool:
        """Mark or clear do-not-contact; returns whether it changed (Stale as above)."""
        with self._writing():
            c = self._get(domain)
            self._check_seen(c, seen_version, None)
            if bool(c.do_not_contact) == flag:
                return False
            self._update_seen(c, {Contact.do_not_contact: flag, Contact.updated_at: self.now()})
            Event.insert(
                contact=c.id,
                kind=EventKind.EDIT.value,
                detail="marked do not contact" if flag else "cleared do not contact",
                at=self.now(),
                actor=self.actor,
            ).execute(self.db)
            return True

    def domains_of(self, ids: list[int]) -> list[str]:
        """The stored domains of these contacts, in the order of `ids` (gone ones skipped)."""
        found: dict[int, str] = {}
        for start in range(0, len(ids), 500):
            q = Contact.select(Contact.id, Contact.domain).where(Contact.id.in_(ids[start:start + 500]))
            found.update(q.tuples().execute(self.db))
        return [found[i] for i in ids if i in found]
