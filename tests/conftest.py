"""Shared fixtures: an isolated environment per test, CLI runners, a store on a temp file.

Every test runs with (autouse, see `isolated_env`):
- its own XDG_DATA_HOME / XDG_CONFIG_HOME / XDG_STATE_HOME (and HOME) under `tmp_path`, so
  the default database, config file and crash log never touch the real user's files;
- no LEADLETTER_*, ANTHROPIC_*, NO_COLOR or TEXTUAL_THEME from the outer environment;
- a frozen clock: LEADLETTER_NOW=2026-11-25T10:00:00 (a Wednesday; Settings.now). A test
  that needs another "now" sets it with `monkeypatch.setenv("LEADLETTER_NOW", ...)` or clears
  it with `monkeypatch.delenv("LEADLETTER_NOW")`.

CLI runners (both return `CliResult(code, out, err)`, which also unpacks as a 3-tuple):
- `run_cli(*args, input=None)` calls the real entry point `leadletter_tui.cli.main` in this
  process (fast). `input` (str or bytes) becomes stdin (`sys.stdin.buffer` works too).
  Note: the store binds its models to one module-level proxy, so whatever opened a
  database last (a CLI call, `open_test_services`) is where every Services object's
  queries go; after calling `run_cli`, re-open with `open_test_services` rather than
  keep using a `services` fixture opened earlier in the same test.
- `run_cli_subprocess(*args, input=None, env=None)` runs `python -m leadletter_tui` in a
  child process with the same isolated environment (plus `env` overrides): use it for the
  few true end-to-end checks.

Store-level tests use `services` (open_services on `tmp_path/"store.db"`, frozen clock) or
`open_test_services(path, now=..., **settings)` for another database or other settings.
`db_dump(path)` gives a SQLite file's schema and rows as text: compare it before and after
an operation that must change nothing. tests/sample_data.py holds a small hand-built
contact set (`insert_sample(db)`) whose filter results are known.

Pilot (TUI) tests wait with tests/tui_helpers.py, never with a fixed `pilot.pause(seconds)`:
`await settle(app, pilot)` (workers done, a failed one raises WorkerFailed; their results
handled), `await wait_for(pilot, condition, timeout=5.0)` (poll for a state, e.g. one that
arrives by a timer) and `await choose(pilot, "View name")` (pick a menu entry by its name).
Import them with `from tui_helpers import settle, wait_for, choose`.
"""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

import pytest

FROZEN_NOW = "2026-11-25T10:00:00"
NOW = datetime.fromisoformat(FROZEN_NOW)
_CLEARED_PREFIXES = ("LEADLETTER_", "ANTHROPIC_")
_CLEARED_NAMES = ("NO_COLOR", "TEXTUAL_THEME")
_REQUIRE_POSTGRES = os.environ.get("LEADLETTER_TEST_POSTGRES") == "require"  # read before any test clears it


@dataclass(frozen=True)
class TestEnv:
    """Where the isolated environment puts things (all under the test's tmp_path)."""

    __test__ = False  # not a test class

    root: Path
    home: Path
    config_dir: Path  # .../config/leadletter
    data_dir: Path  # .../data/leadletter (created on first use of the default DB)
    log_dir: Path  # .../state/leadletter/log

    @property
    def config_file(self) -> Path:
        return self.config_dir / "config.toml"

    @property
    def default_db(self) -> Path:
        return self.data_dir / "leadletter.db"

    def write_config(self, text: str) -> Path:
        self.config_dir.mkdir(parents=True, exist_ok=True)
        self.config_file.write_text(text, encoding="utf-8")
        return self.config_file


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> TestEnv:
    """Autouse: private XDG dirs, a cleaned environment and the frozen clock."""
    for name in list(os.environ):
        if name.startswith(_CLEARED_PREFIXES) or name in _CLEARED_NAMES:
            monkeypatch.delenv(name)
    root = tmp_path / "env"
    home = root / "home"
    home.mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(root / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(root / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(root / "state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(root / "cache"))
    monkeypatch.setenv("LEADLETTER_NOW", FROZEN_NOW)
    return TestEnv(
        root=root,
        home=home,
        config_dir=root / "config" / "leadletter",
        data_dir=root / "data" / "leadletter",
        log_dir=root / "state" / "leadletter" / "log",
    )


class CliResult(NamedTuple):
    code: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        return self.err.splitlines()


def _stdin_for(data: str | bytes | None) -> io.TextIOWrapper:
    raw = data.encode("utf-8") if isinstance(data, str) else (data or b"")
    return io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8")


@pytest.fixture
def run_cli(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Callable[..., CliResult]:
    """Run `leadletter ARGS...` in-process through `leadletter_tui.cli.main`."""
    from leadletter_tui.cli import main

    def run(*args: str | os.PathLike, input: str | bytes | None = None) -> CliResult:
        capsys.readouterr()  # drop anything printed before this call
        with monkeypatch.context() as m:
            m.setattr(sys, "stdin", _stdin_for(input))
            try:
                main([os.fspath(a) for a in args])
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            else:  # main always exits; reaching here is itself a bug
                raise AssertionError("leadletter_tui.cli.main returned without sys.exit")
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


@pytest.fixture
def run_cli_subprocess(isolated_env: TestEnv) -> Callable[..., CliResult]:
    """Run `python -m leadletter_tui ARGS...` as a child process (end-to-end)."""

    def run(
        *args: str | os.PathLike,
        input: str | bytes | None = None,
        env: dict[str, str] | None = None,
        timeout: float = 60,
    ) -> CliResult:
        child_env = {**os.environ, **(env or {})}
        proc = subprocess.run(
            [sys.executable, "-m", "leadletter_tui", *map(os.fspath, args)],
            check=False,
            input=input.encode("utf-8") if isinstance(input, str) else input,
            capture_output=True,
            env=child_env,
            cwd=isolated_env.root,
            timeout=timeout,
        )
        return CliResult(
            proc.returncode,
            proc.stdout.decode("utf-8", "replace"),
            proc.stderr.decode("utf-8", "replace"),
        )

    return run


# --- store ------------------------------------------------------------------------------
@pytest.fixture
def open_test_services(isolated_env: TestEnv) -> Iterator[Callable[..., object]]:
    """Factory: `open_test_services(path, now=NOW, **settings)` → Services (closed after)."""
    from leadletter_tui.config import Paths, Settings
    from leadletter_tui.services import open_services

    opened = []
    paths = Paths(isolated_env.config_dir, isolated_env.data_dir, isolated_env.log_dir)

    def open_(path: Path, now: datetime | str = NOW, **settings):
        stamp = now if isinstance(now, str) else now.isoformat(timespec="seconds")
        svc = open_services(Settings(now=stamp, **settings), paths, str(path))
        opened.append(svc)
        return svc

    yield open_
    for svc in opened:
        svc.close()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """This test's own SQLite file (not created yet)."""
    return tmp_path / "store.db"


@pytest.fixture
def services(open_test_services, db_path: Path):
    """Services on a fresh temp-file SQLite database with the clock frozen at NOW."""
    return open_test_services(db_path)


def _db_dump(path: Path) -> str:
    """The logical content of a SQLite file (schema + rows), for "nothing changed" checks."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return "\n".join(con.iterdump())
    finally:
        con.close()


@pytest.fixture
def db_dump() -> Callable[[Path], str]:
    """`db_dump(path)`: schema and rows of a SQLite file as text (compare before/after)."""
    return _db_dump


# --- PostgreSQL (a real server, started once per test worker) ----------------------------------
@pytest.fixture(scope="session")
def pg_server():
    """A throwaway PostgreSQL server (tests/pg_server.py); skips, or fails when
    LEADLETTER_TEST_POSTGRES=require, if none can be started here."""
    import pg_server as pg

    try:
        server = pg.start()
    except pg.Unavailable as exc:
        if _REQUIRE_POSTGRES:
            pytest.fail(f"PostgreSQL is required here: {exc}")
        pytest.skip(f"no PostgreSQL server: {exc}")
    yield server
    server.stop()


@pytest.fixture
def pg_url(pg_server) -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database (dropped after the test)."""
    name = pg_server.create_database()
    yield pg_server.url(name)
    pg_server.drop_database(name)


@pytest.fixture(params=["sqlite", "postgresql"])
def shared_url(request, tmp_path: Path) -> str:
    """One database for several sessions: a SQLite file, then the test PostgreSQL server."""
    if request.param == "sqlite":
        return str(tmp_path / "shared.db")
    return request.getfixturevalue("pg_url")
