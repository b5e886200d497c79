"""Writing a user's file: atomically (a temporary file beside it, renamed when complete) when
it is a regular file, straight into it when it is a device or a pipe.

- A symlink is written through: the file it points to gets the content (atomically, the
  temporary file beside that file), and the link stays a link.
- A FIFO, a character device (/dev/null, a terminal) or a socket is opened and written
  directly: renaming over it would replace the device or pipe with a regular file.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from .errors import UserError


def resolved(path: Path) -> Path:
    """Where writing `path` lands: symlinks followed (also a dangling one's target)."""
    return Path(os.path.realpath(path))


def is_special(path: Path) -> bool:
    """`path` (followed) exists and is neither a regular file nor a folder: a FIFO, a
    device or a socket, which is written in place, never replaced."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


@contextmanager
def atomic_text_file(path: Path, prefix: str) -> Iterator[IO[str]]:
    """Yield a UTF-8 text handle; on success it replaces `path`, on any failure the
    temporary file is removed and `path` is untouched. A symlink's target is replaced (the
    link kept); a FIFO or device is written directly. OS errors become a UserError."""
    target = resolved(path)
    if is_special(target):
        with _direct(path, target) as fh:
            yield fh
        return
    directory = target.parent
    if not directory.is_dir():
        raise UserError(f"cannot write {path}: directory {directory} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(prefix=prefix, dir=directory)
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            yield fh
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise UserError(f"cannot write {path}: {exc.strerror or exc}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def _direct(path: Path, target: Path) -> Iterator[IO[str]]:
    """Write into a FIFO or device as it is (opening a FIFO waits for its reader)."""
    try:
        fh = open(target, "w", encoding="utf-8", newline="")  # noqa: SIM115 (closed below)
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with fh:
            yield fh
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror or exc}") from None
