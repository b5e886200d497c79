"""CLI benchmark on a big demo database (issue 2, "Foundation").

Targets:
- `leadletter --db FILE list --status sent --sent last-week --limit 50 --json`, as a whole
  process, within 1.5x of the floor measured in the same run. The floor is the start of
  `python -c 'import click, peewee, platformdirs'` (Peewee without a PostgreSQL driver, as
  LeadLetter loads it on SQLite) plus the `sqlite3` CLI running the same
  query (the SQL the app generates, parameters inlined) on the same file.
- `leadletter demo --contacts 1000000` in under 60 s (whole process).

    python benchmarks/bench_cli.py [--contacts 1000000] [--runs 7] [--rebuild]
    python benchmarks/bench_cli.py --postgres        # then the same on PostgreSQL
    python benchmarks/bench_cli.py --postgres-only

On PostgreSQL (the tests' throwaway server on a cluster cached in benchmarks/.cache, filled
once with the same demo data, see benchmarks/pgserver.py) the floor is the start of
`python -c 'import click, peewee, platformdirs, psycopg'` (the driver LeadLetter loads
there) plus `psql` running the same query over TCP on the same server.

The demo database is cached in benchmarks/.cache/ (keyed by the count) with the figures of
the run that built it; --rebuild times a fresh build. The clock is frozen with
LEADLETTER_NOW, and demo data is generated relative to it, so "last week" always holds the
same rows. Timings are wall clock (perf_counter around the child); peak RSS comes from
os.wait4 (the largest process in the child's tree). After one untimed warm-up, the three
commands run interleaved, RUNS times; medians and minimums are reported.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "benchmarks" / ".cache"
NOW = "2026-11-25T10:00:00"
SEED = "1"
LIST_ARGS = ["list", "--status", "sent", "--sent", "last-week", "--limit", "50", "--json"]
TARGET_RATIO = 1.5
TARGET_DEMO_S = 60.0


def venv_bin(name: str) -> str:
    candidate = ROOT / ".venv" / "bin" / name
    return str(candidate) if candidate.exists() else shutil.which(name) or name


PYTHON = venv_bin("python")
LEADLETTER = venv_bin("leadletter")
SQLITE3 = shutil.which("sqlite3")


def child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEADLETTER_")}
    env["LEADLETTER_NOW"] = NOW
    return env


def measure(argv: list[str], *, capture: bool = False) -> tuple[float, float, str]:
    """Run one child; (wall seconds, peak RSS in MB, stdout if captured)."""
    out = subprocess.PIPE if capture else subprocess.DEVNULL
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.PIPE, env=child_env(), cwd=ROOT)
    stdout = proc.stdout.read() if capture else b""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode("utf-8", "replace")
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(argv)}\n{err[-2000:]}")
    return wall, usage.ru_maxrss / 1024, stdout.decode("utf-8", "replace")


def demo_db(count: int, rebuild: bool) -> tuple[Path, dict]:
    """The cached demo database for `count`, built (and timed) if missing or asked to."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"cli-demo-{count}.db"
    stamp = path.with_suffix(".json")
    if path.exists() and stamp.exists() and not rebuild:
        return path, {**json.loads(stamp.read_text()), "reused": True}
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), stamp):
        leftover.unlink(missing_ok=True)
    print(f"building {path.relative_to(ROOT)}: leadletter demo --contacts {count:,} …",
          flush=True)
    wall, rss, _ = measure([LEADLETTER, "--db", str(path), "demo", "--contacts", str(count),
                            "--seed", SEED])
    figures = {"contacts": count, "wall_s": round(wall, 2), "peak_rss_mb": round(rss, 1),
               "built_at": datetime.now().isoformat(timespec="seconds"),
               "size_mb": round(path.stat().st_size / 2**20, 1)}
    stamp.write_text(json.dumps(figures))
    return path, {**figures, "reused": False}


def app_query(db_path: str) -> str:
    """The SELECT the CLI runs for LIST_ARGS, parameters inlined (for the sqlite3 CLI).

    Worked out in a child process: this one stays small, because a child's peak RSS
    (as the kernel reports it) can never be below its parent's at the time of the fork."""
    proc = subprocess.run([PYTHON, __file__, "--print-sql", db_path], env=child_env(),
                          capture_output=True, text=True, check=True, cwd=ROOT)
    return proc.stdout.strip()


def print_sql(db_path: str) -> None:
    sys.path.insert(0, str(ROOT))
    from leadletter_tui.config import Settings
    from leadletter_tui.domain.filters import build_filter, default_sort
    from leadletter_tui.store.db import open_database
    from leadletter_tui.store.models import Contact
    from leadletter_tui.store.queries import ROW_FIELDS, combine, order_by, where_clauses

    db = open_database(db_path, create=False)
    try:
        now = Settings(now=NOW).clock()()
        flt = build_filter(now=now, statuses=["sent"], sent="last-week")
        q = (Contact.select(*ROW_FIELDS).where(combine(where_clauses(db, flt)))
             .order_by(*order_by(default_sort(flt), db)).limit(50))
        sql, params = db.get_sql_context().sql(q).query()
        mark = db.param
    finally:
        db.close()

    def literal(value) -> str:
        if isinstance(value, bool):
            return "TRUE" if value else "FALSE"
        if isinstance(value, (int, float)):
            return str(value)
        return "'" + str(value).replace("'", "''") + "'"

    pieces = sql.split(mark)
    assert len(pieces) == len(params) + 1
    print(pieces[0] + "".join(literal(p) + rest for p, rest in zip(params, pieces[1:])))


def explain(db_path: Path, sql: str) -> list[str]:
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        return [row[3] for row in con.execute("EXPLAIN QUERY PLAN " + sql)]
    finally:
        con.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--rebuild", action="store_true", help="rebuild (and time) the demo DB")
    parser.add_argument("--postgres", action="store_true",
                        help="after SQLite, the same on a PostgreSQL demo database")
    parser.add_argument("--postgres-only", action="store_true", help="PostgreSQL only")
    parser.add_argument("--print-sql", metavar="DB", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.print_sql:
        print_sql(args.print_sql)
        return 0
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(ROOT / "leadletter_tui")], check=True)
    ok = True
    if not args.postgres_only:
        ok = sqlite_bench(args)
    if args.postgres or args.postgres_only:
        from bench_cli_pg import postgres_bench

        ok = postgres_bench(args) and ok
    return 0 if ok else 1


def sqlite_bench(args) -> bool:
    if not SQLITE3:
        raise SystemExit("the sqlite3 command-line shell is needed for the floor")
    db_path, demo = demo_db(args.contacts, args.rebuild)
    sql = app_query(str(db_path))

    # Peewee imports any PostgreSQL driver installed beside it (psycopg: ~150 ms); LeadLetter
    # keeps it from doing so on SQLite (store/__init__.py), and so does the floor.
    floor_py = [PYTHON, "-c", "import sys; sys.modules.update(psycopg=None, psycopg2=None, "
                "psycopg2cffi=None); import click, peewee, platformdirs"]
    floor_sql = [SQLITE3, "-readonly", str(db_path), sql]
    cli = [LEADLETTER, "--db", str(db_path), *LIST_ARGS]

    # Warm-up (page cache, bytecode), and proof that both sides return the same 50 rows.
    _, _, cli_out = measure(cli, capture=True)
    _, _, sql_out = measure([SQLITE3, "-readonly", "-json", str(db_path), sql], capture=True)
    cli_rows = json.loads(cli_out)
    sql_rows = json.loads(sql_out or "[]")
    assert [r["domain"] for r in cli_rows] == [r["domain"] for r in sql_rows], "rows differ"
    measure(floor_py)

    times: dict[str, list[float]] = {"python": [], "sqlite3": [], "floor": [], "cli": []}
    rss: dict[str, float] = {"python": 0.0, "sqlite3": 0.0, "cli": 0.0}
    for _ in range(args.runs):
        for name, argv in (("python", floor_py), ("sqlite3", floor_sql), ("cli", cli)):
            wall, peak, _ = measure(argv)
            times[name].append(wall)
            rss[name] = max(rss[name], peak)
        times["floor"].append(times["python"][-1] + times["sqlite3"][-1])

    med = {k: statistics.median(v) for k, v in times.items()}
    low = {k: min(v) for k, v in times.items()}
    ratio = med["cli"] / med["floor"]
    ratio_min = low["cli"] / low["floor"]

    print(f"\nLeadLetter CLI benchmark · {args.contacts:,} contacts · LEADLETTER_NOW={NOW} · "
          f"{args.runs} interleaved runs · Python {sys.version.split()[0]} · "
          f"SQLite {sqlite3.sqlite_version} · {os.cpu_count()} CPUs")
    print(f"database: {db_path.relative_to(ROOT)} ({db_path.stat().st_size / 2**20:,.0f} MB)")
    launcher_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("\nquery (generated by the app, parameters inlined):")
    print("  " + sql)
    print("EXPLAIN QUERY PLAN:")
    plan = explain(db_path, sql)
    for line in plan:
        print("  " + line)
    uses_index = any("USING INDEX" in p or "USING COVERING INDEX" in p for p in plan)
    no_sort = not any("TEMP B-TREE" in p for p in plan)
    print(f"  → index used: {'yes' if uses_index else 'NO'}; "
          f"sort step: {'none' if no_sort else 'TEMP B-TREE'}")
    print(f"rows returned: {len(cli_rows)} (identical to sqlite3's)")

    print(f"\n{'':34}{'median':>9}{'min':>9}{'peak RSS':>11}   (RSS floor: launcher "
          f"{launcher_mb:.0f} MB)")
    print(f"{'floor: python -c import click,…':34}{med['python']*1000:8.1f}ms"
          f"{low['python']*1000:8.1f}ms{rss['python']:9.1f}MB")
    print(f"{'floor: sqlite3 same query':34}{med['sqlite3']*1000:8.1f}ms"
          f"{low['sqlite3']*1000:8.1f}ms{rss['sqlite3']:9.1f}MB")
    print(f"{'floor total':34}{med['floor']*1000:8.1f}ms{low['floor']*1000:8.1f}ms")
    print(f"{'leadletter list … --json':34}{med['cli']*1000:8.1f}ms{low['cli']*1000:8.1f}ms"
          f"{rss['cli']:9.1f}MB")
    list_ok = ratio <= TARGET_RATIO
    print(f"\nlist vs floor: {ratio:.2f}x (median), {ratio_min:.2f}x (min) · target ≤ "
          f"{TARGET_RATIO}x → {'PASS' if list_ok else 'FAIL'}")

    demo_ok = demo["wall_s"] < TARGET_DEMO_S
    how = (f"cached, built {demo['built_at']}; --rebuild to re-time" if demo["reused"]
           else "built in this run")
    print(f"demo --contacts {demo['contacts']:,}: {demo['wall_s']:.1f} s, peak RSS "
          f"{demo['peak_rss_mb']:.0f} MB, file {demo['size_mb']:,.0f} MB ({how}) · target < "
          f"{TARGET_DEMO_S:.0f} s → {'PASS' if demo_ok else 'FAIL'}")
    if args.contacts != 1_000_000:
        print("(the targets are defined for 1,000,000 contacts)")
    return list_ok and demo_ok and uses_index


if __name__ == "__main__":
    sys.exit(main())
