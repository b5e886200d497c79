"""Plain data shapes shared by every layer (statuses, sentiments, contact views)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class StatusLook:
    """How a status shows: its label, the key that sets it, its short action name (keys,
    palette) and its theme colour (a Textual theme variable, for the TUI)."""

    label: str
    key: str
    action: str
    colour: str


class Status(StrEnum):
    """The five pipeline steps, in pipeline order. Values are the CLI spelling."""

    READY = "ready"
    SENT = "sent"
    REPLIED = "replied"
    WON = "won"
    LOST = "lost"

    @property
    def look(self) -> StatusLook:
        return STATUS_LOOKS[self]

    @property
    def label(self) -> str:
        return STATUS_LOOKS[self].label

    @property
    def key(self) -> str:
        return STATUS_LOOKS[self].key

    @property
    def colour(self) -> str:
        return STATUS_LOOKS[self].colour


# The one declaration of how each status looks (a test checks every status has one).
STATUS_LOOKS: dict[Status, StatusLook] = {
    Status.READY: StatusLook("Ready to send", "R", "Ready", "$primary"),
    Status.SENT: StatusLook("Sent", "s", "Sent", "$secondary"),
    Status.REPLIED: StatusLook("Replied", "r", "Replied", "$accent"),
    Status.WON: StatusLook("Won", "w", "Won", "$success"),
    Status.LOST: StatusLook("Lost", "l", "Lost", "$error"),
}


class Sentiment(StrEnum):
    POSITIVE = "positive"
    NEUTRAL = "neutral"
    NEGATIVE = "negative"
    ASKED_FOR_INFO = "asked_for_info"

    @property
    def label(self) -> str:
        return "asked for info" if self is Sentiment.ASKED_FOR_INFO else self.value


class MessageKind(StrEnum):
    INITIAL = "initial"
    FOLLOW_UP = "follow_up"


class EventKind(StrEnum):
    CREATED = "created"
    STATUS = "status"
    MESSAGE = "message"
    REPLY = "reply"
    EDIT = "edit"
    CORRECTION = "correction"  # a reply's label set by hand


# Editable single-line contact fields and their length caps (characters).
FIELD_LIMITS: dict[str, int] = {
    "business_name": 200,
    "contact_name": 120,
    "email": 254,
    "phone": 40,
}
NOTES_LIMIT = 10_000


@dataclass(frozen=True, slots=True)
class ContactRow:
    """One line of the contact list: what the table, `list` and `export` show."""

    id: int
    domain: str
    business_name: str
    contact_name: str
    email: str
    phone: str
    status: Status
    last_sent_at: datetime | None
    follow_ups: int
    sentiment: Sentiment | None
    do_not_contact: bool
    created_at: datetime
    version: int = 0  # bumped by every write: a write applies only to the version seen


_RECORDS = ("ContactDetail", "EventInfo", "MessageInfo", "ReplyInfo")


def __getattr__(name: str):
    """A contact's history records live in domain/records.py: the table's first screen
    never needs them (each frozen dataclass costs about half a millisecond to define)."""
    if name in _RECORDS:
        from . import records

        return getattr(records, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
