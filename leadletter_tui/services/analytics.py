"""Analytics: the figures of the analytics screen and `stats`, the learner rebuilt from the
database, and the activity feed (CLI and TUI).

The report comes in two steps, so a screen can paint the first figures at once:
`quick()` (counts per status from the counters, then the two rates) and `fill()` (the heavy
aggregates: sentiment, replies by follow-up number, angle and framework performance per
category, the weekly series, the learner's favourites), each a single aggregate query.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from ..config import Settings
from ..domain import analytics as rules
from ..domain.analytics import Report
from ..domain.learning import AngleLearner
from ..domain.text import quote_input
from ..store.store import Store
from .errors import database_errors


class AnalyticsService:
    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings

    def now(self) -> datetime:
        return self.store.clock().replace(microsecond=0)

    def window_cutoff(self) -> datetime:
        """A first message sent at or before this got no reply within the follow-up window."""
        return self.now() - timedelta(days=self.settings.follow_up_days)

    # --- the report ------------------------------------------------------------------
    def counts(self) -> Report:
        """The first figures: contacts per status (a lookup on SQLite) and the reply rate."""
        with database_errors(self.store):
            return Report(counts=rules.full_counts(self.store.analytics.status_counts()))

    def quick(self, report: Report | None = None) -> Report:
        """Counts, then ever sent / ever replied (the all-contacted rate)."""
        report = report or self.counts()
        q = self.store.analytics
        with database_errors(self.store):
            report.ever_sent = q.ever_sent()
            report.ever_replied = q.ever_replied()
        return report

    def fill(self, report: Report, *, learner: bool = True,
             cancelled: Callable[[], bool] = lambda: False,
             progress: Callable[[Report], None] | None = None) -> Report:
        """The heavy aggregates into `report`; `progress(report)` after each part (a screen
        shows them as they come); stops early when `cancelled()`."""
        steps = [self._weekly, self._sentiment, self._follow_ups,
                 lambda r: self._performance(r, learner)]
        for step in steps:
            if cancelled():
                break
            with database_errors(self.store):
                step(report)
            if progress is not None:
                progress(report)
        return report

    def report(self, *, learner: bool = False) -> Report:
        return self.fill(self.quick(), learner=learner)

    def stats(self) -> dict:
        """The `stats --json` document (see services/shapes.py `stats_dict`)."""
        from .shapes import stats_dict

        return stats_dict(self.report())

    def _weekly(self, report: Report) -> None:
        weeks = rules.week_buckets(self.now())
        sends, replies = self.store.analytics.weekly(weeks)
        report.weekly = rules.WeeklySeries.from_counts(weeks, sends, replies)

    def _sentiment(self, report: Report) -> None:
        report.sentiment = rules.full_sentiments(self.store.analytics.sentiments())

    def _follow_ups(self, report: Report) -> None:
        report.follow_ups = rules.by_follow_up(self.store.analytics.replies_by_messages_sent())

    def _performance(self, report: Report, learner: bool) -> None:
        groups = self.store.analytics.outcome_groups(self.window_cutoff())
        report.angles = rules.performance(groups, "angle")
        report.frameworks = rules.performance(groups, "framework")
        if learner:
            model = rules.rebuild_learner(rules.learner_outcomes(groups))
            report.favourites = {cat: model.favourite(cat) for cat in report.angles
                                 if any(e.sends for e in model.estimates(cat))}

    # --- the learning loop --------------------------------------------------------------
    def learner(self, seed: int | None = None) -> AngleLearner:
        """The angle learner rebuilt from every stored outcome (so it survives restarts
        and sees every user's outcomes on a shared database), the one rebuild path: the
        analytics screen's favourites and the angles generation picks both come from it.
        Each contact's first sent message (`AnalyticsQueries.outcome_groups`) is rewarded
        by `outcome_reward` from the contact's status and latest reply; no reply once the
        window after that first send has passed counts 0, one still inside it is left out;
        angles the learner does not know (older data) are skipped."""
        with database_errors(self.store):
            groups = self.store.analytics.outcome_groups(self.window_cutoff())
        return rules.rebuild_learner(rules.learner_outcomes(groups), seed)

    # --- the activity feed ----------------------------------------------------------------
    def feed(self, kind: str | None = None):
        """Events newest first, by position (a store FeedWindow; thread-safe)."""
        if kind is not None and kind not in rules.FEED_KINDS:
            from ..errors import UserError

            raise UserError(f"unknown event kind {quote_input(kind)}; expected one of {', '.join(rules.FEED_KINDS)}")
        return self.store.analytics.feed(kind)
