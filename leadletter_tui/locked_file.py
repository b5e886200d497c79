"""Read-modify-write of a small user file that several processes may save at once
(views.json, config.toml): an exclusive lock on a sidecar file, then the caller re-reads,
merges and writes under it, and the new content replaces the old in one rename.

Why a sidecar (`views.json.lock`) and not the file itself: the file is replaced by a rename,
so a lock on its old inode would not stop the next writer. The sidecar stays put, is created
0600 and is never removed (removing it would let two writers lock two different inodes).
Without fcntl (not a POSIX system) the lock is skipped and the write is still atomic.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import UserError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


def lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold the exclusive lock of `path` (blocking). Creates the directory if needed.
    OS errors become a UserError naming `path`."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock_path(path), os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def write_atomic(path: Path, text: str, prefix: str) -> None:
    """Replace `path` with `text`: a temporary file in the same directory (0600, as mkstemp
    makes it), written and fsynced, renamed over `path`, then the directory fsynced. On any
    failure the temporary file is removed and `path` is untouched (UserError)."""
    directory = path.absolute().parent
    try:
        fd, tmp = tempfile.mkstemp(prefix=prefix, dir=directory)
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise UserError(f"cannot write {path}: {exc.strerror or exc}") from None
        raise
    try:  # the rename itself survives a crash only once the directory is on disk
        dir_fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)
