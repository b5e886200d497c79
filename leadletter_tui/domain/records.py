"""A contact's history: its messages, replies and events, and the whole detail view.
Importable as before from domain/model.py (loaded there on first use)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from .model import ContactRow, EventKind, MessageKind, Sentiment, Status


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
