"""Pipeline rules: parsing statuses, planning a status change, the follow-up rule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from .model import Status

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
        shown = str(text)[:40]
        raise RuleError(f"unknown status {shown!r} (choose from {choices})") from None


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
    current: Status, new: Status, now: datetime, at: datetime | None = None
) -> StatusChange:
    """Any change is allowed; `sent` (re)stamps the last-sent time (now, or `at`).

    `at` records history kept elsewhere, so it may not lie in the future.
    """
    when = (at or now).replace(microsecond=0)
    if at is not None and at > now:
        raise RuleError(f"--at {at.isoformat(timespec='seconds')} is in the future")
    return StatusChange(current, new, when, stamps_sent=new is Status.SENT)


def follow_up_cutoff(now: datetime, days: int = DEFAULT_FOLLOW_UP_DAYS) -> datetime:
    """Contacts last sent at or before this moment are old enough for a follow-up."""
    return now - timedelta(days=days)


def is_follow_up_due(
    *,
    status: Status,
    last_sent_at: datetime | None,
    has_reply: bool,
    draft_pending: bool,
    do_not_contact: bool,
    now: datetime,
    days: int = DEFAULT_FOLLOW_UP_DAYS,
) -> bool:
    """DESIGN.md: sent, no reply, last sent >= N days ago, no unsent draft, contactable."""
    return (
        status is Status.SENT
        and last_sent_at is not None
        and not has_reply
        and not draft_pending
        and not do_not_contact
        and last_sent_at <= follow_up_cutoff(now, days)
    )
