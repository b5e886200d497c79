"""Build the schema fixtures `vN.db`: a small SQLite database written by the code of the
time when schema vN was current, for tests/test_schema_fixtures.py (open, migrate, compare).

Each fixture is made honestly by that commit's own code: the commit is checked out into a
temporary git worktree and its CLI (`python -m leadletter_tui`, run by this venv's Python
with PYTHONPATH at the worktree) writes the data:
  - `demo --contacts 40 --seed 11`: every status, messages, follow-ups, replies of every
    sentiment, drafts, do-not-contact, non-ASCII business names;
  - `import` (where the commit has it) of a CSV with non-ASCII names and an IDN domain;
  - `status` changes (events, a stamped send) and `reply` (where the commit has it).
Then the file is switched to the rollback journal (one self-contained file) and vacuumed;
the rows are the old code's, untouched. `vN.json` beside it records what the old code
itself reported (`list --json` of every contact, row counts) for the test to compare.

Versions and commits (the last commit on the main line where vN was current; found with
`git log --first-parent` over `MIGRATIONS` in leadletter_tui/store/db.py, or store.py):
  v1 caddbe7  v2 72b1815  v3 e6628d0  v4 40b53f2  v5 1058467  v6 c1d01ea

Rebuild one or all:   .venv/bin/python tests/data/schemas/build.py [N ...]
Add the next version: add `N: "<commit>"` to COMMITS (a commit where LATEST == N; HEAD
while it is the newest) and run `.venv/bin/python tests/data/schemas/build.py N`, then
commit vN.db and vN.json. The test picks up every vN.db it finds.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
COMMITS = {
    1: "caddbe7",
    2: "72b1815",
    3: "e6628d0",
    4: "40b53f2",
    5: "1058467",
    6: "c1d01ea",
    7: "33c2ba1",  # the live-updates branch, merged with 8 (v7 alone never reached main)
    8: "27aff0b",
}
NOW = "2026-11-25T10:00:00"
CSV = ("website,company,contact name,email,phone\n"
       "bücher.de,Bücherstube Köln,Jürgen Groß,jg@bücher.de,+49 221 1234\n"
       "cafe-nord.example,Café Nord ☕,Zoë Ærø,zoe@cafe-nord.example,\n"
       "tokyo-ramen.example,東京ラーメン,山田太郎,,\n"
       "plain-shop.example,Plain Shop,Ann Lee,ann@plain-shop.example,555-0100\n")
# Status changes and replies, on the imported contacts (or, where the commit cannot import,
# on the first ready demo contacts): {0} cafe, {1} plain shop, {2} bücher.de, {3} tokyo.
STEPS = (  # (command needed, arguments); run only where the commit has the command
    ("status", ["status", "{0}", "sent", "--at", "2026-11-20T09:30:00"]),
    ("status", ["status", "{1}", "sent", "--at", "2026-11-18T14:00:00"]),
    ("status", ["status", "{1}", "lost"]),
    ("status", ["status", "{2}", "sent", "--at", "2026-11-19T08:00:00"]),
    ("status", ["status", "{2}", "won"]),
    ("reply", ["reply", "{0}", "--offline", "--text",
               "Gern! Rufen Sie mich Donnerstag an, Überraschung inklusive."]),
    ("reply", ["reply", "{3}", "--offline", "--text",
               "Please remove me from your list. Unsubscribe."]),
)
IMPORTED = ("cafe-nord.example", "plain-shop.example", "xn--bcher-kva.de", "tokyo-ramen.example")


def run(tree: Path, env: dict, *args: str, check: bool = True) -> str:
    proc = subprocess.run([sys.executable, "-m", "leadletter_tui", *args], cwd=tree, env=env,
                          capture_output=True, text=True, check=False)
    if check and proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({proc.returncode}): {proc.stderr.strip()}")
    return proc.stdout


def build(version: int) -> Path:
    commit = COMMITS[version]
    out = HERE / f"v{version}.db"
    with tempfile.TemporaryDirectory(prefix=f"schema-v{version}-") as scratch:
        tree = Path(scratch) / "tree"
        subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", "-q", str(tree),
                        commit], check=True)
        try:
            home = Path(scratch) / "home"
            home.mkdir()
            env = {k: v for k, v in os.environ.items()
                   if not k.startswith(("LEADLETTER_", "ANTHROPIC_"))}
            env.update(PYTHONPATH=str(tree), HOME=str(home), LEADLETTER_NOW=NOW,
                       XDG_DATA_HOME=str(home / "data"), XDG_CONFIG_HOME=str(home / "config"),
                       XDG_STATE_HOME=str(home / "state"), XDG_CACHE_HOME=str(home / "cache"))
            db = Path(scratch) / f"v{version}.db"
            csv = Path(scratch) / "contacts.csv"
            csv.write_text(CSV, encoding="utf-8")
            helptext = run(tree, env, "--help")
            have = {line.split()[0] for line in helptext.split("Commands:")[-1].splitlines()
                    if line.strip()}
            done = ["demo"]
            run(tree, env, "--db", str(db), "demo", "--contacts", "40", "--seed", "11")
            if "import" in have:
                run(tree, env, "--db", str(db), "import", str(csv))
                done.append("import")
                targets = IMPORTED
            else:
                listed = json.loads(run(tree, env, "--db", str(db), "list", "--json"))
                targets = tuple(c["domain"] for c in listed if c["status"] == "ready")[:4]
            for needed, args in STEPS:
                if needed in have:
                    run(tree, env, "--db", str(db), *[a.format(*targets) for a in args])
                    done.append(" ".join(args[:3]))
            listed = json.loads(run(tree, env, "--db", str(db), "list", "--json"))
            _compact(db)
            out.write_bytes(db.read_bytes())
        finally:
            subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(tree)],
                           check=True)
    con = sqlite3.connect(out)
    try:
        tables = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        counts = {t: con.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
        schema = con.execute("SELECT MAX(version) FROM schema_version").fetchone()[0]
    finally:
        con.close()
    if schema != version:
        raise SystemExit(f"{commit} wrote schema v{schema}, not v{version}: wrong commit")
    summary = {"version": version, "commit": commit, "now": NOW, "steps": done,
               "counts": counts, "contacts": listed}
    (HERE / f"v{version}.json").write_text(
        json.dumps(summary, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"v{version}: {commit} -> {out.name} ({out.stat().st_size:,} bytes) {counts}")
    return out


def _compact(db: Path) -> None:
    """One self-contained file (no -wal beside it), its free pages dropped."""
    con = sqlite3.connect(db)
    try:
        con.execute("PRAGMA journal_mode=DELETE")
        con.execute("VACUUM")
    finally:
        con.close()


if __name__ == "__main__":
    wanted = [int(a.lstrip("v")) for a in sys.argv[1:]] or sorted(COMMITS)
    for number in wanted:
        build(number)
