"""`generate` and `follow-up`: writing messages (Claude with a key, offline without one).

Exit codes: 0 written; 1 the writing failed (generate) or some items failed (follow-up);
2 bad input: a bad domain or --url, a do-not-contact contact, no sender profile yet.
"""

from __future__ import annotations

import asyncio
import sys

import click

from ..errors import UserError
from .context import Context, build_filter, filter_options, pass_ctx


def _profile_hint(c: Context, exc) -> UserError:
    keys = " and ".join(exc.missing)
    env = " and ".join("LEADLETTER_" + k.upper() for k in exc.missing)
    return UserError(f"no sender profile yet: set {keys} in {c.paths.config_file} (or {env})")


def _mode_line(c: Context, mode: str, model: str, offline: bool) -> str:
    if mode != "offline":
        return f"Written by Claude ({model})"
    if offline:
        return "Written offline (--offline)"
    if not c.settings.anthropic_api_key:
        return "Written offline (no API key: set ANTHROPIC_API_KEY to write with Claude)"
    return "Written offline"


def _progress(enabled: bool):
    if not enabled:
        return None
    return lambda step: click.echo(f"  {step}…", err=True)


@click.command()
@click.argument("domain")
@click.option("--name", default="", help="Contact name.")
@click.option("--email", default="", help="Contact email.")
@click.option("--phone", default="", help="Contact phone.")
@click.option("--business", default="", help="Business name (default: from the homepage title).")
@click.option("--url", default=None, metavar="URL", help="Page to research (default https://DOMAIN/).")
@click.option("--offline", is_flag=True, help="Write without Claude, even with an API key.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@pass_ctx
def generate(c: Context, domain: str, name: str, email: str, phone: str, business: str,
             url: str | None, offline: bool, as_json: bool) -> None:
    """Research DOMAIN's homepage and write a first message; creates the contact if new."""
    from ..domain.text import sanitize_line, sanitize_text
    from ..services.generation import GenerationError, ProfileMissing
    from ..services.shapes import dumps, generation_dict

    services = c.services()
    try:
        result = asyncio.run(services.generation.generate(
            domain, name=name, email=email, phone=phone, business=business, url=url,
            offline=offline, progress=_progress(not as_json and sys.stderr.isatty())))
    except ProfileMissing as exc:
        raise _profile_hint(c, exc) from None
    except GenerationError as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(dumps(generation_dict(result)))
        return
    r = result.research
    click.echo(_mode_line(c, result.mode, result.model, offline))
    born = "new contact, Ready to send" if result.created else "existing contact"
    click.echo(f"{result.domain} · {sanitize_line(result.business_name)} · {born}")
    click.echo(f"Category {result.category} · angle {result.angle} · framework {result.framework}")
    if r.ok:
        title = f" “{sanitize_line(r.title)}”" if r.title else ""
        click.echo(f"Research: {sanitize_line(r.final_url or r.url)}{title}")
    else:
        click.echo(f"Research failed: {sanitize_line(r.error)}; written from the domain alone")
    click.echo("")
    click.echo(f"Subject: {sanitize_line(result.draft.subject)}")
    click.echo("")
    click.echo(sanitize_text(result.draft.body))


@click.command("follow-up")
@filter_options
@click.option("--offline", is_flag=True, help="Write without Claude, even with an API key.")
@click.option("--concurrency", type=click.IntRange(1, 64), default=None, metavar="N",
              help="Follow-ups written at once (default: the follow_up_concurrency setting, 4).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@pass_ctx
def follow_up(c: Context, offline: bool, concurrency: int | None, as_json: bool, **opts) -> None:
    """Write a follow-up for every matching contact that is due one (sent, no reply, last
    sent follow_up_days or more ago, no draft waiting). Each is stored as an unsent draft."""
    from ..domain.text import sanitize_line
    from ..services.generation import ProfileMissing
    from ..services.shapes import dumps, follow_up_run_dict

    services = c.services(create=False)
    flt, _sort = build_filter(c, services, opts)
    show = not as_json and sys.stderr.isatty()

    def progress(p) -> None:
        click.echo(f"\r  {p.done}/{p.total} · {p.rate:.1f}/s", err=True, nl=p.done == p.total)

    try:
        result = asyncio.run(services.follow_ups.run(
            flt, offline=offline, concurrency=concurrency, progress=progress if show else None))
    except ProfileMissing as exc:
        raise _profile_hint(c, exc) from None
    if as_json:
        click.echo(dumps(follow_up_run_dict(result)))
    elif not result.total:
        click.echo(f"no contacts are due a follow-up ({flt.summary()})")
    else:
        how = "offline" if result.mode == "offline" else "by Claude"
        click.echo(f"{len(result.generated)} follow-ups written {how} · {len(result.skipped)} "
                   f"skipped · {len(result.failed)} failed")
        for f in result.failed:
            click.echo(f"  failed   {f.domain}: {sanitize_line(f.reason)}")
        for f in result.skipped:
            if f.domain not in result.suggest_lost:
                click.echo(f"  skipped  {f.domain}: {sanitize_line(f.reason)}")
        if result.suggest_lost:
            click.echo(f"  at the maximum follow-ups, consider Lost: {', '.join(result.suggest_lost)}")
        if result.generated:
            click.echo(f"  drafts are waiting: leadletter show {result.generated[0]}")
    if result.failed:
        click.get_current_context().exit(1)
