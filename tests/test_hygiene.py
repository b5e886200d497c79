"""Architecture rules that are cheap to break by accident (DESIGN.md, STYLE.md):
- domain/ is pure: it imports no Textual, Peewee, anthropic or click;
- the non-TUI CLI path imports no Textual and no anthropic (startup time over SSH), and on
  SQLite no PostgreSQL driver;
- modules stay small (app.py < 300 lines, every module < 500);
- Peewee is seen only under store/.
Import checks run in fresh subprocesses so nothing this test process imported counts.
"""

from __future__ import annotations

import json
import os
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import pytest

import leadletter_tui
import leadletter_tui.domain

PACKAGE = Path(leadletter_tui.__file__).parent
FORBIDDEN_IN_DOMAIN = ("textual", "peewee", "playhouse", "anthropic", "click", "httpx2", "rich")
DOMAIN_MODULES = sorted(  # subpackages included (domain/imports/...)
    m.name for m in pkgutil.walk_packages(leadletter_tui.domain.__path__, "leadletter_tui.domain.")
)


def top_level_modules_after(code: str, *args: str, env: dict | None = None) -> set[str]:
    """Run `code` in a fresh interpreter; return the top-level names in sys.modules at exit."""
    probe = (
        "import atexit, json, os, sys\n"
        "atexit.register(lambda: open(os.environ['MODULES_OUT'], 'w').write("
        "json.dumps(sorted({m.split('.')[0] for m in sys.modules}))))\n" + code
    )
    return set(json.loads(_run_probe(probe, args, env)))


def _run_probe(probe: str, args, env) -> str:
    out = Path(os.environ["XDG_STATE_HOME"]) / f"modules-{os.getpid()}-{id(probe)}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(
        [sys.executable, "-c", probe, *args],
        check=False, capture_output=True, text=True, timeout=60,
        env={**os.environ, **(env or {}), "MODULES_OUT": str(out)},
    )
    assert out.exists(), proc.stderr
    return out.read_text()


def test_domain_modules_found():
    assert {"leadletter_tui.domain.model", "leadletter_tui.domain.filters",
            "leadletter_tui.domain.pipeline", "leadletter_tui.domain.dates",
            "leadletter_tui.domain.domains", "leadletter_tui.domain.text",
            "leadletter_tui.domain.imports", "leadletter_tui.domain.imports.layout",
            "leadletter_tui.domain.imports.merge"} <= set(DOMAIN_MODULES)


@pytest.mark.parametrize("module", ["leadletter_tui.domain", *DOMAIN_MODULES])
def test_domain_imports_nothing_heavy(module):
    loaded = top_level_modules_after(f"import {module}")
    assert "leadletter_tui" in loaded  # the probe itself worked
    assert loaded.isdisjoint(FORBIDDEN_IN_DOMAIN), sorted(loaded & set(FORBIDDEN_IN_DOMAIN))


def test_all_domain_modules_together():
    loaded = top_level_modules_after("; ".join(f"import {m}" for m in DOMAIN_MODULES))
    assert loaded.isdisjoint(FORBIDDEN_IN_DOMAIN)


CLI_RUN = "import sys\nfrom leadletter_tui.cli import main\nmain(sys.argv[1:])\n"


@pytest.fixture
def small_db(run_cli, tmp_path):
    db = tmp_path / "h.db"
    assert run_cli("--db", db, "demo", "--contacts", "30", "--seed", "1").code == 0
    return db


@pytest.mark.parametrize(
    "args",
    [
        ["list", "--status", "sent", "--sent", "last-week", "--limit", "50", "--json"],
        ["list"],
        ["show", "SEE_FIRST"],
        ["export", "--format", "csv"],
        ["status", "SEE_FIRST", "won"],
        ["locate", "--json"],
        ["--version"],
        ["list", "--bogus"],
    ],
    ids=lambda a: " ".join(a),
)
def test_cli_path_imports_no_textual_or_anthropic(small_db, run_cli, args):
    first = json.loads(run_cli("--db", small_db, "list", "--limit", "1", "--json").out)[0]
    argv = ["--db", str(small_db)] + [first["domain"] if a == "SEE_FIRST" else a for a in args]
    loaded = top_level_modules_after(CLI_RUN, *argv)
    assert "click" in loaded and "leadletter_tui" in loaded  # it really ran the CLI
    assert "textual" not in loaded and "anthropic" not in loaded
    assert "rich" not in loaded  # Textual's renderer: a sign the TUI was pulled in
    # Peewee would import the PostgreSQL drivers as it loads; a SQLite command must not pay
    assert "psycopg" not in loaded and "psycopg2" not in loaded


def test_the_postgres_driver_loads_only_for_a_postgres_url():
    loaded = top_level_modules_after(
        "from leadletter_tui.store import db\n"
        "try:\n"
        "    db.open_database('postgresql://nobody@127.0.0.1:1/none')\n"
        "except db.StoreError:\n"
        "    pass\n"
    )
    assert "peewee" in loaded and "psycopg" in loaded


def test_the_tui_path_does_import_textual():
    # The probe above can tell: importing the app module brings Textual in.
    assert "textual" in top_level_modules_after("import leadletter_tui.app")


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _lines(path: Path) -> int:
    with path.open(encoding="utf-8") as fh:
        return sum(1 for _ in fh)


def test_module_size_budgets():
    too_big = {str(p.relative_to(PACKAGE)): n for p in _modules() if (n := _lines(p)) >= 500}
    assert too_big == {}
    assert _lines(PACKAGE / "app.py") < 300


PEEWEE_IMPORT = re.compile(r"^\s*(?:import\s+(?:peewee|playhouse)\b|from\s+(?:peewee|playhouse)\b)",
                           re.MULTILINE)


def test_peewee_only_under_store():
    assert len(_modules()) > 10
    outside = [
        str(p.relative_to(PACKAGE)) for p in _modules()
        if PEEWEE_IMPORT.search(p.read_text(encoding="utf-8"))
        and p.relative_to(PACKAGE).parts[0] != "store"
    ]
    assert outside == []
    inside = [p for p in (PACKAGE / "store").glob("*.py") if PEEWEE_IMPORT.search(p.read_text())]
    assert inside  # the pattern does match real imports


def test_list_loads_only_its_own_command_module(small_db):
    """Commands load lazily (cli/__init__.py COMMANDS): `list` pays for no other family."""
    probe = (
        "import atexit, json, os, sys\n"
        "atexit.register(lambda: open(os.environ['MODULES_OUT'], 'w').write("
        "json.dumps(sorted(m for m in sys.modules if m.startswith('leadletter_tui')))))\n"
        + CLI_RUN
    )
    loaded = set(json.loads(_run_probe(probe, ["--db", str(small_db), "list", "--json"], None)))
    assert "leadletter_tui.cli.contacts" in loaded
    heavy = {"leadletter_tui.cli.imports", "leadletter_tui.cli.export", "leadletter_tui.cli.misc",
             "leadletter_tui.services.imports", "leadletter_tui.services.import_parser",
             "leadletter_tui.services.export", "leadletter_tui.services.demo_data",
             "leadletter_tui.app", "leadletter_tui.workers"}
    assert loaded.isdisjoint(heavy), sorted(loaded & heavy)


@pytest.mark.parametrize("module", sorted(
    f"leadletter_tui.cli.{m.name}" for m in pkgutil.iter_modules([str(PACKAGE / "cli")])))
def test_each_cli_module_imports_on_its_own(module):
    """No import cycle: every command module loads first, alone, in a fresh interpreter."""
    assert "leadletter_tui" in top_level_modules_after(f"import {module}")
