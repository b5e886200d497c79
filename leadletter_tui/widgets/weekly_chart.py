"""A bar chart of sends and replies per week (12 weeks), drawn with block characters.

Two bars a week on one scale: sends in solid blocks (█ with eighth-block tops), replies in
shaded blocks (▒), so the series differ by shape as well as colour and read the same with
NO_COLOR. The y axis shows the scale; the x axis the ISO week numbers; the legend the
latest week's figures. Rendered from plain values (a WeeklySeries), never markup.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from ..domain.analytics import WeeklySeries

EIGHTHS = " ▁▂▃▄▅▆▇█"


def _fmt(n: int) -> str:
    if n >= 10_000:
        return f"{n / 1000:.0f}k"
    if n >= 1_000:
        return f"{n / 1000:.1f}k"
    return str(n)


def chart_lines(series: WeeklySeries, height: int) -> list[tuple[str, str]]:
    """The chart as lines of (text, style): `height` rows of bars, then the week axis."""
    peak = max([*series.sends, *series.replies, 1])
    rows: list[tuple[str, str]] = []
    axis_w = max(len(_fmt(peak)), 3)
    for level in range(height, 0, -1):
        label = _fmt(peak) if level == height else ("0" if level == 1 else "")
        line = f"{label:>{axis_w}} ┤" if label else f"{'':>{axis_w}} │"
        for sends, replies in zip(series.sends, series.replies):
            line += _cell(sends, peak, height, level, solid=True) * 2
            line += _cell(replies, peak, height, level, solid=False) * 2
            line += " "
        rows.append((line.rstrip(), ""))
    axis = f"{'':>{axis_w}} └" + "".join(f"{w.label[1:]:<5}" for w in series.weeks)
    rows.append((axis.rstrip(), "$text-muted"))
    return rows


def _cell(value: int, peak: int, height: int, level: int, *, solid: bool) -> str:
    """The character of one bar at one row (levels count from 1 at the bottom)."""
    eighths = round(value / peak * height * 8)
    if value and not eighths:
        eighths = 1  # something happened that week: show a sliver
    full, part = divmod(eighths, 8)
    if level <= full:
        return "█" if solid else "▒"
    if level == full + 1 and part:
        return EIGHTHS[part] if solid else "▒"
    return " "


class WeeklyChart(Static):
    """Sends and replies over the last 12 weeks."""

    DEFAULT_CSS = "WeeklyChart { height: auto; }"

    def __init__(self, *, height: int = 6, id: str | None = None) -> None:
        super().__init__(Content("Sends and replies per week: counting…"), id=id)
        self.bars = height
        self.series: WeeklySeries | None = None

    def show(self, series: WeeklySeries | None) -> None:
        self.series = series
        if series is None:
            self.update(Content("Sends and replies per week: counting…"))
            return
        last_s = series.sends[-1] if series.sends else 0
        last_r = series.replies[-1] if series.replies else 0
        title = Content.assemble(
            ("Per week, 12 weeks", "bold"), "  ", ("██", "$secondary"), " sends  ",
            ("▒▒", "$accent"), " replies  ",
            (f"this week {last_s:,} / {last_r:,}", "$text-muted"))
        parts = [title]
        for text, style in chart_lines(series, self.bars):
            if style:
                parts.append(Content.styled(text, style))
                continue
            parts.append(_coloured(text))
        self.update(Content("\n").join(parts))


def _coloured(line: str) -> Content:
    """Colour the bar characters of a chart row (solid: sends; shaded: replies)."""
    pieces: list[tuple[str, str] | str] = []
    for ch in line:
        if ch in EIGHTHS[1:]:
            pieces.append((ch, "$secondary"))
        elif ch == "▒":
            pieces.append((ch, "$accent"))
        else:
            pieces.append(ch)
    return Content.assemble(*pieces)
