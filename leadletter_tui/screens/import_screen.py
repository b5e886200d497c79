"""Bulk Import: a CSV file or pasted URLs → preview, column mapping, dry run, import, report.

Self-contained: ``ImportScreen(services, on_imported)``; the app pushes it and refreshes its
contacts in ``on_imported(report)`` (called after every real import that finished). All
import work goes through services/imports.py, the one import use case; the counts line is its
report's one counts text (domain/imports/counts.py).

Reading, dry runs and imports run in thread workers (`exit_on_error=False`, each with its own
database connection) and report back with messages; progress messages replace each other.
Everything that came from a file is shown as plain text (``Text``/``Content``), never markup,
and was sanitized when read (no control character reaches the terminal).
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, HorizontalScroll, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.suggester import Suggester
from textual.widgets import (
    ContentSwitcher,
    DataTable,
    Header,
    Input,
    Label,
    ProgressBar,
    Select,
    Static,
    TabbedContent,
    TabPane,
    TextArea,
)
from textual.worker import Worker, get_current_worker

from ..domain.imports import columns as cols
from ..domain.text import sanitize_line, truncate_line
from ..services import Services, UserError
from ..services import imports as importer
from ..widgets.form_input import FormInput
from ..widgets.key_bar import KeyBar
from ..workers import ReportsWorkerErrors
from .modals import Modal

AUTO_DRY_RUN_BYTES = 2_000_000  # smaller inputs get their dry-run counts right away
CELL_WIDTH = 30
SHOWN_ERRORS = 1000


def plain(text: object, width: int | None = None) -> Text:
    """Untrusted text as a literal, single-line rich Text (for DataTable cells)."""
    line = sanitize_line(text)
    return Text(truncate_line(line, width) if width else line)


def counts_line(report: importer.ImportReport) -> str:
    """What happened, then the one counts text (it wraps to a second line when numbers are big)."""
    head = "Dry run" if report.dry_run else "Imported"
    return f"{head} — {report.counts_text()}"


class PathSuggester(Suggester):
    """Completes the last path component from the filesystem (→ accepts, like a shell's Tab).

    Names that are not printable are never offered (they would reach the terminal raw)."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        if not value or "\n" in value:
            return None
        return await asyncio.to_thread(self._complete, value)  # a slow mount never blocks the UI

    @staticmethod
    def _complete(value: str) -> str | None:
        directory, prefix = os.path.split(os.path.expanduser(value))
        try:
            with os.scandir(directory or ".") as entries:
                names = [
                    (e.name, e.is_dir())
                    for e in entries
                    if e.name.startswith(prefix) and e.name != prefix and e.name.isprintable()
                    and (prefix.startswith(".") or not e.name.startswith("."))
                ]
        except OSError:
            return None
        if not names:
            return None
        name, is_dir = min(names)
        return value + name[len(prefix):] + ("/" if is_dir else "")


class SaveInvalidModal(Modal, ModalScreen[str | None]):
    """Ask where to save the invalid rows."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="import.save.cancel")]

    def __init__(self, count: int, default: str) -> None:
        super().__init__()
        self.count = count
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box"):
            noun = "row" if self.count == 1 else "rows"
            yield Label(Content(f"Save {self.count:,} invalid {noun} as CSV to"),
                        classes="modal-title")
            yield FormInput(value=self.default, id="save-path")
            yield Label(Content("Enter to save · Esc to cancel"), classes="modal-hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ImportScreen(ReportsWorkerErrors, Screen):
    """Import contacts from a CSV file or a pasted list of URLs."""

    CSS_PATH = ["../styles/import.tcss"]
    AUTO_FOCUS = "#import-path"
    BINDINGS = [
        Binding("ctrl+o", "preview", "Preview", id="import.preview"),
        Binding("ctrl+t", "dry_run", "Dry run", id="import.dry_run"),
        Binding("ctrl+g", "run_import", "Import", id="import.run"),
        Binding("ctrl+s", "save_invalid", "Save invalid", id="import.save_invalid"),
        Binding("ctrl+r", "toggle_rows", "Rows", id="import.toggle_rows"),
        Binding("escape", "cancel", "Cancel/back", id="import.cancel"),
    ]

    @dataclass
    class PreviewReady(Message):
        preview: importer.Preview
        key: tuple

    @dataclass
    class Progress(Message):
        rows: int
        done: int
        total: int
        seconds: float

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, ImportScreen.Progress)

    @dataclass
    class Finished(Message):
        report: importer.ImportReport

    @dataclass
    class Stopped(Message):
        """A job ended without a report: ``text`` says why (refused input, cancelled)."""

        text: str
        error: bool

    def __init__(self, services: Services,
                 on_imported: Callable[[importer.ImportReport], None]) -> None:
        super().__init__()
        self.services = services
        self.on_imported = on_imported
        self.tabs = TabbedContent(id="import-source", initial="file-tab")
        self.path_input = FormInput(placeholder="Path of a CSV file or URL list (→ completes)",
                                suggester=PathSuggester(), id="import-path")
        self.format_select: Select[str] = Select(
            [(Content("CSV file"), "csv"), (Content("URL list"), "urls")],
            value="csv", allow_blank=False, id="import-format",
        )
        self.paste_area = TextArea(id="import-paste", soft_wrap=False, tab_behavior="focus")
        self.info = Static(Content("Choose a file (Enter previews it) or paste URLs."),
                           id="import-info")
        self.mapping_row = HorizontalScroll(id="import-mapping")
        self.table_title = Static(Content(""), id="import-table-title")
        self.tables = ContentSwitcher(id="import-tables", initial="import-preview")
        self.preview_table: DataTable = DataTable(id="import-preview", zebra_stripes=True,
                                                  cursor_type="row")
        self.errors_table: DataTable = DataTable(id="import-errors", cursor_type="row")
        self.counts = Static(Content(""), id="import-counts")
        self.progress = ProgressBar(total=None, show_eta=False, id="import-progress")
        self.rate = Static(Content(""), id="import-rate")
        self.preview: importer.Preview | None = None
        self.preview_key: tuple | None = None
        self.mapping: list[str] = []
        self.report: importer.ImportReport | None = None
        self.running = False

    def compose(self) -> ComposeResult:
        yield Header()
        with self.tabs:
            with TabPane("File", id="file-tab"):
                with Horizontal(id="file-row"):
                    yield self.path_input
                    yield self.format_select
            with TabPane("Paste URLs", id="paste-tab"):
                yield self.paste_area
        yield self.info
        yield self.mapping_row
        yield self.table_title
        with self.tables:
            yield self.preview_table
            yield self.errors_table
        yield self.counts
        with Horizontal(id="import-progress-row"):
            yield self.progress
            yield self.rate
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = "Bulk import"
        self.mapping_row.display = False
        self.errors_table.add_columns(Text("line"), Text("reason"), Text("row"))

    def on_resize(self) -> None:
        check = getattr(self.app, "check_size", None)
        if check:
            check()

    # --- what to read ------------------------------------------------------------------
    def _source(self) -> tuple[object, str, tuple] | None:
        """(source, format, key) from the active tab; None (with a hint) when empty."""
        if self.tabs.active == "paste-tab":
            text = self.paste_area.text
            if not text.strip():
                self._say("Paste some URLs first: one URL, domain or email a line.", error=True)
                return None
            return text.encode("utf-8"), "urls", ("paste", text)
        raw = self.path_input.value.strip()
        if not raw:
            self._say("Type the path of a CSV file first.", error=True)
            self.path_input.focus()
            return None
        fmt = str(self.format_select.value)
        return Path(raw).expanduser(), fmt, ("file", raw, fmt)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.info.update(Content(sanitize_line(text)))
        self.info.set_class(error, "error")

    # --- preview -------------------------------------------------------------------------
    def action_preview(self) -> None:
        source = self._source()
        if source is not None:
            self._say("Reading…")
            self.load_preview(*source)

    @on(Input.Submitted, "#import-path")
    def _path_submitted(self) -> None:
        self.action_preview()

    @on(Select.Changed, "#import-format")
    def _format_changed(self) -> None:
        if self.preview is not None and self.tabs.active == "file-tab":
            self.action_preview()

    @work(thread=True, exclusive=True, group="import-preview", exit_on_error=False)
    def load_preview(self, source: object, fmt: str, key: tuple) -> None:
        try:
            result = importer.preview(source, format=fmt)
        except UserError as exc:
            self.post_message(self.Stopped(str(exc), True))
            return
        self.post_message(self.PreviewReady(result, key))

    async def on_import_screen_preview_ready(self, event: PreviewReady) -> None:
        p = event.preview
        self.preview, self.preview_key, self.mapping = p, event.key, list(p.mapping)
        self.report = None  # counts and invalid rows were of the input shown before
        self.errors_table.clear()
        how = p.delimiter or "one per line"
        header = "" if p.layout.has_header or p.layout.format == "urls" else " · no header row"
        if p.layout.skip_records:
            n = p.layout.skip_records
            header += f" · {n} title line{'s' if n > 1 else ''} skipped"
        notes = "".join(f" · {w}" for w in p.layout.warnings)
        self._say(f"{p.encoding} · {how} · {len(p.header)} column"
                  f"{'s' if len(p.header) != 1 else ''}{header} · {p.size:,} bytes{notes}")
        await self._show_mapping(p)
        self._show_preview(p)
        self.counts.update(Content("Ctrl+T: dry-run counts · Ctrl+G: import"))
        if p.size <= AUTO_DRY_RUN_BYTES:
            self.action_dry_run()

    async def _show_mapping(self, p: importer.Preview) -> None:
        await self.mapping_row.remove_children()
        if p.layout.format != "csv":
            self.mapping_row.display = False
            return
        selects = []
        for i, (name, target) in enumerate(zip(p.header, p.mapping)):
            short = truncate_line(name, 12)
            options = [(Content(f"{short} → {cols.TARGET_LABELS[t]}"), t) for t in cols.TARGETS]
            selects.append(Select(options, value=target, allow_blank=False, id=f"map-{i}",
                                  classes="map-select"))
        await self.mapping_row.mount(*selects)
        self.mapping_row.display = True

    def _show_preview(self, p: importer.Preview) -> None:
        table = self.preview_table
        table.clear(columns=True)
        table.add_column(Text("line"), key="line")
        for i, name in enumerate(p.header):
            table.add_column(plain(name, CELL_WIDTH), key=f"c{i}")
        for line, cells in p.rows:
            padded = list(cells[: len(p.header)]) + [""] * (len(p.header) - len(cells))
            table.add_row(Text(str(line)), *(plain(c, CELL_WIDTH) for c in padded))
        self._show_table("import-preview")

    @on(Select.Changed, ".map-select")
    def _mapping_changed(self, event: Select.Changed) -> None:
        index = int(str(event.select.id).removeprefix("map-"))
        if index >= len(self.mapping) or self.mapping[index] == event.value:
            return
        self.mapping[index] = str(event.value)
        if not cols.is_usable(tuple(self.mapping)):
            self._say("Map a column to domain / website or email to import.", error=True)
            return
        self._say("Column mapping changed.")
        if self.preview is not None and self.preview.size <= AUTO_DRY_RUN_BYTES:
            self.action_dry_run()
        else:
            self.counts.update(Content("Mapping changed · Ctrl+T: dry-run counts"))

    # --- running ---------------------------------------------------------------------------
    def action_dry_run(self) -> None:
        self._start(dry_run=True)

    def action_run_import(self) -> None:
        self._start(dry_run=False)

    def _start(self, *, dry_run: bool) -> None:
        if self.running:
            self._say("An import is running; Esc cancels it.", error=True)
            return
        source = self._source()
        if source is None:
            return
        src, fmt, key = source
        mapping = None
        if key == self.preview_key and fmt == "csv":
            if not cols.is_usable(tuple(self.mapping)):
                self._say("Map a column to domain / website or email to import.", error=True)
                return
            mapping = list(self.mapping)
        self.running = True
        self.progress.update(total=None, progress=0)
        self.rate.update(Content("dry run…" if dry_run else "importing…"))
        self.run_job(src, fmt, mapping, dry_run)

    @work(thread=True, exclusive=True, group="import-run", exit_on_error=False)
    def run_job(self, source: object, fmt: str, mapping: list[str] | None, dry_run: bool) -> None:
        worker = get_current_worker()
        started = time.monotonic()

        def progress(rows: int, done: int, total: int) -> None:
            self.post_message(self.Progress(rows, done, total, time.monotonic() - started))

        try:
            with importer.thread_connection(self.services):
                report = importer.run_import(
                    self.services, source, format=fmt, dry_run=dry_run, mapping=mapping,
                    progress=progress, cancel=lambda: worker.is_cancelled,
                )
        except importer.ImportCancelled:
            what = "Dry run" if dry_run else "Import"
            self.post_message(self.Stopped(f"{what} cancelled: nothing was imported.", False))
            return
        except UserError as exc:
            self.post_message(self.Stopped(str(exc), True))
            return
        self.post_message(self.Finished(report))

    def on_import_screen_progress(self, event: Progress) -> None:
        self.progress.update(total=max(event.total, 1), progress=event.done)
        rate = event.rows / event.seconds if event.seconds > 0 else 0
        self.rate.update(Content(f"{event.rows:,} rows · {rate:,.0f} rows/s"))

    def on_import_screen_finished(self, event: Finished) -> None:
        self.running = False
        report = self.report = event.report
        self.counts.update(Content(counts_line(report)))
        self.counts.set_class(bool(report.invalid), "has-invalid")
        self.rate.update(Content(f"{report.rows:,} rows in {report.seconds:.1f} s "
                                 f"({report.rows_per_second:,.0f} rows/s)"))
        self._show_errors(report)
        if report.warnings:  # how the file was read (decoding, repeated columns)
            self._say(" · ".join(report.warnings))
        if not report.dry_run:
            self.on_imported(report)

    def _show_errors(self, report: importer.ImportReport) -> None:
        table = self.errors_table
        table.clear()
        for (line, reason), cells in list(zip(report.errors, report.rejected))[:SHOWN_ERRORS]:
            row = " | ".join(c for c in cells if c)
            table.add_row(Text(str(line)), plain(reason, 70), plain(row, 60))
        self._show_table("import-errors" if report.invalid else "import-preview")

    def _show_table(self, which: str) -> None:
        """Show the first rows of the input or the invalid rows, and say which (and how
        to switch, when there is something to switch to)."""
        self.tables.current = which
        invalid = self.report.invalid if self.report is not None else 0
        if which == "import-errors":
            shown = min(invalid, self.errors_table.row_count)
            more = f"first {shown:,} of {invalid:,}" if shown < invalid else f"{invalid:,}"
            title = f"Invalid rows ({more}) · Ctrl+R: first rows of the file"
        else:
            title = "First rows of the file" + (" · Ctrl+R: invalid rows" if invalid else "")
        self.table_title.update(Content(title))

    def action_toggle_rows(self) -> None:
        if self.tables.current == "import-errors":
            self._show_table("import-preview")
        elif self.report is not None and self.report.invalid:
            self._show_table("import-errors")
        else:
            self._say("No invalid rows to show.")

    def on_import_screen_stopped(self, event: Stopped) -> None:
        self.running = False
        self.rate.update(Content(""))
        self.progress.update(total=None, progress=0)
        self._say(event.text, error=event.error)

    def worker_failed(self, worker: Worker) -> None:
        """An unexpected failure (the app reports it): leave the screen usable."""
        if worker.group == "import-run":
            self.running = False
            self.rate.update(Content(""))
            self._say("The import failed and nothing was imported (see the message).", error=True)

    # --- cancel, save ----------------------------------------------------------------------
    def action_cancel(self) -> None:
        if self.running:
            self.workers.cancel_group(self, "import-run")
            self.rate.update(Content("cancelling…"))
            return
        self.dismiss()

    def action_save_invalid(self) -> None:
        report = self.report
        if report is None or not report.errors:
            self._say("No invalid rows to save.", error=True)
            return
        self.app.push_screen(SaveInvalidModal(len(report.errors), self._default_save_path()),
                             self._save_to)

    def _default_save_path(self) -> str:
        raw = self.path_input.value.strip()
        if self.tabs.active == "file-tab" and raw:
            path = Path(raw).expanduser()
            return str(path.with_name(f"{path.stem}-invalid.csv"))
        return str(Path.cwd() / "pasted-urls-invalid.csv")

    def _save_to(self, path: str | None) -> None:
        if path and self.report is not None:
            self.save_invalid(self.report, Path(path).expanduser())

    @work(thread=True, exclusive=True, group="import-save", exit_on_error=False)
    def save_invalid(self, report: importer.ImportReport, path: Path) -> None:
        try:
            n = importer.save_invalid_rows(report, path)
        except UserError as exc:
            self.post_message(self.Stopped(str(exc), True))
            return
        self.post_message(self.Stopped(f"Saved {n:,} invalid rows to {path}", False))
