"""Run a program in a real pseudo-terminal and watch what it draws (pyte as the emulator).

Used by bench_table.py to time start → first paint the way a user sees it: the app's
terminal driver, its writer thread and every byte it writes are part of the measurement.

Textual (8.2) sends two DECRQM queries at start-up, `CSI ? 2026 $ p` (synchronized output)
and `CSI ? 2048 $ p` (in-band resize). It does not wait for either reply (it carries on
and acts on a reply whenever one arrives), but a real terminal answers, so this one does
too: synchronized output "supported" (as in kitty, WezTerm, foot, recent xterm forks),
in-band resize "not recognised" (so window size comes from TIOCSWINSZ/SIGWINCH).
"""

from __future__ import annotations

import fcntl
import os
import select
import signal
import struct
import subprocess
import termios
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pyte

REPLIES = {
    b"\x1b[?2026$p": b"\x1b[?2026;2$y",  # DECRPM: synchronized output, reset (supported)
    b"\x1b[?2048$p": b"\x1b[?2048;0$y",  # DECRPM: in-band resize, not recognised
}


@dataclass
class Painted:
    seconds: float  # launch → the condition held on the emulated screen
    rss_mb: float  # the child's peak RSS (VmHWM) at that moment
    cpu: float  # the child's CPU seconds (user + system, all threads) by then
    lines: list[str]  # the screen at that moment
    written: int  # bytes the child had written by then


def _peak_rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _cpu_seconds(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def time_first_paint(
    argv: Sequence[str],
    done: Callable[[list[str]], bool],
    *,
    columns: int = 120,
    rows: int = 36,
    env: dict[str, str] | None = None,
    timeout: float = 20.0,
) -> Painted:
    """Launch `argv` on a fresh pty of `columns`×`rows`; return when `done(screen lines)`.

    The clock starts just before the fork and stops at the arrival of the read that made
    `done` true. The child is killed afterwards (its exit is not part of the measurement)."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    screen = pyte.Screen(columns, rows)
    stream = pyte.ByteStream(screen)
    environment = {**(env or os.environ), "TERM": "xterm-256color", "COLORTERM": "truecolor",
                   "COLUMNS": str(columns), "LINES": str(rows)}
    environment.pop("NO_COLOR", None)
    environment.pop("TEXTUAL_DRIVER", None)
    start = time.perf_counter()
    proc = subprocess.Popen(
        list(argv), stdin=slave, stdout=slave, stderr=slave, env=environment,
        start_new_session=True, close_fds=True,
    )
    os.close(slave)
    # Reading comes first and is timestamped; the (slow, pure-Python) emulator parses only
    # while nothing is waiting to be read, so the child never waits on it. A paint counts
    # from the arrival of the read that completed it: a real terminal parses a frame in
    # well under a millisecond, pyte needs about 2 ms per 4 KB read.
    pending: list[tuple[float, bytes]] = []
    written = 0
    tail = b""
    try:
        while True:
            left = start + timeout - time.perf_counter()
            if left <= 0:
                raise TimeoutError(f"{argv[0]}: no first paint in {timeout} s:\n"
                                   + "\n".join(screen.display))
            ready, _, _ = select.select([master], [], [], 0 if pending else left)
            if ready:
                try:
                    data = os.read(master, 1 << 16)
                except OSError:  # EIO: the child closed the terminal (it exited)
                    data = b""
                if not data:
                    raise RuntimeError(f"{argv[0]} exited before its first paint "
                                       f"(status {proc.wait()}):\n" + "\n".join(screen.display))
                arrived = time.perf_counter()
                seen = tail + data
                for query, reply in REPLIES.items():
                    if query in seen:
                        os.write(master, reply)
                tail = data[-8:]  # a query cut in two by a read still matches once
                pending.append((arrived, data))
                continue
            for arrived, data in pending:
                written += len(data)
                stream.feed(data)
                if screen.dirty:
                    screen.dirty.clear()
                    lines = screen.display
                    if done(lines):
                        return Painted(arrived - start, _peak_rss_mb(proc.pid),
                                       _cpu_seconds(proc.pid), lines, written)
            pending.clear()
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        os.close(master)
