"""Bulk status change and export on the 1M-contact demo database (issue 9, point 5).

Target: a bulk status change through the app (ids of the selection read as the TUI does,
then `ContactService.change_status_many`, set-based, with progress) within 1.5x of the
bare SQL statements doing the same change measured in the same run: one
`INSERT INTO event … SELECT` and one `UPDATE contact … WHERE status = 'sent'` in one
transaction, on a sqlite3 connection with the app's pragmas. Both move every Sent contact
(about 360,000) to Won, each on a fresh copy of the database, interleaved, RUNS times.

Also reported (no target): the per-row path on a sample, for scale; export of all 1M
contacts to CSV and JSON through the app (every field, progress) against a bare floor
(the same columns read with sqlite3 and written with csv.writer); and how long a cancel
takes to stop a running bulk change or export (the quit question cancels jobs).

    python benchmarks/bench_bulk.py [--contacts 1000000] [--runs 3]
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "benchmarks" / ".cache"
NOW = "2026-11-25T10:00:00"
TARGET_RATIO = 1.5
PRAGMAS = ("PRAGMA journal_mode = wal", "PRAGMA foreign_keys = 1",
           "PRAGMA synchronous = normal", "PRAGMA cache_size = -32000",
           "PRAGMA busy_timeout = 5000")


def demo_db(count: int) -> Path:
    path = CACHE / f"demo-{count}.db"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "LEADLETTER_NOW": NOW}
        print(f"building {path.name} …", flush=True)
        subprocess.run([sys.executable, "-m", "leadletter_tui", "--db", str(path), "demo",
                        "--contacts", str(count), "--seed", "1"], check=True, env=env)
    return path


def fresh_copy(src: Path, name: str) -> Path:
    dst = CACHE / name
    for suffix in ("", "-wal", "-shm"):
        Path(f"{dst}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(src, dst)
    con = sqlite3.connect(dst)  # warm the page cache alike for both sides
    con.execute("SELECT COUNT(*) FROM contact WHERE status = 'sent'").fetchone()
    con.close()
    return dst


def open_services(path: Path):
    from leadletter_tui.config import Paths, Settings
    from leadletter_tui.services import open_services as open_

    paths = Paths(CACHE / "cfg", CACHE / "data", CACHE / "log")
    return open_(Settings(now=NOW), paths, str(path))


def bare_change(path: Path) -> tuple[float, int]:
    con = sqlite3.connect(path, isolation_level=None)
    for pragma in PRAGMAS:
        con.execute(pragma)
    start = time.perf_counter()
    con.execute("BEGIN IMMEDIATE")
    con.execute("INSERT INTO event (contact_id, kind, from_status, to_status, detail, at) "
                "SELECT id, 'status', status, 'won', '', ? FROM contact WHERE status = 'sent'",
                (NOW.replace("T", " "),))
    n = con.execute("UPDATE contact SET status = 'won', updated_at = ? WHERE status = 'sent'",
                    (NOW.replace("T", " "),)).rowcount
    con.execute("COMMIT")
    took = time.perf_counter() - start
    con.close()
    return took, n


def app_change(path: Path, cancel_after: float | None = None) -> tuple[float, int, int]:
    """Through the service, as the TUI's worker does. Returns (seconds, changed, progress
    reports); with `cancel_after`, cancels then and returns the seconds the cancel took."""
    from leadletter_tui.domain.model import Status
    from leadletter_tui.store.bulk_status import BulkCancelled

    svc = open_services(path)
    reports = []
    flag = threading.Event()
    start = time.perf_counter()
    flt = svc.contacts.make_filter(statuses=["sent"])
    ids = svc.contacts.window(flt, svc.contacts.make_sort(None, flt)).snapshot()
    if cancel_after is not None:
        threading.Timer(cancel_after, flag.set).start()
    try:
        changed = svc.contacts.change_status_many(
            ids, Status.WON, progress=lambda d, t: reports.append(d), cancelled=flag.is_set)
    except BulkCancelled:
        took = time.perf_counter() - start - cancel_after
        svc.close()
        return took, 0, len(reports)
    took = time.perf_counter() - start
    svc.close()
    return took, changed, len(reports)


def per_row_sample(path: Path, n: int = 5_000) -> float | None:
    """Rows per second of the old per-row path (store/contacts.py), on `n` contacts."""
    from leadletter_tui.domain.model import Status

    svc = open_services(path)
    per_row = getattr(svc.store.contacts, "change_status_many", None)
    if per_row is None:
        return None
    flt = svc.contacts.make_filter(statuses=["sent"])
    ids = list(svc.contacts.window(flt, svc.contacts.make_sort(None, flt)).snapshot()[:n])
    start = time.perf_counter()
    per_row(ids, Status.WON)
    took = time.perf_counter() - start
    svc.close()
    return n / took


def app_export(path: Path, out: Path, cancel_after: float | None = None):
    from leadletter_tui.services.export import ExportCancelled, export_contacts

    svc = open_services(path)
    flt = svc.contacts.make_filter()
    reports = []
    flag = threading.Event()
    if cancel_after is not None:
        threading.Timer(cancel_after, flag.set).start()
    start = time.perf_counter()
    try:
        n = export_contacts(svc, flt, svc.contacts.make_sort(None, flt), path=out,
                            overwrite=True, progress=lambda d, t: reports.append(d),
                            cancelled=flag.is_set)
    except ExportCancelled:
        svc.close()
        return time.perf_counter() - start - cancel_after, 0, len(reports)
    took = time.perf_counter() - start
    svc.close()
    return took, n, len(reports)


def bare_export(path: Path, out: Path) -> tuple[float, int]:
    from leadletter_tui.services.shapes import EXPORT_COLUMNS

    con = sqlite3.connect(path)
    cols = ", ".join(c for c in EXPORT_COLUMNS)
    start = time.perf_counter()
    with out.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(EXPORT_COLUMNS)
        cur = con.execute(f"SELECT {cols} FROM contact ORDER BY created_at DESC, id DESC")
        n = 0
        while batch := cur.fetchmany(5000):
            writer.writerows(batch)
            n += len(batch)
    took = time.perf_counter() - start
    con.close()
    return took, n


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    os.environ["LEADLETTER_NOW"] = NOW
    sys.path.insert(0, str(ROOT))
    src = demo_db(args.contacts)

    bare, app = [], []
    for _ in range(args.runs):
        took, n_bare = bare_change(fresh_copy(src, "bulk-bare.db"))
        bare.append(took)
        took, n_app, reports = app_change(fresh_copy(src, "bulk-app.db"))
        app.append(took)
        if n_app != n_bare:
            raise SystemExit(f"the app changed {n_app:,} contacts, bare SQL {n_bare:,}")
    work = fresh_copy(src, "bulk-app.db")
    cancel_s, _, _ = app_change(work, cancel_after=1.0)
    rate = per_row_sample(work)
    ratio = statistics.median(app) / statistics.median(bare)
    print(f"bulk status change, {n_bare:,} contacts sent → won ({args.runs} runs, median/min):")
    print(f"  bare SQL (INSERT event … SELECT + UPDATE)  {statistics.median(bare):6.2f} s / "
          f"{min(bare):.2f} s")
    print(f"  app (ids + set-based, {reports} progress reports)  "
          f"{statistics.median(app):6.2f} s / {min(app):.2f} s")
    print(f"  ratio {ratio:.2f}x · target ≤ {TARGET_RATIO}x → {'PASS' if ratio <= TARGET_RATIO else 'FAIL'}")
    if rate:
        print(f"  per-row path for scale: {rate:,.0f} rows/s → {n_bare / rate:,.0f} s projected")
    print(f"  cancel after 1 s: stopped and rolled back in {cancel_s * 1000:,.0f} ms")

    out = CACHE / "export-bench"
    took_csv, n, reports = app_export(work, out.with_suffix(".csv"))
    size_csv = out.with_suffix(".csv").stat().st_size / 1e6
    took_json, _, _ = app_export(work, out.with_suffix(".json"))
    size_json = out.with_suffix(".json").stat().st_size / 1e6
    floor, _ = bare_export(work, CACHE / "export-floor.csv")
    cancel_export, _, _ = app_export(work, out.with_suffix(".csv"), cancel_after=1.0)
    print(f"export, {n:,} contacts, every field:")
    print(f"  CSV  {took_csv:6.2f} s ({n / took_csv:,.0f} rows/s, {size_csv:,.0f} MB, "
          f"{reports} progress reports)")
    print(f"  JSON {took_json:6.2f} s ({n / took_json:,.0f} rows/s, {size_json:,.0f} MB)")
    print(f"  floor (sqlite3 + csv.writer, list columns) {floor:6.2f} s → CSV at "
          f"{took_csv / floor:.2f}x")
    print(f"  cancel after 1 s: stopped, no file left, in {cancel_export * 1000:,.0f} ms")
    for name in ("bulk-bare.db", "bulk-app.db", "export-bench.csv", "export-bench.json",
                 "export-floor.csv"):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{CACHE / name}{suffix}").unlink(missing_ok=True)
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    raise SystemExit(main())
