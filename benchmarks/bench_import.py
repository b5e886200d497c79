"""Import benchmark (issue 4): `leadletter import` against sqlite3's own `.import`.

1. 100,000 realistic rows (mixed URL forms, emails, names, a few duplicates and invalid
   rows): the whole `leadletter --db new.db import FILE` process against
   `sqlite3 new.db '.import --csv FILE t'` of the same file, each on a fresh database, in
   --runs back-to-back pairs. PASS if the median of the pairs' ratios is at most 6.
2. 1,000,000 rows: one import, peak RSS of the process (os.wait4). PASS if at most 150 MB.

Data files are generated once (seeded) and cached under benchmarks/.cache/.
Usage: python benchmarks/bench_import.py [--runs 7] [--rows 100000] [--big 1000000] [--skip-big]
                                         [--parallel auto|0|1]
Exit code 0 when every check passes.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(__file__).resolve().parent / ".cache"
MAX_RATIO = 6.0
MAX_RSS_MB = 150.0

FIRST = ("Anna", "Ben", "Chloe", "David", "Emma", "Farid", "Grace", "Hiro", "Isla", "Jonas",
         "Kate", "Liam", "Maya", "Noah", "Olivia", "Priya", "Quinn", "Rosa", "Sam", "Tomás",
         "Zoë", "José", "Siobhán", "Mei", "Ade", "Björn", "Ana", "Léa")
LAST = ("Smith", "Jones", "Nguyen", "García", "Müller", "Patel", "O'Brien", "Kowalski",
        "Kim", "Rossi", "Dubois", "Haddad", "Okafor", "Sato", "Larsen", "Brown", "Wilson")
PREFIX = ("Brightwater", "Oak & Ember", "Harbor", "Bluebird", "Summit", "Riverside",
          "Copper Kettle", "Greenleaf", "Northside", "Maple Street", "Silverline", "Red Barn",
          "Lakeview", "Ironwood", "Golden Hour", "Sunrise", "Hilltop", "Old Town", "Cedar")
TRADE = ("Plumbing", "Electric", "Roofing", "Bakery", "Coffee Roasters", "Dental", "Physio",
         "Yoga Studio", "Law Group", "Accounting", "Realty", "Salon", "Auto Repair",
         "Florist", "Photography", "Guesthouse", "Daycare", "Cleaning Co")
CITY = ("Austin", "Leeds", "Denver", "Bristol", "Portland", "Cork", "Adelaide", "Halifax",
        "Boise", "York", "Tampa", "Galway", "Perth", "Tucson", "Bath", "Québec")
TLD = (".com", ".com", ".com", ".co.uk", ".de", ".com.au", ".ca", ".net", ".io", ".ie")
FREE = ("gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com")
BAD_SITES = ("n/a", "not a website", "localhost", "192.168.1.20", "ftp://files.example.com",
             "http://", "www", "acme")
HEADER = ("Company Name", "Website", "First Name", "Last Name", "Email", "Phone", "City",
          "Notes")


def _slug(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isascii() and ch.isalnum())


def _site(rnd: random.Random, domain: str) -> str:
    r = rnd.random()
    if r < 0.25:
        return domain
    if r < 0.40:
        return "www." + domain
    if r < 0.55:
        return "https://" + domain
    if r < 0.70:
        return f"https://www.{domain}/"
    if r < 0.82:
        return f"http://{domain}/{rnd.choice(('contact', 'about-us', 'index.html'))}"
    if r < 0.90:
        return domain.upper()
    if r < 0.95:
        return f"https://{domain}/?utm_source=list&utm_medium=csv"
    return f" {domain}/ "


def generate(rows: int, path: Path, seed: int = 4) -> None:
    """Write `rows` realistic data rows (plus a header) to `path`, atomically."""
    rnd = random.Random(seed)
    tmp = path.with_suffix(".tmp")
    domains: list[str] = []
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        for i in range(rows):
            biz = f"{rnd.choice(PREFIX)} {rnd.choice(TRADE)}"
            city = rnd.choice(CITY)
            first, last = rnd.choice(FIRST), rnd.choice(LAST)
            r = rnd.random()
            if r < 0.03 and domains:  # the same business again (a duplicate or an update)
                domain = rnd.choice(domains)
            else:
                domain = f"{_slug(biz)}{_slug(city)}{i}{rnd.choice(TLD)}"
                if len(domains) < 5000:
                    domains.append(domain)
            site = _site(rnd, domain)
            email = f"{first.lower()[:1]}{_slug(last)}@{domain}" if rnd.random() < 0.6 else ""
            if r > 0.985:
                site = rnd.choice(BAD_SITES)
            elif r > 0.95:
                site = ""
                if r > 0.975:
                    email = f"{_slug(first)}{i}@{rnd.choice(FREE)}"
            phone = ""
            if rnd.random() < 0.7:
                phone = f"+1 ({rnd.randint(200, 999)}) 555-{rnd.randint(0, 9999):04d}"
            notes = ""
            if rnd.random() < 0.1:
                notes = f"Met at {city} expo, asked about pricing, {rnd.randint(1, 12)}/2024"
            w.writerow((biz, site, first, last, email, phone, city, notes))
    os.replace(tmp, path)


def data_file(rows: int) -> Path:
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"import-{rows}.csv"
    if not path.exists():
        started = time.perf_counter()
        generate(rows, path)
        print(f"generated {path.name} ({path.stat().st_size / 1e6:.1f} MB) "
              f"in {time.perf_counter() - started:.1f} s")
    return path


def _leadletter_cmd() -> list[str]:
    script = Path(sys.executable).with_name("leadletter")
    return [str(script)] if script.exists() else [sys.executable, "-m", "leadletter_tui"]


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEADLETTER_")}
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        env[name] = str(home / name.lower())
    env["HOME"] = str(home)
    return env


def _fresh(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def _tree_rss_mb(pid: int) -> tuple[float, int]:
    """Current RSS of a process plus its children (the parser process, if forked), in MB,
    and how many processes that was."""
    total, count, todo = 0, 0, [pid]
    while todo:
        p = todo.pop()
        try:
            status = Path(f"/proc/{p}/status").read_text()
            total += int(status.split("VmRSS:")[1].split()[0])
            count += 1
            todo += map(int, Path(f"/proc/{p}/task/{p}/children").read_text().split())
        except (OSError, IndexError, ValueError):
            pass
    return total / 1024, count


def _run(
    cmd: list[str], env: dict[str, str], sample: bool = False
) -> tuple[float, float, float, int]:
    """Wall seconds, peak RSS (MB, os.wait4: the largest single process) and, when sampling,
    the peak total RSS of the process tree (every 20 ms from /proc). Fails on a bad exit."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    tree_peak, processes = 0.0, 1
    while True:
        done, status, usage = os.wait4(proc.pid, os.WNOHANG if sample else 0)
        if done:
            break
        rss, count = _tree_rss_mb(proc.pid)
        tree_peak, processes = max(tree_peak, rss), max(processes, count)
        time.sleep(0.02)  # a sampling interval, not a synchronisation
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.stderr:
        proc.stderr.close()
    if proc.returncode not in (0, 1):  # 1: the file has (deliberately) invalid rows
        raise SystemExit(f"{' '.join(cmd)} failed with exit {proc.returncode}: {err.strip()}")
    return wall, usage.ru_maxrss / 1024, tree_peak, processes


def bench_ratio(rows: int, runs: int, work: Path, env: dict[str, str]) -> bool:
    """Pairs of runs, back to back (sqlite3 then ours), so that a slow spell of a shared
    machine hits both sides of a pair; PASS on the median of the pairs' ratios (the ratio
    of the two medians is printed too)."""
    path = data_file(rows)
    sqlite = shutil.which("sqlite3")
    if sqlite is None:
        print("sqlite3 command not found: cannot measure the ratio (FAIL)")
        return False
    db = work / "new.db"
    ours, theirs = [], []
    for _ in range(runs):
        _fresh(db)
        theirs.append(_run([sqlite, str(db), f".import --csv {path} t"], env)[0])
        _fresh(db)
        ours.append(_run([*_leadletter_cmd(), "--db", str(db), "import", str(path)], env)[0])
    a, b = statistics.median(ours), statistics.median(theirs)
    pairs = [o / t for o, t in zip(ours, theirs)]
    ratio = statistics.median(pairs)
    ok = ratio <= MAX_RATIO
    print(f"{rows:,} rows, {runs} pairs of runs:")
    print(f"  sqlite3 .import        {b:6.2f} s   runs: {', '.join(f'{t:.2f}' for t in theirs)}")
    print(f"  leadletter import      {a:6.2f} s   runs: {', '.join(f'{t:.2f}' for t in ours)}"
          f"   ({rows / a:,.0f} rows/s)")
    print(f"  ratio per pair: {', '.join(f'{r:.2f}' for r in pairs)}")
    print(f"  ratio {ratio:.2f}x (median of pairs; of medians {a / b:.2f}x; limit {MAX_RATIO:g}x)"
          f"  {'PASS' if ok else 'FAIL'}")
    return ok


def bench_memory(rows: int, work: Path, env: dict[str, str]) -> bool:
    path = data_file(rows)
    db = work / "big.db"
    _fresh(db)
    command = [*_leadletter_cmd(), "--db", str(db), "import", str(path)]
    wall, rss, tree, processes = _run(command, env, sample=sys.platform.startswith("linux"))
    ok = max(rss, tree) <= MAX_RSS_MB
    parser = "with a parser process" if processes > 1 else "one process"
    print(f"{rows:,} rows ({parser}): {wall:.1f} s ({rows / wall:,.0f} rows/s)")
    print(f"  peak RSS {rss:.1f} MB (largest process, wait4), {tree:.1f} MB (process tree, "
          f"sampled)  limit {MAX_RSS_MB:g} MB  {'PASS' if ok else 'FAIL'}")
    _fresh(db)
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--big", type=int, default=1_000_000)
    parser.add_argument("--skip-big", action="store_true")
    parser.add_argument("--parallel", choices=["auto", "0", "1"], default="auto",
                        help="parse in a forked process: auto (default), never, always")
    args = parser.parse_args()
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "leadletter_tui")],
                   check=True)
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        work = Path(tmp)
        env = _env(work)
        if args.parallel != "auto":
            env["LEADLETTER_IMPORT_PARALLEL"] = args.parallel
        results = [bench_ratio(args.rows, max(1, args.runs), work, env)]
        if not args.skip_big:
            results.append(bench_memory(args.big, work, env))
    print("ALL PASS" if all(results) else "SOME FAIL")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
