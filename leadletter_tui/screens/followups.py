"""Follow-ups mode: the contacts screen with "follow-up due" always on, plus writing.

Everything the contacts screen does works here (status keys, selection, filters on top of
the due rule, detail, undo). `f` writes the highlighted contact's next follow-up; `b`
writes follow-ups for the selection, or for everyone in the queue, with a progress bar,
a rate, Esc to cancel, and a list of failures that `R` retries.
"""

from __future__ import annotations

import time

from textual import work
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.signal import Signal
from textual.widgets import ProgressBar, Static

from ..domain.filters import FilterSpec
from ..services import Services, UserError
from .contacts import ContactsScreen
from .modals import ConfirmModal


class FollowUpsScreen(ContactsScreen):
    """The follow-up queue (its own mode, `2` from anywhere)."""

    AUTO_FOCUS = "#contacts-table"
    BINDINGS = [
        Binding("f", "write_follow_up", "Write follow-up", id="followups.write"),
        Binding("b", "bulk_follow_ups", "Write all", id="followups.bulk"),
        Binding("R", "retry_failed", "Retry failed", show=False, id="followups.retry"),
    ]
    KEY_BAR = (("Follow up", "followups.write"), ("All", "followups.bulk"), "table.select",
               ("Mark", *(f"contacts.{s}" for s in ("sent", "replied", "won", "lost"))),
               ("Reply", "contacts.reply"), "contacts.search", "app.help", "app.quit")

    def __init__(self, services: Services, changed: Signal, follow_up_days: int) -> None:
        super().__init__(services, changed, follow_up_days)
        self.spec = FilterSpec(due=True)
        self.filter = services.contacts.make_filter(due=True)
        self.running = False
        self.failed: list[tuple[str, str]] = []
        self.progress = ProgressBar(total=None, show_eta=False, id="followups-progress")
        self.progress_text = Static(Content(""), id="followups-progress-text")
        self.progress_row = Horizontal(self.progress, self.progress_text, id="followups-run")
        self.progress_row.styles.height = 1
        self.progress_text.styles.width = "1fr"  # updated with layout=False: fixed size

    def compose(self):
        """The contacts screen's layout with the run's progress line above the status line
        (after it, the table's 1fr height would leave it no room)."""
        for widget in super().compose():
            if widget is self.status_line:
                yield self.progress_row
            yield widget

    def on_mount(self) -> None:
        super().on_mount()
        self.progress_row.display = False

    # --- the due rule stays on -----------------------------------------------------------
    def apply_spec(self, spec: FilterSpec, *, from_search_box: bool = False) -> bool:
        return super().apply_spec(spec.with_(due=True), from_search_box=from_search_box)

    def action_clear_filters(self) -> None:
        self.apply_spec(FilterSpec(due=True))

    def no_match_note(self) -> Content:
        if self.spec.with_(due=False).is_empty:  # only the due rule: nobody is due
            days = self.detail.follow_up_days
            return Content("No follow-ups due.\n\n"
                           f"Contacts you sent to {days}+ days ago that have not replied show up "
                           "here.\n1 goes back to all contacts.")
        return super().no_match_note()

    # --- one follow-up ---------------------------------------------------------------------
    def action_write_follow_up(self) -> None:
        row = self.current_row()
        if row is None or not self.app.profile_first(self.action_write_follow_up):
            return
        if self.running:
            self.notify("Follow-ups are being written; Esc cancels them.", markup=False)
            return
        self.notify(Content(f"Writing a follow-up for {row.domain}…"))
        self._write_one(row.domain)

    @work(exclusive=True, group="followup-one", exit_on_error=False)
    async def _write_one(self, domain: str) -> None:
        from ..services.followups import FollowUpLimit

        try:
            result = await self.services.follow_ups.write_follow_up(domain)
        except FollowUpLimit:
            self._offer_lost(domain)
            return
        self.notify(Content(f"{domain}: follow-up {result.number} written · "
                            f"{result.draft.subject} (d opens it)"), title="Follow-up")
        self.changed.publish(None)

    def _offer_lost(self, domain: str) -> None:
        what = f"{self.services.settings.max_follow_ups} follow-ups"

        def answered(yes: bool | None) -> None:
            if yes:
                from ..domain.model import Status

                self.change_status(domain, Status.LOST)

        self.app.push_screen(
            ConfirmModal(f"{domain} got {what} without a reply. Mark it Lost?", "Mark Lost"),
            answered)

    # --- bulk ------------------------------------------------------------------------------
    def action_bulk_follow_ups(self) -> None:
        if self.running or not self.app.profile_first(self.action_bulk_follow_ups):
            return
        table = self.table
        selected = table.selection.count(table.total)
        count = selected or table.total
        if not count:
            self.notify("No follow-ups are due.", markup=False)
            return
        selection = table.selection.snapshot() if selected else None
        window, flt = table.window, self.filter
        noun = "contact" if count == 1 else "contacts"
        scope = "selected " if selected else ""

        def answered(yes: bool | None) -> None:
            if yes:
                self._start_bulk(flt, selection, window)

        self.app.push_screen(
            ConfirmModal(f"Write follow-ups for {count:,} {scope}{noun}?", "Write them"), answered)

    def action_retry_failed(self) -> None:
        if self.running or not self.failed:
            return
        domains = [d for d, _ in self.failed]
        self._start_bulk(self.filter, None, None, domains=domains)

    def _start_bulk(self, flt, selection, window, *, domains: list[str] | None = None) -> None:
        self.running = True
        self.failed = []
        self.progress_row.display = True
        self.progress.update(total=None, progress=0)
        self.progress_text.update(Content("starting…"), layout=False)
        self._bulk(flt, selection, window, domains)

    @work(exclusive=True, group="followup-bulk", exit_on_error=False)
    async def _bulk(self, flt, selection, window, domains: list[str] | None) -> None:
        import asyncio

        if domains is None and selection is not None:
            ids = await asyncio.to_thread(selection.resolve, window)
            domains = await asyncio.to_thread(self.services.contacts.domains_of, ids)
        started = time.monotonic()
        shown = [0.0]

        def progress(p) -> None:
            # At most about five repaints a second (and always the last): each costs a few
            # ms of the loop, and answers come in waves.
            now = time.monotonic()
            if p.done < p.total and now - shown[0] < 0.2:
                return
            shown[0] = now
            self.progress.update(total=max(p.total, 1), progress=p.done)
            self.progress_text.update(Content(  # one fixed row: no relayout of the screen
                f" {p.done:,}/{p.total:,} · {p.rate:.1f}/s · {p.failed:,} failed · Esc cancels"),
                layout=False)

        try:
            result = await self.services.follow_ups.run(
                flt, domains=domains, progress=progress,
                concurrency=self.services.settings.follow_up_concurrency)
        finally:
            self.running = False
        self._bulk_done(result, time.monotonic() - started)

    def _bulk_done(self, result, seconds: float) -> None:
        self.failed = [(f.domain, f.reason) for f in result.failed]
        parts = [f"{len(result.generated):,} written"]
        if result.skipped:
            parts.append(f"{len(result.skipped):,} skipped")
        if result.suggest_lost:
            parts.append(f"{len(result.suggest_lost):,} at the most follow-ups (consider Lost)")
        if self.failed:
            parts.append(f"{len(self.failed):,} failed (R retries them)")
        self.progress_text.update(Content(" · ".join(parts) + f" in {seconds:.1f} s"),
                                  layout=False)
        severity = "warning" if self.failed else "information"
        lines = "\n".join(f"{d}: {r}" for d, r in self.failed[:5])
        self.notify(Content(" · ".join(parts) + (f"\n{lines}" if lines else "")),
                    title="Follow-ups", severity=severity, timeout=10)
        self.changed.publish(None)

    def worker_failed(self, worker) -> None:
        if worker.group == "followup-bulk":
            self.running = False
            self.progress_text.update(Content("stopped: see the message"), layout=False)

    def action_escape(self) -> None:
        if self.running:
            self.workers.cancel_group(self, "followup-bulk")
            self.running = False
            self.progress_text.update(Content("cancelled: the follow-ups written so far are kept"),
                                  layout=False)
            self.changed.publish(None)
            return
        super().action_escape()

    def palette_commands(self):
        yield from super().palette_commands()
        yield ("follow-up: write", "Write the highlighted contact's next follow-up",
               self.action_write_follow_up)
        yield ("follow-up: write all", "Write follow-ups for the selection or the whole queue",
               self.action_bulk_follow_ups)


__all__ = ["FollowUpsScreen", "UserError"]
