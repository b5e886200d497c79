"""`leadletter`: the headless CLI (same services as the TUI). No subcommand opens the TUI.

Exit codes: 0 ok, 1 partial failure, 2 bad input / usage / unusable database.
Only what a command needs is imported (the TUI pulls in Textual; `list` must not).
"""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .config import ConfigError, Paths, Settings, database_url, load_settings
from .errors import UserError

if TYPE_CHECKING:
    from .services import Services


class Context:
    def __init__(self, db: str | None) -> None:
        self.db = db
        self.paths = Paths.from_platform()
        self.settings: Settings = load_settings(self.paths)
        self._services: Services | None = None

    def services(self, *, create: bool = True) -> Services:
        if self._services is None:
            from .services import open_services  # the database driver loads here

            self._services = open_services(self.settings, self.paths, self.db, create=create)
        return self._services

    def close(self) -> None:
        if self._services is not None:
            self._services.close()


pass_ctx = click.make_pass_decorator(Context)


def filter_options(fn):
    """The filters shared by list, export and follow-up (DESIGN.md)."""
    options = [
        click.option("--status", "statuses", multiple=True, metavar="S",
                     help="ready, sent, replied, won or lost (repeatable)."),
        click.option("--sent", metavar="PRESET",
                     help="today, yesterday, this-week, last-week, last-7-days, last-30-days."),
        click.option("--sent-from", metavar="DATE", help="Sent on or after DATE."),
        click.option("--sent-to", metavar="DATE", help="Sent on or before DATE (whole day)."),
        click.option("--domain", metavar="PATTERN", help="Domain contains PATTERN (* = anything)."),
        click.option("--search", metavar="TEXT", help="Business, contact name, email or domain contains TEXT."),
        click.option("--no-reply", is_flag=True, help="Only contacts that never replied."),
        click.option("--due", is_flag=True, help="Only contacts due a follow-up."),
        click.option("--view", metavar="NAME",
                     help="Start from a saved view (saved in the TUI with v); flags add to it."),
        click.option("--sort", metavar="KEY",
                     help="created, last_sent, business, domain, status, follow_ups; prefix - for descending."),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def _filter(c: Context, services: Services, opts: dict):
    sort_text = opts.pop("sort", None)
    view = opts.pop("view", None)
    if view:  # a saved view's options, under what the flags add or change
        from .views import SavedViews

        saved = SavedViews(c.paths.config_dir).get(view).options
        opts = {**saved, **{k: v for k, v in opts.items() if v}}
    flt = services.make_filter(**opts)
    return flt, services.make_sort(sort_text, flt)


class _PipeClosed(Exception):
    """stdout was closed by the reader (`leadletter list --json | head`)."""


class _Group(click.Group):
    def invoke(self, ctx: click.Context):
        # click turns EPIPE into a bare exit code 1; hand it to `main` instead.
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            raise _PipeClosed() from None


@click.group(cls=_Group, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", "db", metavar="URL", envvar=None,
              help="Database: sqlite:///path/file.db, a file path, or postgresql://user@host/db.")
@click.version_option(package_name=None, version=__import__("leadletter_tui").__version__,
                      prog_name="leadletter")
@click.pass_context
def cli(ctx: click.Context, db: str | None) -> None:
    """LeadLetter: a keyboard-driven outreach CRM. Run without a command to open the TUI."""
    ctx.obj = Context(db)
    ctx.call_on_close(ctx.obj.close)
    if ctx.invoked_subcommand is None:  # `leadletter --db X` alone skips click: launch.py
        from .launch import start_tui

        start_tui(ctx.obj.services, ctx.obj.paths)


@cli.command("list")
@filter_options
@click.option("--limit", type=click.IntRange(min=0), default=None,
              help="At most N contacts (0 = all). Default: 50 in the table, all with --json.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON array.")
@pass_ctx
def list_cmd(c: Context, limit: int | None, as_json: bool, **opts) -> None:
    """List contacts, newest first (most recently sent first when filtering by date sent)."""
    from .cli_output import format_table, write_json_array
    from .services import contact_dict

    services = c.services(create=False)
    flt, sort = _filter(c, services, opts)
    if as_json:
        write_json_array((contact_dict(r) for r in services.rows(flt, sort, limit or None)), sys.stdout)
        return
    shown_limit = 50 if limit is None else limit
    total = services.count(flt)
    for line in format_table(services.rows(flt, sort, shown_limit or None), services.clock()):
        click.echo(line)
    shown = min(total, shown_limit) if shown_limit else total
    summary = f"{shown:,} of {total:,} contacts · {flt.summary()}"
    if shown < total:
        summary += " · --limit 0 shows all"
    click.echo(summary, err=not sys.stdout.isatty())


@cli.command()
@click.argument("domain")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@pass_ctx
def show(c: Context, domain: str, as_json: bool) -> None:
    """Show one contact with its messages, replies and activity."""
    from .cli_output import dumps, format_detail
    from .services import detail_dict

    services = c.services(create=False)
    detail = services.detail(domain)
    if as_json:
        click.echo(dumps(detail_dict(detail)))
        return
    for line in format_detail(detail, services.clock()):
        click.echo(line)


@cli.command()
@click.argument("domain")
@click.argument("status")
@click.option("--at", "at", metavar="DATETIME", help="When it happened (history kept elsewhere).")
@pass_ctx
def status(c: Context, domain: str, status: str, at: str | None) -> None:
    """Change a contact's status (ready, sent, replied, won, lost)."""
    from .domain.dates import format_iso
    from .services import resolve_domain

    # The contact must already exist, so a mistyped --db path is an error, not a new file.
    change = c.services(create=False).change_status(domain, status, at)
    target = resolve_domain(domain)  # the stored key, not the raw (possibly hostile) input
    if change.is_noop:
        click.echo(f"{target} is already {change.to_status.value}")
        return
    stamp = f" (last sent {format_iso(change.at)})" if change.stamps_sent else ""
    click.echo(f"{target}: {change.from_status.value} → {change.to_status.value}{stamp}")


@cli.command()
@filter_options
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default=None,
              help="Default: from the -o extension, else csv.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Write to FILE (atomically) instead of stdout.")
@pass_ctx
def export(c: Context, fmt: str | None, output: Path | None, **opts) -> None:
    """Export contacts as CSV or JSON."""
    from .cli_output import write_csv, write_json_array
    from .services import contact_dict

    services = c.services(create=False)
    flt, sort = _filter(c, services, opts)
    fmt = fmt or ("json" if output and output.suffix.lower() == ".json" else "csv")
    writer = write_json_array if fmt == "json" else write_csv
    items = (contact_dict(r) for r in services.rows(flt, sort))
    if output is None:
        writer(items, sys.stdout)
        return
    from .files import atomic_text_file

    with atomic_text_file(output, ".leadletter-export-") as fh:
        n = writer(items, fh)
    click.echo(f"exported {n:,} contacts to {output}", err=True)


@cli.command()
@click.option("--contacts", "count", type=click.IntRange(min=1, max=10_000_000), default=500,
              show_default=True, help="How many sample contacts to add.")
@click.option("--seed", type=int, default=None, help="Random seed for repeatable data.")
@pass_ctx
def demo(c: Context, count: int, seed: int | None) -> None:
    """Fill the database with realistic sample contacts."""
    import time

    from .services import add_demo_contacts

    services = c.services()
    started = time.perf_counter()
    added = add_demo_contacts(services, count, seed=seed)
    took = time.perf_counter() - started
    click.echo(f"added {added:,} demo contacts to {services.db_display} in {took:.1f} s")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@pass_ctx
def locate(c: Context, as_json: bool) -> None:
    """Print where LeadLetter keeps its configuration, data, logs and database."""
    from .store.db import StoreError, parse_url

    url, _ = database_url(c.settings, c.paths, c.db)
    try:
        db = parse_url(url).display
    except StoreError as exc:
        raise UserError(str(exc)) from None
    places = {
        "config_file": str(c.paths.config_file),
        "data_dir": str(c.paths.data_dir),
        "log_dir": str(c.paths.log_dir),
        "database": db,
    }
    if as_json:
        from .cli_output import dumps

        click.echo(dumps(places))
        return
    for key, value in places.items():
        click.echo(f"{key.replace('_', ' '):<12} {value}")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON array.")
@click.option("--delete", metavar="NAME", help="Delete the saved view NAME.")
@pass_ctx
def views(c: Context, as_json: bool, delete: str | None) -> None:
    """List the saved views (`list --view NAME` uses one; the TUI saves them with v)."""
    from .views import SavedViews

    store = SavedViews(c.paths.config_dir)
    if delete is not None:
        click.echo(f"deleted view {store.delete(delete).name}")
        return
    saved = store.load()
    if as_json:
        from .cli_output import dumps

        click.echo(dumps([{"name": v.name, "filter": v.options} for v in saved]))
        return
    if not saved:
        click.echo("no saved views yet: filter in the TUI, then v → Save this filter as a view")
        return
    width = max(len(v.name) for v in saved)
    for v in saved:
        click.echo(f"{v.name:<{width}}  {_as_flags(v.options)}")


def _as_flags(options: dict) -> str:
    """A view's filter as the `list` flags that give the same filter (shell-quoted)."""
    from shlex import quote

    from .domain.text import sanitize_line

    flags = []
    for key, value in options.items():
        if key == "statuses":
            flags += [f"--status {quote(sanitize_line(s))}" for s in value]
        elif value is True:
            flags.append(f"--{key.replace('_', '-')}")
        else:
            flags.append(f"--{key.replace('_', '-')} {quote(sanitize_line(value))}")
    return " ".join(flags)


def _log_crash(paths: Paths | None) -> str:
    paths = paths or Paths.from_platform()
    try:
        paths.log_dir.mkdir(parents=True, exist_ok=True)
        log = paths.log_dir / "crash.log"
        with log.open("a", encoding="utf-8") as fh:
            fh.write(traceback.format_exc() + "\n")
        return f" (details in {log})"
    except OSError:
        return ""


def main(argv: list[str] | None = None) -> None:
    """Console entry point: maps every failure to one stderr line and an exit code."""
    try:
        result = cli.main(args=argv, prog_name="leadletter", standalone_mode=False)
        code = result if isinstance(result, int) else 0
        sys.stdout.flush()  # a reader that hung up shows here at the latest
    except (Exception, KeyboardInterrupt) as failure:
        code = exit_code(failure)
    sys.exit(code)


def exit_code(failure: BaseException) -> int:
    """Report a failure (one stderr line) and return the exit code for it. Also used by
    `launch.main`, which opens the TUI without loading click."""
    from .cli_output import error

    try:
        raise failure
    except click.exceptions.Exit as exc:
        code = exc.exit_code
    except click.UsageError as exc:
        hint = f" (see 'leadletter {exc.ctx.info_name if exc.ctx and exc.ctx.parent else ''} --help')"
        error(exc.format_message() + hint.replace("leadletter  ", "leadletter "))
        code = 2
    except click.ClickException as exc:
        error(exc.format_message())
        code = exc.exit_code
    except (UserError, ConfigError) as exc:
        error(str(exc))
        code = 2
    except click.exceptions.Abort:
        error("aborted")
        code = 130
    except KeyboardInterrupt:
        error("interrupted")
        code = 130
    except (BrokenPipeError, _PipeClosed):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        code = 0
    except Exception as exc:
        from .store.db import failure_message

        message = failure_message(exc)  # the database itself failed: locked, corrupt, ...
        if message is not None:
            error(message)
            code = 2
        else:
            error(f"unexpected {type(exc).__name__}: {exc}{_log_crash(None)}")
            code = 1
    return code

from .cli_import import import_cmd  # noqa: E402

cli.add_command(import_cmd, "import")
