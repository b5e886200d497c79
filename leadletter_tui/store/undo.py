"""Undo: reading the values a change will overwrite, and putting them back.

A change records what it overwrote (`before_change`, `fields_of`) in an `UndoStep` kept by
the service for the session; `undo` restores it inside the caller's write transaction, only
where the contact still shows what the change left (its status and, when the change stamped
it, its last-sent time; the fields an edit wrote; the do-not-contact flag), and logs what it
did as events (the history stays truthful: "sent → ready, undo"). Each restoring UPDATE is
itself conditional on the version just read, so a write committed meanwhile by another
session is never overwritten (it is counted as "changed since")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..domain.model import EventKind, Status
from ..domain.pipeline import Before, UndoStep
from .models import Contact, Event, Message
from .queries import _dt, _status, bumped

if TYPE_CHECKING:
    from .contacts import ContactRepo

BATCH = 500


def before_change(repo: ContactRepo, ids: list[int], new: Status) -> list[Before]:
    """The rows of `ids` that a change to `new` will touch, as they are now."""
    fields = (Contact.id, Contact.domain, Contact.status, Contact.last_sent_at,
              Contact.follow_ups, Contact.draft_pending)
    out: list[Before] = []
    for start in range(0, len(ids), BATCH):
        q = Contact.select(*fields).where(Contact.id.in_(ids[start:start + BATCH])).tuples()
        for cid, domain, status, last_sent, follow_ups, draft in q.execute(repo.db):
            current = _status(status)
            if current is new and not (new is Status.SENT and draft):
                continue  # a no-op for this row: nothing to put back
            out.append(Before(cid, domain, current, last_sent, follow_ups or 0, bool(draft)))
    return out


def as_before(rows) -> tuple[Before, ...]:
    """Rows from bulk_status (`BulkOutcome.before`) → Before. (id, status) rows come from a
    change that only moved the status (undo puts back just that)."""
    statuses = {s.value: s for s in Status}
    out = []
    for row in rows:
        if len(row) == 2:
            out.append(Before(row[0], "", statuses.get(row[1]) or _status(row[1]), None, 0, False))
        else:
            cid, status, last_sent, follow_ups, draft = row
            out.append(Before(cid, "", _status(status), _dt(last_sent), follow_ups or 0,
                              bool(draft)))
    return tuple(out)


def undo(repo: ContactRepo, step: UndoStep) -> tuple[int, int]:
    """Restore one step (the caller holds the write transaction). (restored, changed since)"""
    if step.kind == "dnc":
        return _undo_dnc(repo, step)
    if step.kind == "edit":
        return _undo_edit(repo, step)
    if step.kind == "bulk":
        from .undo_bulk import undo_bulk

        return undo_bulk(repo, step)
    return _undo_status(repo, step)


def _undo_status(repo: ContactRepo, step: UndoStep) -> tuple[int, int]:
    now = repo.now()
    restored = 0
    befores = list(step.before)
    for start in range(0, len(befores), BATCH):
        batch = {b.id: b for b in befores[start:start + BATCH]}
        found = (Contact.select(Contact.id, Contact.last_sent_at, Contact.version)
                 .where(Contact.id.in_(list(batch)), Contact.status == step.to_status.value)
                 .tuples().execute(repo.db))
        stamps, versions = {}, {}
        for cid, last_sent, version in found:
            if step.stamped_at is not None and _dt(last_sent) != step.stamped_at:
                continue  # sent again since (another stamp): not the state the change left
            stamps[cid], versions[cid] = last_sent, int(version or 0)
        still = []
        for cid in stamps:  # one guarded statement a row: the version read must still hold
            b = batch[cid]
            values = {Contact.status: b.status.value, Contact.updated_at: now}
            if step.stamped_at is not None:  # the change stamped last sent: put every value back
                values.update({Contact.last_sent_at: b.last_sent_at,
                               Contact.follow_ups: b.follow_ups,
                               Contact.draft_pending: b.draft_pending})
            if not Contact.update(bumped(values)).where(
                    Contact.id == cid, Contact.version == versions[cid]).execute(repo.db):
                continue
            still.append(cid)
            if step.stamped_at is not None and stamps[cid] is not None:
                # the message that stamp marked sent is unsent again
                Message.update(sent_at=None).where(
                    Message.contact == cid, Message.sent_at == stamps[cid]).execute(repo.db)
        if not still:
            continue
        Event.insert_many([
            {"contact": cid, "kind": EventKind.STATUS.value, "from_status": step.to_status.value,
             "to_status": batch[cid].status.value, "detail": "undo", "at": now,
             "actor": repo.actor}
            for cid in still
        ]).execute(repo.db)
        restored += len(still)
    return restored, len(befores) - restored


def _undo_dnc(repo: ContactRepo, step: UndoStep) -> tuple[int, int]:
    c = repo._get(step.domain)
    if bool(c.do_not_contact) != step.flag:
        return 0, 1
    flag = not step.flag
    if not Contact.update(bumped({Contact.do_not_contact: flag, Contact.updated_at: repo.now()})
                          ).where(Contact.id == c.id, Contact.version == c.version).execute(repo.db):
        return 0, 1
    what = "marked do not contact" if flag else "cleared do not contact"
    Event.insert(contact=c.id, kind=EventKind.EDIT.value, detail=f"undo: {what}",
                 at=repo.now(), actor=repo.actor).execute(repo.db)
    return 1, 0


def _undo_edit(repo: ContactRepo, step: UndoStep) -> tuple[int, int]:
    c = repo._get(step.domain)
    if any(getattr(c, name) != value for name, value in step.fields_after.items()):
        return 0, 1
    updates = {getattr(Contact, name): value for name, value in step.fields_before.items()}
    updates[Contact.updated_at] = repo.now()
    if not Contact.update(bumped(updates)).where(
            Contact.id == c.id, Contact.version == c.version).execute(repo.db):
        return 0, 1
    names = ", ".join(n.replace("_", " ") for n in step.fields_before)
    Event.insert(contact=c.id, kind=EventKind.EDIT.value, detail=f"undo: restored {names}",
                 at=repo.now(), actor=repo.actor).execute(repo.db)
    return 1, 0
