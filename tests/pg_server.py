"""A throwaway PostgreSQL server for the tests: initdb into a temporary directory, start it on
a free 127.0.0.1 port with trust authentication, stop it and delete everything afterwards.

Found through PATH (`initdb`) or the Debian layout `/usr/lib/postgresql/<version>/bin`.
PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user (or
`nobody`) through `runuser`. Tests get one fresh database each (`create_database`).

Without the server binaries or the psycopg driver, the PostgreSQL tests are skipped, unless
LEADLETTER_TEST_POSTGRES=require (what `.ci/run` sets after installing them): then a missing
server is a failure, not a skip.

The benchmarks (benchmarks/pgserver.py) start the same server on a cluster directory they
keep (`start(root=...)`): it is created on first use, reused afterwards, and `stop()` then
leaves it in place.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path


class Unavailable(Exception):
    """No PostgreSQL server can be started here (the reason is the message)."""


def find_bindir() -> Path | None:
    found = shutil.which("initdb")
    if found:
        return Path(os.path.realpath(found)).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                        key=lambda p: int(Path(p).parent.parent.name)
                        if Path(p).parent.parent.name.isdigit() else 0)
    return Path(candidates[-1]).parent if candidates else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run_as() -> list[str]:
    if os.geteuid() != 0:
        return []
    runuser = shutil.which("runuser")
    if runuser is None:
        raise Unavailable("running as root and runuser is missing (PostgreSQL refuses root)")
    for user in ("postgres", "nobody"):
        try:
            subprocess.run(["id", "-u", user], check=True, capture_output=True)
        except (subprocess.CalledProcessError, FileNotFoundError):
            continue
        return [runuser, "-u", user, "--"]
    raise Unavailable("running as root and there is no postgres or nobody user")


@dataclass
class Server:
    bindir: Path
    root: Path
    port: int
    prefix: list[str]
    keep: bool = False  # a cluster directory given by the caller: stop() leaves it

    @property
    def admin_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def url(self, dbname: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{dbname}"

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(sql)

    def create_database(self) -> str:
        name = "t_" + uuid.uuid4().hex[:12]
        self._admin(f'CREATE DATABASE "{name}"')
        return name

    def drop_database(self, name: str) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        mode = "fast" if self.keep else "immediate"  # a kept cluster shuts down cleanly
        subprocess.run([*self.prefix, str(self.bindir / "pg_ctl"), "-D", str(self.root / "data"),
                        "-m", mode, "-w", "stop"], capture_output=True)
        if not self.keep:
            shutil.rmtree(self.root, ignore_errors=True)


def start(root: Path | None = None, *, options: str = "") -> Server:
    """Start a server or raise :class:`Unavailable`.

    Without `root`, a new cluster in a temporary directory, deleted by `stop()`. With it, the
    cluster in `root/data` (created if missing) is started and kept; a server left running
    there by an earlier, killed process is stopped first. `options`: more `-c name=value`
    server settings."""
    import importlib.util

    if importlib.util.find_spec("psycopg") is None:  # not imported: keeps the caller small
        raise Unavailable("the psycopg driver is not installed")
    bindir = find_bindir()
    if bindir is None or not (bindir / "pg_ctl").exists():
        raise Unavailable("PostgreSQL server binaries (initdb, pg_ctl) not found")
    prefix = _run_as()
    keep = root is not None
    if root is None:
        root = Path(tempfile.mkdtemp(prefix="leadletter-pg-"))
    else:
        root.mkdir(parents=True, exist_ok=True)
    if prefix:
        shutil.chown(root, user=prefix[2])
    port = _free_port()
    server = Server(bindir, root, port, prefix, keep)
    data = root / "data"
    pg_ctl = str(bindir / "pg_ctl")
    steps = []
    if (data / "postmaster.pid").exists():  # left running (or crashed) by a killed process
        subprocess.run([*prefix, pg_ctl, "-D", str(data), "-m", "fast", "-w", "stop"],
                       capture_output=True)
    if not (data / "PG_VERSION").exists():
        steps.append([str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
                      "-E", "UTF8", "--no-locale", "--no-sync"])
    steps.append(
        [pg_ctl, "-D", str(data), "-l", str(root / "server.log"), "-w", "-t", "60",
         "-o", f"-c listen_addresses=127.0.0.1 -p {port} -k {root} -c fsync=off "
               f"-c synchronous_commit=off -c full_page_writes=off {options}".strip(), "start"])
    for cmd in steps:
        done = subprocess.run([*prefix, *cmd], capture_output=True, text=True)
        if done.returncode != 0:
            log = (root / "server.log").read_text(errors="replace") if (root / "server.log").exists() else ""
            server.stop()
            raise Unavailable(f"{Path(cmd[0]).name} failed: {done.stderr.strip() or log[-500:]}")
    return server
