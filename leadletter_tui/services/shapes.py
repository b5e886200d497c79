"""The JSON and CSV shapes of contacts: one place, used by the CLI, the TUI's export and
anything else that writes them. JSON output escapes every control character."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import IO

from ..domain.dates import format_iso
from ..domain.domains import display_domain
from ..domain.model import ContactDetail, ContactRow

# Characters JSON allows raw but a terminal or a JS consumer should never get raw.
_JSON_ESCAPES = {c: f"\\u{c:04x}" for c in [*range(0x7F, 0xA0), 0x2028, 0x2029,
                                              *range(0x202A, 0x202F), *range(0x2066, 0x206A)]}


def dumps(obj: object) -> str:
    """One JSON document, Unicode kept readable, control characters always escaped."""
    text = json.dumps(obj, ensure_ascii=False)
    return text if text.isascii() else text.translate(_JSON_ESCAPES)  # ASCII: nothing to escape


_END = object()


def write_json_array(items: Iterable[dict], out: IO[str]) -> int:
    """Stream a JSON array (one item a line) without holding it in memory, whole or not at
    all (the rule is spelled out in cli/output.py): the first item is read before `[` is
    written, so a failing query leaves `out` untouched; when reading a later item fails
    (the database, an interrupt, a signal), the array is closed before the error goes on,
    so `out` always holds one complete document. Only a failure of `out` itself (an
    OSError: disk full, closed) leaves it cut short."""
    rows = iter(items)
    first = next(rows, _END)  # a failure here: nothing written
    if first is _END:
        out.write("[]\n")
        return 0
    write = out.write
    write("[\n" + dumps(first))
    n = 1
    try:
        for item in rows:
            write(",\n" + dumps(item))  # one write: an item is in the output whole or not
            n += 1
    except OSError:  # the output itself failed (disk full, closed): nothing more to write
        raise
    except BaseException:  # reading failed, or Ctrl+C / SIGTERM: close the document
        try:
            write("\n]\n")
            out.flush()
        except Exception:
            pass
        raise
    write("\n]\n")
    return n


# Every stored field of a contact, in the order a spreadsheet shows them; the imported extra
# columns follow, one column each (`export_columns`).
EXPORT_COLUMNS = (
    "domain", "business_name", "contact_name", "email", "phone", "status", "last_sent_at",
    "last_reply_at", "follow_ups", "sentiment", "do_not_contact", "category", "notes",
    "created_at", "updated_at",
)
_PHONEISH = set("0123456789 ()./-+")
_RISKY_FIRST = frozenset("=@\t\r+-")


def csv_safe(value: object) -> str:
    """Neutralise spreadsheet formulas (=, @, +/- that are not phone numbers)."""
    text = "" if value is None else value if value.__class__ is str else str(value)
    if not text or text[0] not in _RISKY_FIRST:  # the common case, checked first
        return text
    if text[0] in "=@\t\r" or not set(text) <= _PHONEISH:
        return "'" + text
    return text


def extra_column(key: str) -> str:
    """The CSV header of an imported extra column (prefixed if it would shadow a field)."""
    return f"extra:{key}" if key in EXPORT_COLUMNS or key.startswith("extra:") else key


def write_csv(items: Iterable[dict], out: IO[str], extra_keys: Iterable[str] = ()) -> int:
    """One row per contact: EXPORT_COLUMNS, then one column per imported extra key."""
    import csv  # not needed by the other commands

    keys = list(extra_keys)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([*EXPORT_COLUMNS, *(extra_column(k) for k in keys)])
    n = 0
    row = writer.writerow
    for item in items:
        cells = [csv_safe(item.get(c)) for c in EXPORT_COLUMNS]
        if keys:
            extra = item.get("extra") or {}
            cells += [csv_safe(extra.get(k, "")) for k in keys]
        row(cells)
        n += 1
    return n


def contact_dict(row: ContactRow) -> dict:
    """The JSON shape of a contact in `list`, `export` and `show`."""
    return {
        "domain": row.domain,
        "domain_unicode": display_domain(row.domain),
        "business_name": row.business_name,
        "contact_name": row.contact_name,
        "email": row.email,
        "phone": row.phone,
        "status": row.status.value,
        "last_sent_at": format_iso(row.last_sent_at),
        "follow_ups": row.follow_ups,
        "sentiment": row.sentiment.value if row.sentiment else None,
        "do_not_contact": row.do_not_contact,
        "created_at": format_iso(row.created_at),
    }


def record_dict(d: ContactDetail) -> dict:
    """Every stored field of a contact (export): the list shape plus notes, category, the
    imported extra columns, last reply and last update."""
    return {
        **contact_dict(d.row),
        "notes": d.notes,
        "category": d.category,
        "extra": d.extra,
        "last_reply_at": format_iso(d.last_reply_at),
        "updated_at": format_iso(d.updated_at),
    }


def detail_dict(d: ContactDetail) -> dict:
    return {
        **record_dict(d),
        "messages": [
            {
                "kind": m.kind.value,
                "subject": m.subject,
                "body": m.body,
                "angle": m.angle,
                "framework": m.framework,
                "category": m.category,
                "created_at": format_iso(m.created_at),
                "sent_at": format_iso(m.sent_at),
            }
            for m in d.messages
        ],
        "replies": [
            {
                "text": r.text,
                "sentiment": r.sentiment.value if r.sentiment else None,
                "received_at": format_iso(r.received_at),
            }
            for r in d.replies
        ],
        "events": [
            {
                "kind": e.kind.value,
                "at": format_iso(e.at),
                "from_status": e.from_status.value if e.from_status else None,
                "to_status": e.to_status.value if e.to_status else None,
                "detail": e.detail,
                "actor": e.actor,
            }
            for e in d.events
        ],
    }


def generation_dict(result) -> dict:
    """The JSON of `generate` (a services.generation.GenerationResult)."""
    r = result.research
    return {
        "domain": result.domain,
        "business_name": result.business_name,
        "created": result.created,
        "message": {
            "subject": result.draft.subject,
            "body": result.draft.body,
            "angle": result.angle,
            "framework": result.framework,
            "category": result.category,
        },
        "research": {"ok": r.ok, "title": r.title, "error": r.error},
    }


def follow_up_run_dict(result) -> dict:
    """The JSON of `follow-up` (a services.followups.RunResult)."""
    return {
        "generated": len(result.generated),
        "skipped": len(result.skipped),
        "failed": [{"domain": f.domain, "reason": f.reason} for f in result.failed],
    }


def _performance_dict(p, key: str) -> dict:
    return {key: p.key, "sends": p.sends, "replies": p.replies, "positive": p.positive,
            "won": p.won}


def stats_dict(report) -> dict:
    """`stats --json`: the CLI contract's keys first (counts, reply_rate, reply_rate_all,
    sentiment, angles across every category), then what the analytics screen also shows."""
    from ..domain.analytics import ALL_CATEGORIES

    rates = {"reply_rate": report.reply_rate, "reply_rate_all": report.reply_rate_all,
             "lost_share": report.lost_share}
    angles = report.angles or {}
    frameworks = report.frameworks or {}
    weekly = report.weekly
    return {
        "counts": dict(report.counts),
        "reply_rate": rates["reply_rate"].fraction,
        "reply_rate_all": rates["reply_rate_all"].fraction,
        "sentiment": dict(report.sentiment or {}),
        "angles": [_performance_dict(p, "angle") for p in angles.get(ALL_CATEGORIES, [])],
        "lost_share": rates["lost_share"].fraction,
        "ever_sent": report.ever_sent,
        "ever_replied": report.ever_replied,
        "formulas": {name: {"formula": r.formula, "numerator": r.numerator,
                            "denominator": r.denominator} for name, r in rates.items()},
        "replies_by_follow_up": [{"after": label, "replies": n}
                                 for label, n in (report.follow_ups or [])],
        "frameworks": [_performance_dict(p, "framework")
                       for p in frameworks.get(ALL_CATEGORIES, [])],
        "angles_by_category": {cat: [_performance_dict(p, "angle") for p in rows]
                               for cat, rows in angles.items() if cat != ALL_CATEGORIES},
        "weekly": [{"week": w.label, "start": format_iso(w.start), "sends": s, "replies": r}
                   for w, s, r in zip(weekly.weeks, weekly.sends, weekly.replies)] if weekly else [],
    }
