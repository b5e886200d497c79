"""Reading an import in batches: in this process, or in a forked parser process.

Infrastructure under :mod:`.imports` (the one import use case; nothing else uses this): the
batches themselves come from ``domain/imports/layout.py`` and ``batch.py``.

A batch is ``(converted, bytes_read)``, in file order (:class:`Converted`: the valid rows
as columns plus the rejected rows). Parsing a row (decode, split, normalise the domain,
validate, sanitize) costs about as much CPU as writing it, so for a big file in a
single-threaded process (the CLI) the parsing runs in a forked child that streams batches
through a pipe while this process merges and writes: the two halves use both cores.
Everywhere else (threads present, e.g. the TUI; small inputs; no fork) the same batches come
from a plain generator.

The child never touches the database (it only reads the already-open file), ignores Ctrl+C
(the parent decides), and leaves through ``os._exit``: no parent frame, no ``finally`` and no
connection cleanup runs in it. If the parent dies, the child's next write fails and it exits.

``LEADLETTER_IMPORT_PARALLEL`` = ``0`` or ``1`` overrides the automatic choice (tests and
benchmarks use it to pin one path); forking still needs Linux and a single thread.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from typing import BinaryIO

from ..domain.imports.batch import Converted
from ..domain.imports.layout import Rejected, UnusableInput

PARALLEL_MIN_BYTES = 4 << 20  # below this, forking costs more than it saves
PIPE_BYTES = 1 << 20

Batch = tuple[Converted, int]  # a converted batch, bytes of the file read so far
EMPTY = Converted.empty()


class ParserFailed(RuntimeError):
    """The parser process failed for a reason other than unusable input (killed, or a bug).
    The import use case reports it as one line, and nothing is imported."""


def can_fork() -> bool:
    """Fork only where it is safe (Linux, no other thread in this process) and useful (this
    process may run on at least two CPUs)."""
    if not _fork_is_safe():
        return False
    try:
        return len(os.sched_getaffinity(0)) >= 2
    except (AttributeError, OSError):
        return (os.cpu_count() or 1) >= 2


def _fork_is_safe() -> bool:
    return (sys.platform.startswith("linux") and hasattr(os, "fork")
            and threading.active_count() == 1)


def _tell(fh: BinaryIO, size: int) -> int:
    try:
        return min(fh.tell(), size)
    except (OSError, ValueError):
        return 0


def serial_batches(converted: Iterator[Converted], fh: BinaryIO, size: int) -> Iterator[Batch]:
    """Pair each converted batch with how far into the file the reading is; a last, empty
    batch carries the end position."""
    for batch in converted:
        yield batch, _tell(fh, size)
    yield EMPTY, size


# Over the pipe a batch travels as its columns, each joined with NUL (a character no
# converted value holds: cells are sanitized and extra fields are JSON-escaped): pickling
# seven long strings costs a tenth of pickling the rows as tuples.
_SEP = "\x00"


def _pack(batch: Converted) -> tuple:
    return batch.lines, [_SEP.join(f) for f in batch.fields], [tuple(r) for r in batch.rejected]


def _unpack(packed: tuple) -> Converted:
    lines, joined, rejected = packed
    if not lines:
        return Converted.empty([Rejected._make(r) for r in rejected])
    return Converted(lines, tuple(j.split(_SEP) for j in joined),
                     [Rejected._make(r) for r in rejected])


class Batches:
    """Iterate batches; always ``close()`` (it stops and reaps a parser process)."""

    def __init__(self, make_converted: Callable[[], Iterator[Converted]], fh: BinaryIO, size: int,
                 *, parallel: bool | None = None) -> None:
        if parallel is None:
            forced = os.environ.get("LEADLETTER_IMPORT_PARALLEL", "").strip()
            if forced in ("0", "1"):
                parallel = forced == "1" and _fork_is_safe()
            else:
                parallel = size >= PARALLEL_MIN_BYTES and can_fork()
        self._pid = 0
        self._pipe = None
        if parallel:
            try:
                self._fork(make_converted, fh, size)
            except OSError:  # no process or pipe to spare: parse here instead
                parallel = False
        self.parallel = parallel
        if parallel:
            self._iter = self._receive()
        else:
            self._items = make_converted()
            self._iter = serial_batches(self._items, fh, size)

    def __iter__(self) -> Iterator[Batch]:
        return self._iter

    # --- the parser process ------------------------------------------------------------
    def _fork(self, make_converted, fh, size) -> None:
        read_end, write_end = os.pipe()
        _widen(write_end)
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        try:
            pid = os.fork()
        except OSError:
            os.close(read_end)
            os.close(write_end)
            raise
        if pid == 0:  # the child: parse, send, exit; never returns
            _child(read_end, write_end, make_converted, fh, size)
        os.close(write_end)
        self._pid = pid
        self._pipe = os.fdopen(read_end, "rb", buffering=1 << 16)

    def _receive(self) -> Iterator[Batch]:
        load, pipe = pickle.load, self._pipe
        while True:
            try:
                kind, payload = load(pipe)
            except (EOFError, pickle.UnpicklingError, OSError):
                raise ParserFailed(self._why_ended()) from None
            if kind == "batch":
                packed, done = payload
                yield _unpack(packed), done
            elif kind == "end":
                return
            elif kind == "unusable":
                raise UnusableInput(payload)
            else:
                raise ParserFailed(f"the import parser failed: {payload}")

    def _why_ended(self) -> str:
        """The parser's pipe closed early: reap it and say how it ended."""
        how = ""
        if self._pid:
            try:
                _, status = os.waitpid(self._pid, 0)
            except ChildProcessError:
                status = None
            self._pid = 0
            if status is not None and os.WIFSIGNALED(status):
                sig = os.WTERMSIG(status)
                try:
                    name = f" {signal.Signals(sig).name}"
                except ValueError:
                    name = ""
                how = f" (killed by signal {sig}{name})"
            elif status is not None and os.WIFEXITED(status):
                how = f" (exit status {os.WEXITSTATUS(status)})"
        return f"the import parser stopped unexpectedly{how}; nothing was imported"

    def close(self) -> None:
        self._iter.close()
        if not self.parallel:
            self._items.close()
            return
        if self._pipe is not None:
            self._pipe.close()
            self._pipe = None
        if self._pid:
            try:
                os.kill(self._pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(self._pid, 0)
            self._pid = 0


def _widen(fd: int) -> None:
    """Let the pipe hold a few batches (Linux: up to pipe-max-size, 1 MiB by default), so
    the parser keeps working while the writer is busy instead of waiting on a 64 KiB pipe."""
    try:
        import fcntl

        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    except (ImportError, AttributeError, OSError):
        pass


def _child(read_end: int, write_end: int, make_converted, fh, size: int) -> None:
    try:
        os.close(read_end)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        out = os.fdopen(write_end, "wb", buffering=1 << 16)
        dumps, protocol = pickle.dumps, pickle.HIGHEST_PROTOCOL
        try:
            for batch, done in serial_batches(make_converted(), fh, size):
                out.write(dumps(("batch", (_pack(batch), done)), protocol))
            out.write(dumps(("end", None), protocol))
        except UnusableInput as exc:
            out.write(dumps(("unusable", str(exc)), protocol))
        except BrokenPipeError:
            raise
        except BaseException as exc:
            out.write(dumps(("failed", f"{type(exc).__name__}: {exc}"), protocol))
        out.flush()
    except BaseException:
        pass
    finally:
        os._exit(0)
