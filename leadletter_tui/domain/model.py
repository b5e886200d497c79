"""Plain data shapes shared by every layer (statuses, sentiments, contact views)."""

from __future__ import annotations

from dataclasses import dataclass, field
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


@dataclass(frozen=True, slots=True)
class MessageInfo:
    kind: MessageKind
    subject: str
    body: str
    angle: str
    framework: str
    category: str
    created_at: datetime
    sent_at: datetime | None
    model: str = ""  # who wrote it: "offline" or a Claude model name
    research: str = ""  # the research it was written from (`PageResearch.to_summary`)


@dataclass(frozen=True, slots=True)
class ReplyInfo:
    text: str
    sentiment: Sentiment | None
    received_at: datetime
    id: int = 0
    domain: str = ""
    reason: str = ""  # why it has its label, or why it has none (classification failed)
    labelled_by: str = ""  # "offline", "claude", "user" (a correction) or "" (unlabelled)
    signal: str = ""  # "unsubscribe", "out_of_office", "referral" or ""

    @property
    def corrected(self) -> bool:
        """Labelled by hand: an automatic run never overwrites it."""
        return self.labelled_by == "user"


@dataclass(frozen=True, slots=True)
class EventInfo:
    kind: EventKind
    at: datetime
    from_status: Status | None = None
    to_status: Status | None = None
    detail: str = ""
    actor: str = ""  # who did it (config `user_name`); "" for events from before v7


@dataclass(frozen=True, slots=True)
class ContactDetail:
    """Everything known about one contact, newest history last."""

    row: ContactRow
    notes: str
    category: str
    extra: dict[str, str]
    updated_at: datetime
    last_reply_at: datetime | None
    draft_pending: bool
    messages: list[MessageInfo] = field(default_factory=list)
    replies: list[ReplyInfo] = field(default_factory=list)
    events: list[EventInfo] = field(default_factory=list)
    snoozed_until: datetime | None = None  # follow-ups wait until then (out of office)

    @property
    def domain(self) -> str:
        return self.row.domain

    @property
    def status(self) -> Status:
        return self.row.status
