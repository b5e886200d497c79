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
    """Print where LeadLetter keeps its configuration, data, logs and database."""
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
        "database": db,
    }
    if as_json:
        from ..services.shapes import dumps

        click.echo(dumps(places))
        return
    for key, value in places.items():
        click.echo(f"{key.replace('_', ' '):<12} {value}")


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON array.")
@click.option("--delete", metavar="NAME", help="Delete the saved view NAME.")
@pass_ctx
def views(c: Context, as_json: bool, delete: str | None) -> None:
    """List the saved views (`list --view NAME` uses one; the TUI saves them with v)."""
    from ..services.views import SavedViews

    store = SavedViews(c.paths.config_dir)
    if delete is not None:
        click.echo(f"deleted view {store.delete(delete).name}")
        return
    saved = store.load()
    if as_json:
        from ..services.shapes import dumps

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
