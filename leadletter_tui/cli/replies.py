"""`reply` (record a reply, mark replied, classify it) and `classify` (label reply text)."""

from __future__ import annotations

import asyncio
import sys

import click

from .context import Context, pass_ctx

CLAUDE_CONCURRENCY = 4  # `classify -` with a key: replies in flight at once


def _read_stdin() -> str:
    return sys.stdin.read()


@click.command()
@click.argument("domain")
@click.argument("source", required=False, metavar="[-]")
@click.option("--text", "text", metavar="TEXT", help="The reply text (or - to read it from stdin).")
@click.option("--offline", is_flag=True, help="Classify without Claude (the built-in classifier).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@pass_ctx
def reply(c: Context, domain: str, source: str | None, text: str | None, offline: bool,
          as_json: bool) -> int:
    """Record a reply from DOMAIN (saved first), mark it replied, and classify it.

    Exit 1 when the reply was saved but could not be classified (it stays unlabelled)."""
    from ..services.shapes import dumps

    if (text is None) == (source is None) or (source is not None and source != "-"):
        raise click.UsageError("give the reply as --text TEXT or - (read from stdin)")
    body = _read_stdin() if source == "-" or text == "-" else text
    services = c.services(create=False)
    saved = services.replies.record(domain, body or "")
    outcome = asyncio.run(services.replies.classify(saved.id, offline=offline))
    sentiment = outcome.sentiment.value if outcome.sentiment else None
    if as_json:
        click.echo(dumps({"domain": saved.domain, "status": outcome.status.value,
                          "sentiment": sentiment, "do_not_contact": outcome.do_not_contact}))
    else:
        for line in _describe(outcome):
            click.echo(line)
    if outcome.error:
        from .output import error

        error(f"reply from {saved.domain} saved but not classified: {outcome.error}")
        return 1
    return 0


def _describe(outcome) -> list[str]:
    from ..domain.text import sanitize_line

    r = outcome.reply
    label = r.sentiment.label if r.sentiment else "unlabelled"
    lines = [f"{r.domain}: {outcome.status.value} · {label}"
             + (f" ({sanitize_line(r.reason)})" if r.reason and r.sentiment else "")]
    if outcome.do_not_contact:
        lines.append("  do not contact: no follow-ups or new messages (clear it with D in the TUI)")
    if outcome.snoozed_until is not None:
        lines.append(f"  out of office: follow-ups wait until {outcome.snoozed_until.date().isoformat()}")
    referral = outcome.analysis.referral if outcome.analysis else None
    if referral is not None:
        who = sanitize_line(f"{referral.name} <{referral.email}>" if referral.name else referral.email)
        lines.append(f"  points to {who}")
    if outcome.kept_correction:
        lines.append("  label kept: it was set by hand")
    return lines


@click.command()
@click.argument("text", metavar="(TEXT | -)")
@click.option("--offline", is_flag=True, help="Classify without Claude (the built-in classifier).")
@pass_ctx
def classify(c: Context, text: str, offline: bool) -> int:
    """Print the label of reply TEXT: positive, neutral, negative or asked_for_info.

    With -, read one reply a line from stdin and print one label a line (no database).
    A reply that cannot be classified prints "unlabelled" (exit 1)."""
    from ..services.replies import choose_ai

    lines = _read_stdin().splitlines() if text == "-" else [text]
    ai = choose_ai(c.settings, offline=offline)
    today = c.settings.clock()().date()
    labels, failures = asyncio.run(_classify_all(ai, lines, today))
    out = sys.stdout
    out.write("".join(f"{label}\n" for label in labels))
    if failures:
        from .output import error

        first_line, reason = failures[0]
        more = f" (and {len(failures) - 1} more)" if len(failures) > 1 else ""
        error(f"line {first_line} not classified: {reason}{more}")
        return 1
    return 0


async def _classify_all(ai, lines: list[str], today) -> tuple[list[str], list[tuple[int, str]]]:
    """Labels in input order; failures as (line number, reason)."""
    labels = ["unlabelled"] * len(lines)
    failures: list[tuple[int, str]] = []
    if ai.mode == "offline":  # quick and inline: no tasks needed
        for i, line in enumerate(lines):
            labels[i] = (await ai.classifier.classify(line, today=today)).sentiment.value
        return labels, failures
    gate = asyncio.Semaphore(CLAUDE_CONCURRENCY)

    async def one(i: int, line: str) -> None:
        async with gate:
            try:
                labels[i] = (await ai.classifier.classify(line, today=today)).sentiment.value
            except Exception as exc:  # noqa: BLE001 - reported per line, the rest go on
                failures.append((i + 1, str(exc) or type(exc).__name__))

    async with asyncio.TaskGroup() as group:
        for i, line in enumerate(lines):
            group.create_task(one(i, line))
    failures.sort()
    return labels, failures

