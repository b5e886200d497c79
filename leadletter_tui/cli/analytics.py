"""`stats`: counts per status, the reply rates with their formulas, sentiment, replies by
follow-up number, angle and framework performance, sends and replies per week."""

from __future__ import annotations

import click

from .context import Context, pass_ctx


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@pass_ctx
def stats(c: Context, as_json: bool) -> None:
    """Pipeline figures: counts, reply rates (with formulas), sentiment, angles, weeks."""
    services = c.services(create=False)
    report = services.analytics.report()
    if as_json:
        from ..services.shapes import dumps, stats_dict

        click.echo(dumps(stats_dict(report)))
        return
    for line in format_report(report):
        click.echo(line)


def format_report(report) -> list[str]:
    """The readable table: each rate with its formula and the numbers in it."""
    from ..domain.analytics import ALL_CATEGORIES
    from ..domain.model import Sentiment, Status
    from ..domain.text import sanitize_line

    lines = ["Contacts per status"]
    total = sum(report.counts.values())
    for s in Status:
        n = report.counts.get(s.value, 0)
        share = f"{n / total * 100:5.1f}%" if total else "    —"
        lines.append(f"  {s.label:<14} {n:>10,}  {share}")
    lines.append(f"  {'Total':<14} {total:>10,}")
    lines.append("")
    for rate in (report.reply_rate, report.reply_rate_all, report.lost_share):
        lines.append(f"{rate.name:<14} {rate.percent():>7}   {rate.formula}")
        lines.append(f"{'':<24} = {rate.terms}")
    lines.append("")
    lines.append("Sentiment (latest reply per contact)")
    for s in Sentiment:
        lines.append(f"  {s.label:<14} {(report.sentiment or {}).get(s.value, 0):>10,}")
    lines.append("")
    lines.append("Replies by follow-up number (each contact's first reply)")
    for label, n in report.follow_ups or []:
        lines.append(f"  after {label:<16} {n:>8,}")
    for title, table, key in (("Angles", report.angles, "ANGLE"),
                              ("Frameworks", report.frameworks, "FRAMEWORK")):
        rows = (table or {}).get(ALL_CATEGORIES, [])
        lines.append("")
        lines.append(f"{title} (first messages sent, all categories)")
        lines.append(f"  {key:<20} {'SENDS':>8} {'REPLIES':>8} {'RATE':>6} {'POSITIVE':>8} {'WON':>6}")
        for p in rows:
            rate = f"{p.reply_rate * 100:5.1f}%" if p.reply_rate is not None else "     —"
            lines.append(f"  {sanitize_line(p.key)[:20]:<20} {p.sends:>8,} {p.replies:>8,} "
                         f"{rate:>6} {p.positive:>8,} {p.won:>6,}")
    if report.weekly:
        lines.append("")
        lines.append("Week (Monday)      SENDS  REPLIES")
        for w, s, r in zip(report.weekly.weeks, report.weekly.sends, report.weekly.replies):
            lines.append(f"  {w.label} {w.day_label:<10} {s:>7,} {r:>8,}")
    return lines
