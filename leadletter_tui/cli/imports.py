"""`leadletter import FILE|- [--format csv|urls] [--dry-run] [--json]` (DESIGN.md contract).

Exit codes: 0 every row imported (or merged), 1 some rows were invalid (the rest landed),
2 unusable input (empty, binary, undecodable, no usable column, unreadable path) with one
line on stderr and nothing imported.

The work is services/imports.py (the one import use case); this module only prints. The counts
line is the one counts text (domain/imports/counts.py), as in the TUI.
"""

from __future__ import annotations

import gc
import sys
import time

import click

from .context import Context, pass_ctx

SHOWN_ERRORS = 10
SHOWN_COLUMNS = 20  # columns named in the summary (a 100,000-column file lists 20)


class _TerminalProgress:
    """Rows and percent on one stderr line, at most five times a second (TTY only)."""

    def __init__(self) -> None:
        self.last = 0.0
        self.shown = False

    def __call__(self, rows: int, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last < 0.2:
            return
        self.last = now
        share = f" · {done * 100 // total}%" if total else ""
        sys.stderr.write(f"\r  {rows:,} rows{share} ")
        sys.stderr.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()


def summary_lines(report) -> list[str]:
    """The human summary: what was read, the counts, the columns used, the first errors."""
    from ..domain.text import sanitize_line, truncate_line
    from ..services.imports import target_label

    how = report.encoding + (f", {report.delimiter}" if report.delimiter else "")
    if report.title_lines:
        how += f", {report.title_lines} title line{'s' if report.title_lines > 1 else ''} skipped"
    source = truncate_line(sanitize_line(report.source), 80)
    head = "Dry run, nothing written: " if report.dry_run else "Imported "
    lines = [f"{head}{source} ({how})", f"  {report.counts_text()}"]
    lines.extend(f"  note: {truncate_line(sanitize_line(w), 200)}" for w in report.warnings)
    if report.format == "csv" and report.mapping:
        used = [
            f"{truncate_line(name, 24)} → {target_label(target)}"
            for name, target in report.mapping.items()
            if target != "skip"
        ]
        more = f"; … and {len(used) - SHOWN_COLUMNS:,} more" if len(used) > SHOWN_COLUMNS else ""
        lines.append("  columns: " + "; ".join(used[:SHOWN_COLUMNS]) + more)
    if report.invalid:
        shown = report.errors[:SHOWN_ERRORS]
        lines.append(f"Invalid rows (first {len(shown)} of {report.invalid:,}):"
                     if report.invalid > len(shown) else "Invalid rows:")
        lines.extend(f"  line {line}: {sanitize_line(reason)}" for line, reason in shown)
        if report.invalid > len(shown):
            lines.append("  (--json lists them all)" if not report.errors_omitted
                         else f"  (--json lists the first {len(report.errors):,})")
    return lines


@click.command("import")
@click.argument("file", metavar="FILE|-")
@click.option("--format", "fmt", type=click.Choice(["csv", "urls"]), default="csv",
              show_default=True,
              help="csv: a spreadsheet export with a header row; urls: one URL, domain or "
                   "email a line (# comments).")
@click.option("--dry-run", is_flag=True, help="Report the counts without writing anything.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@pass_ctx
def import_cmd(c: Context, file: str, fmt: str, dry_run: bool, as_json: bool) -> None:
    """Import contacts from a CSV file or a URL list (FILE or - for standard input).

    Rows with the same domain (in the file or already stored) merge into one contact:
    empty fields are filled, stored values and statuses never change. The import lands
    whole or not at all.
    """
    from ..services.imports import start_import
    from ..services.shapes import dumps

    progress = _TerminalProgress() if sys.stderr.isatty() else None
    # An import allocates millions of short-lived tuples and holds one batch at a time, with
    # no reference cycles to collect: the cyclic collector would only rescan them (10-25% of
    # the run). The command ends the process, so it stays off.
    gc.disable()
    # The input is opened and its reading started first (a big file is parsed in a forked
    # process, which so never holds a database connection); the database driver loads and
    # the database opens while that runs.
    with start_import(file, format=fmt) as job:
        services = c.services()
        try:
            report = job.run(services, dry_run=dry_run, progress=progress)
        finally:
            if progress is not None:
                progress.clear()
    if as_json:
        click.echo(dumps(report.to_json()))
    else:
        for line in summary_lines(report):
            click.echo(line)
    if report.invalid:
        click.get_current_context().exit(1)
