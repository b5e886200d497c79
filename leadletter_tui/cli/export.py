"""`export`: contacts with every field as CSV or JSON, to stdout or a file written
atomically (an existing file is replaced only with --force)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .context import Context, build_filter, filter_options, pass_ctx


@click.command()
@filter_options
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default=None,
              help="Default: from the -o extension, else csv.")
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Write to FILE (atomically) instead of stdout.")
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
@pass_ctx
def export(c: Context, fmt: str | None, output: Path | None, force: bool, **opts) -> None:
    """Export contacts (every field: notes, category, imported columns...) as CSV or JSON."""
    from ..services.export import export_contacts

    services = c.services(create=False)
    flt, sort = build_filter(c, services, opts)
    if output is None or str(output) == "-":
        export_contacts(services, flt, sort, out=sys.stdout, fmt=fmt)
        return
    n = export_contacts(services, flt, sort, path=output, fmt=fmt, overwrite=force)
    click.echo(f"exported {n:,} contacts to {output}", err=True)
