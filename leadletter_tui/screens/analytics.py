"""Analytics mode (`3` from anywhere): the figures and the activity feed, two tabs.

Figures: contacts per status, the reply rate and the all-contacted rate with their formulas,
Lost as its own share, sends and replies per week (a chart), sentiment, replies by follow-up
number, angle and framework performance per category (sample sizes, the learner's favourite).
The counts come first (a lookup), the rates next, then the heavy aggregates part by part,
all in thread workers (workers.py); each part paints as it arrives. Any write published on
`contacts_changed` refreshes the figures and the feed in place.

Activity: the feed (widgets/activity_feed.py); a status key changes the highlighted event's
contact, enter shows the contact in contacts mode (filtered on its domain).
"""

from __future__ import annotations

import time
from dataclasses import replace

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.signal import Signal
from textual.widgets import Static, TabbedContent, TabPane
from textual.worker import get_current_worker

from ..domain.analytics import ALL_CATEGORIES, Performance, Report
from ..domain.model import Sentiment, Status
from ..domain.text import sanitize_line
from ..services import Services
from ..widgets.activity_feed import ActivityFeed
from ..widgets.key_bar import KeyBar
from ..widgets.title_bar import TitleBar
from ..widgets.weekly_chart import WeeklyChart
from ..workers import ReportsWorkerErrors, deliver

BAR = 8  # cells of the widest status bar (one short of its column: a gap before the next)


class AnalyticsScreen(ReportsWorkerErrors, Screen):
    CSS_PATH = ["../styles/analytics.tcss"]
    AUTO_FOCUS = "#an-figures"
    BINDINGS = [
        Binding("f", "tab('figures')", "Figures", id="analytics.figures"),
        Binding("a", "tab('activity')", "Activity", id="analytics.activity"),
        Binding("c", "category(1)", "Category", id="analytics.category"),
        Binding("C", "category(-1)", "Previous category", show=False, id="analytics.category_back"),
        Binding("u", "refresh", "Refresh", show=False, id="analytics.refresh"),
        Binding("ctrl+r", "refresh", "Refresh", show=False, id="analytics.refresh_now"),
    ]

    def __init__(self, services: Services, changed: Signal) -> None:
        super().__init__()
        self.services = services
        self.changed = changed
        self.report = Report()
        self.category = ALL_CATEGORIES
        self.complete = False  # every part of the report has arrived
        self.first_figures_ms: float | None = None
        self._started = time.perf_counter()
        self.summary = Static(Content("Counting…"), id="an-summary")
        self.rates = Static(Content(""), id="an-rates")
        self.chart = WeeklyChart(id="an-chart")
        self.sentiment = Static(Content("Sentiment: counting…"), id="an-sentiment")
        self.follow_ups = Static(Content("Replies by follow-up: counting…"), id="an-followups")
        self.angles = Static(Content("Angles: counting…"), id="an-angles")
        self.frameworks = Static(Content(""), id="an-frameworks")
        self.feed = ActivityFeed(services.analytics.feed, services.clock, id="an-feed")
        self.status_line = Static(Content(""), id="an-status")

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with TabbedContent(initial="figures", id="an-tabs"):
            with TabPane("Figures", id="figures"):
                with VerticalScroll(id="an-figures"):
                    with Horizontal(id="an-top"):
                        yield self.summary
                        yield self.rates
                    yield self.chart
                    with Horizontal(id="an-middle"):
                        yield self.sentiment
                        yield self.follow_ups
                    yield self.angles
                    yield self.frameworks
            with TabPane("Activity", id="activity"):
                yield self.feed
        yield self.status_line
        yield KeyBar()

    def on_mount(self) -> None:
        self.changed.subscribe(self, self._on_contacts_changed)
        self.refresh_figures()
        self.feed.load()

    def on_resize(self) -> None:
        check = getattr(self.app, "check_size", None)
        if check:
            check()

    # --- loading ----------------------------------------------------------------------------
    def refresh_figures(self) -> None:
        self.complete = False
        self._quick()

    @work(thread=True, exclusive=True, group="analytics-quick", exit_on_error=False)
    def _quick(self) -> None:
        analytics = self.services.analytics
        report = analytics.counts()
        deliver(self, self._show, replace(report), False)
        analytics.quick(report)
        deliver(self, self._show, replace(report), False)
        deliver(self, self._heavy, report)

    @work(thread=True, exclusive=True, group="analytics-heavy", exit_on_error=False)
    def _heavy(self, report: Report) -> None:
        worker = get_current_worker()
        self.services.analytics.fill(
            report, learner=True, cancelled=lambda: worker.is_cancelled,
            progress=lambda r: deliver(self, self._show, replace(r), False))
        if not worker.is_cancelled:
            deliver(self, self._show, replace(report), True)

    def _on_contacts_changed(self, _data: object) -> None:
        if not self.is_current:  # hidden (another mode): refresh when shown again
            self._stale = True
            return
        self._stale = False
        self.refresh_figures()
        self.feed.load(keep_cursor=True)

    def on_screen_resume(self) -> None:
        if getattr(self, "_stale", False):
            self._on_contacts_changed(None)

    def action_refresh(self) -> None:
        self._on_contacts_changed(None)

    # --- painting ----------------------------------------------------------------------------
    def _show(self, report: Report, complete: bool) -> None:
        self.report = report
        if self.first_figures_ms is None:
            self.first_figures_ms = (time.perf_counter() - self._started) * 1000
        self.complete = complete
        self.summary.update(self._counts_text(report))
        self.rates.update(self._rates_text(report))
        if report.weekly is not None:
            self.chart.show(report.weekly)
        if report.sentiment is not None:
            self.sentiment.update(self._sentiment_text(report))
        if report.follow_ups is not None:
            self.follow_ups.update(self._follow_ups_text(report))
        if report.angles is not None:
            self._show_tables()
        self._update_status()

    def _update_status(self) -> None:
        r = self.report
        total = sum(r.counts.values())
        state = "" if self.complete else " · counting…"
        noun = "contact" if total == 1 else "contacts"
        self.status_line.update(Content(f"{total:,} {noun}{state}"), layout=False)

    @staticmethod
    def _counts_text(r: Report) -> Content:
        total = sum(r.counts.values())
        peak = max([*r.counts.values(), 1])
        lines = [Content.styled("Contacts per status", "bold")]
        for s in Status:
            n = r.counts.get(s.value, 0)
            share = f"{n / total * 100:4.0f}%" if total else "   —"
            bar = "█" * max(1 if n else 0, round(n / peak * BAR))
            lines.append(Content.assemble(f"{s.look.action:<8}{n:>10,} {share} ",
                                          (bar, s.colour)))
        lines.append(Content(f"{'Total':<8}{total:>10,}"))
        return Content("\n").join(lines)

    @staticmethod
    def _rates_text(r: Report) -> Content:
        lines = []
        rates = [r.reply_rate]
        if r.ever_sent is not None:
            rates.append(r.reply_rate_all)
        rates.append(r.lost_share)
        for rate in rates:
            lines.append(Content.assemble((f"{rate.name} {rate.percent()}", "bold")))
            lines.append(Content.styled(f" {rate.formula}", "$text-muted"))
            lines.append(Content.styled(f" = {rate.totals}", "$text-muted"))
        if r.ever_sent is None:
            lines.append(Content.styled("All contacted: counting…", "$text-muted"))
        return Content("\n").join(lines)

    @staticmethod
    def _sentiment_text(r: Report) -> Content:
        counts = r.sentiment or {}
        total = sum(counts.values())
        lines = [Content.styled("Sentiment (latest reply)", "bold")]
        for s in Sentiment:
            n = counts.get(s.value, 0)
            share = f"{n / total * 100:4.0f}%" if total else "   —"
            lines.append(Content(f"{s.label:<15}{n:>9,} {share}"))
        return Content("\n").join(lines)

    @staticmethod
    def _follow_ups_text(r: Report) -> Content:
        lines = [Content.styled("First replies came after", "bold")]
        total = sum(n for _, n in r.follow_ups or [])
        for label, n in r.follow_ups or []:
            share = f"{n / total * 100:4.0f}%" if total else "   —"
            lines.append(Content(f"{label:<16}{n:>9,} {share}"))
        return Content("\n").join(lines)

    def _show_tables(self) -> None:
        r = self.report
        angles = (r.angles or {}).get(self.category, [])
        favourite = (r.favourites or {}).get(self.category)
        cats = list(r.angles or {})
        where = f"{cats.index(self.category) + 1}/{len(cats)}" if self.category in cats else ""
        title = f"Angles · category: {sanitize_line(self.category)} {where} (c: next)"
        if self.category == ALL_CATEGORIES:
            note = "learner's favourite: pick a category (c)"
        elif favourite:
            note = f"learner's favourite here: ★ {favourite}"
        else:
            note = "learner: no known outcomes in this category yet"
        self.angles.update(self._table(title, "Angle", angles, favourite, note))
        frameworks = (r.frameworks or {}).get(self.category, [])
        self.frameworks.update(self._table("Frameworks · same category", "Framework",
                                           frameworks, None, ""))

    @staticmethod
    def _table(title: str, key: str, rows: list[Performance], favourite: str | None,
               note: str) -> Content:
        lines = [Content.styled(title, "bold")]
        if note:
            lines.append(Content.styled(note, "$text-muted"))
        lines.append(Content.styled(
            f"{key:<22}{'n sent':>9}{'replies':>9}{'rate':>7}{'positive':>9}{'won':>7}", "bold"))
        if not rows:
            lines.append(Content.styled("no first messages sent in this category", "$text-muted"))
        for p in rows:
            star = "★ " if p.key == favourite else "  "
            rate = f"{p.reply_rate * 100:5.1f}%" if p.reply_rate is not None else "    —"
            name = sanitize_line(p.key)[:20]
            lines.append(Content(f"{star}{name:<20}{p.sends:>9,}{p.replies:>9,}{rate:>7}"
                                 f"{p.positive:>9,}{p.won:>7,}"))
        return Content("\n").join(lines)

    # --- keys ----------------------------------------------------------------------------------
    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        (self.feed if tab == "activity" else self.query_one("#an-figures")).focus()

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id == "activity":
            self.feed.focus()

    def action_category(self, step: int) -> None:
        cats = list(self.report.angles or {})
        if not cats:
            return
        i = cats.index(self.category) if self.category in cats else 0
        self.category = cats[(i + step) % len(cats)]
        self._show_tables()

    # --- the feed ------------------------------------------------------------------------------
    def on_activity_feed_loaded(self, event: ActivityFeed.Loaded) -> None:
        kind = event.kind or "all kinds"
        self.query_one(TabbedContent).get_tab("activity").label = f"Activity ({event.total:,} · {kind})"

    def on_activity_feed_status_requested(self, event: ActivityFeed.StatusRequested) -> None:
        self._change_status(event.row.domain, event.status, event.row.version)

    @work(thread=True, group="write", exit_on_error=False)
    def _change_status(self, domain: str, status: Status, version: int | None = None) -> None:
        change = self.services.contacts.change_status(domain, status.value,
                                                      seen_version=version)
        if change.is_noop:
            message = f"{domain} is already {status.label}"
        else:
            message = f"{domain}: {change.from_status.label} → {change.to_status.label}"
        deliver(self, self._written, message, not change.is_noop)

    def _written(self, message: str, changed: bool) -> None:
        self.notify(Content(message))
        if changed:
            self.changed.publish(None)

    async def on_activity_feed_opened(self, event: ActivityFeed.Opened) -> None:
        """Show the contact: contacts mode, filtered on its domain."""
        from ..domain.filters import FilterSpec

        domain = event.row.domain
        app = self.app
        await app.switch_mode("contacts")
        screen = app.screen
        apply = getattr(screen, "apply_spec", None)
        if apply is not None:
            apply(FilterSpec(domain=domain))
