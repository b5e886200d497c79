"""Terminal-safe text output for the CLI: tables, contact details, one-line errors.

Rules every command's output follows:
- Errors: one line on stderr (`error`), never a password (`errors.hide_secrets`), never a
  whole user value (`domain.text.quote_input` where a message quotes input; `cut_line` as the
  last guard on the line as a whole).
- `--json`: stdout holds one complete JSON document or nothing. Objects are built first and
  printed at once. Streamed arrays (`list --json`, `export --format json`) go through
  `services.shapes.write_json_array`, which reads the first row before printing `[` (a
  failing query prints nothing) and, when reading a later row fails (database error,
  Ctrl+C, SIGTERM), closes the array before the error is reported: the document is then
  complete but holds only the rows before the failure, and the exit code (2, 130, 143) and
  the stderr line say so. Nothing is buffered beyond one row, so a million contacts stream
  in constant memory. Only a failure of stdout itself (disk full, closed) can cut a
  document short, and that is reported too.
"""

from __future__ import annotations

import shutil
import sys
import unicodedata
from collections.abc import Iterable
from datetime import datetime

from ..domain.dates import format_iso, relative
from ..domain.domains import display_domain
from ..domain.model import ContactDetail, ContactRow
from ..domain.text import cut_line, sanitize_line, sanitize_text
from ..errors import hide_secrets


def char_width(ch: str) -> int:
    """Terminal columns of one character: 2 for wide (CJK, most emoji), 0 for combining
    marks and zero-width characters, else 1."""
    if ch.isascii():
        return 1 if ch.isprintable() else 0
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def text_width(text: str) -> int:
    return sum(char_width(ch) for ch in text)


def _cell(text: str, width: int) -> str:
    """`text` cut (with …) or padded to exactly `width` terminal columns."""
    text = sanitize_line(text)
    used = text_width(text)
    if used > width:
        out, used = [], 0
        for ch in text:
            w = char_width(ch)
            if used + w > width - 1:
                break
            out.append(ch)
            used += w
        text = "".join(out) + "…"
        used += 1
    return text + " " * (width - used)


def format_table(rows: Iterable[ContactRow], now: datetime) -> Iterable[str]:
    """Fixed-width lines for `list`, fitted to the terminal width."""
    width = max(60, shutil.get_terminal_size((100, 24)).columns)
    fixed = {"status": 8, "sent": 9, "fu": 3, "sentiment": 14}
    flexible = width - sum(fixed.values()) - 6
    dom_w = max(14, flexible * 4 // 10)
    biz_w = max(12, flexible - dom_w)
    yield (
        f"{'DOMAIN':<{dom_w}} {'BUSINESS':<{biz_w}} {'STATUS':<8} {'LAST SENT':<9} "
        f"{'FU':>3} SENTIMENT"
    )
    for r in rows:
        sentiment = r.sentiment.label if r.sentiment else ""
        dnc = " DNC" if r.do_not_contact else ""
        yield (
            f"{_cell(display_domain(r.domain), dom_w)} {_cell(r.business_name, biz_w)} "
            f"{r.status.value:<8} {relative(r.last_sent_at, now):<9} {r.follow_ups:>3} "
            f"{sentiment}{dnc}"
        ).rstrip()


def format_detail(d: ContactDetail, now: datetime) -> Iterable[str]:
    r = d.row
    yield f"{sanitize_line(r.business_name) or '(no business name)'}  ({display_domain(r.domain)})"
    sent = (
        f"last sent {format_iso(r.last_sent_at)} ({relative(r.last_sent_at, now)})"
        if r.last_sent_at
        else "never sent"
    )
    yield f"  Status      {r.status.label} · {sent}"
    people = " · ".join(sanitize_line(x) for x in (r.contact_name, r.email, r.phone) if x)
    yield f"  Contact     {people or '—'}"
    sentiment = r.sentiment.label if r.sentiment else "—"
    yield f"  Follow-ups  {r.follow_ups}   Sentiment {sentiment}" + (
        "   DO NOT CONTACT" if r.do_not_contact else ""
    )
    if d.category:
        yield f"  Category    {sanitize_line(d.category)}"
    for key, value in d.extra.items():
        yield f"  {sanitize_line(key)}: {sanitize_line(value)}"
    if d.notes:
        yield "  Notes"
        yield from ("    " + line for line in sanitize_text(d.notes).splitlines())
    yield f"Messages ({len(d.messages)})"
    for m in d.messages:
        when = f"sent {format_iso(m.sent_at)}" if m.sent_at else "not sent"
        yield f"  [{m.kind.value}] {format_iso(m.created_at)} · {when} · angle {m.angle or '—'}"
        yield f"    Subject: {sanitize_line(m.subject)}"
        yield from ("    " + line for line in sanitize_text(m.body).splitlines())
    yield f"Replies ({len(d.replies)})"
    for rep in d.replies:
        label = rep.sentiment.label if rep.sentiment else "unclassified"
        yield f"  {format_iso(rep.received_at)} · {label}"
        yield from ("    " + line for line in sanitize_text(rep.text).splitlines())
    yield f"Activity ({len(d.events)})"
    for e in d.events:
        change = f"{e.from_status.value if e.from_status else '—'} → {e.to_status.value}" if e.to_status else ""
        parts = [change, sanitize_line(e.detail), f"· by {sanitize_line(e.actor)}" if e.actor else ""]
        yield f"  {format_iso(e.at)}  {e.kind.value:<8} " + " ".join(p for p in parts if p)


def error(message: str) -> None:
    """One clear line on stderr."""
    head = message[:2_000]  # sanitising 10 MB only to print 500 characters would be slow
    line = cut_line(hide_secrets(sanitize_line(head)), total=len(message))
    print(f"leadletter: error: {line}", file=sys.stderr)

