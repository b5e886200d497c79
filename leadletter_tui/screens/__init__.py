"""Screens and dialogs. Dialogs, help and the other modes load on first use: the first
paint pays only for the contacts screen (benchmarks/bench_table.py measures it)."""

MIN_WIDTH, MIN_HEIGHT = 60, 16  # below this the app shows the "too small" notice


def fits(width: int, height: int) -> bool:
    return width >= MIN_WIDTH and height >= MIN_HEIGHT
