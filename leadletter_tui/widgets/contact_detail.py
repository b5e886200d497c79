"""The contact detail view: every field, last sent up front, messages, replies, timeline.

All data is rendered through `Content.assemble` with plain strings (never markup) after
`sanitize_line`/`sanitize_text`, so names like `[/]` or ESC sequences show as typed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from ..domain.dates import format_iso, relative
from ..domain.domains import display_domain
from ..domain.model import EventKind
from ..domain.pipeline import is_follow_up_due
from ..domain.text import sanitize_line, sanitize_text

if TYPE_CHECKING:
    from ..domain.model import ContactDetail

LABEL = "bold $text-muted"


def _when(dt: datetime | None, now: datetime) -> str:
    if dt is None:
        return "never"
    return f"{format_iso(dt).replace('T', ' ')[:16]} ({relative(dt, now)})"


def _field(label: str, value: str) -> Content:
    return Content.assemble((f"{label:<13}", LABEL), value or "—")


class Body(Content):
    """Multi-line text shown as an indented block (its own widget, so wrapping keeps the indent)."""


def _block(text: str) -> Body:
    return Body(sanitize_text(text) or "—")


def detail_lines(d: ContactDetail, now: datetime, follow_up_days: int) -> Iterable[Content]:
    """The detail as Content lines (also used by tests and the narrow screen)."""
    r = d.row
    name = sanitize_line(r.business_name) or "(no business name)"
    yield Content.assemble((name, "bold"), "  ", (display_domain(r.domain), "$accent"))
    yield Content.assemble(
        (f" {r.status.label} ", f"bold reverse {r.status.colour}"),
        "  last sent ",
        (_when(r.last_sent_at, now), "bold"),
    )
    if is_follow_up_due(
        status=r.status,
        last_sent_at=r.last_sent_at,
        last_reply_at=d.last_reply_at,
        draft_pending=d.draft_pending,
        do_not_contact=r.do_not_contact,
        now=now,
        days=follow_up_days,
        snoozed_until=d.snoozed_until,
    ):
        yield Content.assemble(
            ("Follow-up due", "bold $warning"),
            f": sent {relative(r.last_sent_at, now)}, no reply yet.",
        )
    if r.do_not_contact:
        yield Content.styled("Do not contact", "bold $error")
    if d.snoozed_until is not None and d.snoozed_until > now:
        yield Content.assemble(("Follow-ups snoozed", "bold $warning"),
                               f" until {d.snoozed_until.date().isoformat()} (out of office)")
    yield Content("")
    yield _field("Contact", sanitize_line(r.contact_name))
    yield _field("Email", sanitize_line(r.email))
    yield _field("Phone", sanitize_line(r.phone))
    yield _field("Category", sanitize_line(d.category))
    yield _field("Follow-ups", str(r.follow_ups))
    yield _field("Sentiment", r.sentiment.label if r.sentiment else "")
    yield _field("Added", _when(r.created_at, now))
    for key, value in d.extra.items():
        yield _field(sanitize_line(key)[:12], sanitize_line(value))
    yield Content.assemble(("Notes", LABEL))
    yield _block(d.notes)
    yield Content("")
    yield Content.styled(f"Messages ({len(d.messages)})", "bold underline")
    for m in d.messages:
        sent = f"sent {_when(m.sent_at, now)}" if m.sent_at else "not sent yet"
        kind = "Follow-up" if m.kind.value == "follow_up" else "First message"
        yield Content.assemble((kind, "bold"), f" · {sent}", (f" · {m.angle}" if m.angle else "", "$text-muted"))
        yield Content.assemble(("  Subject: ", LABEL), sanitize_line(m.subject))
        yield _block(m.body)
    yield Content("")
    yield Content.styled(f"Replies ({len(d.replies)})", "bold underline")
    for rep in d.replies:
        label = rep.sentiment.label if rep.sentiment else "unclassified"
        how = " (set by hand)" if rep.corrected else ""
        why = f" · {sanitize_line(rep.reason)}" if rep.reason and not rep.corrected else ""
        yield Content.assemble((_when(rep.received_at, now), "bold"), " · ", (label, "$accent"),
                               how, (why, "$text-muted"))
        yield _block(rep.text)
    yield Content("")
    yield Content.styled("Activity", "bold underline")
    for e in reversed(d.events):
        what = sanitize_line(e.detail)
        if e.kind is EventKind.STATUS and e.to_status:
            frm = e.from_status.value if e.from_status else "—"
            what = f"{frm} → {e.to_status.value}" + (f" ({what})" if what else "")
        who = (f"  · {sanitize_line(e.actor)}", "$text-muted") if e.actor else ""
        yield Content.assemble((f"  {_when(e.at, now)}  ", "$text-muted"), what or e.kind.value,
                               who)


class ContactDetailView(VerticalScroll, can_focus=True):
    """Scrollable detail of one contact; `show(None)` for the empty state."""

    DEFAULT_CSS = """
    ContactDetailView { padding: 0 1; }
    ContactDetailView > Static { width: 1fr; }
    ContactDetailView > .body { padding-left: 2; color: $text; }
    """

    def __init__(
        self, clock: Callable[[], datetime], follow_up_days: int, *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.clock = clock
        self.follow_up_days = follow_up_days
        self.detail: ContactDetail | None = None
        self._body = Static(Content("No contact selected."), id="detail-body")

    def compose(self):
        yield self._body

    def show(self, detail: ContactDetail | None) -> None:
        """Replace the view: runs of plain lines share one Static, bodies get their own."""
        self.detail = detail
        self.remove_children()
        if detail is None:
            self.mount(Static(Content("No contact selected.")))
            return
        widgets: list[Static] = []
        run: list[Content] = []
        for line in detail_lines(detail, self.clock(), self.follow_up_days):
            if isinstance(line, Body):
                if run:
                    widgets.append(Static(Content("\n").join(run)))
                    run = []
                widgets.append(Static(Content(line.plain), classes="body"))
            else:
                run.append(line)
        if run:
            widgets.append(Static(Content("\n").join(run)))
        self.mount_all(widgets)
