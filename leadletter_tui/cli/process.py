"""The CLI process and its surroundings: standard streams that are closed or full, and the
signals that end a long write (SIGTERM from a service manager, SIGHUP from a dropped SSH
session). Each becomes one stderr line and an exit code (cli/__init__.py `exit_code`).

- A signal is turned into `Terminated`, raised in the main thread. It derives from
  BaseException like KeyboardInterrupt, so nothing that catches `Exception` swallows it and
  every `finally` runs: an export's temporary file is removed, a transaction rolled back.
  The exit code is 128 + the signal number (143 for SIGTERM), as a shell reports it.
- Started with stdout closed (`leadletter list >&-`): fd 1 is pinned to /dev/null so no file
  the command opens (the database!) can take it, and the first write says "standard output
  is closed" (exit 2).
- A write that fails for want of room (`>/dev/full`, a full disk, a quota): "cannot write
  output: no space left on device" (exit 2).
"""

from __future__ import annotations

import errno
import io
import os
import signal
import sys
import threading
from collections.abc import Callable

from ..errors import UserError

SIGNALS = tuple(s for s in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None))
                if s is not None)
_OUTPUT_ERRNOS = {errno.ENOSPC, errno.EFBIG, errno.EIO, getattr(errno, "EDQUOT", errno.ENOSPC)}


class Terminated(BaseException):
    """A termination signal arrived; unwinds the command like Ctrl+C does."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def name(self) -> str:
        try:
            return signal.Signals(self.signum).name
        except ValueError:
            return f"signal {self.signum}"


class OutputClosed(UserError):
    """The command printed, but standard output was closed when it started."""


class _ClosedStdout(io.TextIOBase):
    """sys.stdout when fd 1 was closed at start: any write is an OutputClosed."""

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def write(self, text: str) -> int:
        if not text:
            return 0
        raise OutputClosed("standard output is closed (nothing was printed)")

    def flush(self) -> None:
        pass


def _on_signal(signum: int, _frame) -> None:
    for s in SIGNALS:  # one clean abort: a second signal must not interrupt the clean-up
        signal.signal(s, signal.SIG_IGN)
    raise Terminated(signum)


def watch_signals() -> Callable[[], None]:
    """Turn SIGTERM/SIGHUP into `Terminated` (main thread only); returns the undo."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    previous = {s: signal.signal(s, _on_signal) for s in SIGNALS}

    def restore() -> None:
        for s, handler in previous.items():
            signal.signal(s, handler if handler is not None else signal.SIG_DFL)

    return restore


def _fd_open(fd: int) -> bool:
    try:
        os.fstat(fd)
    except OSError:
        return False
    return True


def pin_std_streams() -> None:
    """A closed fd 1 or 2 gets /dev/null, so the next file opened cannot become "stdout";
    Python left sys.stdout None then, which becomes a writer that reports it is closed."""
    for fd in (1, 2):
        if not _fd_open(fd):
            null = os.open(os.devnull, os.O_WRONLY)
            if null != fd:
                os.dup2(null, fd)
                os.close(null)
    if sys.stdout is None:
        sys.stdout = _ClosedStdout()
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 (the process's)


def output_failure(exc: BaseException) -> str | None:
    """One line for a failure to write the command's output (disk full...), else None."""
    if isinstance(exc, OSError) and exc.filename is None and exc.errno in _OUTPUT_ERRNOS:
        reason = os.strerror(exc.errno)
        return f"cannot write output: {reason[:1].lower()}{reason[1:]}"
    return None


def silence_stdout() -> None:
    """Point fd 1 at /dev/null: output still buffered must not fail again at exit."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        pass
