"""Analytics rules: the rates and their formulas, the weekly buckets, performance tables and
the learner rebuilt from aggregated outcomes. Pure: the store counts, this module decides
what the counts mean (DESIGN.md "Definitions").

- Reply rate = contacts in replied or won ÷ contacts in sent, replied or won. Lost is kept
  out of it and shown as its own share (lost ÷ contacts in sent, replied, won or lost).
- All-contacted rate (`reply_rate_all`) = contacts that ever replied ÷ contacts ever sent,
  Lost included. "Ever sent": a send was stamped (last sent is set). "Ever replied": a reply
  is recorded, or the contact is in replied or won (marked by hand without a pasted reply).
- A rate with nothing under the line is unknown: `value` is None, the UI shows "—", and the
  JSON gives 0.0 (the CLI contract promises a fraction 0–1).
- Weeks: the last 12 ISO weeks, Monday 00:00 local time, the current (partial) week last.
- Replies by follow-up number: each contact's first reply, counted by how many of its
  messages had been sent when it arrived (message sent_at ≤ reply received_at): 1 = after
  the first message, 2 = after the first follow-up, ... The stored follow-up counter is not
  used: it keeps counting sends made after the reply.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from .angles import ANGLES
from .learning import AngleLearner, outcome_reward
from .model import Sentiment, Status

WEEKS = 12
FOLLOW_UP_BUCKETS = 4  # 1st message, follow-up 1, follow-up 2, follow-up 3 or later


@dataclass(frozen=True, slots=True)
class Rate:
    """A share with the counts it comes from and how it is computed."""

    name: str
    numerator: int
    denominator: int
    formula: str  # in words: "(replied+won) ÷ (sent+replied+won)"
    terms: str  # the same with the numbers: "(140 + 70) ÷ (360 + 140 + 70)"

    @property
    def value(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None

    @property
    def fraction(self) -> float:
        """0–1, and 0.0 when nothing is under the line (the JSON contract)."""
        value = self.value
        return 0.0 if value is None else min(1.0, max(0.0, value))

    @property
    def totals(self) -> str:
        """The numbers above and under the line: "210,129 ÷ 570,545"."""
        return f"{self.numerator:,} ÷ {self.denominator:,}"

    def percent(self) -> str:
        value = self.value
        return "—" if value is None else f"{value * 100:.1f}%"

    def explain(self) -> str:
        """One line: name = formula = numbers = result."""
        return f"{self.name} = {self.formula} = {self.terms} = {self.percent()}"


def _n(counts: Mapping[str, int], status: Status) -> int:
    return int(counts.get(status.value, 0))


def reply_rate(counts: Mapping[str, int]) -> Rate:
    sent, replied, won = (_n(counts, s) for s in (Status.SENT, Status.REPLIED, Status.WON))
    return Rate("Reply rate", replied + won, sent + replied + won,
                "(replied+won) ÷ (sent+replied+won)",
                f"({replied:,} + {won:,}) ÷ ({sent:,} + {replied:,} + {won:,})")


def reply_rate_all(ever_replied: int, ever_sent: int) -> Rate:
    return Rate("All contacted", ever_replied, ever_sent,
                "ever replied ÷ ever sent, Lost incl.", f"{ever_replied:,} ÷ {ever_sent:,}")


def lost_share(counts: Mapping[str, int]) -> Rate:
    sent, replied, won, lost = (_n(counts, s) for s in (Status.SENT, Status.REPLIED, Status.WON,
                                                        Status.LOST))
    return Rate("Lost", lost, sent + replied + won + lost,
                "lost ÷ (sent+replied+won+lost)",
                f"{lost:,} ÷ ({sent:,} + {replied:,} + {won:,} + {lost:,})")


def full_counts(counts: Mapping[str, int]) -> dict[str, int]:
    """Every status (in pipeline order), 0 where none; unknown stored values are dropped."""
    return {s.value: _n(counts, s) for s in Status}


def full_sentiments(counts: Mapping[str | None, int]) -> dict[str, int]:
    return {s.value: int(counts.get(s.value, 0)) for s in Sentiment}


# --- weeks ---------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Week:
    start: datetime  # Monday 00:00, local time

    @property
    def end(self) -> datetime:
        return self.start + timedelta(days=7)

    @property
    def label(self) -> str:
        """"W47" (ISO week number), as the chart's axis shows it."""
        return f"W{self.start.isocalendar().week:02d}"

    @property
    def day_label(self) -> str:
        return f"{self.start:%d %b}"


def monday_of(day: date) -> datetime:
    start = day - timedelta(days=day.weekday())
    return datetime(start.year, start.month, start.day)


def week_buckets(now: datetime, weeks: int = WEEKS) -> list[Week]:
    """The last `weeks` ISO weeks, oldest first; the week holding `now` is the last."""
    this_monday = monday_of(now.date())
    return [Week(this_monday - timedelta(days=7 * k)) for k in range(weeks - 1, -1, -1)]


def week_index(buckets: list[Week], when: datetime) -> int | None:
    """Which bucket `when` falls in, or None (outside the range)."""
    if not buckets or when < buckets[0].start or when >= buckets[-1].end:
        return None
    return (when - buckets[0].start).days // 7


@dataclass(frozen=True, slots=True)
class WeeklySeries:
    weeks: list[Week]
    sends: list[int]
    replies: list[int]

    @classmethod
    def from_counts(cls, weeks: list[Week], sends: Mapping[int, int],
                    replies: Mapping[int, int]) -> WeeklySeries:
        """Counts by bucket index (as the store groups them) → one value per week."""
        n = len(weeks)
        return cls(weeks, [int(sends.get(i, 0)) for i in range(n)],
                   [int(replies.get(i, 0)) for i in range(n)])


# --- replies by follow-up number ---------------------------------------------------------------
def follow_up_label(number: int) -> str:
    """Bucket label for "the reply came after the N-th message"."""
    if number <= 0:
        return "before any send"
    if number == 1:
        return "1st message"
    if number >= FOLLOW_UP_BUCKETS:
        return f"follow-up {FOLLOW_UP_BUCKETS - 1}+"
    return f"follow-up {number - 1}"


def by_follow_up(counts: Mapping[int, int]) -> list[tuple[str, int]]:
    """Messages-sent-before-the-reply → replies, folded into the shown buckets (the first
    message, each follow-up, the last bucket "or later"; replies before any send only if any)."""
    buckets = [0] * (FOLLOW_UP_BUCKETS + 1)
    for number, n in counts.items():
        buckets[max(0, min(int(number), FOLLOW_UP_BUCKETS))] += int(n)
    out = [(follow_up_label(i), buckets[i]) for i in range(1, FOLLOW_UP_BUCKETS + 1)]
    if buckets[0]:
        out.insert(0, (follow_up_label(0), buckets[0]))
    return out


# --- performance per category -------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class OutcomeGroup:
    """First messages sent, grouped by what they were and how the contact is doing now."""

    category: str
    angle: str
    framework: str
    status: str
    sentiment: str | None
    has_reply: bool
    window_passed: bool  # the first message went out at least the follow-up window ago
    count: int

    @property
    def replied(self) -> bool:
        return self.has_reply or self.status in (Status.REPLIED.value, Status.WON.value)


@dataclass
class Performance:
    """One row of an angle or framework table: sends and what came of them."""

    category: str
    key: str  # the angle or the framework
    sends: int = 0
    replies: int = 0
    positive: int = 0
    won: int = 0

    @property
    def reply_rate(self) -> float | None:
        return self.replies / self.sends if self.sends else None

    def add(self, g: OutcomeGroup) -> None:
        self.sends += g.count
        if g.replied:
            self.replies += g.count
        if g.sentiment == Sentiment.POSITIVE.value:
            self.positive += g.count
        if g.status == Status.WON.value:
            self.won += g.count


ALL_CATEGORIES = "all"


def performance(groups: Iterable[OutcomeGroup], by: str) -> dict[str, list[Performance]]:
    """Per category (and "all" across them): rows for each angle (`by="angle"`) or framework,
    most sends first. Messages without an angle/framework are left out."""
    tables: dict[str, dict[str, Performance]] = {}
    for g in groups:
        key = g.angle if by == "angle" else g.framework
        if not key:
            continue
        for category in (ALL_CATEGORIES, g.category or "other"):
            row = tables.setdefault(category, {}).setdefault(key, Performance(category, key))
            row.add(g)
    return {cat: sorted(rows.values(), key=lambda r: (-r.sends, r.key))
            for cat, rows in sorted(tables.items(), key=lambda kv: (kv[0] != ALL_CATEGORIES, kv[0]))}


def learner_outcomes(groups: Iterable[OutcomeGroup]) -> list[tuple[str, str, float, int]]:
    """(category, angle, reward, count) for every group whose outcome is known, in a fixed
    order (category, angle, reward). Unknown angles (older data) are skipped."""
    totals: dict[tuple[str, str, float], int] = {}
    for g in groups:
        if g.angle not in ANGLES:
            continue
        try:
            status = Status(g.status)
            sentiment = Sentiment(g.sentiment) if g.sentiment else None
        except ValueError:
            continue
        reward = outcome_reward(status, sentiment, has_reply=g.has_reply,
                                window_passed=g.window_passed)
        if reward is None:
            continue
        key = (g.category or "other", g.angle, reward)
        totals[key] = totals.get(key, 0) + g.count
    return [(c, a, r, n) for (c, a, r), n in sorted(totals.items())]


def rebuild_learner(outcomes: Iterable[tuple[str, str, float, int]],
                    seed: int | None = None) -> AngleLearner:
    learner = AngleLearner(seed)
    for category, angle, reward, count in outcomes:
        learner.record_many(category, angle, reward, count)
    return learner


@dataclass
class Report:
    """Everything the analytics screen and `stats` show, filled in as the parts arrive."""

    counts: dict[str, int] = field(default_factory=dict)
    ever_sent: int | None = None
    ever_replied: int | None = None
    sentiment: dict[str, int] | None = None
    follow_ups: list[tuple[str, int]] | None = None
    angles: dict[str, list[Performance]] | None = None
    frameworks: dict[str, list[Performance]] | None = None
    weekly: WeeklySeries | None = None
    favourites: dict[str, str] | None = None

    @property
    def reply_rate(self) -> Rate:
        return reply_rate(self.counts)

    @property
    def reply_rate_all(self) -> Rate:
        return reply_rate_all(self.ever_replied or 0, self.ever_sent or 0)

    @property
    def lost_share(self) -> Rate:
        return lost_share(self.counts)


# --- the activity feed ---------------------------------------------------------------------------
FEED_KINDS: tuple[str, ...] = ("status", "reply", "message", "created", "edit")
"""Event kinds the feed filters on (EventKind values); None = every kind."""


@dataclass(frozen=True, slots=True)
class FeedRow:
    """One event of the activity feed, with its contact."""

    id: int
    at: datetime
    kind: str
    from_status: str | None
    to_status: str | None
    detail: str
    domain: str
    business_name: str
    actor: str = ""  # who did it ("" for events from before v7)
    version: int = 0  # the contact's version when the row was read (a change from the feed
    # applies only while the contact still has it)

    @property
    def text(self) -> str:
        """What happened, in words ("Sent → Replied", "reply: positive")."""
        if self.kind == "status" and self.to_status:
            def label(value: str | None) -> str:
                try:
                    return Status(value).label if value else "?"
                except ValueError:
                    return str(value)
            text = f"{label(self.from_status)} → {label(self.to_status)}"
            return f"{text} ({self.detail})" if self.detail else text
        return f"{self.kind}: {self.detail}" if self.detail else self.kind
