"""`backup` and `restore`: a whole database to a file and back (services/backup.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .context import Context, pass_ctx

FORMATS_HELP = (
    "FILE ending in .jsonl.gz (or --portable) gets the portable format, gzip'd JSON lines "
    "that restore into SQLite or PostgreSQL; any other name gets a copy of the SQLite file, "
    "itself a LeadLetter database (--db FILE opens it). A PostgreSQL database is always "
    "written in the portable format."
)


def _progress(verb: str):
    """Progress on stderr for big databases (10,000 rows or 2,000 pages and more)."""

    def report(done: int, total: int, unit: str) -> None:
        if total < (2_000 if unit == "pages" else 10_000):
            return
        end = "\n" if done >= total else ""
        print(f"\r{verb} {done:,} of {total:,} {unit}", end=end, file=sys.stderr, flush=True)

    return report


@click.command(epilog=FORMATS_HELP)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--portable", is_flag=True, help="Write the portable format whatever FILE's name.")
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON summary.")
@pass_ctx
def backup(c: Context, file: Path, portable: bool, force: bool, as_json: bool) -> None:
    """Write a backup of the whole database to FILE (taken while others keep working)."""
    from ..services.backup import backup as run

    report = run(c.services(create=False).store, file, portable=portable, force=force,
                 progress=_progress("backed up"))
    if as_json:
        from ..services.shapes import dumps

        click.echo(dumps(report.as_json()))
        return
    rows = ", ".join(f"{n:,} {t}" for t, n in report.tables.items())
    click.echo(f"backup written to {report.file} ({report.format}, schema v"
               f"{report.schema_version}, {report.bytes:,} bytes): {rows}")


@click.command(epilog="FILE is a backup of either kind (see `leadletter backup --help`). "
               "Restore into a new, empty database, then point LeadLetter at it; a "
               "backup of an older schema is brought up to date on the way.")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON summary.")
@pass_ctx
def restore(c: Context, file: Path, as_json: bool) -> None:
    """Load the backup FILE into the database, which must hold no contacts yet (all or
    nothing; ids, dates, statuses, messages, replies and events kept)."""
    from ..services.backup import check_file, restore as run

    check_file(file)  # before a database is created for nothing
    report = run(c.services().store, file, progress=_progress("restored"))
    if as_json:
        from ..services.shapes import dumps

        click.echo(dumps(report.as_json()))
        return
    rows = ", ".join(f"{n:,} {t}" for t, n in report.tables.items())
    note = f", upgraded from schema v{report.migrated_from}" if report.migrated_from else ""
    click.echo(f"restored {report.file} ({report.format}{note}) into "
               f"{c.services().db_display}: {rows}")
