"""Contact filters and sort orders, resolved against an injected clock.

A `ContactFilter` is fully resolved (absolute datetimes), so the store never needs to
know what "last week" means and two equal filters always select the same rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from .dates import preset_range, range_from_bounds
from .model import Status
from .pipeline import DEFAULT_FOLLOW_UP_DAYS, RuleError, follow_up_cutoff, parse_status
from .text import sanitize_line


class SortKey(StrEnum):
    CREATED = "created"
    LAST_SENT = "last_sent"
    BUSINESS = "business"
    DOMAIN = "domain"
    STATUS = "status"
    FOLLOW_UPS = "follow_ups"


@dataclass(frozen=True, slots=True)
class Sort:
    key: SortKey = SortKey.CREATED
    descending: bool = True

    @classmethod
    def parse(cls, text: str) -> Sort:
        """`last_sent` ascending, `-last_sent` descending."""
        raw = text.strip()
        desc = raw.startswith("-")
        try:
            return cls(SortKey(raw.lstrip("-+").replace("-", "_")), desc)
        except ValueError:
            choices = ", ".join(k.value for k in SortKey)
            raise RuleError(f"unknown sort {raw!r} (choose from {choices}; prefix - for descending)") from None

    def __str__(self) -> str:
        return ("-" if self.descending else "") + self.key.value


@dataclass(frozen=True, slots=True)
class ContactFilter:
    statuses: frozenset[Status] = frozenset()
    sent_from: datetime | None = None  # inclusive
    sent_to: datetime | None = None  # exclusive
    sent_label: str | None = None  # the preset name or range as typed, for summaries
    domain: str | None = None  # substring pattern, `*` = any run of characters
    search: str | None = None  # free text on business name, contact name, email
    no_reply: bool = False
    due_before: datetime | None = None  # follow-up due: last sent at or before this

    @property
    def is_empty(self) -> bool:
        return self == ContactFilter()

    def with_(self, **changes: object) -> ContactFilter:
        return replace(self, **changes)

    def summary(self) -> str:
        """A short human description, e.g. "sent · sent last-week · no reply"."""
        parts: list[str] = []
        if self.statuses:
            parts.append("+".join(s.value for s in Status if s in self.statuses))
        if self.sent_label:
            parts.append(f"sent {self.sent_label}")
        if self.domain:
            parts.append(f"domain ~ {self.domain}")
        if self.search:
            parts.append(f"“{self.search}”")
        if self.no_reply:
            parts.append("no reply")
        if self.due_before:
            parts.append("follow-up due")
        return " · ".join(parts) or "all contacts"


def build_filter(
    *,
    now: datetime,
    statuses: Iterable[str] = (),
    sent: str | None = None,
    sent_from: str | None = None,
    sent_to: str | None = None,
    domain: str | None = None,
    search: str | None = None,
    no_reply: bool = False,
    due: bool = False,
    follow_up_days: int = DEFAULT_FOLLOW_UP_DAYS,
) -> ContactFilter:
    """Validate raw option values (CLI flags, filter bar) into a ContactFilter.

    Raises RuleError/ValueError with a message fit for one stderr line.
    """
    parsed = frozenset(parse_status(s) for s in statuses)
    start = end = None
    label = None
    if sent and (sent_from or sent_to):
        raise RuleError("use either --sent or --sent-from/--sent-to, not both")
    if sent:
        start, end = preset_range(sent.strip().lower(), now)
        label = sent.strip().lower()
    elif sent_from or sent_to:
        start, end = range_from_bounds(sent_from, sent_to)
        label = f"{sent_from or '…'}..{sent_to or '…'}"
    pattern = sanitize_line(domain).lower() if domain else None
    text = sanitize_line(search) if search else None
    return ContactFilter(
        statuses=parsed,
        sent_from=start,
        sent_to=end,
        sent_label=label,
        domain=pattern or None,
        search=text or None,
        no_reply=no_reply,
        due_before=follow_up_cutoff(now, follow_up_days) if due else None,
    )


def default_sort(flt: ContactFilter) -> Sort:
    """Newest contacts first, or most recently sent first when filtering by sending."""
    if flt.sent_from or flt.sent_to or flt.due_before:
        return Sort(SortKey.LAST_SENT, True)
    return Sort(SortKey.CREATED, True)
