"""A demo PostgreSQL database for the benchmarks (`--postgres`).

The server is the tests' throwaway one (tests/pg_server.py), started on a cluster directory
kept in benchmarks/.cache/pg-demo-<count>/: the first run creates the cluster and fills the
database `leadletter` with `leadletter demo --contacts <count> --seed 1` (the app's own bulk
path), then VACUUM ANALYZE; later runs start the filled cluster in a second or two.
`filled.json` beside the cluster records how long filling took.

    with demo_postgres(1_000_000, now=NOW) as (url, figures):
        ...  # the server runs until the block ends
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "benchmarks" / ".cache"
DBNAME = "leadletter"
# A little more cache than PostgreSQL's default 128 MB, as a small team server would have.
SERVER_OPTIONS = "-c shared_buffers=256MB"

sys.path.insert(0, str(ROOT / "tests"))
import pg_server  # noqa: E402 - the tests' server, shared rather than copied


def _leadletter() -> list[str]:
    script = Path(sys.executable).with_name("leadletter")
    return [str(script)] if script.exists() else [sys.executable, "-m", "leadletter_tui"]


def _fill(server: pg_server.Server, count: int, now: str) -> dict:
    server._admin(f'DROP DATABASE IF EXISTS "{DBNAME}" WITH (FORCE)')
    server._admin(f'CREATE DATABASE "{DBNAME}"')
    url = server.url(DBNAME)
    print(f"filling PostgreSQL {url}: leadletter demo --contacts {count:,} …", flush=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEADLETTER_")}
    env["LEADLETTER_NOW"] = now
    started = time.perf_counter()
    subprocess.run([*_leadletter(), "--db", url, "demo", "--contacts", str(count), "--seed", "1"],
                   check=True, env=env)
    demo_s = time.perf_counter() - started
    started = time.perf_counter()
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    return {"contacts": count, "demo_s": round(demo_s, 1),
            "vacuum_analyze_s": round(time.perf_counter() - started, 1),
            "built_at": datetime.now().isoformat(timespec="seconds")}


@contextmanager
def demo_postgres(count: int, *, now: str, rebuild: bool = False) -> Iterator[tuple[str, dict]]:
    """(URL of the filled demo database, figures of the fill); the server stops afterwards.
    Raises pg_server.Unavailable when no server can be started here."""
    root = CACHE / f"pg-demo-{count}"
    stamp = CACHE / f"pg-demo-{count}.json"
    if rebuild and root.exists():
        shutil.rmtree(root)
    if not root.exists():
        stamp.unlink(missing_ok=True)
    started = time.perf_counter()
    server = pg_server.start(root, options=SERVER_OPTIONS)
    try:
        if stamp.exists():
            figures = {**json.loads(stamp.read_text()), "reused": True}
        else:
            figures = _fill(server, count, now)
            stamp.write_text(json.dumps(figures))
            figures["reused"] = False
        figures["server_start_s"] = round(time.perf_counter() - started, 1)
        yield server.url(DBNAME), figures
    finally:
        server.stop()


def describe(figures: dict) -> str:
    how = (f"cached cluster, filled {figures['built_at']}" if figures["reused"]
           else "filled in this run")
    return (f"PostgreSQL demo: demo --contacts {figures['contacts']:,} took "
            f"{figures['demo_s']:.1f} s + VACUUM ANALYZE {figures['vacuum_analyze_s']:.1f} s "
            f"({how}); server start {figures['server_start_s']:.1f} s")


if __name__ == "__main__":  # fill (or check) the cache: python benchmarks/pgserver.py [COUNT]
    with demo_postgres(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000,
                       now="2026-11-25T10:00:00") as (url, figures):
        print(url)
        print(describe(figures))
