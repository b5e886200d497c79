"""`list`, `show` and `status`: reading and moving contacts."""

from __future__ import annotations

import sys

import click

from .context import Context, build_filter, filter_options, pass_ctx

MAX_LIMIT = 1_000_000_000  # --limit above it is a typo, and past 2**63 the database overflows


@click.command("list")
@filter_options
@click.option("--limit", type=click.IntRange(min=0, max=MAX_LIMIT), default=None,
              help="At most N contacts (0 = all). Default: 50 in the table, all with --json.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON array.")
@pass_ctx
def list_cmd(c: Context, limit: int | None, as_json: bool, **opts) -> None:
    """List contacts, newest first (most recently sent first when filtering by date sent)."""
    from ..services.shapes import contact_dict, write_json_array
    from .output import format_table

    services = c.services(create=False)
    flt, sort = build_filter(c, services, opts)
    if as_json:
        write_json_array((contact_dict(r) for r in services.contacts.rows(flt, sort, limit or None)), sys.stdout)
        return
    shown_limit = 50 if limit is None else limit
    total = services.contacts.count(flt)
    for line in format_table(services.contacts.rows(flt, sort, shown_limit or None), services.clock()):
        click.echo(line)
    shown = min(total, shown_limit) if shown_limit else total
    summary = list_summary(shown, total, services.contacts.total(), flt)
    click.echo(summary, err=not sys.stdout.isatty())


def list_summary(shown: int, matching: int, everyone: int, flt) -> str:
    """The line under `list`: how many are shown, how many match out of how many there are
    ("0 of 305,000 contacts match", never "0 of 0")."""
    if flt.is_empty:
        parts = [f"{shown:,} of {everyone:,} contacts"]
    elif shown == matching:
        parts = [f"{matching:,} of {everyone:,} contacts match"]
    else:
        parts = [f"{shown:,} shown", f"{matching:,} of {everyone:,} contacts match"]
    parts.append(flt.summary())
    if shown < matching:
        parts.append("--limit 0 shows all")
    return " · ".join(parts)


@click.command()
@click.argument("domain")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@pass_ctx
def show(c: Context, domain: str, as_json: bool) -> None:
    """Show one contact with its messages, replies and activity."""
    from ..services.shapes import detail_dict, dumps
    from .output import format_detail

    services = c.services(create=False)
    detail = services.contacts.detail(domain)
    if as_json:
        click.echo(dumps(detail_dict(detail)))
        return
    for line in format_detail(detail, services.clock()):
        click.echo(line)


@click.command()
@click.argument("domain")
@click.argument("status")
@click.option("--at", "at", metavar="DATETIME", help="When it happened (history kept elsewhere).")
@pass_ctx
def status(c: Context, domain: str, status: str, at: str | None) -> None:
    """Change a contact's status (ready, sent, replied, won, lost)."""
    from ..domain.dates import format_iso
    from ..services import resolve_domain

    # The contact must already exist, so a mistyped --db path is an error, not a new file.
    change = c.services(create=False).contacts.change_status(domain, status, at)
    target = resolve_domain(domain)  # the stored key, not the raw (possibly hostile) input
    if change.is_noop:
        click.echo(f"{target} is already {change.to_status.value}")
        return
    stamp = f" (last sent {format_iso(change.at)})" if change.stamps_sent else ""
    click.echo(f"{target}: {change.from_status.value} → {change.to_status.value}{stamp}")
