"""LeadLetterApp and its factory. Everything the app needs arrives through `make_app`."""

from __future__ import annotations

import asyncio
import gc
import sys

from textual.app import App
from textual.binding import Binding
from textual.content import Content
from textual.signal import Signal

from .commands import LeadLetterCommands
from .config import Paths
from .errors import ChangedElsewhere, log_crash
from .screens import fits
from .screens.contacts import ContactsScreen
from .services import Services, UserError
from .workers import ReportsWorkerErrors, deliver, warm_executor

MAX_TOASTS = 2
UI_SWITCH_INTERVAL = 0.001  # seconds: see _after_first_paint
WATCH_SECONDS = 0.5  # how often the app asks the store whether others changed the data


class LeadLetterApp(ReportsWorkerErrors, App[None]):
    TITLE = "LeadLetter"
    # The contacts screen's CSS is read with the app's: as a screen's CSS_PATH it cost a
    # reparse of the whole stylesheet (every source, from scratch) while starting.
    CSS_PATH = ["styles/base.tcss", "styles/contacts.tcss"]
    # Only ours: Textual's system commands (theme, screenshot…) are offered by it too, last
    # and as "system: …", so they stay apart from LeadLetter's (commands.py).
    COMMANDS = {LeadLetterCommands}
    COMMAND_PALETTE_BINDING = "ctrl+p"
    DEFAULT_MODE = "contacts"  # its screen comes from get_default_screen
    BINDINGS = [
        Binding("question_mark,f1", "help", "Help", id="app.help"),
        Binding("1", "switch_mode('contacts')", "Contacts", show=False, id="app.contacts"),
        Binding("2", "switch_mode('follow-ups')", "Follow-ups", show=False, id="app.followups"),
        Binding("3", "switch_mode('analytics')", "Analytics", show=False, id="app.analytics"),
        Binding("i", "import_contacts", "Import", id="app.import"),
        Binding("n", "generate", "New message", show=False, id="app.generate"),
        Binding("S", "settings", "Settings", show=False, id="app.settings"),
        Binding("q", "quit", "Quit", show=False, id="app.quit"),
    ]

    def __init__(self, services: Services, paths: Paths | None = None, first_page=None) -> None:
        super().__init__()
        self.services = services
        self.paths = paths
        self.animation_level = "none"
        self._too_small = None  # the TooSmallScreen while shown
        self._shown = False
        self.contacts_changed: Signal[None] = Signal(self, "contacts_changed")
        self._first_page = first_page
        self.sub_title = services.db_display  # Header renders titles literally
        self._watch = None  # the store's change watcher (live updates), from on_mount

    def get_default_screen(self) -> ContactsScreen:
        """The first screen: composed with the app (as Textual does for a default screen),
        not mounted from on_mount by a mode switch, which cost a second compose pass while
        repaints were held back, a full stylesheet reparse, and Textual's 50 ms repaint
        delay on a mode switch. Its mode ("contacts", DEFAULT_MODE) is registered in
        on_mount, for `switch_mode('contacts')` from other modes."""
        first_page, self._first_page = self._first_page, None
        screen = self._contacts_screen(first_page)
        screen.add_default_css()
        return screen

    def _follow_ups_screen(self):
        from .screens.followups import FollowUpsScreen  # loaded on first use

        return FollowUpsScreen(self.services, self.contacts_changed,
                               self.services.settings.follow_up_days)

    def _analytics_screen(self):
        from .screens.analytics import AnalyticsScreen  # loaded on first use

        return AnalyticsScreen(self.services, self.contacts_changed)

    def _contacts_screen(self, first_page=None) -> ContactsScreen:
        follow_up_days = self.services.settings.follow_up_days
        return ContactsScreen(self.services, self.contacts_changed, follow_up_days, first_page)

    def on_mount(self) -> None:
        self.add_mode("contacts", self._contacts_screen)  # its stack already holds the screen
        self.add_mode("follow-ups", self._follow_ups_screen)
        self.add_mode("analytics", self._analytics_screen)
        self._shown = True
        self.check_size()
        self.screen.call_after_refresh(self._after_first_paint)
        self.call_after_refresh(self._start_watching)

    # --- live updates -----------------------------------------------------------------------
    # Another session's or the CLI's commits reach the open screens through the same
    # `contacts_changed` signal the app's own writes publish (ARCHITECTURE.md "Freshness").
    # The store's watcher answers `changed()` without blocking (SQLite: one PRAGMA
    # data_version, a few µs; PostgreSQL: a flag its LISTEN thread raises), so it is asked
    # inline from a timer: no worker, nothing crosses threads here.
    def _start_watching(self) -> None:
        self.run_worker(self._open_watch, thread=True, group="watch", exit_on_error=False)

    def _open_watch(self) -> None:
        """In a thread: the store may not be open yet (store/quick.py), and opening it is
        work the UI thread should not wait for."""
        try:
            watch = self.services.store.watch()
        except Exception:  # no live updates (e.g. the file cannot be opened twice): no harm
            return
        deliver(self, self._watching, watch)

    def _watching(self, watch) -> None:
        self._watch = watch
        self.contacts_changed.subscribe(self, self._absorb_change)
        self.set_interval(WATCH_SECONDS, self._watch_tick, name="watch")

    def _watch_tick(self) -> None:
        if self._watch is not None and self._watch.changed():
            self.contacts_changed.publish(None)

    def _absorb_change(self, _data: object) -> None:
        """Screens reload on every publish: commits seen so far need no second reload."""
        if self._watch is not None:
            self._watch.changed()

    def action_refresh_now(self) -> None:
        """Reload what the screens show (the refresh key; changes also arrive by themselves)."""
        self.contacts_changed.publish(None)

    def on_unmount(self) -> None:
        if self._watch is not None:
            self._watch.close()
            self._watch = None

    def _after_first_paint(self) -> None:
        # Everything built so far lives as long as the app: move it out of the garbage
        # collector's way, so a full collection never walks it (it paused the UI ~30 ms).
        # `leadletter` turns collection off for start-up (cli.py); it resumes here.
        gc.freeze()
        gc.enable()
        # Waking for a frame, the UI thread waits for a worker thread (queries, the SDK's
        # loop) to hand over the interpreter: 5 ms by default, often 2-3 times that. At 1 ms
        # a bulk follow-up run's longest UI stall fell from 22-32 to 11-13 ms.
        sys.setswitchinterval(UI_SWITCH_INTERVAL)
        warm_executor(asyncio.get_running_loop())
        self.set_timer(0.5, self._log_start)  # the log file (and its imports) after the paint

    def _log_start(self) -> None:
        from . import __version__, logs

        logs.info("app start: leadletter %s, database %s", __version__,
                  self.services.db_display)

    def on_resize(self) -> None:
        self.call_later(self.check_size)  # also while a dialog is open

    def check_size(self) -> None:
        """Show or close the "terminal too small" notice (screens call this on resize)."""
        if not self._shown:  # resize events arrive before the first mode is shown
            return
        small = not fits(*self.size)
        if small and self._too_small is None:
            from .screens.modals import TooSmallScreen

            self._too_small = TooSmallScreen()
            self.push_screen(self._too_small)
        elif not small and self._too_small is not None:
            self._too_small.dismiss(None)
            self._too_small = None

    def action_import_contacts(self) -> None:
        """Open the bulk import screen; the contacts table refreshes when it lands."""
        from .screens.import_screen import ImportScreen  # loaded on first use

        if isinstance(self.screen, ImportScreen):
            return

        def imported(_report) -> None:
            self.contacts_changed.publish(None)

        self.push_screen(ImportScreen(self.services, imported))

    def action_settings(self, then=None) -> None:
        """The settings form; `then` runs after a save (first use of generation)."""
        from .config import Paths
        from .screens.settings import SettingsModal

        def saved(settings) -> None:
            if settings is not None:
                self.services.use_settings(settings)
                self.notify("Settings saved", markup=False)
                if then is not None:
                    then()

        self.push_screen(SettingsModal(self.services.settings, self.paths or Paths.from_platform(),
                                       first_use=then is not None,
                                       shared=getattr(self.services, "shared", None)), saved)

    def profile_first(self, then) -> bool:
        """Whether a sender profile is set; if not, the settings form first, then `then`."""
        if self.services.profile().is_complete:
            return True
        self.action_settings(then=then)
        return False

    def action_generate(self) -> None:
        """The generate screen, filled in from the highlighted contact (profile first)."""
        from .screens.generate import GenerateScreen  # loaded on first use

        if isinstance(self.screen, GenerateScreen):
            return
        if not self.profile_first(self.action_generate):
            return
        row = None
        current = getattr(self.screen, "current_row", None)
        if callable(current):
            row = current()
        details = {}
        if row is not None:
            details = {"domain": row.domain, "name": row.contact_name, "email": row.email,
                       "phone": row.phone, "business": row.business_name}
        self.push_screen(GenerateScreen(self.services, self.contacts_changed, **details))

    def action_help(self) -> None:
        from .screens.help import HelpScreen, help_rows
        from .screens.modals import TooSmallScreen

        if isinstance(self.screen, (HelpScreen, TooSmallScreen)):
            return
        self.push_screen(HelpScreen(help_rows(self, self.screen)))

    def on_notify(self, event) -> None:
        """At most MAX_TOASTS toasts at once (older ones go), so they never cover the table."""
        keep = MAX_TOASTS if event.notification in self._notifications else MAX_TOASTS - 1
        for old in list(self._notifications)[: max(0, len(self._notifications) - keep)]:
            self._unnotify(old, refresh=False)

    async def action_quit(self) -> None:
        """Quit; while a long job runs (bulk change, export), first ask whether to cancel it.
        Screens that run such jobs say so with `running_job()` and stop them with
        `cancel_jobs()` (a cancelled job changes nothing and writes no file)."""
        busy = {w.node for w in self.workers if not w.is_finished and hasattr(w.node, "running_job")}
        running = [(node, what) for node in busy if (what := node.running_job())]
        if not running:
            self.exit()
            return
        from .screens.modals import ConfirmModal

        if isinstance(self.screen, ConfirmModal) and getattr(self.screen, "about_quit", False):
            return
        what = "; ".join(text for _node, text in running)

        def answered(cancel: bool | None) -> None:
            if cancel:
                for node, _text in running:
                    node.cancel_jobs()
                self.exit()

        question = ConfirmModal(f"Still running: {what}. Cancel it and quit?", "Stop the job and quit")
        question.about_quit = True
        self.push_screen(question, answered)

    def report_failure(self, error: BaseException | None) -> None:
        """The one place a failed background job becomes a visible error (workers.py rule 4):
        what the user can act on as its own line, a database failure as its one line, a bug
        with its type (and its traceback in the crash log)."""
        if error is None:
            return
        if isinstance(error, BaseExceptionGroup) and len(error.exceptions) == 1:
            error = error.exceptions[0]
        if isinstance(error, ChangedElsewhere):  # nothing was overwritten: show what is there
            self.notify(Content(error.screen_text()), severity="warning", title="Not changed",
                        timeout=6)
            self.contacts_changed.publish(None)
            return
        if isinstance(error, UserError):
            text = str(error)
        else:
            text = self.services.store.failure_message(error)
            if text is None:
                where = log_crash(self.paths.log_dir, error) if self.paths else ""
                text = f"unexpected {type(error).__name__}: {error}{where}"
        self.notify(Content(text), severity="error", title="Something went wrong", timeout=8)


def make_app(services: Services, paths: Paths | None = None, first_page=None) -> LeadLetterApp:
    """Build the app. `first_page`: a Future from `Services.prefetch_first_page`."""
    return LeadLetterApp(services, paths, first_page)


def run_tui(services: Services, paths: Paths | None = None, first_page=None, **run_options) -> None:
    app = make_app(services, paths, first_page)
    try:
        app.run(mouse=services.settings.mouse, **run_options)
    finally:
        from . import __version__, logs

        logs.info("app stop: leadletter %s, database %s", __version__, services.db_display)
