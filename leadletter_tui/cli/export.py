"""`export`: contacts as CSV or JSON, to stdout or a file written atomically."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .context import Context, build_filter, filter_options, pass_ctx


@click.command()
@filter_options
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default=None,
              help="Default: from the -o extension, else csv.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Write to FILE (atomically) instead of stdout.")
@pass_ctx
def export(c: Context, fmt: str | None, output: Path | None, **opts) -> None:
    """Export contacts as CSV or JSON."""
    from ..services.shapes import contact_dict, write_csv, write_json_array

    services = c.services(create=False)
    flt, sort = build_filter(c, services, opts)
    fmt = fmt or ("json" if output and output.suffix.lower() == ".json" else "csv")
    writer = write_json_array if fmt == "json" else write_csv
    items = (contact_dict(r) for r in services.contacts.rows(flt, sort))
    if output is None:
        writer(items, sys.stdout)
        return
    from ..files import atomic_text_file

    with atomic_text_file(output, ".leadletter-export-") as fh:
        n = writer(items, fh)
    click.echo(f"exported {n:,} contacts to {output}", err=True)
