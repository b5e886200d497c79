"""`stats` and the analytics screen on the 1M-contact demo database (issue 11).

Targets:
- `leadletter --db FILE stats --json`, as a whole process, within 3x of the `sqlite3`
  command line running the equivalent aggregate queries on the same file, in the same run.
  "Equivalent" is exact: the script is the SQL the app runs, captured from the app's own
  store while it computes the report, parameters inlined, with the app's cache size pragma.
- The analytics screen (headless Textual, 80x24) paints its first figures within 300 ms of
  being opened, and a key pressed while the heavy aggregates run is handled at once.

    python benchmarks/bench_stats.py [--runs 5] [--db PATH]

The database is benchmarks/.cache/demo-1000000.db (built with `leadletter demo --contacts
1000000 --seed 1` and the clock frozen at 2026-11-25 10:00, as bench_cli.py does, if it is
missing). One untimed warm-up of each command, then RUNS interleaved runs; medians and
minimums of wall-clock time (perf_counter around the child) are printed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "benchmarks" / ".cache"
NOW = "2026-11-25T10:00:00"
TARGET_RATIO = 3.0
TARGET_FIRST_MS = 300.0
sys.path.insert(0, str(ROOT))


def venv_bin(name: str) -> str:
    candidate = ROOT / ".venv" / "bin" / name
    return str(candidate) if candidate.exists() else shutil.which(name) or name


def child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEADLETTER_")}
    env["LEADLETTER_NOW"] = NOW
    return env


def ensure_db(path: Path) -> None:
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    print(f"building {path} (1M demo contacts)…", flush=True)
    subprocess.run([venv_bin("leadletter"), "--db", str(path), "demo", "--contacts", "1000000",
                    "--seed", "1"], env=child_env(), check=True)


def _inline(value) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, datetime):
        value = value.strftime("%Y-%m-%d %H:%M:%S")
    return "'" + str(value).replace("'", "''") + "'"


def _bind(sql: str, params) -> str:
    parts = sql.split("?")
    if len(parts) - 1 != len(params):
        raise ValueError(f"{len(params)} parameters for {len(parts) - 1} marks: {sql}")
    out = parts[0]
    for value, rest in zip(params, parts[1:]):
        out += _inline(value) + rest
    return out


def capture_sql(db_path: Path) -> list[str]:
    """The statements `stats` runs, taken from the app's store as it computes the report."""
    os.environ["LEADLETTER_NOW"] = NOW
    from leadletter_tui.config import Paths, load_settings
    from leadletter_tui.services import open_services

    paths = Paths.from_platform()
    svc = open_services(load_settings(paths), paths, str(db_path), create=False)
    captured: list[str] = []
    db = svc.store.db
    original = db.execute_sql

    def tracing(sql, params=None, *args, **kwargs):
        if sql.lstrip().upper().startswith("SELECT"):
            captured.append(_bind(sql, list(params or ())))
        return original(sql, params, *args, **kwargs)

    db.execute_sql = tracing
    try:
        svc.analytics.stats()
    finally:
        db.execute_sql = original
        svc.close()
    return [s for s in captured if "schema_version" not in s and "sqlite_master" not in s]


def timed(cmd: list[str], stdin: str | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, input=stdin, text=True, stdout=subprocess.DEVNULL, check=True,
                   env=child_env())
    return time.perf_counter() - started


def bench_cli(db: Path, runs: int) -> float:
    sqlite3 = shutil.which("sqlite3")
    if sqlite3 is None:
        sys.exit("sqlite3 command line not found (apt-get install -y sqlite3)")
    statements = capture_sql(db)
    script = "PRAGMA cache_size=-32000;\n" + ";\n".join(statements) + ";\n"
    print(f"{len(statements)} aggregate statements captured from the app:")
    for s in statements:
        print("   ", s[:150] + ("…" if len(s) > 150 else ""))
    app_cmd = [venv_bin("leadletter"), "--db", str(db), "stats", "--json"]
    sql_cmd = [sqlite3, str(db)]
    timed(app_cmd), timed(sql_cmd, script)  # warm-up
    app_t, sql_t = [], []
    for _ in range(runs):
        app_t.append(timed(app_cmd))
        sql_t.append(timed(sql_cmd, script))
    app_med, sql_med = statistics.median(app_t), statistics.median(sql_t)
    ratio = app_med / sql_med
    print(f"leadletter stats --json : median {app_med:.3f} s  min {min(app_t):.3f} s  "
          f"({', '.join(f'{t:.2f}' for t in app_t)})")
    print(f"sqlite3 same queries    : median {sql_med:.3f} s  min {min(sql_t):.3f} s  "
          f"({', '.join(f'{t:.2f}' for t in sql_t)})")
    print(f"ratio (median/median)   : {ratio:.2f}x  (target ≤ {TARGET_RATIO:.0f}x) "
          f"{'PASS' if ratio <= TARGET_RATIO else 'FAIL'}")
    return ratio


async def _screen(db: Path) -> tuple[float, float, float, float]:
    os.environ["LEADLETTER_NOW"] = NOW
    from leadletter_tui.app import make_app
    from leadletter_tui.config import Paths, load_settings
    from leadletter_tui.screens.analytics import AnalyticsScreen
    from leadletter_tui.services import open_services

    marks: dict[str, float] = {}
    show = AnalyticsScreen._show

    def timed_show(self, report, complete):  # when the first figures reach the screen
        if "shown" not in marks:
            marks["shown"] = time.perf_counter()
            self.call_after_refresh(lambda: marks.setdefault("painted", time.perf_counter()))
        return show(self, report, complete)

    AnalyticsScreen._show = timed_show
    paths = Paths.from_platform()
    svc = open_services(load_settings(paths), paths, str(db), create=False)
    app = make_app(svc)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            pressed = time.perf_counter()
            app.post_message(__import__("textual.events", fromlist=["Key"]).Key("3", "3"))
            while "painted" not in marks:
                await asyncio.sleep(0.001)
            first = (marks["painted"] - pressed) * 1000
            screen = app.screen
            worst = 0.0  # the longest the event loop was held while the aggregates ran
            while not screen.complete:
                t = time.perf_counter()
                await asyncio.sleep(0.01)
                worst = max(worst, (time.perf_counter() - t - 0.01) * 1000)
            every = (time.perf_counter() - pressed) * 1000
            shown = (marks["shown"] - pressed) * 1000
    finally:
        AnalyticsScreen._show = show
        svc.close()
    return first, shown, worst, every


def bench_screen(db: Path) -> float:
    first, shown, worst, every = asyncio.run(_screen(db))
    print(f"analytics screen (headless Textual, 80x24): first figures painted {first:.0f} ms after "
          f"the 3 key (delivered at {shown:.0f} ms; target < {TARGET_FIRST_MS:.0f} ms) "
          f"{'PASS' if first < TARGET_FIRST_MS else 'FAIL'}")
    print(f"  while the heavy aggregates ran, the UI loop was never held longer than {worst:.0f} ms")
    print(f"  every figure (weeks, sentiment, follow-ups, angles, learner): {every / 1000:.1f} s")
    return first


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--db", type=Path, default=CACHE / "demo-1000000.db")
    args = parser.parse_args()
    ensure_db(args.db)
    print(f"database: {args.db} ({args.db.stat().st_size / 1e6:.0f} MB)")
    ratio = bench_cli(args.db, args.runs)
    first = bench_screen(args.db)
    sys.exit(0 if ratio <= TARGET_RATIO and first < TARGET_FIRST_MS else 1)


if __name__ == "__main__":
    main()
