"""The CLI against its surroundings (issue 12): export targets that are not regular files,
a full or closed stdout, and SIGTERM/SIGHUP in the middle of a write. Most run the real
process, because the behaviour belongs to it (file descriptors, signals)."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

TEMP_PREFIX = ".leadletter-export-"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    """3,000 demo contacts, made once for the module (in a child, with its own env)."""
    root = tmp_path_factory.mktemp("demo")
    db = root / "demo.db"
    env = {**os.environ, "XDG_DATA_HOME": str(root / "data"), "XDG_CONFIG_HOME": str(root / "c"),
           "XDG_STATE_HOME": str(root / "s"), "LEADLETTER_NOW": "2026-11-25T10:00:00"}
    subprocess.run([sys.executable, "-m", "leadletter_tui", "--db", str(db), "demo",
                    "--contacts", "3000", "--seed", "1"], check=True, env=env,
                   capture_output=True, timeout=120)
    return db


def temp_files(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.startswith(TEMP_PREFIX))


# --- 1: export -o onto things that are not regular files --------------------------------
@pytest.fixture
def null_device(tmp_path) -> Path:
    """A private node of the null device (1, 3) in tmp_path. Never the machine's /dev/null:
    a regression (renaming over it, as before the fix) would turn the real one into a
    regular file that every program on the box then fills."""
    node = tmp_path / "null"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (PermissionError, OSError) as exc:
        pytest.skip(f"cannot make a device node here: {exc}")
    return node


@pytest.mark.parametrize("force", [False, True])
def test_export_to_a_null_device_keeps_the_device(run_cli, demo_db, null_device, force):
    before = os.stat(null_device)
    result = run_cli("--db", demo_db, "export", "-o", null_device,
                     *(["--force"] if force else []))
    assert result.code == 0, result.err
    after = os.lstat(null_device)
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev
    assert temp_files(null_device.parent) == []


def test_export_to_a_fifo_writes_into_it(run_cli, demo_db, tmp_path):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = run_cli("--db", demo_db, "export", "-o", fifo)
    reader.join(timeout=60)
    assert result.code == 0, result.err
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)  # still a FIFO, not a regular file
    lines = got[0].decode("utf-8").splitlines()
    assert lines[0].startswith("domain,") and len(lines) > 3000
    assert temp_files(tmp_path) == []


def test_export_through_a_symlink_keeps_the_link(run_cli, demo_db, tmp_path):
    real_dir = tmp_path / "real"
    real_dir.mkdir()
    target = real_dir / "contacts.json"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "latest.json"
    link.symlink_to(target)
    result = run_cli("--db", demo_db, "export", "-o", link, "--force")
    assert result.code == 0, result.err
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert len(json.loads(target.read_text(encoding="utf-8"))) == 3000
    assert temp_files(tmp_path) == [] and temp_files(real_dir) == []


def test_export_through_a_dangling_symlink_creates_its_target(run_cli, demo_db, tmp_path):
    link = tmp_path / "out.csv"
    link.symlink_to(tmp_path / "made.csv")
    result = run_cli("--db", demo_db, "export", "-o", link)
    assert result.code == 0, result.err
    assert link.is_symlink() and (tmp_path / "made.csv").read_text().startswith("domain,")


def test_export_over_a_symlinked_file_still_asks_for_force(run_cli, demo_db, tmp_path):
    target = tmp_path / "keep.csv"
    target.write_text("precious", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    result = run_cli("--db", demo_db, "export", "-o", link)
    assert result.code == 2 and "--force" in result.err
    assert target.read_text(encoding="utf-8") == "precious"


# --- 11: stdout full or closed, and a reader that hangs up ------------------------------
def run(args: list[str], *, shell_tail: str = "", **kw) -> subprocess.CompletedProcess:
    """`python -m leadletter_tui ARGS` through a shell (for redirections like >&-)."""
    quoted = " ".join(f"'{a}'" for a in [sys.executable, "-m", "leadletter_tui", *args])
    return subprocess.run(["/bin/sh", "-c", f"{quoted} {shell_tail}"], capture_output=True,
                          timeout=120, **kw)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("extra", [[], ["--json"], ["--limit", "0"]])
def test_list_to_a_full_disk_says_so(demo_db, extra):
    proc = run(["--db", str(demo_db), "list", *extra], shell_tail=">/dev/full")
    err = proc.stderr.decode()
    assert proc.returncode == 2, err
    assert err == "leadletter: error: cannot write output: no space left on device\n"


@pytest.mark.parametrize("extra", [[], ["--json"]])
def test_list_with_stdout_closed_says_so(demo_db, extra):
    before = demo_db.read_bytes()
    proc = run(["--db", str(demo_db), "list", *extra], shell_tail=">&-")
    err = proc.stderr.decode()
    assert proc.returncode == 2, err
    assert err == "leadletter: error: standard output is closed (nothing was printed)\n"
    assert demo_db.read_bytes() == before  # nothing was written into the database file


def test_list_table_into_head_is_quiet(demo_db):
    proc = run(["--db", str(demo_db), "list", "--limit", "0"], shell_tail="| head -1")
    assert proc.stderr == b"" and proc.stdout.decode().startswith("DOMAIN")


# --- 18: SIGTERM / SIGHUP in the middle of a write --------------------------------------
# The child runs the real CLI with the export's row shaping slowed down (2 ms a row, 6 s for
# the whole export), and touches a marker when the first row is shaped: from then on it is
# inside the write, with the temporary file open.
SLOW_CHILD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    import leadletter_tui.services.export as export
    import leadletter_tui.services.shapes as shapes

    marker = Path(sys.argv[1])

    def slowly(shape):
        def slow(*args):
            if not marker.exists():
                marker.touch()
            time.sleep(0.002)
            return shape(*args)
        return slow

    export.record_dict = slowly(export.record_dict)
    shapes.contact_dict = slowly(shapes.contact_dict)
    from leadletter_tui.cli import main
    main(sys.argv[2:])
""")


def start_slow(tmp_path: Path, args: list[str], **kw) -> tuple[subprocess.Popen, Path]:
    script = tmp_path / "slow_child.py"
    script.write_text(SLOW_CHILD, encoding="utf-8")
    marker = tmp_path / "started"
    proc = subprocess.Popen([sys.executable, str(script), str(marker), *args],
                            stderr=subprocess.PIPE, **kw)
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert proc.poll() is None, proc.stderr.read()
        assert time.monotonic() < deadline, "the export never started"
        time.sleep(0.01)
    return proc, marker


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_signal_during_export_leaves_no_temp_file(demo_db, tmp_path, signum):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    target = out_dir / "contacts.csv"
    proc, _ = start_slow(tmp_path, ["--db", str(demo_db), "export", "-o", str(target)],
                         stdout=subprocess.DEVNULL)
    assert len(temp_files(out_dir)) == 1  # really mid-write: the temporary file is there
    proc.send_signal(signum)
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 128 + signum, err
    assert err.splitlines() == [f"leadletter: error: stopped by {signal.Signals(signum).name}; "
                                "nothing half-written was left behind"]
    assert list(out_dir.iterdir()) == []  # neither the temporary file nor a half export


def test_sigterm_during_list_json_leaves_one_document(demo_db, tmp_path):
    proc, _ = start_slow(tmp_path, ["--db", str(demo_db), "list", "--json"],
                         stdout=subprocess.PIPE)
    time.sleep(0.05)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 143, err
    rows = json.loads(out)  # complete, though short: the exit code says it was stopped
    assert 1 <= len(rows) < 3000
