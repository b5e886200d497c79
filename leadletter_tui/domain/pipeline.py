"""Pipeline rules: parsing statuses, planning a status change, the follow-up rule."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import NamedTuple

from .conditions import Condition, Op, matches_all
from .model import Status
from .text import quote_input

DEFAULT_FOLLOW_UP_DAYS = 3


class RuleError(ValueError):
    """A request that breaks a product rule; str() is the user-facing reason."""


def parse_status(text: str) -> Status:
    """Accept the CLI spelling in any case (and the UI label "ready to send")."""
    key = " ".join(str(text).strip().lower().replace("_", " ").replace("-", " ").split())
    if key == "ready to send":
        key = "ready"
    try:
        return Status(key)
    except ValueError:
        choices = ", ".join(s.value for s in Status)
        raise RuleError(f"unknown status {quote_input(text, 40)} (choose from {choices})") from None


@dataclass(frozen=True, slots=True)
class StatusChange:
    """What a status change does: the event to log and whether it stamps last sent."""

    from_status: Status
    to_status: Status
    at: datetime
    stamps_sent: bool

    @property
    def is_noop(self) -> bool:
        return self.from_status is self.to_status and not self.stamps_sent


def plan_status_change(
    current: Status, new: Status, now: datetime, at: datetime | None = None,
    *, unsent_message: bool = False,
) -> StatusChange:
    """Any change is allowed; moving to `sent` stamps the last-sent time (now, or `at`).

    `sent` on a contact already Sent changes nothing (no event, last sent kept: pressing
    `s` twice must not restart the follow-up clock) unless it is a real re-send: a message
    is waiting to go out (`unsent_message`, e.g. a follow-up draft), or `at` is given (the
    CLI's `status DOMAIN sent --at ...`, history kept elsewhere). `at` may not lie in the
    future.
    """
    when = (at or now).replace(microsecond=0)
    if at is not None and at > now:
        raise RuleError(f"--at {at.isoformat(timespec='seconds')} is in the future")
    resend = unsent_message or at is not None
    stamps = new is Status.SENT and (current is not Status.SENT or resend)
    return StatusChange(current, new, when, stamps_sent=stamps)


def follow_up_cutoff(now: datetime, days: int = DEFAULT_FOLLOW_UP_DAYS) -> datetime:
    """Contacts last sent at or before this moment are old enough for a follow-up."""
    return now - timedelta(days=days)


def follow_up_rule(now: datetime, days: int = DEFAULT_FOLLOW_UP_DAYS) -> tuple[Condition, ...]:
    """DESIGN.md "follow-up due", the one declaration: status sent, no reply, last sent at
    least `days` ago, no unsent follow-up draft pending, not do-not-contact, not snoozed
    (an out-of-office note snoozes follow-ups until the day after its return date). The
    store runs it as SQL (the `--due` filter, the queue); `is_follow_up_due` evaluates it in
    Python."""
    return (
        Condition("status", Op.EQ, Status.SENT.value),
        Condition("last_sent_at", Op.LE, follow_up_cutoff(now, days)),
        Condition("last_reply_at", Op.IS_NULL),
        Condition("draft_pending", Op.IS_FALSE),
        Condition("do_not_contact", Op.IS_FALSE),
        Condition("snoozed_until", Op.NULL_OR_LT, now),
    )


def is_follow_up_due(
    *,
    status: Status,
    last_sent_at: datetime | None,
    last_reply_at: datetime | None,
    draft_pending: bool,
    do_not_contact: bool,
    now: datetime,
    days: int = DEFAULT_FOLLOW_UP_DAYS,
    snoozed_until: datetime | None = None,
) -> bool:
    """The follow-up rule for one contact (the same conditions the store runs as SQL)."""
    values = {
        "status": status.value,
        "last_sent_at": last_sent_at,
        "last_reply_at": last_reply_at,
        "draft_pending": draft_pending,
        "do_not_contact": do_not_contact,
        "snoozed_until": snoozed_until,
    }
    return matches_all(follow_up_rule(now, days), values)


class Before(NamedTuple):
    """A contact's pipeline values before a status change (what undo puts back). A named
    tuple: a bulk change keeps one per contact it changed (hundreds of thousands)."""

    id: int
    domain: str
    status: Status
    last_sent_at: datetime | None
    follow_ups: int
    draft_pending: bool


@dataclass(frozen=True)
class UndoStep:
    """One change made in this session that `u` takes back (newest first).

    kind: "status" (one contact), "bulk" (one step however many contacts), "dnc", "edit".
    A step is undone only where the contact still shows what the change left (a write
    applies only to the row the user saw); others are counted as changed since."""

    kind: str
    label: str  # what the toast names: "acme.com: Ready → Sent"
    to_status: Status | None = None
    stamped_at: datetime | None = None  # last sent stamped by the change, if it did
    before: tuple[Before, ...] = ()
    domain: str = ""
    flag: bool | None = None  # do-not-contact as the change set it
    fields_before: dict[str, str] = field(default_factory=dict)
    fields_after: dict[str, str] = field(default_factory=dict)
