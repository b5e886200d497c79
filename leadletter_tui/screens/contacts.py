"""The contacts screen: virtual table, filters, selection and bulk actions, detail pane."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.signal import Signal
from textual.widgets import Static
from textual.worker import get_current_worker

from ..domain.filters import ContactFilter, FilterSpec, Sort, SortKey, default_sort
from ..domain.model import ContactRow, Status
from ..services import Services, UserError
from ..widgets.contact_detail import ContactDetailView
from ..widgets.contact_table import ContactTable
from ..widgets.filter_bar import BUILTIN_VIEWS, FilterBar
from ..widgets.key_bar import KeyBar
from ..widgets.title_bar import TitleBar
from ..workers import ReportsWorkerErrors, deliver
from .detail import ContactActions, DetailScreen
from .long_jobs import LongJobs
from .typeahead import APP_OPENERS, TypeAheadGuard
from .views_menu import ViewsMenu

WIDE = 120  # columns from which the detail pane sits beside the table
SORT_LABELS = {key: key.label for key in SortKey}  # the names the CLI's --sort takes too
STATUS_KEYS = tuple((s.key, s, s.look.action) for s in Status)  # from the one declaration


class ContactsScreen(TypeAheadGuard, LongJobs, ViewsMenu, ReportsWorkerErrors, ContactActions,
                     Screen):
    """Contacts mode (the default)."""

    # Keys that open a text field or dialog: run at once, keys typed after them go into
    # the field, never run as commands (screens/typeahead.py).
    FIELD_OPENERS = {"slash": "search", "F": "filters", "E": "export", "e": "edit",
                     "v": "views", "p": "paste_reply", "d": "open_draft", **APP_OPENERS}

    # Its CSS (styles/contacts.tcss) is in LeadLetterApp.CSS_PATH, parsed at start-up.
    AUTO_FOCUS = "#contacts-table"
    BINDINGS = [
        *(
            Binding(key, f"set_status('{status.value}')", label, show=status is not Status.READY,
                    id=f"contacts.{status.value}")
            for key, status, label in STATUS_KEYS
        ),
        Binding("slash", "search", "Search", id="contacts.search"),
        Binding("F", "filters", "Filters", id="contacts.filters"),
        Binding("v", "views", "Views", id="contacts.views"),
        Binding("x", "clear_filters", "Clear filter", show=False, id="contacts.clear"),
        Binding("a", "select_all", "Select all", show=False, id="contacts.select_all"),
        Binding("A", "clear_selection", "Clear selection", show=False, id="contacts.unselect"),
        Binding("o", "cycle_sort", "Sort", show=False, id="contacts.sort"),
        Binding("O", "reverse_sort", "Reverse sort", show=False, id="contacts.reverse"),
        Binding("e", "edit", "Edit", show=False, id="contacts.edit"),
        Binding("D", "toggle_dnc", "Do not contact", show=False, id="contacts.dnc"),
        Binding("u", "undo", "Undo", show=False, id="contacts.undo"),
        Binding("c", "copy", "Copy email", show=False, id="contacts.copy"),
        Binding("p", "paste_reply", "Paste reply", show=False, id="contacts.reply"),
        Binding("d", "open_draft", "Open draft", show=False, id="contacts.draft"),
        Binding("E", "export", "Export", show=False, id="contacts.export"),
        Binding("ctrl+r", "app.refresh_now", "Refresh", show=False, id="contacts.refresh"),
        Binding("escape", "escape", "Clear search, selection or filter", show=False,
                id="contacts.escape"),
    ]
    # The key bar, in this order (widgets/key_bar.py); a tuple is one compact entry.
    KEY_BAR = ("table.open", "table.select",
               ("Mark", *(f"contacts.{s.value}" for s in Status if s is not Status.READY)),
               ("New", "app.generate"), ("Reply", "contacts.reply"), "contacts.edit",
               "contacts.search", "contacts.filters", "contacts.views", "app.import",
               "contacts.refresh", "app.help", "app.quit")

    def __init__(
        self, services: Services, changed: Signal, follow_up_days: int, first_page=None
    ) -> None:
        super().__init__()
        self.services = services
        self.changed = changed
        self.clock = services.clock
        self.spec = FilterSpec()
        self.filter = ContactFilter()
        self.sort: Sort | None = None  # None: the default for the filter
        self.table = ContactTable(services, self.clock, first_page=first_page, id="contacts-table")
        self.bar = FilterBar(id="filter-bar")
        self.detail = ContactDetailView(self.clock, follow_up_days, id="detail-pane")
        self.status_line = Static(Content("Loading…"), id="status-line")
        self.empty = Static(Content(""), id="empty-state")
        self._title_bar, self._body, self._key_bar = TitleBar(), Horizontal(id="contacts-body"), KeyBar()
        self._detail_timer = None
        self._resumed = False

    def compose(self) -> ComposeResult:
        yield self._title_bar
        yield self.bar
        with self._body:
            yield self.table
            yield self.empty
            yield self.detail
        yield self.status_line
        yield self._key_bar

    def add_default_css(self) -> None:
        """Put the DEFAULT_CSS of every widget class this screen composes into the app's
        stylesheet before the screen mounts. Textual adds a class's CSS as its first
        widget registers, and each addition re-parses the stylesheet and re-styles the
        nodes already mounted (three rounds on this screen, about 5 ms before the first
        paint); added up front, the stylesheet is parsed once. Same sources and
        priorities as Textual's own registration (`_get_default_css`)."""
        stylesheet = self.app.stylesheet
        widgets = (self._title_bar, self.bar, self._body, self.table, self.detail,
                   self.status_line, self._key_bar)  # the other children are Statics too
        for widget in widgets:
            for read_from, css, tie_breaker, scope in widget._get_default_css():
                stylesheet.add_source(css, read_from=read_from, is_default_css=True,
                                      tie_breaker=tie_breaker, scope=scope)

    def on_mount(self) -> None:
        self.changed.subscribe(self, self._on_contacts_changed)
        self.empty.display = False
        self._apply_layout()
        self.reload()
        if not self.table.busy:  # rows read ahead at launch: the count goes in the same paint
            self._update_status()
        self.table.focus()

    def on_resize(self) -> None:
        self._apply_layout()
        check = getattr(self.app, "check_size", None)
        if check:
            check()

    def _apply_layout(self) -> None:
        wide = self.app.size.width >= WIDE
        if wide != self.detail.display:
            self.detail.display = wide
            self._schedule_detail()  # the pane appears: show the highlighted row

    # --- loading ----------------------------------------------------------------------
    @property
    def effective_sort(self) -> Sort:
        return self.sort or default_sort(self.filter)

    def reload(self, *, keep_cursor: bool = False) -> None:
        self.bar.show(self.filter.summary())
        self.table.load(self.filter, self.effective_sort, keep_cursor=keep_cursor)

    def _on_contacts_changed(self, _data: object) -> None:
        self.reload(keep_cursor=True)
        self._schedule_detail()

    def apply_spec(self, spec: FilterSpec, *, from_search_box: bool = False) -> bool:
        """Validate and show a filter; False (with a message) when it is invalid.

        `from_search_box`: the text came from the search box as it was typed, so the box
        is not written back (that would echo older keystrokes over newer ones)."""
        try:
            self.filter = self.services.contacts.make_filter(**spec.options())
        except UserError as exc:
            self.notify(Content(str(exc)), severity="error", title="Filter")
            return False
        self.spec = spec
        self.reload()  # start the query first; the cosmetic updates can follow
        if not from_search_box and spec.search != (self.bar.search_text.strip() or None):
            self.bar.set_search_text(spec.search or "")
        self.table.clear_selection()
        return True

    def _problem_with(self, spec: FilterSpec) -> str | None:
        try:
            self.services.contacts.make_filter(**spec.options())
        except UserError as exc:
            return str(exc)
        return None

    def on_contact_table_loaded(self, event: ContactTable.Loaded) -> None:
        if self.focused is None and self.table.display:
            self.table.focus()
        self._update_status()
        if not event.final:
            return
        none_at_all = event.total == 0 and self.filter.is_empty
        nothing = event.total == 0  # no contacts at all, or none match the filter
        if self.empty.display != nothing:  # each change costs a relayout
            self.empty.display = nothing
            self.table.display = not nothing
        if nothing and not none_at_all:
            self.empty.update(self.no_match_note())
        elif none_at_all:
            self.empty.update(
                Content(
                    "No contacts yet.\n\n"
                    "Add your first ones:\n"
                    "  • press i to import a CSV file or paste a list of URLs\n"
                    "  • or run `leadletter import contacts.csv` in a shell\n"
                    "  • or try it out with `leadletter demo`\n"
                )
            )

    def no_match_note(self) -> Content:
        """What the screen says when the filter matches nothing (modes override it)."""
        return Content(f"No contacts match this filter ({self.filter.summary()}).\n\n"
                       "  • x clears the filter\n  • F changes it, v picks a view, / searches")

    def on_contact_table_selection_changed(self, event: ContactTable.SelectionChanged) -> None:
        self._update_status()

    def _update_status(self) -> None:
        t = self.table
        sort = self.effective_sort
        arrow = "↓" if sort.descending else "↑"
        if t.counting:
            parts = [f"{t.total:,}+ of {t.all_total:,} (counting…)" if t.all_total else "counting…"]
        elif self.filter.is_empty:
            parts = [f"{t.total:,} contact" if t.total == 1 else f"{t.total:,} contacts"]
        else:
            parts = [f"{t.total:,} of {t.all_total:,}"]
        parts.append(f"sorted by {SORT_LABELS[sort.key]} {arrow}")
        selected = t.selection.count(t.total)
        if selected:
            parts.append(f"{selected:,} selected")
        self.status_line.update(Content(" · ".join(parts)), layout=False)

    def on_contact_table_cursor_moved(self, event: ContactTable.CursorMoved) -> None:
        self._schedule_detail()

    def _schedule_detail(self) -> None:
        if not self.detail.display:
            return
        if self._detail_timer is not None:
            self._detail_timer.stop()
        self._detail_timer = self.set_timer(0.08, self._load_detail)

    def _load_detail(self) -> None:
        row = self.table.current
        if row is None:
            self.detail.show(None)
            return
        self.fetch_detail(row.domain)

    def on_contact_table_opened(self, event: ContactTable.Opened) -> None:
        if self.detail.display:
            self.detail.focus()
        else:
            self.app.push_screen(DetailScreen(self.services, self.changed, event.row.domain,
                                              self.detail.follow_up_days))

    # --- filters ----------------------------------------------------------------------
    def on_filter_bar_search_changed(self, event: FilterBar.SearchChanged) -> None:
        text = event.text.strip() or None
        if text != self.spec.search:
            self.apply_spec(self.spec.with_(search=text), from_search_box=True)

    def on_filter_bar_search_done(self, event: FilterBar.SearchDone) -> None:
        self.table.focus()

    async def action_search(self) -> None:
        await self.bar.open_search_now()

    def typing_field(self):
        # `focused`, not `has_focus`: the latter follows the Blur event, which can still be
        # queued behind a key read in the same burst as the one that moved focus away.
        search = self.bar.search
        return search if search is not None and self.focused is search else None

    def action_filters(self) -> None:
        from .filter_modal import FilterModal  # its widgets load on first use

        def done(spec: FilterSpec | None) -> None:
            if spec is not None:
                self.apply_spec(spec)

        self.app.push_screen(FilterModal(self.spec, self._problem_with), done)

    def action_clear_filters(self) -> None:
        self.apply_spec(FilterSpec())

    def action_escape(self) -> None:
        search = self.bar.search
        if (search is not None and self.focused is search) or self.detail.has_focus_within:
            self.table.focus()
        elif self.table.selection.count(self.table.total):
            self.action_clear_selection()
        elif not self.spec.is_empty:
            self.action_clear_filters()

    # --- sort ---------------------------------------------------------------------------
    def action_cycle_sort(self) -> None:
        keys = list(SortKey)
        current = self.effective_sort
        nxt = keys[(keys.index(current.key) + 1) % len(keys)]
        self.sort = Sort(nxt, nxt in (SortKey.CREATED, SortKey.LAST_SENT, SortKey.FOLLOW_UPS))
        self.reload()

    def action_reverse_sort(self) -> None:
        current = self.effective_sort
        self.sort = Sort(current.key, not current.descending)
        self.reload()

    # --- selection & bulk -------------------------------------------------------------------
    def action_select_all(self) -> None:
        self.table.select_all()

    def action_clear_selection(self) -> None:
        self.table.clear_selection()

    def current_row(self) -> ContactRow | None:
        return self.table.current

    def action_set_status(self, value: str) -> None:
        status = Status(value)
        count = self.table.selection.count(self.table.total)
        if count:
            noun = "contact" if count == 1 else "contacts"

            def confirmed(ok: bool | None) -> None:
                if ok:
                    self.bulk_status(status)

            from .modals import ConfirmModal

            self.app.push_screen(
                ConfirmModal(f"Mark {count:,} selected {noun} as {status.label}?", f"Mark {status.label}"),
                confirmed,
            )
            return
        row = self.current_row()
        if row is not None:
            self.mark_status(row, status)

    def bulk_status(self, status: Status) -> None:
        """Change the selected contacts' status (the selection is read here, on the UI)."""
        count = self.table.selection.count(self.table.total)
        self._start_job(f"Marking {count:,} contacts {status.label}")
        self._bulk_status(self.table.selection.snapshot(), self.table.window, status, self.filter)

    @work(thread=True, exclusive=True, group="bulk", exit_on_error=False)
    def _bulk_status(self, selection, window, status: Status, flt: ContactFilter) -> None:
        """Only rows still as the user saw them change: picked rows at the version they
        were picked at; "all of the filter" re-checked against the filter in SQL."""
        from ..store.bulk_status import BulkCancelled

        worker = get_current_worker()
        ids = selection.resolve(window)
        versions = None if selection.all else [selection.versions.get(i) for i in ids]
        try:
            outcome = self.services.contacts.change_status_checked(
                ids, status, versions=versions, within=flt if selection.all else None,
                progress=self._job_progress_from_thread, cancelled=lambda: worker.is_cancelled)
        except BulkCancelled:
            deliver(self, self._end_job, "Bulk change cancelled: nothing was changed.")
            return
        deliver(self, self._bulk_done, outcome.changed, status, outcome.skipped)

    def _bulk_done(self, changed: int, status: Status, skipped: int = 0) -> None:
        from ..errors import ChangedElsewhere

        self._end_job()
        self.table.clear_selection()
        done = f"{changed:,} contacts marked {status.label}"
        if skipped:
            self.notify(Content(ChangedElsewhere(skipped).screen_text(done)), title="Bulk change",
                        severity="warning")
        else:
            self.notify(Content(done), title="Bulk change")
        self.changed.publish(None)

    def action_export(self) -> None:
        from ..services.export import target_problem
        from .export_modal import ExportPathModal

        count = self.table.selection.count(self.table.total) or self.table.total
        default = str(Path.home() / f"leadletter-export-{self.clock():%Y%m%d-%H%M%S}.csv")

        def chosen(answer: tuple[Path, bool] | None) -> None:
            if answer:
                self.export_to(answer[0], replace=answer[1])

        self.app.push_screen(ExportPathModal(f"Export {count:,} contacts to", default,
                                             target_problem), chosen)

    def export_to(self, path: Path, *, replace: bool = False) -> None:
        """Export the selection, else the whole filter (read here, on the UI)."""
        table = self.table
        selected = table.selection.count(table.total)
        selection = table.selection.snapshot() if selected else None
        self._start_job(f"Exporting {selected or table.total:,} contacts")
        self._export(path, replace, self.filter, self.effective_sort, selection, table.window)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def _export(self, path: Path, replace: bool, flt, sort, selection, window) -> None:
        from ..services.export import ExportCancelled, export_contacts

        worker = get_current_worker()
        ids = selection.resolve(window) if selection is not None else None
        try:
            n = export_contacts(self.services, flt, sort, path=path, ids=ids, overwrite=replace,
                                progress=self._job_progress_from_thread,
                                cancelled=lambda: worker.is_cancelled)
        except ExportCancelled:
            deliver(self, self._end_job, "Export cancelled: no file was written.")
            return
        deliver(self, self._end_job, f"Exported {n:,} contacts to {path}")

    def palette_commands(self):
        """Commands for the palette that make sense here ("noun: verb")."""
        for _key, status, label in STATUS_KEYS:
            yield (f"contact: mark {label.lower()}", f"Set the highlighted (or selected) contacts to {status.label}",
                   partial(self.action_set_status, status.value))
        yield ("contact: edit", "Edit business, name, email, phone and notes", self.action_edit)
        yield ("contact: toggle do not contact", "Never suggest follow-ups for this contact",
               self.action_toggle_dnc)
        yield ("contact: undo", "Take back the last change made in this session (u)", self.action_undo)
        yield ("contact: copy email", "Copy the email (or domain) to the clipboard", self.action_copy)
        yield ("contacts: select all", "Select every contact of the current filter", self.action_select_all)
        yield ("contacts: clear selection", "Select nothing", self.action_clear_selection)
        yield ("contacts: export", "Write the selection (or the filter) to CSV or JSON", self.action_export)
        yield ("contacts: sort by next column", "Cycle the sort order", self.action_cycle_sort)
        yield ("filter: edit", "Statuses, date sent, domain, text, flags", self.action_filters)
        yield ("filter: clear", "Show all contacts", self.action_clear_filters)
        for view in BUILTIN_VIEWS:
            yield (f"filter: {view.name.lower()}", "Built-in view",
                   lambda v=view: self.apply_spec(v.spec))
        for saved in self._saved_views():
            yield (f"filter: ★ {saved.name}", "Saved view",
                   lambda v=saved: self.apply_spec(FilterSpec.from_options(v.options)))
        yield ("filter: save as view", "Keep the current filter under a name (v lists it)",
               self.action_save_view)

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        # The first resume comes straight after the mount, which styled every node with
        # the whole stylesheet (see add_default_css); Textual would restyle them all again
        # before the first paint. Later resumes (back from a modal) do restyle.
        if not self._resumed:
            self._resumed = True
            event.refresh_styles = False
        self.table.focus()
