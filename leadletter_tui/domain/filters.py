"""Contact filters and sort orders: one declaration, everything else derived from it.

`FILTER_FIELDS` declares each filter once: its option key (the name the filter form, saved
views and the CLI use), its CLI flag and help, how a typed value is checked and resolved
into conditions on contact columns, and how it reads in a summary. From it come:
- `FilterSpec`: the filter as typed (filter form, saved views), one attribute per field;
- the CLI flags (cli/context.py loops over the declaration);
- the saved-view keys (services/views.py);
- the summary text (`ContactFilter.summary`);
- the SQL: a resolved `ContactFilter` is a tuple of `Condition`s (column, operator, value)
  that the store translates generically (store/queries.py), and the per-status counters
  answer any filter whose conditions are on the status alone (store/counters.py).
A new field is one more entry here (see tests/test_filter_model.py, which adds one).

A `ContactFilter` is fully resolved (absolute datetimes, against an injected clock), so the
store never needs to know what "last week" means and two equal filters select the same rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, make_dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from .conditions import TEXT_COLUMNS, Condition, Op
from .dates import PRESETS, parse_when, preset_range, range_from_bounds
from .domains import domain_pattern
from .model import Status
from .pipeline import DEFAULT_FOLLOW_UP_DAYS, RuleError, follow_up_rule, parse_status
from .text import quote_input, sanitize_line


class SortKey(StrEnum):
    CREATED = "created"
    LAST_SENT = "last_sent"
    BUSINESS = "business"
    DOMAIN = "domain"
    STATUS = "status"
    FOLLOW_UPS = "follow_ups"

    @property
    def label(self) -> str:
        """The one name of the sort for people (TUI status line, CLI help): "last sent";
        `Sort.parse` accepts it as well as the key ("last_sent", "last-sent")."""
        return self.value.replace("_", " ")


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
            key = "_".join(raw.lstrip("-+").strip().lower().replace("-", " ").split())
            return cls(SortKey(key), desc)
        except ValueError:
            choices = ", ".join(k.value for k in SortKey)
            raise RuleError(f"unknown sort {quote_input(raw)} (choose from {choices}; prefix - for descending)") from None

    def __str__(self) -> str:
        return ("-" if self.descending else "") + self.key.value


@dataclass(frozen=True, slots=True)
class Resolving:
    """What resolving a typed value may depend on besides the value itself."""

    now: datetime
    follow_up_days: int = DEFAULT_FOLLOW_UP_DAYS
    options: Mapping[str, Any] = field(default_factory=dict)  # every typed option


@dataclass(frozen=True)
class FilterField:
    key: str  # FilterSpec attribute, saved-view key, CLI option name
    flag: str  # CLI flag
    kind: str  # "multi" (repeatable), "text" or "flag"
    help: str
    resolve: Callable[[Any, Resolving], tuple[Condition, ...]]
    describe: Callable[[Any], str]  # its part of the summary
    metavar: str = ""
    by_sending: bool = False  # selects by date sent: lists default to "last sent" order

    @property
    def default(self) -> Any:
        return () if self.kind == "multi" else False if self.kind == "flag" else None


def _statuses(values, _r: Resolving) -> tuple[Condition, ...]:
    chosen = {parse_status(v) for v in values}
    ordered = tuple(s.value for s in Status if s in chosen)
    return (Condition("status", Op.EQ, ordered[0]) if len(ordered) == 1
            else Condition("status", Op.IN, ordered),)


def _preset(value, r: Resolving) -> tuple[Condition, ...]:
    start, end = preset_range(value.strip().lower(), r.now)
    return (Condition("last_sent_at", Op.GE, start), Condition("last_sent_at", Op.LT, end))


def _sent_from(value, r: Resolving) -> tuple[Condition, ...]:
    start, _ = range_from_bounds(value, r.options.get("sent_to"))  # also checks from <= to
    return (Condition("last_sent_at", Op.GE, start),)


def _sent_to(value, _r: Resolving) -> tuple[Condition, ...]:
    _, end = range_from_bounds(None, value)
    return (Condition("last_sent_at", Op.LT, end),)


def _domain(value, _r: Resolving) -> tuple[Condition, ...]:
    pattern = domain_pattern(sanitize_line(value))  # IDN: stored keys are punycode
    return (Condition("domain", Op.CONTAINS, pattern),) if pattern else ()


def _search(value, _r: Resolving) -> tuple[Condition, ...]:
    text = sanitize_line(value)
    return (Condition("", Op.TEXT, text),) if text else ()


def _no_reply(value, _r: Resolving) -> tuple[Condition, ...]:
    return (Condition("last_reply_at", Op.IS_NULL),) if value else ()


def _due(value, r: Resolving) -> tuple[Condition, ...]:
    return follow_up_rule(r.now, r.follow_up_days) if value else ()


def _range_part(options) -> str:
    return f"sent {options.get('sent_from') or '…'}..{options.get('sent_to') or '…'}"


FILTER_FIELDS: tuple[FilterField, ...] = (
    FilterField("statuses", "--status", "multi", "ready, sent, replied, won or lost (repeatable).",
                _statuses, lambda v: "+".join(s.value for s in Status
                                              if s in {parse_status(x) for x in v}),
                metavar="S"),
    FilterField("sent", "--sent", "text", ", ".join(PRESETS) + ".", _preset,
                lambda v: f"sent {v.strip().lower()}", metavar="PRESET", by_sending=True),
    FilterField("sent_from", "--sent-from", "text", "Sent on or after DATE.", _sent_from,
                lambda v: f"sent from {v}", metavar="DATE", by_sending=True),
    FilterField("sent_to", "--sent-to", "text", "Sent on or before DATE (whole day).", _sent_to,
                lambda v: f"sent to {v}", metavar="DATE", by_sending=True),
    FilterField("domain", "--domain", "text", "Domain contains PATTERN (* = anything).", _domain,
                lambda v: f"domain ~ {sanitize_line(v).lower()}", metavar="PATTERN"),
    FilterField("search", "--search", "text",
                "Business, contact name, email or domain contains TEXT.", _search,
                lambda v: f"“{sanitize_line(v)}”", metavar="TEXT"),
    FilterField("no_reply", "--no-reply", "flag", "Only contacts that never replied.", _no_reply,
                lambda v: "no reply"),
    FilterField("due", "--due", "flag", "Only contacts due a follow-up.", _due,
                lambda v: "follow-up due", by_sending=True),
)
FIELD_KEYS = tuple(f.key for f in FILTER_FIELDS)


def _spec_class(fields: tuple[FilterField, ...]):
    """The FilterSpec dataclass of a declaration (one attribute per field)."""

    def options(self) -> dict:
        return {f.key: getattr(self, f.key) for f in fields}

    def from_options(cls, options: Mapping[str, Any]):
        known = {}
        for f in fields:
            if f.key in options and options[f.key] is not None:
                value = options[f.key]
                known[f.key] = tuple(value) if f.kind == "multi" else value
        return cls(**known)

    def with_(self, **changes):
        return replace(self, **changes)

    def is_empty(self) -> bool:
        return all(not getattr(self, f.key) for f in fields)

    return make_dataclass(
        "FilterSpec",
        [(f.key, Any, field(default=f.default)) for f in fields],
        frozen=True,
        namespace={"options": options, "from_options": classmethod(from_options),
                   "with_": with_, "is_empty": property(is_empty),
                   "__doc__": "The filter as the user typed it (validated into a ContactFilter)."},
    )


FilterSpec = _spec_class(FILTER_FIELDS)


@dataclass(frozen=True, slots=True)
class ContactFilter:
    """A resolved filter: conditions AND-ed together, and how it reads."""

    conditions: tuple[Condition, ...] = ()
    parts: tuple[str, ...] = ()  # summary pieces, in declaration order
    by_sending: bool = False

    @property
    def is_empty(self) -> bool:
        return not self.conditions

    @property
    def statuses(self) -> frozenset[Status]:
        """The statuses the filter keeps (empty: any)."""
        out: set[Status] = set()
        for c in self.conditions:
            if c.column == "status" and c.op is Op.EQ:
                out.add(Status(c.value))
            elif c.column == "status" and c.op is Op.IN:
                out.update(Status(v) for v in c.value)
        return frozenset(out)

    @property
    def status_only(self) -> bool:
        """Every condition is on the status alone (the per-status counters answer it)."""
        return all(c.column == "status" and c.op in (Op.EQ, Op.IN) for c in self.conditions)

    def summary(self) -> str:
        """A short human description, e.g. "sent · sent last-week · no reply"."""
        return " · ".join(self.parts) or "all contacts"


def build_filter(
    *,
    now: datetime,
    follow_up_days: int = DEFAULT_FOLLOW_UP_DAYS,
    fields: Iterable[FilterField] | None = None,
    **options: Any,
) -> ContactFilter:
    """Validate typed option values (CLI flags, filter form, saved view) into a filter.

    Raises RuleError/ValueError with a message fit for one line."""
    fields = tuple(FILTER_FIELDS if fields is None else fields)
    known = {f.key for f in fields}
    unknown = set(options) - known
    if unknown:
        raise RuleError(f"unknown filter {quote_input(sorted(unknown)[0])}")
    if options.get("sent") and (options.get("sent_from") or options.get("sent_to")):
        raise RuleError("choose either a date preset or a date range, not both")
    resolving = Resolving(now, follow_up_days, options)
    conditions: list[Condition] = []
    parts: list[str] = []
    by_sending = False
    for f in fields:
        value = options.get(f.key)
        if not value:
            continue
        got = f.resolve(value, resolving)
        if not got:
            continue
        conditions.extend(got)
        by_sending = by_sending or f.by_sending
        if f.key == "sent_to" and options.get("sent_from"):
            continue  # one "sent A..B" part for a range
        parts.append(_range_part(options) if f.key in ("sent_from", "sent_to") else f.describe(value))
    return ContactFilter(tuple(conditions), tuple(parts), by_sending)


def default_sort(flt: ContactFilter) -> Sort:
    """Newest contacts first, or most recently sent first when filtering by sending."""
    return Sort(SortKey.LAST_SENT, True) if flt.by_sending else Sort(SortKey.CREATED, True)


__all__ = ["FIELD_KEYS", "FILTER_FIELDS", "Condition", "ContactFilter", "FilterField",
           "FilterSpec", "Op", "Resolving", "Sort", "SortKey", "build_filter", "default_sort",
           "TEXT_COLUMNS", "parse_when"]
