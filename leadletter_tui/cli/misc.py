"""`demo`, `locate` and `views`: sample data, where things live, saved views."""

from __future__ import annotations

import click

from ..config import database_url
from ..errors import UserError
from .context import Context, pass_ctx


@click.command()
@click.option("--contacts", "count", type=click.IntRange(min=1, max=10_000_000), default=500,
              show_default=True, help="How many sample contacts to add.")
@click.option("--seed", type=click.IntRange(0, 2**32 - 1), default=None, help="Random seed for repeatable data.")
@click.option("--force", is_flag=True, help="Add to a database that already holds contacts.")
@pass_ctx
def demo(c: Context, count: int, seed: int | None, force: bool) -> None:
    """Fill a demo database with realistic sample contacts (domains under .example, which
    can never be mailed). Without --db it is a database of its own, never your real one."""
    import shlex
    import time

    from ..services.demo import add_demo_contacts, demo_database

    if c.db is None:  # never the real database: a file of its own beside it
        from ..store.db import make_private_dir

        try:
            make_private_dir(c.paths.data_dir)
        except OSError as exc:
            raise UserError(f"cannot prepare data directory {c.paths.data_dir}: "
                            f"{exc.strerror}") from None
        c.db = str(demo_database(c.paths))
    services = c.services()
    started = time.perf_counter()
    added = add_demo_contacts(services, count, seed=seed, force=force)
    took = time.perf_counter() - started
    click.echo(f"added {added:,} demo contacts to {services.db_display} in {took:.1f} s")
    click.echo(f"open it with: leadletter --db {shlex.quote(services.db_display)}")


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@pass_ctx
def locate(c: Context, as_json: bool) -> None:
    """Print where LeadLetter keeps its configuration, data, log file and database."""
    from ..logs import log_file
    from ..store.db import StoreError, parse_url

    url, _ = database_url(c.settings, c.paths, c.db)
    try:
        db = parse_url(url).display
    except StoreError as exc:
        raise UserError(str(exc)) from None
    places = {
        "config_file": str(c.paths.config_file),
        "data_dir": str(c.paths.data_dir),
        "log_dir": str(c.paths.log_dir),
        "log_file": str(log_file(c.paths.log_dir)),
        "database": db,
    }
    if as_json:
        from ..services.shapes import dumps

        click.echo(dumps(places))
        return
    for key, value in places.items():
        click.echo(f"{key.replace('_', ' '):<12} {value}")


def _view_filter_options(fn):
    """`views --save`: the filter a view stands for, as the `list` flags (no --sort)."""
    from ..domain import filters

    for f in reversed(filters.FILTER_FIELDS):
        if f.kind == "flag":
            fn = click.option(f.flag, f.key, is_flag=True, help=f.help)(fn)
        else:
            fn = click.option(f.flag, f.key, multiple=f.kind == "multi",
                              metavar=f.metavar or None, help=f.help)(fn)
    return fn


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON array.")
@click.option("--shared", is_flag=True,
              help="The team's views, kept in the database (without it: your own, in views.json).")
@click.option("--save", metavar="NAME", help="Save the filter the flags below give as view NAME.")
@click.option("--delete", metavar="NAME", help="Delete the saved view NAME.")
@_view_filter_options
@pass_ctx
def views(c: Context, as_json: bool, shared: bool, save: str | None, delete: str | None,
          **flags) -> None:
    """List the saved views (`list --view NAME` uses one; the TUI saves them with v).
    --shared: the team's views in the database; --save NAME with filter flags saves one."""
    from ..services.views import SavedViews, clean_options

    if save is not None and delete is not None:
        raise UserError("--save and --delete cannot be used together")
    options = clean_options(flags)
    if options and save is None:
        raise UserError("filter flags need --save NAME (they are the view's filter)")
    local = SavedViews(c.paths.config_dir)
    team = c.services().shared if shared else None
    if save is not None:
        if not options:
            raise UserError("a view needs at least one filter flag (e.g. --status sent)")
        _check_filter(c, options)  # a bad date or status: exit 2 here, nothing saved
        view = team.save_view(save, options) if team is not None else local.save(save, options)
        click.echo(f"saved {'team ' if team is not None else ''}view {view.name}")
        return
    if delete is not None:
        view = team.delete_view(delete) if team is not None else local.delete(delete)
        click.echo(f"deleted {'team ' if team is not None else ''}view {view.name}")
        return
    saved = team.views() if team is not None else local.load()
    if as_json:
        from ..services.shapes import dumps

        rows = [{"name": v.name, "filter": v.options} for v in saved]
        if team is not None:
            for row, v in zip(rows, saved):
                row["updated_by"] = v.updated_by
                row["updated_at"] = v.updated_at.isoformat(timespec="seconds") if v.updated_at else None
        click.echo(dumps(rows))
        return
    if not saved:
        click.echo("no team views yet: leadletter views --shared --save NAME [filters], or v → "
                   "Share a view… in the TUI" if team is not None else
                   "no saved views yet: filter in the TUI, then v → Save this filter as a view")
        return
    width = max(len(v.name) for v in saved)
    for v in saved:
        by = f"  (by {v.updated_by})" if team is not None and v.updated_by else ""
        click.echo(f"{v.name:<{width}}  {_as_flags(v.options)}{by}")


def _check_filter(c: Context, options: dict) -> None:
    """Refuse a filter `list` would refuse, without opening the database."""
    from ..domain.filters import build_filter

    try:
        build_filter(now=c.settings.clock()(), follow_up_days=c.settings.follow_up_days,
                     **options)
    except ValueError as exc:
        raise UserError(str(exc)) from None


def _as_flags(options: dict) -> str:
    """A view's filter as the `list` flags that give the same filter (shell-quoted)."""
    from shlex import quote

    from ..domain.text import sanitize_line

    flags = []
    for key, value in options.items():
        if key == "statuses":
            flags += [f"--status {quote(sanitize_line(s))}" for s in value]
        elif value is True:
            flags.append(f"--{key.replace('_', '-')}")
        else:
            flags.append(f"--{key.replace('_', '-')} {quote(sanitize_line(value))}")
    return " ".join(flags)
